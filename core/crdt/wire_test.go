package crdt_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"pgregory.net/rapid"

	"github.com/peat-protocol/libpeat/core/codec"
	"github.com/peat-protocol/libpeat/core/crdt"
	capabilityv1 "github.com/peat-protocol/libpeat/core/pb/cap/capability/v1"
	commonv1 "github.com/peat-protocol/libpeat/core/pb/cap/common/v1"
	crdtv1 "github.com/peat-protocol/libpeat/core/pb/peat/crdt/v1"
	"github.com/peat-protocol/libpeat/core/registry"
	"github.com/peat-protocol/libpeat/core/status"
)

// The hand-written set codec (crdt.Decode, crdt.Encode) must be
// indistinguishable from the protobuf runtime: byte-identical output, equal
// decoded messages, the same errors.

// Small pools make equal ids and replicas, zero values and large varints
// frequent. What makes the fast path hand over to the runtime (unknown
// fields inside a set, invalid UTF-8, nil entries) appears only in "odd"
// documents, so that most documents take the fast path.
var (
	// The long text makes elements longer than 127 bytes (a two-byte length).
	wireTexts = []string{"", "a", "n1", "replica-b", "00000000-0000-4000-8000-000000000001", "\u00e9t\u00e9", strings.Repeat("long ", 60)}
	wireNums  = []uint64{0, 1, 2, 127, 128, 1 << 32, 1<<63 + 5}
)

// wireGen says which kinds of oddity a document may contain.
type wireGen struct{ badIDs, badReplicas, unknowns, nils bool }

func (g wireGen) id(t *rapid.T) string { return g.text(t, g.badIDs, "id") }

func (g wireGen) replica(t *rapid.T) string { return g.text(t, g.badReplicas, "replica") }

func (g wireGen) text(t *rapid.T, bad bool, label string) string {
	if bad && rapid.IntRange(0, 3).Draw(t, label+"Bad") == 0 {
		return "bad\xff"
	}
	return rapid.SampledFrom(wireTexts).Draw(t, label)
}

func (g wireGen) unknown(t *rapid.T, label string) []byte {
	if !g.unknowns {
		return nil
	}
	switch rapid.IntRange(0, 7).Draw(t, label) {
	case 0:
		return protowire.AppendString(protowire.AppendTag(nil, 40, protowire.BytesType), "newer")
	case 1:
		return protowire.AppendVarint(protowire.AppendTag(nil, 2000, protowire.VarintType), 7)
	}
	return nil
}

func (g wireGen) isNil(t *rapid.T, label string) bool {
	return g.nils && rapid.IntRange(0, 15).Draw(t, label) == 0
}

func (g wireGen) tag(t *rapid.T) *crdtv1.Tag {
	if g.isNil(t, "nilTag") {
		return nil
	}
	tag := &crdtv1.Tag{
		Replica: g.replica(t),
		Counter: rapid.SampledFrom(wireNums).Draw(t, "counter"),
		Seconds: rapid.SampledFrom(wireNums).Draw(t, "seconds"),
		Nanos:   uint32(rapid.SampledFrom(wireNums).Draw(t, "nanos")),
	}
	tag.ProtoReflect().SetUnknown(g.unknown(t, "tagUnknown"))
	return tag
}

func (g wireGen) dots(t *rapid.T, label string) []*crdtv1.Dot {
	return rapid.SliceOfN(rapid.Custom(func(t *rapid.T) *crdtv1.Dot {
		if g.isNil(t, "nilDot") {
			return nil
		}
		d := &crdtv1.Dot{Replica: g.replica(t), Counter: rapid.SampledFrom(wireNums).Draw(t, "counter")}
		d.ProtoReflect().SetUnknown(g.unknown(t, "dotUnknown"))
		return d
	}), 0, 3).Draw(t, label)
}

