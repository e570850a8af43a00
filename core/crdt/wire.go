package crdt

import (
	"sort"
	"unicode/utf8"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/peat-protocol/libpeat/core/codec"
	crdtv1 "github.com/peat-protocol/libpeat/core/pb/peat/crdt/v1"
	"github.com/peat-protocol/libpeat/core/registry"
)

// Binary codec of documents. The OR-Set is the only part of a document that
// grows with the number of members, and the generic protobuf runtime spends
// about eleven allocations on each of its elements. Decode and Encode handle
// ORSet fields by hand -- elements, tags and dots allocated in chunks, ids
// and replica ids as substrings of one copy of the input -- and everything
// else through the runtime. The bytes are exactly those of the runtime
// (proto.Marshal with Deterministic); input the hand-written decoder does
// not read exactly as proto.Unmarshal would (unknown fields or wrong wire
// types inside a set, invalid UTF-8, a set field given twice, malformed
// bytes) goes through the runtime instead, which also gives the errors.

// Decode decodes a binary document into doc, an empty message of a document
// type, exactly as codec.DecodeInto(doc, codec.Binary, b) does.
func Decode(doc proto.Message, b []byte) error {
	m := doc.ProtoReflect()
	sets := setFields(m.Descriptor())
	if len(sets) == 0 || registry.CheckSize(m.Descriptor().FullName(), len(b), false) != nil || !decodeFast(m, sets, b) {
		proto.Reset(doc)
		return codec.DecodeInto(doc, codec.Binary, b)
	}
	return nil
}

// Encode writes a document exactly as codec.Encode(doc, codec.Binary) does.
func Encode(doc proto.Message) ([]byte, error) {
	if out, ok := encodeFast(doc.ProtoReflect()); ok {
		return out, nil
	}
	return codec.Encode(doc, codec.Binary)
}

var orSetName = (&crdtv1.ORSet{}).ProtoReflect().Descriptor().FullName()

// setFields lists a document's singular ORSet fields, by field number.
func setFields(md protoreflect.MessageDescriptor) []protoreflect.FieldDescriptor {
	var out []protoreflect.FieldDescriptor
	fields := md.Fields()
	for i := 0; i < fields.Len(); i++ {
		if fd := fields.Get(i); fd.Message() != nil && fd.Message().FullName() == orSetName && !fd.IsList() {
			out = append(out, fd)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Number() < out[j].Number() })
	return out
}

func setFieldOf(sets []protoreflect.FieldDescriptor, num protowire.Number) protoreflect.FieldDescriptor {
	for _, fd := range sets {
		if fd.Number() == num {
			return fd
		}
	}
	return nil
}

// ---- decoding ---------------------------------------------------------------

// decodeFast decodes b into m: the set fields by hand, the other fields by
// the runtime. It reports false when the runtime must decode all of b.
func decodeFast(m protoreflect.Message, sets []protoreflect.FieldDescriptor, b []byte) bool {
	type part struct {
		fd  protoreflect.FieldDescriptor
		raw []byte
	}
	var parts []part
	var rest []byte
	for in := b; len(in) > 0; {
		num, typ, n := protowire.ConsumeTag(in)
		if n < 0 {
			return false
		}
		vn := protowire.ConsumeFieldValue(num, typ, in[n:])
		if vn < 0 {
			return false
		}
		if fd := setFieldOf(sets, num); fd != nil {
			if typ != protowire.BytesType {
				return false
			}
			for _, p := range parts {
				if p.fd == fd {
					return false // given twice: the runtime merges the two
				}
			}
			v, _ := protowire.ConsumeBytes(in[n:])
			parts = append(parts, part{fd, v})
			if rest == nil {
				rest = make([]byte, 0, len(b)-(n+vn))
				rest = append(rest, b[:len(b)-len(in)]...)
			}
		} else if rest != nil {
			rest = append(rest, in[:n+vn]...)
		}
		in = in[n+vn:]
	}
	if parts == nil {
		rest = b
	}
	if err := (proto.UnmarshalOptions{RecursionLimit: codec.RecursionLimit}).Unmarshal(rest, m.Interface()); err != nil {
		return false
	}
	for _, p := range parts {
		s, ok := decodeSet(p.raw)
		if !ok {
			return false
		}
		m.Set(p.fd, protoreflect.ValueOfMessage(s.ProtoReflect()))
	}
	return true
}

