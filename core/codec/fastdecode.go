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
	crdtv1 "github.com/peat-protocol/libpeat/core/pb/peat/crdt/v1"
)

// A hand-written binary decoder for the messages the hot calls read most
// (CellState, NodeConfig and their parts): strings are substrings of one
// copy of the input and capabilities are allocated in one block, where the
// runtime allocates every string and message separately.
//
// It decodes only input whose meaning is plain: each known field with its
// declared wire type, singular fields at most once, valid UTF-8, no unknown
// fields, no malformed bytes. On anything else it reports false and the
// caller decodes with the runtime, which then gives the exact protobuf-go
// result or error (unknown fields kept, last value wins, a repeated
// sub-message merged, the error text). So a message it does decode is the
// one proto.Unmarshal gives (TestFastDecodeMatchesTheRuntime and
// FuzzFastDecode compare the two).

// fastDecode decodes b into msg (empty) and reports true, or reports false
// and leaves msg empty.
func fastDecode(msg proto.Message, b []byte) bool {
	r := fastReader{b: b, s: string(b)}
	var ok bool
	switch m := msg.(type) {
	case *cellv1.CellState:
		ok = r.cellState(0, len(b), m)
	case *nodev1.NodeConfig:
		ok = r.nodeConfig(0, len(b), m)
	case *capabilityv1.Capability:
		ok = r.capability(0, len(b), m, nil)
	case *cellv1.CellConfig:
		ok = r.cellConfig(0, len(b), m)
	case *commonv1.Timestamp:
		ok = r.timestamp(0, len(b), m)
	case *crdtv1.DocInit:
		ok = r.docInit(0, len(b), m)
	case *crdtv1.Operation:
		ok = r.operation(0, len(b), m)
	default:
		return false
	}
	if !ok {
		proto.Reset(msg)
	}
	return ok
}

type fastReader struct {
	b []byte
	s string // one copy of b: decoded strings are its substrings
}

// field reads the tag at i (< j) and, for a length-delimited value, its
// bounds [vi, vj); for a varint or fixed32 value, v. next is the index after
// the field.
type field struct {
	num    protowire.Number
	typ    protowire.Type
	v      uint64
	vi, vj int
	next   int
}

func (r *fastReader) field(i, j int) (f field, ok bool) {
	// One-byte tags and lengths (fields 1-15, values under 128 bytes) are
	// read inline; the rest through protowire.
	if c := r.b[i]; c < 0x80 && c>>3 != 0 {
		f.num, f.typ = protowire.Number(c>>3), protowire.Type(c&7)
		i++
		if f.typ == protowire.BytesType && i < j && r.b[i] < 0x80 {
			n := int(r.b[i])
			if n > j-i-1 {
				return f, false
			}
			f.vi, f.vj = i+1, i+1+n
			f.next = f.vj
			return f, true
		}
	} else {
		num, typ, n := protowire.ConsumeTag(r.b[i:j])
		if n < 0 {
			return f, false
		}
		f.num, f.typ = num, typ
		i += n
	}
	switch f.typ {
	case protowire.VarintType:
		v, n := protowire.ConsumeVarint(r.b[i:j])
		if n < 0 {
			return f, false
		}
		f.v, f.next = v, i+n
	case protowire.Fixed32Type:
		v, n := protowire.ConsumeFixed32(r.b[i:j])
		if n < 0 {
			return f, false
		}
		f.v, f.next = uint64(v), i+n
	case protowire.BytesType:
		v, n := protowire.ConsumeBytes(r.b[i:j])
		if n < 0 {
			return f, false
		}
		f.vj = i + n
		f.vi = f.vj - len(v)
		f.next = f.vj
	default:
		return f, false
	}
	return f, true
}

// str returns a length-delimited field as a string, false if it is not
// valid UTF-8 (the runtime's error).
func (r *fastReader) str(f field) (string, bool) {
	if f.typ != protowire.BytesType {
		return "", false
	}
	s := r.s[f.vi:f.vj]
	return s, utf8.ValidString(s)
}

