package core_test

import (
	"encoding/hex"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/peat-protocol/libpeat/core"
	"github.com/peat-protocol/libpeat/core/codec"
	capabilityv1 "github.com/peat-protocol/libpeat/core/pb/cap/capability/v1"
	cellv1 "github.com/peat-protocol/libpeat/core/pb/cap/cell/v1"
	commonv1 "github.com/peat-protocol/libpeat/core/pb/cap/common/v1"
	nodev1 "github.com/peat-protocol/libpeat/core/pb/cap/node/v1"
	zonev1 "github.com/peat-protocol/libpeat/core/pb/cap/zone/v1"
	crdtv1 "github.com/peat-protocol/libpeat/core/pb/peat/crdt/v1"
)

// Floats are kept bit for bit through every merge, document and conversion
// (docs/CRDT.md, "Floating-point values"): -0.0 stays -0.0, NaN payloads and
// signalling NaNs keep their bits, subnormals stay. The tie-break compares
// canonical encodings, so the value returned must encode to the bytes that
// were compared.

var (
	negZero64 = math.Copysign(0, -1)
	negZero32 = float32(math.Copysign(0, -1))
	sNaN64    = math.Float64frombits(0x7ff0000000000001) // signalling NaN, payload 1
	pNaN64    = math.Float64frombits(0xfff8000000000abc) // negative quiet NaN with a payload
	sub64     = math.Float64frombits(0x0000000000000001) // smallest subnormal
	sNaN32    = math.Float32frombits(0x7f800001)
	sub32     = math.Float32frombits(0x80000001)
)

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	require.NoError(t, err)
	return b
}

// mergeLawsOnBytes checks, through core.Merge/MergeBatch and core.Convert,
// that a and b merge to the same bytes in either order, that merging either
// input again (or in a batch with duplicates) changes nothing, and that a
// binary→binary conversion of the result is the identity. It returns a+b.
func mergeLawsOnBytes(t *testing.T, typ string, a, b []byte) []byte {
	t.Helper()
	merge := func(x, y []byte) []byte {
		out, err := core.Merge(typ, codec.Binary, codec.Binary, x, y)
		require.NoError(t, err)
		return out
	}
	batch := func(ins ...[]byte) []byte {
		out, err := core.MergeBatch(typ, codec.Binary, codec.Binary, ins)
		require.NoError(t, err)
		return out
	}
	ab := merge(a, b)
	assert.Equal(t, ab, merge(b, a), "merge(a,b) == merge(b,a)")
	assert.Equal(t, ab, merge(ab, b), "merge(merge(a,b), b) == merge(a,b)")
	assert.Equal(t, ab, merge(ab, a), "merge(merge(a,b), a) == merge(a,b)")
	assert.Equal(t, ab, merge(ab, ab), "idempotent")
	assert.Equal(t, batch(a, b), batch(a, b, b), "merge_batch([a,b,b]) == merge_batch([a,b])")
	assert.Equal(t, ab, batch(b, a, a, b))
	for _, in := range [][]byte{a, b, ab} {
		conv, err := core.Convert(typ, codec.Binary, codec.Binary, in)
		require.NoError(t, err)
		assert.Equal(t, in, conv, "peat_convert binary->binary keeps every bit")
		assert.Equal(t, in, batch(in), "merge_batch of one normalised message is that message")
	}
	return ab
}

// The exact vectors of issue 13: a = {position {latitude 0.5, altitude -0.0}},
// b = {position {latitude 1.0}}. a's encoding is greater, so a wins, -0.0
// included (it was dropped by the copy, and b then won the next merge).
func TestIssue13NegativeZeroNodeState(t *testing.T) {
	a := unhex(t, "0a1209000000000000e03f190000000000000080")
	b := unhex(t, "0a0909000000000000f03f")
	ab := mergeLawsOnBytes(t, "cap.node.v1.NodeState", a, b)
	assert.Equal(t, a, ab, "a wins whole, with its -0.0 altitude")
}

