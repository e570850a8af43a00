package core_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/peat-protocol/libpeat/core/codec"
	capabilityv1 "github.com/peat-protocol/libpeat/core/pb/cap/capability/v1"
	cellv1 "github.com/peat-protocol/libpeat/core/pb/cap/cell/v1"
	nodev1 "github.com/peat-protocol/libpeat/core/pb/cap/node/v1"
	zonev1 "github.com/peat-protocol/libpeat/core/pb/cap/zone/v1"
	crdtv1 "github.com/peat-protocol/libpeat/core/pb/peat/crdt/v1"
	"github.com/peat-protocol/libpeat/core/status"
	"github.com/peat-protocol/libpeat/internal/compat"
	newerpb "github.com/peat-protocol/libpeat/internal/compat/pb/newer"
	"github.com/peat-protocol/libpeat/internal/vectors"
)

// docSteps records document sequences: each step's output document is the
// next step's input file, so a binding replays the whole history.
type docSteps struct {
	crdtVectors
	typ string
}

func (d docSteps) newDoc(name string, init *crdtv1.DocInit, note string) []byte {
	var ins []vin
	if init != nil {
		ins = append(ins, vin{"inputs/" + name + ".init.bin", wire(d.t, init)})
	}
	return d.ok(vectors.Case{Name: name, Op: "doc_new", Type: d.typ, Note: note}, ins...)
}

// apply records a doc_apply step and returns the new document and delta
// (also stored as files, for the steps that use them).
func (d docSteps) apply(name string, doc []byte, docFile string, o *crdtv1.Operation, note string) ([]byte, []byte) {
	out := d.ok(vectors.Case{Name: name, Op: "doc_apply", Type: d.typ, Note: note},
		vin{docFile, doc}, vin{"inputs/" + name + ".op.bin", wire(d.t, o)})
	var res crdtv1.ApplyResult
	require.NoError(d.t, proto.Unmarshal(out, &res))
	d.s.File("docs/"+name+".doc.bin", res.Doc)
	d.s.File("docs/"+name+".delta.bin", res.Delta)
	// The delta reproduces the operation on the input document.
	require.Equal(d.t, res.Doc, docMerge(d.t, d.typ, doc, res.Delta), name)
	return res.Doc, res.Delta
}

func (d docSteps) merge(name string, a, b vin, note string) []byte {
	ab := d.ok(vectors.Case{Name: name + "/a+b", Op: "doc_merge", Type: d.typ, Note: note}, a, b)
	ba := d.ok(vectors.Case{Name: name + "/b+a", Op: "doc_merge", Type: d.typ, Note: "same bytes as a+b"}, b, a)
	require.Equal(d.t, ab, ba, name)
	return ab
}

func (d docSteps) materialize(name string, doc vin, to string) []byte {
	return d.ok(vectors.Case{Name: name, Op: "doc_materialize", Type: d.typ, To: to, Note: "plain ICD message, sets sorted"}, doc)
}

