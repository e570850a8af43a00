package codec

import (
	"math"
	"unicode/utf8"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	capabilityv1 "github.com/peat-protocol/libpeat/core/pb/cap/capability/v1"
	cellv1 "github.com/peat-protocol/libpeat/core/pb/cap/cell/v1"
	commonv1 "github.com/peat-protocol/libpeat/core/pb/cap/common/v1"
	nodev1 "github.com/peat-protocol/libpeat/core/pb/cap/node/v1"
)

// A hand-written encoder for the messages of the fast decoder, writing
// exactly protobuf-go's deterministic bytes: fields in number order, proto3
// defaults left out (a float is left out only when its bits are all zero, so
// -0.0 is written), optional fields written when present. A message with
// unknown fields or a string that is not valid UTF-8 anywhere inside is left
// to the runtime (which keeps the former and refuses the latter).
// TestFastEncodeMatchesTheRuntime compares the two.

// fastEncode returns msg's deterministic encoding, or false.
func fastEncode(msg proto.Message) ([]byte, bool) {
	var e fastEncoder
	switch m := msg.(type) {
	case *cellv1.CellState:
		if m == nil || !e.sizeCellState(m) {
			return nil, false
		}
		return e.cellState(make([]byte, 0, e.size), m), true
	case *nodev1.NodeConfig:
		if m == nil || !e.sizeNodeConfig(m) {
			return nil, false
		}
		return e.nodeConfig(make([]byte, 0, e.size), m), true
	}
	return nil, false
}

// fastEncoder first checks a message and adds up its size (size*), then
// writes it (the other methods). Sub-message lengths are recomputed when
// written; the messages are small and flat, so this costs less than the
// runtime's size cache.
type fastEncoder struct{ size int }

func known(m proto.Message) bool { return len(m.ProtoReflect().GetUnknown()) == 0 }

// strSize is the size of a string field; with check, false for invalid
// UTF-8 (the write pass, which has checked already, passes false).
func strSize(s string, check bool) (int, bool) {
	if s == "" {
		return 0, true
	}
	return 1 + protowire.SizeBytes(len(s)), !check || utf8.ValidString(s)
}

func appendStr(b []byte, num protowire.Number, s string) []byte {
	if s == "" {
		return b
	}
	return protowire.AppendString(protowire.AppendTag(b, num, protowire.BytesType), s)
}

func appendVarint(b []byte, num protowire.Number, v uint64) []byte {
	if v == 0 {
		return b
	}
	return protowire.AppendVarint(protowire.AppendTag(b, num, protowire.VarintType), v)
}

func appendFloat(b []byte, num protowire.Number, f float32) []byte {
	bits := math.Float32bits(f)
	if bits == 0 {
		return b
	}
	return protowire.AppendFixed32(protowire.AppendTag(b, num, protowire.Fixed32Type), bits)
}

func varintSize(v uint64) int {
	if v == 0 {
		return 0
	}
	return 1 + protowire.SizeVarint(v)
}

func floatSize(f float32) int {
	if math.Float32bits(f) == 0 {
		return 0
	}
	return 5
}

// enum values are int32, written sign-extended to 64 bits.
func enumValue(v int32) uint64 { return uint64(int64(v)) }

func timestampSize(t *commonv1.Timestamp, check bool) (int, bool) {
	if check && !known(t) {
		return 0, false
	}
	return varintSize(t.Seconds) + varintSize(uint64(t.Nanos)), true
}

func appendTimestamp(b []byte, num protowire.Number, t *commonv1.Timestamp) []byte {
	if t == nil {
		return b
	}
	n, _ := timestampSize(t, false)
	b = protowire.AppendVarint(protowire.AppendTag(b, num, protowire.BytesType), uint64(n))
	return appendVarint(appendVarint(b, 1, t.Seconds), 2, uint64(t.Nanos))
}

// msgSize is the size of a present sub-message field of body size n.
func msgSize(n int) int { return 1 + protowire.SizeBytes(n) }

