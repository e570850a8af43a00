package crdt

import (
	"sort"
	"sync"
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
	if d, ok := doc.(*crdtv1.CellDoc); ok {
		if out, ok := encodePlainCell(d); ok {
			return out, nil
		}
	}
	if out, ok := encodeFast(doc.ProtoReflect()); ok {
		return out, nil
	}
	return codec.Encode(doc, codec.Binary)
}

var orSetName = (&crdtv1.ORSet{}).ProtoReflect().Descriptor().FullName()

var setFieldsCache sync.Map // protoreflect.FullName -> []protoreflect.FieldDescriptor

// setFields lists a document's singular ORSet fields, by field number.
func setFields(md protoreflect.MessageDescriptor) []protoreflect.FieldDescriptor {
	if v, ok := setFieldsCache.Load(md.FullName()); ok {
		return v.([]protoreflect.FieldDescriptor)
	}
	out := findSetFields(md)
	setFieldsCache.Store(md.FullName(), out)
	return out
}

func findSetFields(md protoreflect.MessageDescriptor) []protoreflect.FieldDescriptor {
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
// Every field of a set, element, tag and dot has a one-byte key; any other
// key (an unknown field, a wrong wire type) hands the input to the runtime.
type setDecoder struct {
	buf      []byte
	str      string
	elements chunk[crdtv1.Element]
	tags     chunk[crdtv1.Tag]
	tagPtrs  chunk[*crdtv1.Tag]
	dots     chunk[crdtv1.Dot]
	scratch  []*crdtv1.Tag
}

// Keys (field number << 3 | wire type) of the fields the decoder reads.
const (
	keyBytes1  = 1<<3 | byte(protowire.BytesType)
	keyBytes2  = 2<<3 | byte(protowire.BytesType)
	keyBytes3  = 3<<3 | byte(protowire.BytesType)
	keyVarint2 = 2<<3 | byte(protowire.VarintType)
	keyVarint3 = 3<<3 | byte(protowire.VarintType)
	keyVarint4 = 4<<3 | byte(protowire.VarintType)
)

func decodeSet(b []byte) (*crdtv1.ORSet, bool) {
	d := &setDecoder{buf: b, str: string(b)}
	s := &crdtv1.ORSet{}
	// Count the elements first, to allocate the list once.
	n := 0
	for i := 0; i < len(b); {
		key := b[i]
		_, next, ok := d.bytesField(i+1, len(b))
		if !ok {
			return nil, false
		}
		if key == keyBytes1 {
			n++
		}
		i = next
	}
	if n > 0 {
		s.Elements = make([]*crdtv1.Element, 0, n)
	}
	for i := 0; i < len(b); {
		key := b[i]
		start, end, _ := d.bytesField(i+1, len(b))
		var ok bool
		switch key {
		case keyBytes1:
			var e *crdtv1.Element
			e, ok = d.element(start, end)
			s.Elements = append(s.Elements, e)
		case keyBytes2:
			var dot *crdtv1.Dot
			dot, ok = d.dot(start, end)
			s.Context = append(s.Context, dot)
		case keyBytes3:
			var dot *crdtv1.Dot
			dot, ok = d.dot(start, end)
			s.Cloud = append(s.Cloud, dot)
		}
		if !ok {
			return nil, false
		}
		i = end
	}
	return s, true
}

// varint reads a varint at buf[i:j]; next is the offset after it.
func (d *setDecoder) varint(i, j int) (v uint64, next int, ok bool) {
	if i < j && d.buf[i] < 0x80 {
		return uint64(d.buf[i]), i + 1, true
	}
	v, n := protowire.ConsumeVarint(d.buf[i:j])
	return v, i + n, n > 0
}

// bytesField reads the length of a length-delimited value at buf[i:j] and
// returns the bounds of its payload.
func (d *setDecoder) bytesField(i, j int) (start, end int, ok bool) {
	n, start, ok := d.varint(i, j)
	if !ok || n > uint64(j-start) {
		return 0, 0, false
	}
	return start, start + int(n), true
}

// text returns a string payload at buf[i:j] as a substring of str; false on
// malformed bytes or invalid UTF-8.
func (d *setDecoder) text(i, j int) (s string, next int, ok bool) {
	start, end, ok := d.bytesField(i, j)
	if !ok || !utf8.Valid(d.buf[start:end]) {
		return "", 0, false
	}
	return d.str[start:end], end, true
}

func (d *setDecoder) element(i, j int) (*crdtv1.Element, bool) {
	e := d.elements.new()
	d.scratch = d.scratch[:0]
	for ok := true; i < j; {
		switch d.buf[i] {
		case keyBytes1:
			e.Id, i, ok = d.text(i+1, j)
		case keyBytes2:
			var start, end int
			if start, end, ok = d.bytesField(i+1, j); ok {
				var t *crdtv1.Tag
				t, ok = d.tag(start, end)
				d.scratch = append(d.scratch, t)
				i = end
			}
		default:
			ok = false
		}
		if !ok {
			return nil, false
		}
	}
	if len(d.scratch) > 0 {
		e.Tags = append(take(&d.tagPtrs, len(d.scratch)), d.scratch...)
	}
	return e, true
}

func (d *setDecoder) tag(i, j int) (*crdtv1.Tag, bool) {
	t := d.tags.new()
	for ok := true; i < j; {
		var v uint64
		switch d.buf[i] {
		case keyBytes1:
			t.Replica, i, ok = d.text(i+1, j)
		case keyVarint2:
			t.Counter, i, ok = d.varint(i+1, j)
		case keyVarint3:
			t.Seconds, i, ok = d.varint(i+1, j)
		case keyVarint4:
			v, i, ok = d.varint(i+1, j)
			t.Nanos = uint32(v)
		default:
			ok = false
		}
		if !ok {
			return nil, false
		}
	}
	return t, true
}

func (d *setDecoder) dot(i, j int) (*crdtv1.Dot, bool) {
	dot := d.dots.new()
	for ok := true; i < j; {
		switch d.buf[i] {
		case keyBytes1:
			dot.Replica, i, ok = d.text(i+1, j)
		case keyVarint2:
			dot.Counter, i, ok = d.varint(i+1, j)
		default:
			ok = false
		}
		if !ok {
			return nil, false
		}
	}
	return dot, true
}

// ---- encoding ---------------------------------------------------------------

// encodeFast writes m deterministically with its set field encoded by hand:
// the runtime writes the known fields before the set's number and those
// after it, the set is written between them, and the unknown fields follow,
// as the runtime lays them out. It reports false when the runtime must
// encode all of m.
func encodeFast(m protoreflect.Message) ([]byte, bool) {
	if !m.IsValid() {
		return nil, false
	}
	sp, ok := splitAtSet(m.Interface())
	if !ok || sp.set == nil {
		return nil, false
	}
	size := 16 + 32*(len(sp.set.Context)+len(sp.set.Cloud)) + len(m.GetUnknown())
	for _, e := range sp.set.Elements {
		size += 8 + len(e.GetId()) + 28*len(e.GetTags())
	}
	det := proto.MarshalOptions{Deterministic: true}
	out, err := det.MarshalAppend(make([]byte, 0, size+64), sp.head)
	if err != nil {
		return nil, false
	}
	out = protowire.AppendTag(out, sp.num, protowire.BytesType)
	if out, ok = appendSet(out, sp.set); !ok {
		return nil, false
	}
	if out, err = det.MarshalAppend(out, sp.tail); err != nil {
		return nil, false
	}
	return append(out, m.GetUnknown()...), true
}

// setSplit is a document cut around its set field: head holds the fields
// numbered below it, tail those above it (neither has unknown fields).
type setSplit struct {
	head, tail proto.Message
	set        *crdtv1.ORSet
	num        protowire.Number
}

// splitAtSet cuts a CellDoc or ZoneDoc around its set field (5), sharing
// every field value; TestSplitAtSetKeepsEveryField checks that no field of
// the schema is left out.
func splitAtSet(m proto.Message) (setSplit, bool) {
	switch d := m.(type) {
	case *crdtv1.CellDoc:
		return setSplit{
			head: &crdtv1.CellDoc{Id: d.Id, UpdatedAt: d.UpdatedAt, Config: d.Config, Leader: d.Leader},
			set:  d.Members, num: 5,
			tail: &crdtv1.CellDoc{Capabilities: d.Capabilities, Platoon: d.Platoon, StateUnknownFields: d.StateUnknownFields},
		}, true
	case *crdtv1.ZoneDoc:
		return setSplit{
			head: &crdtv1.ZoneDoc{Id: d.Id, UpdatedAt: d.UpdatedAt, Config: d.Config, Coordinator: d.Coordinator},
			set:  d.Cells, num: 5,
			tail: &crdtv1.ZoneDoc{Capabilities: d.Capabilities, StateUnknownFields: d.StateUnknownFields},
		}, true
	}
	return setSplit{}, false
}

// The appenders below write the runtime's deterministic layout: fields in
// number order, proto3 defaults (empty strings, zeros) omitted, unknown
// fields last, a nil list entry as an empty message. Each length-delimited
// value is written after a one-byte length that is fixed afterwards (see
// endLength), so every element is visited once. They report false for what
// they leave to the runtime: unknown fields inside elements, tags or dots
// (never produced by decoding or joins), and invalid UTF-8 (which the
// runtime refuses to write).

// appendSet appends s as a length-delimited value.
func appendSet(b []byte, s *crdtv1.ORSet) ([]byte, bool) {
	b, start := beginLength(b)
	for _, e := range s.Elements {
		var ok bool
		if b, ok = appendElement(b, e); !ok {
			return nil, false
		}
	}
	for i, ds := range [][]*crdtv1.Dot{s.Context, s.Cloud} {
		for _, d := range ds {
			if d != nil && (!utf8.ValidString(d.Replica) || hasUnknown(d)) {
				return nil, false
			}
			b = append(b, keyBytes2+byte(i)<<3)
			b = protowire.AppendVarint(b, uint64(sizeDot(d)))
			if d != nil {
				b = appendString(b, 1, d.Replica)
				b = appendVarint(b, 2, d.Counter)
			}
		}
	}
	b = append(b, s.ProtoReflect().GetUnknown()...)
	return endLength(b, start), true
}

// appendElement appends e as field 1 of a set.
func appendElement(b []byte, e *crdtv1.Element) ([]byte, bool) {
	b = append(b, keyBytes1)
	b, start := beginLength(b)
	if e != nil {
		if !utf8.ValidString(e.Id) || hasUnknown(e) {
			return nil, false
		}
		b = appendString(b, 1, e.Id)
		for _, t := range e.Tags {
			b = append(b, keyBytes2)
			b = protowire.AppendVarint(b, uint64(sizeTag(t)))
			if t == nil {
				continue
			}
			if !utf8.ValidString(t.Replica) || hasUnknown(t) {
				return nil, false
			}
			b = appendString(b, 1, t.Replica)
			b = appendVarint(b, 2, t.Counter)
			b = appendVarint(b, 3, t.Seconds)
			b = appendVarint(b, 4, uint64(t.Nanos))
		}
	}
	return endLength(b, start), true
}

// beginLength reserves one byte for the length of what follows.
func beginLength(b []byte) ([]byte, int) {
	b = append(b, 0)
	return b, len(b)
}

// endLength writes the length of b[start:] before it, moving the value up
// when its length needs more than the one reserved byte.
func endLength(b []byte, start int) []byte {
	n := len(b) - start
	if n < 0x80 {
		b[start-1] = byte(n)
		return b
	}
	extra := protowire.SizeVarint(uint64(n)) - 1
	b = append(b, make([]byte, extra)...)
	copy(b[start+extra:], b[start:start+n])
	protowire.AppendVarint(b[:start-1], uint64(n))
	return b
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

// encodePlainCell writes, by hand, a CellDoc without config, capabilities,
// unknown-fields register or unknown fields: the shape of the deltas of
// member, leader and platoon operations and of documents that never had a
// configuration. False for anything else (and for invalid UTF-8, which the
// runtime refuses to write). TestPlainCellEncodingIsTheRuntimes compares
// the bytes.
func encodePlainCell(d *crdtv1.CellDoc) ([]byte, bool) {
	if d == nil || d.Config != nil || len(d.Capabilities) > 0 || d.StateUnknownFields != nil || hasUnknown(d) || !utf8.ValidString(d.Id) {
		return nil, false
	}
	size := 64 + len(d.Id)
	if s := d.Members; s != nil {
		size += 16 + 32*(len(s.Context)+len(s.Cloud))
		for _, e := range s.Elements {
			size += 8 + len(e.GetId()) + 28*len(e.GetTags())
		}
	}
	b := appendString(make([]byte, 0, size), 1, d.Id)
	if t := d.UpdatedAt; t != nil {
		if hasUnknown(t) {
			return nil, false
		}
		var start int
		b, start = beginLength(protowire.AppendTag(b, 2, protowire.BytesType))
		b = endLength(appendVarint(appendVarint(b, 1, t.Seconds), 2, uint64(t.Nanos)), start)
	}
	var ok bool
	if b, ok = appendText(b, 4, d.Leader); !ok {
		return nil, false
	}
	if d.Members != nil {
		if b, ok = appendSet(protowire.AppendTag(b, 5, protowire.BytesType), d.Members); !ok {
			return nil, false
		}
	}
	if b, ok = appendText(b, 7, d.Platoon); !ok {
		return nil, false
	}
	return b, true
}

// appendText writes a TextRegister field (nothing when r is nil).
func appendText(b []byte, num protowire.Number, r *crdtv1.TextRegister) ([]byte, bool) {
	if r == nil {
		return b, true
	}
	if hasUnknown(r) || (r.Value != nil && !utf8.ValidString(*r.Value)) {
		return nil, false
	}
	var start int
	b, start = beginLength(protowire.AppendTag(b, num, protowire.BytesType))
	if st := r.Stamp; st != nil {
		if hasUnknown(st) || !utf8.ValidString(st.Replica) {
			return nil, false
		}
		var inner int
		b, inner = beginLength(protowire.AppendTag(b, 1, protowire.BytesType))
		b = appendVarint(b, 1, st.Seconds)
		b = appendVarint(b, 2, uint64(st.Nanos))
		b = appendVarint(b, 3, st.Counter)
		b = appendString(b, 4, st.Replica)
		b = endLength(b, inner)
	}
	if r.Value != nil {
		b = protowire.AppendString(protowire.AppendTag(b, 2, protowire.BytesType), *r.Value)
	}
	return endLength(b, start), true
}