// chunk hands out pointers to zeroed values allocated in blocks, so that a
// set of n elements costs O(log n + n/maxChunk) allocations, not n.
type chunk[T any] struct {
	free []T
	next int
}

const maxChunk = 4096

func (c *chunk[T]) new() *T {
	if len(c.free) == 0 {
		c.next = min(max(2*c.next, 16), maxChunk)
		c.free = make([]T, c.next)
	}
	p := &c.free[0]
	c.free = c.free[1:]
	return p
}

// take returns a slice of n values (length 0, capacity n) from the chunk.
func take[T any](c *chunk[T], n int) []T {
	if n > maxChunk/4 {
		return make([]T, 0, n)
	}
	if len(c.free) < n {
		c.next = min(max(2*c.next, 16), maxChunk)
		c.free = make([]T, max(c.next, n))
	}
	s := c.free[:0:n]
	c.free = c.free[n:]
	return s
}

// setDecoder decodes one ORSet. Offsets index both buf and str (= string(buf)).
type setDecoder struct {
	buf      []byte
	str      string
	elements chunk[crdtv1.Element]
	tags     chunk[crdtv1.Tag]
	tagPtrs  chunk[*crdtv1.Tag]
	dots     chunk[crdtv1.Dot]
	scratch  []*crdtv1.Tag
}

func decodeSet(b []byte) (*crdtv1.ORSet, bool) {
	d := &setDecoder{buf: b, str: string(b)}
	s := &crdtv1.ORSet{}
	n := 0
	if !d.fields(0, len(b), func(num protowire.Number, typ protowire.Type, i, j int) bool {
		if num == 1 {
			n++
		}
		return typ == protowire.BytesType
	}) {
		return nil, false
	}
	if n > 0 {
		s.Elements = make([]*crdtv1.Element, 0, n)
	}
	ok := d.fields(0, len(b), func(num protowire.Number, _ protowire.Type, i, j int) bool {
		switch num {
		case 1:
			e, ok := d.element(i, j)
			s.Elements = append(s.Elements, e)
			return ok
		case 2:
			dot, ok := d.dot(i, j)
			s.Context = append(s.Context, dot)
			return ok
		case 3:
			dot, ok := d.dot(i, j)
			s.Cloud = append(s.Cloud, dot)
			return ok
		}
		return false
	})
	return s, ok
}

// fields calls f for each field in buf[i:j] with the bounds of its value
// (the payload of a length-delimited field, the varint otherwise); false
// from f or malformed bytes stop with false.
func (d *setDecoder) fields(i, j int, f func(num protowire.Number, typ protowire.Type, i, j int) bool) bool {
	for i < j {
		num, typ, n := protowire.ConsumeTag(d.buf[i:j])
		if n < 0 {
			return false
		}
		i += n
		switch typ {
		case protowire.BytesType:
			m, n := protowire.ConsumeVarint(d.buf[i:j])
			if n < 0 || m > uint64(j-i-n) {
				return false
			}
			i += n
			if !f(num, typ, i, i+int(m)) {
				return false
			}
			i += int(m)
		case protowire.VarintType:
			_, n := protowire.ConsumeVarint(d.buf[i:j])
			if n < 0 || !f(num, typ, i, i+n) {
				return false
			}
			i += n
		default:
			return false // no set field has another wire type
		}
	}
	return true
}

// text returns buf[i:j] as a string that shares str's memory.
func (d *setDecoder) text(i, j int) (string, bool) {
	return d.str[i:j], utf8.Valid(d.buf[i:j])
}

func (d *setDecoder) varint(i, j int) uint64 {
	v, _ := protowire.ConsumeVarint(d.buf[i:j])
	return v
}