func TestIssue13NegativeZeroNode(t *testing.T) {
	st := func(hexState string) *nodev1.NodeState {
		var s nodev1.NodeState
		require.NoError(t, proto.Unmarshal(unhex(t, hexState), &s))
		return &s
	}
	cfg := &nodev1.NodeConfig{Id: "n1", PlatformType: "uav"}
	a := wire(t, &nodev1.Node{Config: cfg, State: st("0a1209000000000000e03f190000000000000080")})
	b := wire(t, &nodev1.Node{Config: cfg, State: st("0a0909000000000000f03f")})
	ab := mergeLawsOnBytes(t, "cap.node.v1.Node", a, b)
	var n nodev1.Node
	require.NoError(t, proto.Unmarshal(ab, &n))
	assert.True(t, math.Signbit(n.State.Position.Altitude), "altitude stays -0.0")

	// The config register: -0.0 in comm_range_m against +0.0, same created_at.
	c1 := wire(t, &nodev1.Node{Config: &nodev1.NodeConfig{Id: "n1", CommRangeM: negZero32}})
	c2 := wire(t, &nodev1.Node{Config: &nodev1.NodeConfig{Id: "n1", MaxSpeedMps: 0.5}})
	mergeLawsOnBytes(t, "cap.node.v1.Node", c1, c2)
	mergeLawsOnBytes(t, "cap.node.v1.NodeConfig", wire(t, &nodev1.NodeConfig{Id: "n1", CommRangeM: negZero32}), wire(t, &nodev1.NodeConfig{Id: "n1", MaxSpeedMps: 0.5}))
}

func TestIssue13NegativeZeroCapabilityConfidence(t *testing.T) {
	capOf := func(conf float32) *capabilityv1.Capability {
		return &capabilityv1.Capability{Id: "cam", Name: "camera", Confidence: conf, RegisteredAt: stampAt(5, 0)}
	}
	cfg := &cellv1.CellConfig{Id: "c1", MaxSize: 4, MinSize: 2}
	for _, conf := range []float32{0, 0.5, sNaN32, sub32} {
		a := wire(t, &cellv1.CellState{Config: cfg, Capabilities: []*capabilityv1.Capability{capOf(negZero32)}})
		b := wire(t, &cellv1.CellState{Config: cfg, Capabilities: []*capabilityv1.Capability{capOf(conf)}})
		ab := mergeLawsOnBytes(t, "cap.cell.v1.CellState", a, b)
		var s cellv1.CellState
		require.NoError(t, proto.Unmarshal(ab, &s))
		require.Len(t, s.Capabilities, 1)
		// The greater encoding of the two copies wins, exactly as encoded.
		want := wire(t, capOf(negZero32))
		if other := wire(t, capOf(conf)); string(other) > string(want) {
			want = other
		}
		assert.Equal(t, want, wire(t, s.Capabilities[0]))
		mergeLawsOnBytes(t, "cap.cell.v1.Cell", wire(t, &cellv1.Cell{Config: cfg, State: &cellv1.CellState{Config: cfg, Capabilities: []*capabilityv1.Capability{capOf(negZero32)}}}),
			wire(t, &cellv1.Cell{Config: cfg, State: &cellv1.CellState{Config: cfg, Capabilities: []*capabilityv1.Capability{capOf(conf)}}}))
		zcfg := &zonev1.ZoneConfig{Id: "z1", MaxCells: 4, MinCells: 1}
		za := &zonev1.ZoneState{Config: zcfg, AggregatedCapabilities: []*capabilityv1.Capability{capOf(negZero32)}}
		zb := &zonev1.ZoneState{Config: zcfg, AggregatedCapabilities: []*capabilityv1.Capability{capOf(conf)}}
		mergeLawsOnBytes(t, "cap.zone.v1.ZoneState", wire(t, za), wire(t, zb))
		mergeLawsOnBytes(t, "cap.zone.v1.Zone", wire(t, &zonev1.Zone{Config: zcfg, State: za}), wire(t, &zonev1.Zone{Config: zcfg, State: zb}))
	}
}

func TestNaNPayloadsAndSubnormalsSurviveMerges(t *testing.T) {
	for _, v := range []float64{negZero64, sNaN64, pNaN64, sub64, math.Inf(-1)} {
		a := wire(t, &nodev1.NodeState{Position: &commonv1.Position{Latitude: v, Longitude: v, Altitude: v}, Timestamp: stampAt(1, 0)})
		b := wire(t, &nodev1.NodeState{Position: &commonv1.Position{Latitude: 0, Longitude: 1}, Timestamp: stampAt(1, 0)})
		ab := mergeLawsOnBytes(t, "cap.node.v1.NodeState", a, b)
		var s nodev1.NodeState
		require.NoError(t, proto.Unmarshal(ab, &s))
		if string(a) > string(b) {
			assert.Equal(t, math.Float64bits(v), math.Float64bits(s.Position.Altitude))
		}
	}
}