func capabilitySize(c *capabilityv1.Capability, check bool) (int, bool) {
	if c == nil || (check && !known(c)) {
		return 0, false
	}
	n := varintSize(enumValue(int32(c.CapabilityType))) + floatSize(c.Confidence)
	for _, s := range []string{c.Id, c.Name, c.MetadataJson} {
		k, ok := strSize(s, check)
		if !ok {
			return 0, false
		}
		n += k
	}
	if c.RegisteredAt != nil {
		k, ok := timestampSize(c.RegisteredAt, check)
		if !ok {
			return 0, false
		}
		n += msgSize(k)
	}
	return n, true
}

func appendCapability(b []byte, num protowire.Number, c *capabilityv1.Capability) []byte {
	n, _ := capabilitySize(c, false)
	b = protowire.AppendVarint(protowire.AppendTag(b, num, protowire.BytesType), uint64(n))
	b = appendStr(b, 1, c.Id)
	b = appendStr(b, 2, c.Name)
	b = appendVarint(b, 3, enumValue(int32(c.CapabilityType)))
	b = appendFloat(b, 4, c.Confidence)
	b = appendStr(b, 5, c.MetadataJson)
	return appendTimestamp(b, 6, c.RegisteredAt)
}

func capabilitiesSize(cs []*capabilityv1.Capability, check bool) (int, bool) {
	n := 0
	for _, c := range cs {
		k, ok := capabilitySize(c, check)
		if !ok {
			return 0, false
		}
		n += msgSize(k)
	}
	return n, true
}

func cellConfigSize(c *cellv1.CellConfig, check bool) (int, bool) {
	if check && !known(c) {
		return 0, false
	}
	n, ok := strSize(c.Id, check)
	if !ok {
		return 0, false
	}
	n += varintSize(uint64(c.MaxSize)) + varintSize(uint64(c.MinSize))
	if c.CreatedAt != nil {
		k, ok := timestampSize(c.CreatedAt, check)
		if !ok {
			return 0, false
		}
		n += msgSize(k)
	}
	return n, true
}

func (e *fastEncoder) sizeCellState(m *cellv1.CellState) bool {
	if !known(m) {
		return false
	}
	n := 0
	if m.Config != nil {
		k, ok := cellConfigSize(m.Config, true)
		if !ok {
			return false
		}
		n += msgSize(k)
	}
	for _, p := range []*string{m.LeaderId, m.PlatoonId} {
		if p != nil {
			if !utf8.ValidString(*p) {
				return false
			}
			n += msgSize(len(*p))
		}
	}
	for _, s := range m.Members {
		if !utf8.ValidString(s) {
			return false
		}
		n += msgSize(len(s))
	}
	k, ok := capabilitiesSize(m.Capabilities, true)
	if !ok {
		return false
	}
	n += k
	if m.Timestamp != nil {
		k, ok := timestampSize(m.Timestamp, true)
		if !ok {
			return false
		}
		n += msgSize(k)
	}
	e.size = n
	return true
}

func (e *fastEncoder) cellState(b []byte, m *cellv1.CellState) []byte {
	if c := m.Config; c != nil {
		n, _ := cellConfigSize(c, false)
		b = protowire.AppendVarint(protowire.AppendTag(b, 1, protowire.BytesType), uint64(n))
		b = appendStr(b, 1, c.Id)
		b = appendVarint(b, 2, uint64(c.MaxSize))
		b = appendVarint(b, 3, uint64(c.MinSize))
		b = appendTimestamp(b, 4, c.CreatedAt)
	}
	if m.LeaderId != nil {
		b = protowire.AppendString(protowire.AppendTag(b, 2, protowire.BytesType), *m.LeaderId)
	}
	for _, s := range m.Members {
		b = protowire.AppendString(protowire.AppendTag(b, 3, protowire.BytesType), s)
	}
	for _, c := range m.Capabilities {
		b = appendCapability(b, 4, c)
	}
	if m.PlatoonId != nil {
		b = protowire.AppendString(protowire.AppendTag(b, 5, protowire.BytesType), *m.PlatoonId)
	}
	return appendTimestamp(b, 6, m.Timestamp)
}