func (d *setDecoder) element(i, j int) (*crdtv1.Element, bool) {
	e := d.elements.new()
	d.scratch = d.scratch[:0]
	ok := d.fields(i, j, func(num protowire.Number, typ protowire.Type, i, j int) bool {
		if typ != protowire.BytesType {
			return false
		}
		switch num {
		case 1:
			var ok bool
			e.Id, ok = d.text(i, j)
			return ok
		case 2:
			t, ok := d.tag(i, j)
			d.scratch = append(d.scratch, t)
			return ok
		}
		return false
	})
	if len(d.scratch) > 0 {
		e.Tags = append(take(&d.tagPtrs, len(d.scratch)), d.scratch...)
	}
	return e, ok
}

func (d *setDecoder) tag(i, j int) (*crdtv1.Tag, bool) {
	t := d.tags.new()
	ok := d.fields(i, j, func(num protowire.Number, typ protowire.Type, i, j int) bool {
		switch {
		case num == 1 && typ == protowire.BytesType:
			var ok bool
			t.Replica, ok = d.text(i, j)
			return ok
		case num == 2 && typ == protowire.VarintType:
			t.Counter = d.varint(i, j)
		case num == 3 && typ == protowire.VarintType:
			t.Seconds = d.varint(i, j)
		case num == 4 && typ == protowire.VarintType:
			t.Nanos = uint32(d.varint(i, j))
		default:
			return false
		}
		return true
	})
	return t, ok
}

func (d *setDecoder) dot(i, j int) (*crdtv1.Dot, bool) {
	dot := d.dots.new()
	ok := d.fields(i, j, func(num protowire.Number, typ protowire.Type, i, j int) bool {
		switch {
		case num == 1 && typ == protowire.BytesType:
			var ok bool
			dot.Replica, ok = d.text(i, j)
			return ok
		case num == 2 && typ == protowire.VarintType:
			dot.Counter = d.varint(i, j)
		default:
			return false
		}
		return true
	})
	return dot, ok
}

// ---- encoding ---------------------------------------------------------------

// encodeFast writes m deterministically with its set fields encoded by hand:
// the runtime writes the other known fields in number order, the sets are
// spliced in at their numbers, and the unknown fields follow, as the runtime
// lays them out. It reports false when the runtime must encode all of m.
func encodeFast(m protoreflect.Message) ([]byte, bool) {
	sets := setFields(m.Descriptor())
	if len(sets) == 0 || !m.IsValid() {
		return nil, false
	}
	known := m.New()
	var present []protoreflect.FieldDescriptor
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		if setFieldOf(sets, fd.Number()) == fd {
			present = append(present, fd)
		} else {
			known.Set(fd, v)
		}
		return true
	})
	if len(present) == 0 {
		return nil, false
	}
	sort.Slice(present, func(i, j int) bool { return present[i].Number() < present[j].Number() })
	rest, err := proto.MarshalOptions{Deterministic: true}.Marshal(known.Interface())
	if err != nil {
		return nil, false
	}
	size := len(rest) + len(m.GetUnknown())
	values := make([]*crdtv1.ORSet, len(present))
	layouts := make([]setLayout, len(present))
	for i, fd := range present {
		s, ok := m.Get(fd).Message().Interface().(*crdtv1.ORSet)
		if !ok {
			return nil, false
		}
		if layouts[i], ok = layoutSet(s); !ok {
			return nil, false
		}
		values[i] = s
		size += protowire.SizeTag(fd.Number()) + protowire.SizeBytes(layouts[i].size)
	}
	out := make([]byte, 0, size)
	for i, fd := range present {
		// Known fields before this set's number, then the set.
		k := 0
		for k < len(rest) {
			num, _, n := protowire.ConsumeField(rest[k:])
			if n < 0 || num > fd.Number() {
				break
			}
			k += n
		}
		out = append(out, rest[:k]...)
		rest = rest[k:]
		out = protowire.AppendTag(out, fd.Number(), protowire.BytesType)
		out = appendSet(out, values[i], layouts[i])
	}
	out = append(out, rest...)
	return append(out, m.GetUnknown()...), true
}

// setLayout is the encoded size of a set and of each of its elements.
type setLayout struct {
	size     int
	elements []int
}

