package merge

import (
	"bytes"
	"sync"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	commonv1 "github.com/peat-protocol/libpeat/core/pb/cap/common/v1"
)

// Canonical returns the deterministic binary encoding of m, the content used
// to break ties between equal timestamps. An unset (nil) message encodes as
// no bytes, so it loses every tie.
func Canonical(m proto.Message) []byte {
	if m == nil || !m.ProtoReflect().IsValid() {
		return nil
	}
	// Decoded input is valid UTF-8, so marshalling cannot fail; if it ever
	// did, the partial output is still a deterministic function of m.
	b, _ := proto.MarshalOptions{Deterministic: true, AllowPartial: true}.Marshal(m)
	return b
}

// canonicalBufs holds the buffers of compareCanonical.
var canonicalBufs = sync.Pool{New: func() any { return new([]byte) }}

// compareCanonical is CompareContent without allocating: a message is equal
// to itself without encoding, and the encodings are written into pooled
// buffers.
func compareCanonical(a, b proto.Message) int {
	if a == b {
		return 0
	}
	pa, pb := canonicalBufs.Get().(*[]byte), canonicalBufs.Get().(*[]byte)
	ea, eb := appendCanonical((*pa)[:0], a), appendCanonical((*pb)[:0], b)
	c := bytes.Compare(ea, eb)
	*pa, *pb = ea, eb
	canonicalBufs.Put(pa)
	canonicalBufs.Put(pb)
	return c
}

// appendCanonical appends Canonical(m) to buf.
func appendCanonical(buf []byte, m proto.Message) []byte {
	if m == nil || !m.ProtoReflect().IsValid() {
		return buf
	}
	b, _ := proto.MarshalOptions{Deterministic: true, AllowPartial: true}.MarshalAppend(buf, m)
	return b
}

// CompareContent orders two messages by their canonical encodings.
func CompareContent(a, b proto.Message) int { return bytes.Compare(Canonical(a), Canonical(b)) }

// CompareTimestamps orders timestamps by (seconds, nanos); nil is (0, 0).
func CompareTimestamps(a, b *commonv1.Timestamp) int {
	return CompareTimes(a.GetSeconds(), a.GetNanos(), b.GetSeconds(), b.GetNanos())
}

// CompareTimes orders (seconds, nanos) pairs.
func CompareTimes(as uint64, an uint32, bs uint64, bn uint32) int {
	switch {
	case as < bs:
		return -1
	case as > bs:
		return 1
	case an < bn:
		return -1
	case an > bn:
		return 1
	}
	return 0
}

// MaxTimestamp returns the later of two timestamps (a on equality), or nil
// when both are nil.
func MaxTimestamp(a, b *commonv1.Timestamp) *commonv1.Timestamp {
	if b == nil {
		return a
	}
	if a == nil || CompareTimestamps(b, a) > 0 {
		return b
	}
	return a
}

// JoinUnknown gives dst the greater of the unknown-field byte strings of a and
// b. It is used for messages whose known fields are merged field by field, so
// fields of a newer minor version survive merging by an older replica (as a
// whole, deterministically, though not field-wise).
func JoinUnknown(dst, a, b protoreflect.ProtoMessage) {
	ua, ub := unknown(a), unknown(b)
	u := ua
	if bytes.Compare(ub, ua) > 0 {
		u = ub
	}
	if len(u) > 0 {
		dst.ProtoReflect().SetUnknown(append(protoreflect.RawFields(nil), u...))
	}
}

func unknown(m protoreflect.ProtoMessage) []byte {
	if m == nil || !m.ProtoReflect().IsValid() {
		return nil
	}
	return m.ProtoReflect().GetUnknown()
}

// valid reports whether a message pointer is set.
func valid(m proto.Message) bool { return m != nil && m.ProtoReflect().IsValid() }