func operatorSize(o *nodev1.Operator, check bool) (int, bool) {
	if o == nil || (check && !known(o)) {
		return 0, false
	}
	n := varintSize(enumValue(int32(o.Rank))) + varintSize(enumValue(int32(o.AuthorityLevel)))
	for _, s := range []string{o.Id, o.Name, o.Mos, o.MetadataJson} {
		k, ok := strSize(s, check)
		if !ok {
			return 0, false
		}
		n += k
	}
	return n, true
}

func pairSize(p *nodev1.HumanMachinePair, check bool) (int, bool) {
	if check && !known(p) {
		return 0, false
	}
	n := varintSize(enumValue(int32(p.BindingType)))
	for _, o := range p.Operators {
		k, ok := operatorSize(o, check)
		if !ok {
			return 0, false
		}
		n += msgSize(k)
	}
	for _, s := range p.PlatformIds {
		if check && !utf8.ValidString(s) {
			return 0, false
		}
		n += msgSize(len(s))
	}
	if p.BoundAt != nil {
		k, ok := timestampSize(p.BoundAt, check)
		if !ok {
			return 0, false
		}
		n += msgSize(k)
	}
	return n, true
}

func (e *fastEncoder) sizeNodeConfig(m *nodev1.NodeConfig) bool {
	if !known(m) {
		return false
	}
	n := floatSize(m.CommRangeM) + floatSize(m.MaxSpeedMps)
	for _, s := range []string{m.Id, m.PlatformType} {
		k, ok := strSize(s, true)
		if !ok {
			return false
		}
		n += k
	}
	k, ok := capabilitiesSize(m.Capabilities, true)
	if !ok {
		return false
	}
	n += k
	if m.OperatorBinding != nil {
		k, ok := pairSize(m.OperatorBinding, true)
		if !ok {
			return false
		}
		n += msgSize(k)
	}
	if m.CreatedAt != nil {
		k, ok := timestampSize(m.CreatedAt, true)
		if !ok {
			return false
		}
		n += msgSize(k)
	}
	e.size = n
	return true
}

func (e *fastEncoder) nodeConfig(b []byte, m *nodev1.NodeConfig) []byte {
	b = appendStr(b, 1, m.Id)
	b = appendStr(b, 2, m.PlatformType)
	for _, c := range m.Capabilities {
		b = appendCapability(b, 3, c)
	}
	b = appendFloat(b, 4, m.CommRangeM)
	b = appendFloat(b, 5, m.MaxSpeedMps)
	if p := m.OperatorBinding; p != nil {
		n, _ := pairSize(p, false)
		b = protowire.AppendVarint(protowire.AppendTag(b, 6, protowire.BytesType), uint64(n))
		for _, o := range p.Operators {
			k, _ := operatorSize(o, false)
			b = protowire.AppendVarint(protowire.AppendTag(b, 1, protowire.BytesType), uint64(k))
			b = appendStr(b, 1, o.Id)
			b = appendStr(b, 2, o.Name)
			b = appendVarint(b, 3, enumValue(int32(o.Rank)))
			b = appendVarint(b, 4, enumValue(int32(o.AuthorityLevel)))
			b = appendStr(b, 5, o.Mos)
			b = appendStr(b, 6, o.MetadataJson)
		}
		for _, s := range p.PlatformIds {
			b = protowire.AppendString(protowire.AppendTag(b, 2, protowire.BytesType), s)
		}
		b = appendVarint(b, 3, enumValue(int32(p.BindingType)))
		b = appendTimestamp(b, 4, p.BoundAt)
	}
	return appendTimestamp(b, 7, m.CreatedAt)
}