func (g wireGen) set(t *rapid.T) *crdtv1.ORSet {
	if rapid.IntRange(0, 7).Draw(t, "nilSet") == 0 {
		return nil
	}
	s := &crdtv1.ORSet{
		Elements: rapid.SliceOfN(rapid.Custom(func(t *rapid.T) *crdtv1.Element {
			if g.isNil(t, "nilElement") {
				return nil
			}
			e := &crdtv1.Element{Id: g.id(t), Tags: rapid.SliceOfN(rapid.Custom(g.tag), 0, 3).Draw(t, "tags")}
			e.ProtoReflect().SetUnknown(g.unknown(t, "elementUnknown"))
			return e
		}), 0, 6).Draw(t, "elements"),
		Context: g.dots(t, "context"),
		Cloud:   g.dots(t, "cloud"),
	}
	s.ProtoReflect().SetUnknown(g.unknown(t, "setUnknown"))
	return s
}

// drawDoc draws a cell or zone document around a random set, with the other
// fields sometimes set (before and after the set's field number) and
// unknown fields on the document itself (which the fast path handles).
func drawDoc(t *rapid.T) proto.Message {
	odd := func(label string) bool { return rapid.IntRange(0, 3).Draw(t, label) == 0 }
	g := wireGen{badIDs: odd("badIDs"), badReplicas: odd("badReplicas"), unknowns: odd("unknowns"), nils: odd("nils")}
	id := rapid.SampledFrom(wireTexts).Draw(t, "docId")
	var at *commonv1.Timestamp
	if rapid.Bool().Draw(t, "hasTime") {
		at = &commonv1.Timestamp{Seconds: rapid.SampledFrom(wireNums).Draw(t, "docSeconds")}
	}
	reg := func(label string) *crdtv1.TextRegister {
		if !rapid.Bool().Draw(t, label) {
			return nil
		}
		return &crdtv1.TextRegister{Stamp: &crdtv1.Stamp{Seconds: 3, Replica: "r"}, Value: proto.String(rapid.SampledFrom(wireTexts).Draw(t, label+"Value"))}
	}
	var caps []*crdtv1.CapabilityEntry
	if rapid.Bool().Draw(t, "capability") {
		caps = []*crdtv1.CapabilityEntry{{Stamp: &crdtv1.Stamp{Seconds: 4}}}
		if rapid.Bool().Draw(t, "capability value") {
			// -0.0, NaN payloads, signalling NaNs, subnormals: kept bit for bit.
			caps[0].Capability = &capabilityv1.Capability{Id: "cam", Confidence: drawFloat32(t, "confidence")}
		}
	}
	var doc proto.Message
	if rapid.Bool().Draw(t, "cell") {
		doc = &crdtv1.CellDoc{Id: id, UpdatedAt: at, Leader: reg("leader"), Members: g.set(t), Capabilities: caps, Platoon: reg("platoon")}
	} else {
		doc = &crdtv1.ZoneDoc{Id: id, UpdatedAt: at, Coordinator: reg("coordinator"), Cells: g.set(t), Capabilities: caps}
	}
	if rapid.Bool().Draw(t, "docUnknown") {
		doc.ProtoReflect().SetUnknown(protowire.AppendString(protowire.AppendTag(nil, 30, protowire.BytesType), "newer doc field"))
	}
	return doc
}

func TestFastCodecEncodesLikeTheRuntime(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		doc := drawDoc(t)
		want, wantErr := proto.MarshalOptions{Deterministic: true}.Marshal(doc)
		got, err := crdt.Encode(doc)
		if (err != nil) != (wantErr != nil) {
			t.Fatalf("Encode error %v, runtime error %v", err, wantErr)
		}
		if err != nil {
			if status.Of(err) != status.Encode {
				t.Fatalf("Encode error with status %v: %v", status.Of(err), err)
			}
			return
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("Encode differs from the runtime:\n got %x\nwant %x", got, want)
		}
		// Decoding gives what the runtime decodes, which encodes back the same.
		back := doc.ProtoReflect().New().Interface()
		require.NoError(t, crdt.Decode(back, got))
		ref := doc.ProtoReflect().New().Interface()
		require.NoError(t, proto.Unmarshal(got, ref))
		if !sameMessage(back, ref) {
			t.Fatalf("Decode differs from the runtime")
		}
		again, err := crdt.Encode(back)
		require.NoError(t, err)
		if !bytes.Equal(again, want) {
			t.Fatalf("re-encoding differs:\n got %x\nwant %x", again, want)
		}
	})
}

