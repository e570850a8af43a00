package core_test

import (
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/peat-protocol/libpeat/core"
	"github.com/peat-protocol/libpeat/core/codec"
	cellv1 "github.com/peat-protocol/libpeat/core/pb/cap/cell/v1"
	commonv1 "github.com/peat-protocol/libpeat/core/pb/cap/common/v1"
	nodev1 "github.com/peat-protocol/libpeat/core/pb/cap/node/v1"
	zonev1 "github.com/peat-protocol/libpeat/core/pb/cap/zone/v1"
	crdtv1 "github.com/peat-protocol/libpeat/core/pb/peat/crdt/v1"
)

// Helpers shared by the merge and document tests: they call the byte-level
// core functions exactly as the C ABI does.

const (
	nodeDoc = "peat.crdt.v1.NodeDoc"
	cellDoc = "peat.crdt.v1.CellDoc"
	zoneDoc = "peat.crdt.v1.ZoneDoc"
)

// wire is the deterministic binary encoding of m, shared by every test of
// this package.
func wire(t testing.TB, m proto.Message) []byte {
	t.Helper()
	b, err := codec.Encode(m, codec.Binary)
	require.NoError(t, err)
	return b
}

func stampAt(s uint64, n uint32) *commonv1.Timestamp {
	return &commonv1.Timestamp{Seconds: s, Nanos: n}
}

func docNew(t testing.TB, typ string, init *crdtv1.DocInit) []byte {
	t.Helper()
	out, err := core.DocNew(typ, wire(t, init))
	require.NoError(t, err)
	return out
}

// docApply applies op and returns the new document and the delta.
func docApply(t testing.TB, typ string, doc []byte, op *crdtv1.Operation) ([]byte, []byte) {
	t.Helper()
	out, err := core.DocApply(typ, doc, wire(t, op))
	require.NoError(t, err)
	var res crdtv1.ApplyResult
	require.NoError(t, proto.Unmarshal(out, &res))
	return res.Doc, res.Delta
}

func docMerge(t testing.TB, typ string, a, b []byte) []byte {
	t.Helper()
	out, err := core.DocMerge(typ, a, b)
	require.NoError(t, err)
	return out
}

func materializeInto[M proto.Message](t testing.TB, typ string, doc []byte, into M) M {
	t.Helper()
	out, err := core.DocMaterialize(typ, codec.Binary, doc)
	require.NoError(t, err)
	require.NoError(t, proto.Unmarshal(out, into))
	return into
}

func cellOf(t testing.TB, doc []byte) *cellv1.CellState {
	return materializeInto(t, cellDoc, doc, &cellv1.CellState{})
}

func zoneOf(t testing.TB, doc []byte) *zonev1.ZoneState {
	return materializeInto(t, zoneDoc, doc, &zonev1.ZoneState{})
}

func nodeOf(t testing.TB, doc []byte) *nodev1.Node {
	return materializeInto(t, nodeDoc, doc, &nodev1.Node{})
}

// op builds an Operation by replica r at (s, 0).
func docOp(r string, s uint64, m func(*crdtv1.Operation)) *crdtv1.Operation {
	o := &crdtv1.Operation{Replica: r, Timestamp: stampAt(s, 0)}
	m(o)
	return o
}

func addMember(id string) func(*crdtv1.Operation) {
	return func(o *crdtv1.Operation) {
		o.Mutation = &crdtv1.Operation_AddMember{AddMember: &crdtv1.AddMember{NodeId: id}}
	}
}

func removeMember(id string) func(*crdtv1.Operation) {
	return func(o *crdtv1.Operation) {
		o.Mutation = &crdtv1.Operation_RemoveMember{RemoveMember: &crdtv1.RemoveMember{NodeId: id}}
	}
}

func setLeader(id string) func(*crdtv1.Operation) {
	return func(o *crdtv1.Operation) {
		o.Mutation = &crdtv1.Operation_SetLeader{SetLeader: &crdtv1.SetLeader{NodeId: id}}
	}
}

func setPlatoon(id string) func(*crdtv1.Operation) {
	return func(o *crdtv1.Operation) {
		o.Mutation = &crdtv1.Operation_SetPlatoon{SetPlatoon: &crdtv1.SetPlatoon{PlatoonId: id}}
	}
}

func addCell(id string) func(*crdtv1.Operation) {
	return func(o *crdtv1.Operation) {
		o.Mutation = &crdtv1.Operation_AddCell{AddCell: &crdtv1.AddCell{CellId: id}}
	}
}

func removeCell(id string) func(*crdtv1.Operation) {
	return func(o *crdtv1.Operation) {
		o.Mutation = &crdtv1.Operation_RemoveCell{RemoveCell: &crdtv1.RemoveCell{CellId: id}}
	}
}

func setCoordinator(id string) func(*crdtv1.Operation) {
	return func(o *crdtv1.Operation) {
		o.Mutation = &crdtv1.Operation_SetCoordinator{SetCoordinator: &crdtv1.SetCoordinator{NodeId: id}}
	}
}

func consume(m uint32) func(*crdtv1.Operation) {
	return func(o *crdtv1.Operation) {
		o.Mutation = &crdtv1.Operation_ConsumeFuel{ConsumeFuel: &crdtv1.ConsumeFuel{Minutes: m}}
	}
}

func replenish(m uint32) func(*crdtv1.Operation) {
	return func(o *crdtv1.Operation) {
		o.Mutation = &crdtv1.Operation_ReplenishFuel{ReplenishFuel: &crdtv1.ReplenishFuel{Minutes: m}}
	}
}

func updatePosition(lat, lon float64) func(*crdtv1.Operation) {
	return func(o *crdtv1.Operation) {
		o.Mutation = &crdtv1.Operation_UpdatePosition{UpdatePosition: &crdtv1.UpdatePosition{Position: &commonv1.Position{Latitude: lat, Longitude: lon}}}
	}
}

func updateHealth(h nodev1.HealthStatus) func(*crdtv1.Operation) {
	return func(o *crdtv1.Operation) {
		o.Mutation = &crdtv1.Operation_UpdateHealth{UpdateHealth: &crdtv1.UpdateHealth{Health: h}}
	}
}

// cellInit starts a cell document from a CellState written by replica r at s.
func cellInit(r string, s uint64, st *cellv1.CellState) *crdtv1.DocInit {
	return &crdtv1.DocInit{Replica: r, Timestamp: stampAt(s, 0), Initial: &crdtv1.DocInit_CellState{CellState: st}}
}

func zoneInit(r string, s uint64, st *zonev1.ZoneState) *crdtv1.DocInit {
	return &crdtv1.DocInit{Replica: r, Timestamp: stampAt(s, 0), Initial: &crdtv1.DocInit_ZoneState{ZoneState: st}}
}

func nodeInit(r string, s uint64, st *nodev1.NodeState) *crdtv1.DocInit {
	return &crdtv1.DocInit{Replica: r, Timestamp: stampAt(s, 0), Id: "node-1", Initial: &crdtv1.DocInit_NodeState{NodeState: st}}
}