// once records a singular field's number in seen; false if it was there.
func once(seen *uint32, num protowire.Number) bool {
	bit := uint32(1) << uint(num)
	if *seen&bit != 0 {
		return false
	}
	*seen |= bit
	return true
}

func (r *fastReader) timestamp(i, j int, m *commonv1.Timestamp) bool {
	var seen uint32
	for i < j {
		f, ok := r.field(i, j)
		if !ok || f.typ != protowire.VarintType || !once(&seen, f.num) {
			return false
		}
		switch f.num {
		case 1:
			m.Seconds = f.v
		case 2:
			m.Nanos = uint32(f.v)
		default:
			return false
		}
		i = f.next
	}
	return true
}

// timestampField decodes a length-delimited Timestamp field.
func (r *fastReader) timestampField(f field) (*commonv1.Timestamp, bool) {
	if f.typ != protowire.BytesType {
		return nil, false
	}
	t := &commonv1.Timestamp{}
	return t, r.timestamp(f.vi, f.vj, t)
}

// capability decodes a Capability; ts, when not nil, is room for its
// registered_at.
func (r *fastReader) capability(i, j int, m *capabilityv1.Capability, ts *commonv1.Timestamp) bool {
	var seen uint32
	for i < j {
		f, ok := r.field(i, j)
		if !ok || !once(&seen, f.num) {
			return false
		}
		switch f.num {
		case 1, 2, 5:
			s, ok := r.str(f)
			if !ok {
				return false
			}
			switch f.num {
			case 1:
				m.Id = s
			case 2:
				m.Name = s
			default:
				m.MetadataJson = s
			}
		case 3:
			if f.typ != protowire.VarintType {
				return false
			}
			m.CapabilityType = capabilityv1.CapabilityType(int32(f.v))
		case 4:
			if f.typ != protowire.Fixed32Type {
				return false
			}
			m.Confidence = math.Float32frombits(uint32(f.v))
		case 6:
			if f.typ != protowire.BytesType {
				return false
			}
			if ts == nil {
				ts = &commonv1.Timestamp{}
			}
			if !r.timestamp(f.vi, f.vj, ts) {
				return false
			}
			m.RegisteredAt = ts
		default:
			return false
		}
		i = f.next
	}
	return true
}

func (r *fastReader) cellConfig(i, j int, m *cellv1.CellConfig) bool {
	var seen uint32
	for i < j {
		f, ok := r.field(i, j)
		if !ok || !once(&seen, f.num) {
			return false
		}
		switch f.num {
		case 1:
			s, ok := r.str(f)
			if !ok {
				return false
			}
			m.Id = s
		case 2, 3:
			if f.typ != protowire.VarintType {
				return false
			}
			if f.num == 2 {
				m.MaxSize = uint32(f.v)
			} else {
				m.MinSize = uint32(f.v)
			}
		case 4:
			if m.CreatedAt, ok = r.timestampField(f); !ok {
				return false
			}
		default:
			return false
		}
		i = f.next
	}
	return true
}

// count returns how many length-delimited fields numbered a and b lie in
// [i, j), or -1s for malformed bytes.
func (r *fastReader) count(i, j int, a, b protowire.Number) (na, nb int) {
	for i < j {
		f, ok := r.field(i, j)
		if !ok {
			return -1, -1
		}
		if f.typ == protowire.BytesType {
			switch f.num {
			case a:
				na++
			case b:
				nb++
			}
		}
		i = f.next
	}
	return na, nb
}

// capabilities makes room for n capabilities and their timestamps in three
// allocations.
type capabilityBlock struct {
	ptrs []*capabilityv1.Capability
	caps []capabilityv1.Capability
	ts   []commonv1.Timestamp
}

func newCapabilityBlock(n int) capabilityBlock {
	if n <= 0 {
		return capabilityBlock{}
	}
	return capabilityBlock{ptrs: make([]*capabilityv1.Capability, 0, n), caps: make([]capabilityv1.Capability, n), ts: make([]commonv1.Timestamp, n)}
}