// layoutSet measures s. It reports false for what it leaves to the runtime:
// unknown fields inside elements, tags or dots (never produced by decoding
// or joins), and invalid UTF-8 (which the runtime refuses to write).
func layoutSet(s *crdtv1.ORSet) (setLayout, bool) {
	n := len(s.ProtoReflect().GetUnknown())
	sizes := make([]int, len(s.Elements))
	for i, e := range s.Elements {
		if e == nil {
			// The runtime writes a nil list entry as an empty message.
			n += 1 + protowire.SizeBytes(0)
			continue
		}
		m := sizeString(e.Id)
		ok := utf8.ValidString(e.Id) && !hasUnknown(e)
		for _, t := range e.Tags {
			if t != nil {
				ok = ok && utf8.ValidString(t.Replica) && !hasUnknown(t)
			}
			m += 1 + protowire.SizeBytes(sizeTag(t))
		}
		if !ok {
			return setLayout{}, false
		}
		sizes[i] = m
		n += 1 + protowire.SizeBytes(m)
	}
	for _, ds := range [][]*crdtv1.Dot{s.Context, s.Cloud} {
		for _, d := range ds {
			if d != nil && (!utf8.ValidString(d.Replica) || hasUnknown(d)) {
				return setLayout{}, false
			}
			n += 1 + protowire.SizeBytes(sizeDot(d))
		}
	}
	return setLayout{n, sizes}, true
}

// appendSet appends s, length-prefixed, in the runtime's deterministic
// layout: fields in number order, proto3 defaults (empty strings, zeros)
// omitted, unknown fields last, a nil list entry as an empty message.
func appendSet(b []byte, s *crdtv1.ORSet, l setLayout) []byte {
	b = protowire.AppendVarint(b, uint64(l.size))
	for i, e := range s.Elements {
		b = protowire.AppendTag(b, 1, protowire.BytesType)
		b = protowire.AppendVarint(b, uint64(l.elements[i]))
		if e == nil {
			continue
		}
		b = appendString(b, 1, e.Id)
		for _, t := range e.Tags {
			b = protowire.AppendTag(b, 2, protowire.BytesType)
			b = protowire.AppendVarint(b, uint64(sizeTag(t)))
			if t != nil {
				b = appendString(b, 1, t.Replica)
				b = appendVarint(b, 2, t.Counter)
				b = appendVarint(b, 3, t.Seconds)
				b = appendVarint(b, 4, uint64(t.Nanos))
			}
		}
	}
	for i, ds := range [][]*crdtv1.Dot{s.Context, s.Cloud} {
		for _, d := range ds {
			b = protowire.AppendTag(b, protowire.Number(2+i), protowire.BytesType)
			b = protowire.AppendVarint(b, uint64(sizeDot(d)))
			if d != nil {
				b = appendString(b, 1, d.Replica)
				b = appendVarint(b, 2, d.Counter)
			}
		}
	}
	return append(b, s.ProtoReflect().GetUnknown()...)
}

// sizeTag and sizeDot are the encoded sizes of a tag and a dot without
// unknown fields (nil: an empty message).
func sizeTag(t *crdtv1.Tag) int {
	if t == nil {
		return 0
	}
	return sizeString(t.Replica) + sizeVarint(t.Counter) + sizeVarint(t.Seconds) + sizeVarint(uint64(t.Nanos))
}

func sizeDot(d *crdtv1.Dot) int {
	if d == nil {
		return 0
	}
	return sizeString(d.Replica) + sizeVarint(d.Counter)
}

// Field numbers below 16 have one-byte tags.

func sizeString(s string) int {
	if s == "" {
		return 0
	}
	return 1 + protowire.SizeBytes(len(s))
}

func sizeVarint(v uint64) int {
	if v == 0 {
		return 0
	}
	return 1 + protowire.SizeVarint(v)
}

func appendString(b []byte, num protowire.Number, s string) []byte {
	if s == "" {
		return b
	}
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendString(b, s)
}

func appendVarint(b []byte, num protowire.Number, v uint64) []byte {
	if v == 0 {
		return b
	}
	b = protowire.AppendTag(b, num, protowire.VarintType)
	return protowire.AppendVarint(b, v)
}