func TestDocVectors(t *testing.T) {
	v := crdtVectors{t: t, s: vectors.NewSet("doc")}

	// ---- cell: create, mutate on two replicas, exchange deltas and states.
	cell := docSteps{v, cellDoc}
	cell.ok(vectors.Case{Name: "cell/new-empty", Op: "doc_new", Type: cellDoc, Note: "no init: an empty document (zero bytes)"})
	cfg := &cellv1.CellConfig{Id: "cell-1", MaxSize: 4, MinSize: 2, CreatedAt: stampAt(90, 0)}
	d0 := cell.newDoc("cell/new", cellInit("gw", 100, &cellv1.CellState{
		Config: cfg, Members: []string{"n2", "n1"}, LeaderId: proto.String("n1"),
		Capabilities: []*capabilityv1.Capability{{Id: "cam", Name: "camera", CapabilityType: capabilityv1.CapabilityType_CAPABILITY_TYPE_SENSOR, Confidence: 0.9}},
	}), "from a CellState")
	d0f := "docs/cell/new.doc.bin"
	v.s.File(d0f, d0)
	d1, delta1 := cell.apply("cell/1-add-n3", d0, d0f, docOp("A", 101, addMember("n3")), "replica A adds n3")
	assert.Less(t, len(delta1), 200, "a single-mutation delta is small")
	assert.Greater(t, len(d1), len(delta1))
	d2, _ := cell.apply("cell/2-remove-leader", d1, "docs/cell/1-add-n3.doc.bin", docOp("B", 102, removeMember("n1")), "replica B removes the leader n1: the leader is cleared too")
	c2 := cellOf(t, d2)
	assert.Equal(t, []string{"n2", "n3"}, c2.Members)
	assert.Nil(t, c2.LeaderId)
	dc, _ := cell.apply("cell/c-set-leader", d0, d0f, docOp("C", 103, setLeader("n2")), "replica C, concurrently, appoints n2 (later clock than B's clear)")
	merged := cell.merge("cell/merge-states", vin{"docs/cell/2-remove-leader.doc.bin", d2}, vin{"docs/cell/c-set-leader.doc.bin", dc}, "two replicas' full states")
	cm := cellOf(t, merged)
	assert.Equal(t, []string{"n2", "n3"}, cm.Members)
	assert.Equal(t, "n2", cm.GetLeaderId(), "C's appointment at 103 beats B's clear at 102")
	fromDelta := cell.ok(vectors.Case{Name: "cell/merge-delta", Op: "doc_merge", Type: cellDoc, Note: "a delta applied to the document it came from"},
		vin{d0f, d0}, vin{"docs/cell/1-add-n3.delta.bin", delta1})
	assert.Equal(t, d1, fromDelta)
	mf := "docs/cell/merged.doc.bin"
	v.s.File(mf, merged)
	bin := cell.materialize("cell/materialize-binary", vin{mf, merged}, "binary")
	js := cell.materialize("cell/materialize-json", vin{mf, merged}, "json")
	var fromJSON cellv1.CellState
	require.NoError(t, codec.DecodeInto(&fromJSON, codec.JSON, js))
	assert.Equal(t, wire(t, &fromJSON), bin)
	assertValid(t, "cap.cell.v1.CellState", cm)

	// Errors on cell documents.
	garbage := vin{"inputs/garbage.bin", []byte{0x0a, 0xff, 0x01}}
	cell.fails(vectors.Case{Name: "cell/error/leader-not-member", Op: "doc_apply", Type: cellDoc, Note: "set_leader needs a member"},
		status.Invalid, "INVALID_LEADER", vin{d0f, d0}, vin{"inputs/cell/leader-n9.op.bin", wire(t, docOp("A", 103, setLeader("n9")))})
	full := cellOf(t, d1)
	require.Len(t, full.Members, 3)
	d4, _ := docApply(t, cellDoc, d1, docOp("A", 103, addMember("n4")))
	v.s.File("docs/cell/full.doc.bin", d4)
	cell.fails(vectors.Case{Name: "cell/error/full", Op: "doc_apply", Type: cellDoc, Note: "max_size 4 reached"},
		status.Invalid, "CELL_FULL", vin{"docs/cell/full.doc.bin", d4}, vin{"inputs/cell/add-n5.op.bin", wire(t, docOp("A", 104, addMember("n5")))})
	cell.fails(vectors.Case{Name: "cell/error/no-replica", Op: "doc_apply", Type: cellDoc, Note: "an operation names its replica"},
		status.InvalidArgument, "REPLICA_REQUIRED", vin{d0f, d0}, vin{"inputs/cell/no-replica.op.bin", wire(t, docOp("", 103, addMember("n4")))})
	cell.fails(vectors.Case{Name: "cell/error/op-for-node", Op: "doc_apply", Type: cellDoc, Note: "update_health is a NodeDoc operation"},
		status.Unsupported, "OP_NOT_APPLICABLE", vin{d0f, d0}, vin{"inputs/cell/health.op.bin", wire(t, docOp("A", 103, updateHealth(nodev1.HealthStatus_HEALTH_STATUS_FAILED)))})
	cell.fails(vectors.Case{Name: "cell/error/garbage-doc", Op: "doc_apply", Type: cellDoc, Note: "undecodable document"},
		status.Decode, "DECODE_ERROR", garbage, vin{"inputs/cell/add-n5.op.bin", wire(t, docOp("A", 104, addMember("n5")))})
	cell.fails(vectors.Case{Name: "cell/error/garbage-op", Op: "doc_apply", Type: cellDoc, Note: "undecodable operation"},
		status.Decode, "DECODE_ERROR", vin{d0f, d0}, garbage)
	other := docNew(t, cellDoc, &crdtv1.DocInit{Id: "cell-2"})
	cell.fails(vectors.Case{Name: "cell/error/mismatch", Op: "doc_merge", Type: cellDoc, Note: "documents of two different cells"},
		status.Mismatch, "MISMATCH", vin{d0f, d0}, vin{"docs/cell/other.doc.bin", other})
	cell.fails(vectors.Case{Name: "cell/error/garbage-merge", Op: "doc_merge", Type: cellDoc, Note: "undecodable delta"},
		status.Decode, "DECODE_ERROR", vin{d0f, d0}, garbage)
	// One replica id creating two documents from different member lists
	// gives dot (gw, 2) to n2 in one and to n3 in the other.
	r1 := docNew(t, cellDoc, cellInit("gw", 100, &cellv1.CellState{Config: cfg, Members: []string{"n1", "n2"}}))
	r2 := docNew(t, cellDoc, cellInit("gw", 100, &cellv1.CellState{Config: cfg, Members: []string{"n1", "n3"}}))
	cell.fails(vectors.Case{Name: "cell/error/dot-reused", Op: "doc_merge", Type: cellDoc, Note: "one replica id, two documents: a dot names two members"},
		status.Mismatch, "DOT_REUSED", vin{"docs/cell/gw-n1-n2.doc.bin", r1}, vin{"docs/cell/gw-n1-n3.doc.bin", r2})
	// max_size 0 in a present config allows no member (ICD §6.2).
	z0cfg, _ := docApply(t, cellDoc, docNew(t, cellDoc, &crdtv1.DocInit{Id: "cell-0"}),
		docOp("A", 100, func(o *crdtv1.Operation) {
			o.Mutation = &crdtv1.Operation_SetCellConfig{SetCellConfig: &crdtv1.SetCellConfig{Config: &cellv1.CellConfig{MinSize: 0, MaxSize: 0}}}
		}))
	cell.fails(vectors.Case{Name: "cell/error/full-max-size-0", Op: "doc_apply", Type: cellDoc, Note: "a config with max_size 0 allows no member"},
		status.Invalid, "CELL_FULL", vin{"docs/cell/max-size-0.doc.bin", z0cfg}, vin{"inputs/cell/add-n5.op.bin", wire(t, docOp("A", 104, addMember("n5")))})
	// No config ever arrived: no size limit, and no config in the state.
	nc, _ := docApply(t, cellDoc, docNew(t, cellDoc, &crdtv1.DocInit{Id: "cell-nc"}), docOp("A", 100, addMember("n1")))
	var ncs cellv1.CellState
	require.NoError(t, proto.Unmarshal(cell.materialize("cell/materialize-no-config", vin{"docs/cell/no-config.doc.bin", nc}, "binary"), &ncs))
	assert.Nil(t, ncs.Config)
	assert.Equal(t, []string{"n1"}, ncs.Members)
	cell.fails(vectors.Case{Name: "cell/error/wrong-init", Op: "doc_new", Type: cellDoc, Note: "a CellDoc cannot start from a ZoneState"},
		status.InvalidArgument, "WRONG_INITIAL_TYPE", vin{"inputs/cell/zone-init.bin", wire(t, zoneInit("gw", 1, &zonev1.ZoneState{}))})
	cell.fails(vectors.Case{Name: "cell/error/not-a-doc-type", Op: "doc_new", Type: "cap.cell.v1.CellState", Note: "doc_type must be a peat.crdt.v1 document"},
		status.UnknownType, "UNKNOWN_TYPE")
	cell.fails(vectors.Case{Name: "cell/error/materialize-garbage", Op: "doc_materialize", Type: cellDoc, To: "binary", Note: "undecodable document"},
		status.Decode, "DECODE_ERROR", garbage)

	// ---- node: a PN-counter and per-field registers.
	node := docSteps{v, nodeDoc}
	n0 := node.newDoc("node/new", &crdtv1.DocInit{Replica: "gw", Timestamp: stampAt(100, 0), Initial: &crdtv1.DocInit_Node{Node: &nodev1.Node{
		Config: &nodev1.NodeConfig{Id: "node-1", PlatformType: "uav", CommRangeM: 1000, MaxSpeedMps: 10},
		State:  &nodev1.NodeState{Position: posAt(37.7), FuelMinutes: 120, Health: nodev1.HealthStatus_HEALTH_STATUS_NOMINAL, Phase: nodev1.Phase_PHASE_DISCOVERY},
	}}}, "from a Node")
	n0f := "docs/node/new.doc.bin"
	v.s.File(n0f, n0)
	na, _ := node.apply("node/a-consume-10", n0, n0f, docOp("A", 101, consume(10)), "replica A consumes 10 minutes")
	nb, _ := node.apply("node/b-replenish-20", n0, n0f, docOp("B", 102, replenish(20)), "replica B replenishes 20, concurrently")
	nb2, _ := node.apply("node/b-position", nb, "docs/node/b-replenish-20.doc.bin", docOp("B", 103, updatePosition(38.1, -122)), "then B moves")
	nm := node.merge("node/merge", vin{"docs/node/a-consume-10.doc.bin", na}, vin{"docs/node/b-position.doc.bin", nb2}, "fuel = 120 - 10 + 20")
	n := nodeOf(t, nm)
	assert.Equal(t, uint32(130), n.State.FuelMinutes)
	assert.Equal(t, 38.1, n.State.Position.Latitude)
	assert.Equal(t, "node-1", n.Config.Id)
	v.s.File("docs/node/merged.doc.bin", nm)
	node.materialize("node/materialize-json", vin{"docs/node/merged.doc.bin", nm}, "json")
	node.materialize("node/materialize-rust-json", vin{"docs/node/merged.doc.bin", nm}, "rust-json")
	assertValid(t, "cap.node.v1.Node", n)
	node.fails(vectors.Case{Name: "node/error/cell-op", Op: "doc_apply", Type: nodeDoc, Note: "add_member is a CellDoc operation"},
		status.Unsupported, "OP_NOT_APPLICABLE", vin{n0f, n0}, vin{"inputs/node/add-member.op.bin", wire(t, docOp("A", 104, addMember("x")))})

	// ---- zone: add-wins cells and the coordinator register.
	zone := docSteps{v, zoneDoc}
	z0 := zone.newDoc("zone/new", zoneInit("gw", 100, &zonev1.ZoneState{
		Config: &zonev1.ZoneConfig{Id: "zone-1", MaxCells: 10, MinCells: 2, CreatedAt: stampAt(90, 0)}, Cells: []string{"cell-1", "cell-2"},
	}), "from a ZoneState")
	z0f := "docs/zone/new.doc.bin"
	v.s.File(z0f, z0)
	za, _ := zone.apply("zone/a-remove-cell-1", z0, z0f, docOp("A", 101, removeCell("cell-1")), "A removes cell-1")
	zb, _ := zone.apply("zone/b-add-cell-1", z0, z0f, docOp("B", 101, addCell("cell-1")), "B re-adds cell-1 concurrently: add wins")
	zb2, _ := zone.apply("zone/b-coordinator", zb, "docs/zone/b-add-cell-1.doc.bin", docOp("B", 102, setCoordinator("n7")), "B appoints n7")
	zm := zone.merge("zone/merge", vin{"docs/zone/a-remove-cell-1.doc.bin", za}, vin{"docs/zone/b-coordinator.doc.bin", zb2}, "add wins over the concurrent remove")
	z := zoneOf(t, zm)
	assert.Equal(t, []string{"cell-1", "cell-2"}, z.Cells)
	assert.Equal(t, "n7", z.GetCoordinatorId())
	v.s.File("docs/zone/merged.doc.bin", zm)
	zone.materialize("zone/materialize-binary", vin{"docs/zone/merged.doc.bin", zm}, "binary")
	assertValid(t, "cap.zone.v1.ZoneState", z)

	// ---- evolution (ICD §8.3): a v1.1 message's unknown fields survive a document.
	u := compat.UnknownFields()
	ecell := &cellv1.CellState{Config: &cellv1.CellConfig{Id: "cell-9", MaxSize: 8, MinSize: 2}, Members: []string{"n1"}}
	ecell.ProtoReflect().SetUnknown(u)
	ecell.Config.ProtoReflect().SetUnknown(u)
	e0 := cell.newDoc("evolved/cell-new", cellInit("gw", 100, ecell), "from a CellState with v1.1 fields at the top level and in config")
	e0f := "docs/evolved/cell-new.doc.bin"
	v.s.File(e0f, e0)
	e1, _ := cell.apply("evolved/cell-add-n2", e0, e0f, docOp("A", 101, addMember("n2")), "an older replica's mutation keeps them")
	e1f := "docs/evolved/cell-add-n2.doc.bin"
	v.s.File(e1f, e1)
	var ec cellv1.CellState
	require.NoError(t, proto.Unmarshal(cell.materialize("evolved/cell-materialize", vin{e1f, e1}, "binary"), &ec))
	assert.Equal(t, u, []byte(ec.ProtoReflect().GetUnknown()), "top level")
	assert.Equal(t, u, []byte(ec.GetConfig().ProtoReflect().GetUnknown()), "config")
	assert.Equal(t, []string{"n1", "n2"}, ec.Members)

	var enode nodev1.Node
	require.NoError(t, proto.Unmarshal(wire(t, newerNode()), &enode))
	enode.ProtoReflect().SetUnknown(u)
	en0 := node.newDoc("evolved/node-new", &crdtv1.DocInit{Replica: "gw", Initial: &crdtv1.DocInit_Node{Node: &enode}},
		"from a v1.1 Node: new fields in Node, NodeConfig and NodeState, and a new HealthStatus value")
	en0f := "docs/evolved/node-new.doc.bin"
	v.s.File(en0f, en0)
	en1, _ := node.apply("evolved/node-consume", en0, en0f, docOp("A", 1_700_000_200, consume(10)), "an older replica consumes fuel")
	en1f := "docs/evolved/node-consume.doc.bin"
	v.s.File(en1f, en1)
	var newer newerpb.Node
	require.NoError(t, proto.Unmarshal(node.materialize("evolved/node-materialize", vin{en1f, en1}, "binary"), &newer))
	assert.Equal(t, u, []byte(newer.ProtoReflect().GetUnknown()), "Node level")
	assert.Equal(t, "RAVEN-1", newer.GetConfig().GetCallsign())
	assert.Equal(t, []*newerpb.SensorStatus{{Id: "eo", Ok: true}}, newer.GetState().GetSensors())
	assert.NotNil(t, newer.GetState().BatteryPct)
	assert.Equal(t, uint32(80), newer.GetState().GetFuelMinutes())

	v.s.Sync(t)
	v.replay()
}