func (r *fastReader) appendCapability(blk *capabilityBlock, f field) bool {
	if f.typ != protowire.BytesType {
		return false
	}
	k := len(blk.ptrs)
	c := &blk.caps[k]
	if !r.capability(f.vi, f.vj, c, &blk.ts[k]) {
		return false
	}
	blk.ptrs = append(blk.ptrs, c)
	return true
}

func (r *fastReader) cellState(i, j int, m *cellv1.CellState) bool {
	var seen uint32
	caps, members := r.count(i, j, 4, 3)
	if caps < 0 || members < 0 {
		return false
	}
	blk := newCapabilityBlock(caps)
	if members > 0 {
		m.Members = make([]string, 0, members)
	}
	for i < j {
		f, ok := r.field(i, j)
		if !ok {
			return false
		}
		switch f.num {
		case 1:
			if f.typ != protowire.BytesType || !once(&seen, f.num) {
				return false
			}
			m.Config = &cellv1.CellConfig{}
			if !r.cellConfig(f.vi, f.vj, m.Config) {
				return false
			}
		case 2, 5:
			if !once(&seen, f.num) {
				return false
			}
			s, ok := r.str(f)
			if !ok {
				return false
			}
			if f.num == 2 {
				m.LeaderId = &s
			} else {
				m.PlatoonId = &s
			}
		case 3:
			s, ok := r.str(f)
			if !ok {
				return false
			}
			m.Members = append(m.Members, s)
		case 4:
			if !r.appendCapability(&blk, f) {
				return false
			}
		case 6:
			if m.Timestamp, ok = r.timestampField(f); !ok || !once(&seen, f.num) {
				return false
			}
		default:
			return false
		}
		i = f.next
	}
	if len(blk.ptrs) > 0 {
		m.Capabilities = blk.ptrs
	}
	return true
}

func (r *fastReader) nodeConfig(i, j int, m *nodev1.NodeConfig) bool {
	var seen uint32
	caps, _ := r.count(i, j, 3, 0)
	if caps < 0 {
		return false
	}
	blk := newCapabilityBlock(caps)
	for i < j {
		f, ok := r.field(i, j)
		if !ok {
			return false
		}
		switch f.num {
		case 1, 2:
			if !once(&seen, f.num) {
				return false
			}
			s, ok := r.str(f)
			if !ok {
				return false
			}
			if f.num == 1 {
				m.Id = s
			} else {
				m.PlatformType = s
			}
		case 3:
			if !r.appendCapability(&blk, f) {
				return false
			}
		case 4, 5:
			if f.typ != protowire.Fixed32Type || !once(&seen, f.num) {
				return false
			}
			if f.num == 4 {
				m.CommRangeM = math.Float32frombits(uint32(f.v))
			} else {
				m.MaxSpeedMps = math.Float32frombits(uint32(f.v))
			}
		case 7:
			if m.CreatedAt, ok = r.timestampField(f); !ok || !once(&seen, f.num) {
				return false
			}
		case 6:
			if f.typ != protowire.BytesType || !once(&seen, f.num) {
				return false
			}
			m.OperatorBinding = &nodev1.HumanMachinePair{}
			if !r.humanMachinePair(f.vi, f.vj, m.OperatorBinding) {
				return false
			}
		default:
			return false
		}
		i = f.next
	}
	if len(blk.ptrs) > 0 {
		m.Capabilities = blk.ptrs
	}
	return true
}

func (r *fastReader) humanMachinePair(i, j int, m *nodev1.HumanMachinePair) bool {
	var seen uint32
	for i < j {
		f, ok := r.field(i, j)
		if !ok {
			return false
		}
		switch f.num {
		case 1:
			if f.typ != protowire.BytesType {
				return false
			}
			o := &nodev1.Operator{}
			if !r.operator(f.vi, f.vj, o) {
				return false
			}
			m.Operators = append(m.Operators, o)
		case 2:
			s, ok := r.str(f)
			if !ok {
				return false
			}
			m.PlatformIds = append(m.PlatformIds, s)
		case 3:
			if f.typ != protowire.VarintType || !once(&seen, f.num) {
				return false
			}
			m.BindingType = nodev1.BindingType(int32(f.v))
		case 4:
			if m.BoundAt, ok = r.timestampField(f); !ok || !once(&seen, f.num) {
				return false
			}
		default:
			return false
		}
		i = f.next
	}
	return true
}