func TestFastCodecDecodesLikeTheRuntime(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		doc := drawDoc(t)
		b, err := proto.MarshalOptions{Deterministic: true}.Marshal(doc)
		if err != nil {
			return // invalid UTF-8: no such input reaches Decode from the runtime
		}
		// Damage the bytes: flip a byte, cut them, repeat them (a set field
		// given twice merges), append a set field of the wrong wire type, or
		// break the UTF-8 of the strings "n1".
		switch rapid.IntRange(0, 5).Draw(t, "how") {
		case 0:
			if len(b) > 0 {
				i := rapid.IntRange(0, len(b)-1).Draw(t, "at")
				b[i] ^= byte(rapid.IntRange(1, 255).Draw(t, "bits"))
			}
		case 1:
			b = b[:rapid.IntRange(0, len(b)).Draw(t, "len")]
		case 2:
			b = append(b, b...)
		case 3:
			b = protowire.AppendVarint(protowire.AppendTag(b, 5, protowire.VarintType), 1)
		case 4:
			b = bytes.ReplaceAll(b, []byte("n1"), []byte("\xff1"))
		}
		sameDecoding(t, doc.ProtoReflect().New().Interface(), b)
	})
}

// sameDecoding checks that crdt.Decode and codec.DecodeInto agree on b.
func sameDecoding(t interface {
	Fatalf(string, ...any)
}, empty proto.Message, b []byte) {
	got, want := proto.Clone(empty), proto.Clone(empty)
	err := crdt.Decode(got, b)
	wantErr := codec.DecodeInto(want, codec.Binary, b)
	switch {
	case (err != nil) != (wantErr != nil):
		t.Fatalf("Decode error %v, runtime error %v", err, wantErr)
	case err != nil:
		if status.Of(err) != status.Of(wantErr) || err.Error() != wantErr.Error() {
			t.Fatalf("Decode error %v, runtime error %v", err, wantErr)
		}
	case !sameMessage(got, want):
		t.Fatalf("Decode differs from the runtime on %x", b)
	}
}

// sameMessage compares two decoded messages by their deterministic
// encodings, which (unlike proto.Equal, for which NaN != NaN) compare
// floats bit for bit.
func sameMessage(a, b proto.Message) bool {
	ea, errA := proto.MarshalOptions{Deterministic: true}.Marshal(a)
	eb, errB := proto.MarshalOptions{Deterministic: true}.Marshal(b)
	if errA != nil || errB != nil {
		return proto.Equal(a, b)
	}
	return bytes.Equal(ea, eb)
}

// FuzzDocCodec decodes arbitrary bytes as a document with crdt.Decode and
// with the runtime: same message or same error. Seeds:
// testdata/fuzz/FuzzDocCodec (see TestFuzzSeedsAreCommitted).
func FuzzDocCodec(f *testing.F) {
	f.Fuzz(func(t *testing.T, kind byte, b []byte) {
		k := kindOf(kind)
		sameDecoding(t, k.Empty(), b)
		doc := k.Empty()
		if crdt.Decode(doc, b) != nil {
			return
		}
		got, err := crdt.Encode(doc)
		want, wantErr := codec.Encode(doc, codec.Binary)
		if (err != nil) != (wantErr != nil) || !bytes.Equal(got, want) {
			t.Fatalf("Encode differs from the runtime: %x (%v) against %x (%v)", got, err, want, wantErr)
		}
	})
}

func TestFastCodecRefusesOversizeInput(t *testing.T) {
	doc := &crdtv1.CellDoc{}
	err := crdt.Decode(doc, make([]byte, registry.Limit(doc.ProtoReflect().Descriptor().FullName())+1))
	require.Error(t, err)
	assert.Equal(t, status.TooLarge, status.Of(err))
}