// Documents keep float bits from the initial message, through operations,
// deltas and joins, to the materialised message.
func TestDocumentsKeepFloatBits(t *testing.T) {
	weird := &commonv1.Position{Latitude: sNaN64, Longitude: pNaN64, Altitude: negZero64}
	n0 := docNew(t, nodeDoc, &crdtv1.DocInit{Replica: "gw", Timestamp: stampAt(10, 0), Initial: &crdtv1.DocInit_Node{Node: &nodev1.Node{
		Config: &nodev1.NodeConfig{Id: "node-1", PlatformType: "uav", CommRangeM: negZero32, MaxSpeedMps: sNaN32,
			Capabilities: []*capabilityv1.Capability{{Id: "cam", Name: "c", Confidence: negZero32}}},
		State: &nodev1.NodeState{Position: weird},
	}}})
	n := nodeOf(t, n0)
	assert.Equal(t, wire(t, weird), wire(t, n.State.Position), "initial position, bit for bit")
	assert.Equal(t, math.Float32bits(negZero32), math.Float32bits(n.Config.CommRangeM))
	assert.Equal(t, math.Float32bits(sNaN32), math.Float32bits(n.Config.MaxSpeedMps))
	assert.Equal(t, math.Float32bits(negZero32), math.Float32bits(n.Config.Capabilities[0].Confidence))

	// An operation's values, in the delta and the document.
	moved := &commonv1.Position{Latitude: negZero64, Longitude: sub64, Altitude: sNaN64}
	n1, d1 := docApply(t, nodeDoc, n0, docOp("A", 11, func(o *crdtv1.Operation) {
		o.Mutation = &crdtv1.Operation_UpdatePosition{UpdatePosition: &crdtv1.UpdatePosition{Position: moved}}
	}))
	n2, d2 := docApply(t, nodeDoc, n1, docOp("A", 12, func(o *crdtv1.Operation) {
		o.Mutation = &crdtv1.Operation_AddCapability{AddCapability: &crdtv1.AddCapability{Capability: &capabilityv1.Capability{Id: "gps", Name: "g", Confidence: negZero32}}}
	}))
	assert.Equal(t, n2, docMerge(t, nodeDoc, docMerge(t, nodeDoc, n0, d1), d2))
	m := nodeOf(t, n2)
	assert.Equal(t, wire(t, moved), wire(t, m.State.Position))
	assert.Equal(t, math.Float32bits(negZero32), math.Float32bits(m.Config.Capabilities[1].Confidence))

	// Two concurrent writes at one stamp time tie on the register; the
	// greater encoding wins, and the join is idempotent and commutative.
	b1, _ := docApply(t, nodeDoc, n0, docOp("A", 11, updatePosition(negZero64, 0)))
	b2, _ := docApply(t, nodeDoc, n0, docOp("A", 11, updatePosition(0, 0)))
	j := docBothWays(t, nodeDoc, b1, b2)
	assert.Equal(t, j, docMerge(t, nodeDoc, j, b1))
	assert.Equal(t, j, docMerge(t, nodeDoc, j, b2))

	// Cell and zone capabilities.
	c0 := docNew(t, cellDoc, cellInit("gw", 10, &cellv1.CellState{Config: &cellv1.CellConfig{Id: "c1", MaxSize: 4, MinSize: 2},
		Capabilities: []*capabilityv1.Capability{{Id: "cam", Name: "c", Confidence: negZero32}}}))
	assert.Equal(t, math.Float32bits(negZero32), math.Float32bits(cellOf(t, c0).Capabilities[0].Confidence))
	z0 := docNew(t, zoneDoc, zoneInit("gw", 10, &zonev1.ZoneState{Config: &zonev1.ZoneConfig{Id: "z1", MaxCells: 4, MinCells: 1},
		AggregatedCapabilities: []*capabilityv1.Capability{{Id: "cam", Name: "c", Confidence: sNaN32}}}))
	assert.Equal(t, math.Float32bits(sNaN32), math.Float32bits(zoneOf(t, z0).AggregatedCapabilities[0].Confidence))
}