func (r *fastReader) operator(i, j int, m *nodev1.Operator) bool {
	var seen uint32
	for i < j {
		f, ok := r.field(i, j)
		if !ok || !once(&seen, f.num) {
			return false
		}
		switch f.num {
		case 1, 2, 5, 6:
			s, ok := r.str(f)
			if !ok {
				return false
			}
			switch f.num {
			case 1:
				m.Id = s
			case 2:
				m.Name = s
			case 5:
				m.Mos = s
			default:
				m.MetadataJson = s
			}
		case 3, 4:
			if f.typ != protowire.VarintType {
				return false
			}
			if f.num == 3 {
				m.Rank = nodev1.OperatorRank(int32(f.v))
			} else {
				m.AuthorityLevel = nodev1.AuthorityLevel(int32(f.v))
			}
		default:
			return false
		}
		i = f.next
	}
	return true
}

// docInit decodes a DocInit whose initial message, if any, is a CellState or
// a NodeConfig (one oneof field at most).
func (r *fastReader) docInit(i, j int, m *crdtv1.DocInit) bool {
	var seen uint32
	for i < j {
		f, ok := r.field(i, j)
		if !ok || !once(&seen, f.num) {
			return false
		}
		switch f.num {
		case 1, 3:
			s, ok := r.str(f)
			if !ok {
				return false
			}
			if f.num == 1 {
				m.Replica = s
			} else {
				m.Id = s
			}
		case 2:
			if m.Timestamp, ok = r.timestampField(f); !ok {
				return false
			}
		case 11, 13:
			if f.typ != protowire.BytesType || m.Initial != nil {
				return false
			}
			if f.num == 11 {
				nc := &nodev1.NodeConfig{}
				if !r.nodeConfig(f.vi, f.vj, nc) {
					return false
				}
				m.Initial = &crdtv1.DocInit_NodeConfig{NodeConfig: nc}
			} else {
				st := &cellv1.CellState{}
				if !r.cellState(f.vi, f.vj, st) {
					return false
				}
				m.Initial = &crdtv1.DocInit_CellState{CellState: st}
			}
		default:
			return false
		}
		i = f.next
	}
	return true
}

// operation decodes an Operation whose mutation, if any, names one member
// or leader of a cell (add_member, remove_member, set_leader: a message
// with one string, node_id = 1).
func (r *fastReader) operation(i, j int, m *crdtv1.Operation) bool {
	var seen uint32
	for i < j {
		f, ok := r.field(i, j)
		if !ok || !once(&seen, f.num) {
			return false
		}
		switch f.num {
		case 1:
			s, ok := r.str(f)
			if !ok {
				return false
			}
			m.Replica = s
		case 2:
			if m.Timestamp, ok = r.timestampField(f); !ok {
				return false
			}
		case 31, 32, 33:
			if f.typ != protowire.BytesType || m.Mutation != nil {
				return false
			}
			id, ok := r.nodeID(f.vi, f.vj)
			if !ok {
				return false
			}
			switch f.num {
			case 31:
				m.Mutation = &crdtv1.Operation_AddMember{AddMember: &crdtv1.AddMember{NodeId: id}}
			case 32:
				m.Mutation = &crdtv1.Operation_RemoveMember{RemoveMember: &crdtv1.RemoveMember{NodeId: id}}
			default:
				m.Mutation = &crdtv1.Operation_SetLeader{SetLeader: &crdtv1.SetLeader{NodeId: id}}
			}
		default:
			return false
		}
		i = f.next
	}
	return true
}

// nodeID decodes a message holding only node_id = 1.
func (r *fastReader) nodeID(i, j int) (string, bool) {
	id, seen := "", false
	for i < j {
		f, ok := r.field(i, j)
		if !ok || f.num != 1 || seen {
			return "", false
		}
		if id, ok = r.str(f); !ok {
			return "", false
		}
		seen, i = true, f.next
	}
	return id, true
}
