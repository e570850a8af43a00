package core_test

import (
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
	validationv1 "github.com/peat-protocol/libpeat/core/pb/peat/validation/v1"
	"github.com/peat-protocol/libpeat/core/status"
)

// One test per counterexample of ../shared/research/peat-semantics.md §3.7:
// each shows where the Rust reference diverges and that libpeat converges.

// plainMerge merges two messages both ways, asserts identical bytes and
// returns the decoded result.
func plainMerge[M proto.Message](t *testing.T, typ string, a, b M, into M) M {
	t.Helper()
	ab, err := core.Merge(typ, codec.Binary, codec.Binary, wire(t, a), wire(t, b))
	require.NoError(t, err)
	ba, err := core.Merge(typ, codec.Binary, codec.Binary, wire(t, b), wire(t, a))
	require.NoError(t, err)
	require.Equal(t, ab, ba, "merge(a,b) and merge(b,a) must be byte-identical")
	require.NoError(t, proto.Unmarshal(ab, into))
	return into
}

// bothWays merges two documents both ways, asserts identical bytes, returns it.
func docBothWays(t *testing.T, typ string, a, b []byte) []byte {
	t.Helper()
	ab, ba := docMerge(t, typ, a, b), docMerge(t, typ, b, a)
	require.Equal(t, ab, ba, "DocMerge(a,b) and DocMerge(b,a) must be byte-identical")
	return ab
}

func posAt(lat float64) *commonv1.Position { return &commonv1.Position{Latitude: lat, Longitude: 1} }

func TestCounterexample01_LWWTieConverges(t *testing.T) {
	// Plain: equal timestamps resolve by content, identically on both sides.
	a := &nodev1.NodeState{Position: posAt(10), Timestamp: stampAt(100, 0)}
	b := &nodev1.NodeState{Position: posAt(20), Timestamp: stampAt(100, 0)}
	got := plainMerge(t, "cap.node.v1.NodeState", a, b, &nodev1.NodeState{})
	assert.True(t, proto.Equal(got, a) || proto.Equal(got, b))

	ca := &cellv1.CellState{Config: &cellv1.CellConfig{Id: "c"}, Members: []string{"n1", "n2"}, LeaderId: proto.String("n1"), Timestamp: stampAt(100, 0)}
	cb := &cellv1.CellState{Config: &cellv1.CellConfig{Id: "c"}, Members: []string{"n1", "n2"}, LeaderId: proto.String("n2"), Timestamp: stampAt(100, 0)}
	plainMerge(t, "cap.cell.v1.CellState", ca, cb, &cellv1.CellState{})
	za := &zonev1.ZoneState{Config: &zonev1.ZoneConfig{Id: "z"}, CoordinatorId: proto.String("n1"), Timestamp: stampAt(100, 0)}
	zb := &zonev1.ZoneState{Config: &zonev1.ZoneConfig{Id: "z"}, CoordinatorId: proto.String("n2"), Timestamp: stampAt(100, 0)}
	plainMerge(t, "cap.zone.v1.ZoneState", za, zb, &zonev1.ZoneState{})

	// Documents: two replicas write the same register at the same instant;
	// the replica id breaks the tie.
	start := docNew(t, nodeDoc, nodeInit("init", 1, &nodev1.NodeState{}))
	x, _ := docApply(t, nodeDoc, start, docOp("A", 100, updatePosition(10, 1)))
	y, _ := docApply(t, nodeDoc, start, docOp("B", 100, updatePosition(20, 1)))
	n := nodeOf(t, docBothWays(t, nodeDoc, x, y))
	assert.Equal(t, 20.0, n.State.Position.Latitude, "replica B > A at equal time")
}

func TestCounterexample02_SubSecondOrderingKept(t *testing.T) {
	later := &nodev1.NodeState{Position: posAt(1), Timestamp: stampAt(100, 900_000_000)}
	earlier := &nodev1.NodeState{Position: posAt(2), Timestamp: stampAt(100, 100_000_000)}
	got := plainMerge(t, "cap.node.v1.NodeState", later, earlier, &nodev1.NodeState{})
	assert.Equal(t, 1.0, got.Position.Latitude)

	start := docNew(t, nodeDoc, nodeInit("init", 1, &nodev1.NodeState{}))
	x, _ := docApply(t, nodeDoc, start, &crdtv1.Operation{Replica: "A", Timestamp: stampAt(100, 900_000_000), Mutation: &crdtv1.Operation_UpdatePosition{UpdatePosition: &crdtv1.UpdatePosition{Position: posAt(1)}}})
	y, _ := docApply(t, nodeDoc, start, &crdtv1.Operation{Replica: "B", Timestamp: stampAt(100, 100_000_000), Mutation: &crdtv1.Operation_UpdatePosition{UpdatePosition: &crdtv1.UpdatePosition{Position: posAt(2)}}})
	assert.Equal(t, 1.0, nodeOf(t, docBothWays(t, nodeDoc, x, y)).State.Position.Latitude)
}

func TestCounterexample03_NodeStateFieldsAreSeparateRegisters(t *testing.T) {
	start := docNew(t, nodeDoc, nodeInit("init", 100, &nodev1.NodeState{Position: posAt(0), Health: nodev1.HealthStatus_HEALTH_STATUS_NOMINAL}))
	a, _ := docApply(t, nodeDoc, start, docOp("A", 101, updatePosition(37.8, -122.5)))
	b, _ := docApply(t, nodeDoc, start, docOp("B", 102, updateHealth(nodev1.HealthStatus_HEALTH_STATUS_DEGRADED)))
	n := nodeOf(t, docBothWays(t, nodeDoc, a, b))
	assert.Equal(t, 37.8, n.State.Position.Latitude, "A's position update survives B's later health update")
	assert.Equal(t, nodev1.HealthStatus_HEALTH_STATUS_DEGRADED, n.State.Health)
}

func TestCounterexample04_FuelIsAPNCounter(t *testing.T) {
	start := docNew(t, nodeDoc, nodeInit("init", 100, &nodev1.NodeState{FuelMinutes: 120}))
	a, _ := docApply(t, nodeDoc, start, docOp("A", 101, consume(10)))
	b, _ := docApply(t, nodeDoc, start, docOp("B", 102, replenish(20)))
	assert.Equal(t, uint32(110), nodeOf(t, a).State.FuelMinutes)
	assert.Equal(t, uint32(140), nodeOf(t, b).State.FuelMinutes)
	assert.Equal(t, uint32(130), nodeOf(t, docBothWays(t, nodeDoc, a, b)).State.FuelMinutes, "120 - 10 + 20")
}

func TestCounterexample05_RemovalsPropagate(t *testing.T) {
	start := docNew(t, cellDoc, cellInit("init", 1, &cellv1.CellState{Config: &cellv1.CellConfig{Id: "c", MaxSize: 8}, Members: []string{"n1", "n2"}}))
	a, _ := docApply(t, cellDoc, start, docOp("A", 2, removeMember("n1")))
	stale := start
	assert.Equal(t, []string{"n2"}, cellOf(t, docBothWays(t, cellDoc, a, stale)).Members, "a stale replica does not resurrect n1")

	// Add wins over a concurrent remove: B re-adds n1 without having seen A's removal.
	b, _ := docApply(t, cellDoc, start, docOp("B", 2, addMember("n1")))
	assert.Equal(t, []string{"n1", "n2"}, cellOf(t, docBothWays(t, cellDoc, a, b)).Members)

	zs := docNew(t, zoneDoc, zoneInit("init", 1, &zonev1.ZoneState{Config: &zonev1.ZoneConfig{Id: "z", MaxCells: 8}, Cells: []string{"c1", "c2"}}))
	za, _ := docApply(t, zoneDoc, zs, docOp("A", 2, removeCell("c1")))
	assert.Equal(t, []string{"c2"}, zoneOf(t, docBothWays(t, zoneDoc, za, zs)).Cells)
}

func TestCounterexample06_ListOrderIndependentOfMergeDirection(t *testing.T) {
	a := &cellv1.CellState{Config: &cellv1.CellConfig{Id: "c"}, Members: []string{"a", "b"}}
	b := &cellv1.CellState{Config: &cellv1.CellConfig{Id: "c"}, Members: []string{"c", "a"}}
	assert.Equal(t, []string{"a", "b", "c"}, plainMerge(t, "cap.cell.v1.CellState", a, b, &cellv1.CellState{}).Members)

	start := docNew(t, cellDoc, &crdtv1.DocInit{Id: "c"})
	x, _ := docApply(t, cellDoc, start, docOp("A", 1, addMember("b")))
	x, _ = docApply(t, cellDoc, x, docOp("A", 2, addMember("a")))
	y, _ := docApply(t, cellDoc, start, docOp("B", 1, addMember("c")))
	y, _ = docApply(t, cellDoc, y, docOp("B", 2, addMember("a")))
	assert.Equal(t, []string{"a", "b", "c"}, cellOf(t, docBothWays(t, cellDoc, x, y)).Members)
}

func TestCounterexample07_CapabilityConflictsResolveDeterministically(t *testing.T) {
	hi := &capabilityv1.Capability{Id: "c", Name: "cam", Confidence: 0.9}
	lo := &capabilityv1.Capability{Id: "c", Name: "cam", Confidence: 0.5}
	a := &cellv1.CellState{Config: &cellv1.CellConfig{Id: "x"}, Capabilities: []*capabilityv1.Capability{hi}}
	b := &cellv1.CellState{Config: &cellv1.CellConfig{Id: "x"}, Capabilities: []*capabilityv1.Capability{lo}}
	got := plainMerge(t, "cap.cell.v1.CellState", a, b, &cellv1.CellState{})
	require.Len(t, got.Capabilities, 1)

	start := docNew(t, cellDoc, &crdtv1.DocInit{Id: "x"})
	add := func(c *capabilityv1.Capability) func(*crdtv1.Operation) {
		return func(o *crdtv1.Operation) {
			o.Mutation = &crdtv1.Operation_AddCapability{AddCapability: &crdtv1.AddCapability{Capability: c}}
		}
	}
	x, _ := docApply(t, cellDoc, start, docOp("A", 5, add(hi)))
	y, _ := docApply(t, cellDoc, start, docOp("B", 6, add(lo)))
	caps := cellOf(t, docBothWays(t, cellDoc, x, y)).Capabilities
	require.Len(t, caps, 1)
	assert.Equal(t, float32(0.5), caps[0].Confidence, "the later add wins")
}

func TestCounterexample08_ZoneCapabilitiesKeyedById(t *testing.T) {
	radar := &capabilityv1.Capability{Id: "radar", CapabilityType: capabilityv1.CapabilityType_CAPABILITY_TYPE_SENSOR}
	camera := &capabilityv1.Capability{Id: "camera", CapabilityType: capabilityv1.CapabilityType_CAPABILITY_TYPE_SENSOR}
	a := &zonev1.ZoneState{Config: &zonev1.ZoneConfig{Id: "z"}, AggregatedCapabilities: []*capabilityv1.Capability{radar}}
	b := &zonev1.ZoneState{Config: &zonev1.ZoneConfig{Id: "z"}, AggregatedCapabilities: []*capabilityv1.Capability{camera}}
	got := plainMerge(t, "cap.zone.v1.ZoneState", a, b, &zonev1.ZoneState{})
	require.Len(t, got.AggregatedCapabilities, 2)
	assert.Equal(t, "camera", got.AggregatedCapabilities[0].Id)
	assert.Equal(t, "radar", got.AggregatedCapabilities[1].Id)

	da := docNew(t, zoneDoc, zoneInit("A", 1, a))
	db := docNew(t, zoneDoc, zoneInit("B", 1, b))
	assert.Len(t, zoneOf(t, docBothWays(t, zoneDoc, da, db)).AggregatedCapabilities, 2)
}

func TestCounterexample09_ZoneCoordinatorClockDoesNotRegress(t *testing.T) {
	const now = 1000
	start := docNew(t, zoneDoc, zoneInit("init", now, &zonev1.ZoneState{Config: &zonev1.ZoneConfig{Id: "z", MaxCells: 8}}))
	a, _ := docApply(t, zoneDoc, start, docOp("A", now+100, setCoordinator("n1")))
	a, _ = docApply(t, zoneDoc, a, docOp("A", now, addCell("c3")))
	b, _ := docApply(t, zoneDoc, start, docOp("B", now+50, setCoordinator("n0")))
	z := zoneOf(t, docBothWays(t, zoneDoc, a, b))
	assert.Equal(t, "n1", z.GetCoordinatorId(), "the write at now+100 wins; adding a cell does not touch the register")
	assert.Equal(t, []string{"c3"}, z.Cells)
}

func TestCounterexample10_LocalWritesAndMergeUseOneOrder(t *testing.T) {
	start := docNew(t, zoneDoc, &crdtv1.DocInit{Id: "z"})
	a, _ := docApply(t, zoneDoc, start, docOp("A", 100, setCoordinator("n1")))
	// B has seen A's write and writes with an equal (then an older) clock:
	// a write made after observing a value always supersedes it.
	b, _ := docApply(t, zoneDoc, a, docOp("B", 100, setCoordinator("n2")))
	assert.Equal(t, "n2", zoneOf(t, docBothWays(t, zoneDoc, a, b)).GetCoordinatorId())
	c, _ := docApply(t, zoneDoc, b, docOp("C", 50, setCoordinator("n3")))
	assert.Equal(t, "n3", zoneOf(t, docBothWays(t, zoneDoc, b, c)).GetCoordinatorId())
	assert.Equal(t, "n3", zoneOf(t, docBothWays(t, zoneDoc, a, c)).GetCoordinatorId())
}

func TestCounterexample11_MergesKeepInvariantsAndNeverAbort(t *testing.T) {
	// Zone (and cell) merges of different ids are an error, not a crash.
	z1 := wire(t, &zonev1.ZoneState{Config: &zonev1.ZoneConfig{Id: "zone_1"}})
	z2 := wire(t, &zonev1.ZoneState{Config: &zonev1.ZoneConfig{Id: "zone_2"}})
	_, err := core.Merge("cap.zone.v1.ZoneState", codec.Binary, codec.Binary, z1, z2)
	assert.Equal(t, status.Mismatch, status.Of(err))
	_, err = core.Merge("cap.zone.v1.ZoneState", codec.Binary, codec.Binary, z1, wire(t, &zonev1.ZoneState{}))
	assert.Equal(t, status.Mismatch, status.Of(err), "absent config vs present id")
	c1 := wire(t, &cellv1.CellState{Config: &cellv1.CellConfig{Id: "cell_1"}})
	c2 := wire(t, &cellv1.CellState{Config: &cellv1.CellConfig{Id: "cell_2"}})
	_, err = core.Merge("cap.cell.v1.CellState", codec.Binary, codec.Binary, c1, c2)
	assert.Equal(t, status.Mismatch, status.Of(err))

	// Concurrent joins overfill a cell: materialise keeps max_size members
	// (leader first, then earliest joiners) and the result validates.
	cfg := &cellv1.CellConfig{Id: "cell-1", MaxSize: 3, MinSize: 2, CreatedAt: stampAt(1, 0)}
	start := docNew(t, cellDoc, cellInit("init", 10, &cellv1.CellState{Config: cfg, Members: []string{"n1", "n2"}, LeaderId: proto.String("n2")}))
	a, _ := docApply(t, cellDoc, start, docOp("A", 20, addMember("n3")))
	b, _ := docApply(t, cellDoc, start, docOp("B", 21, addMember("n0")))
	merged := docBothWays(t, cellDoc, a, b)
	st := cellOf(t, merged)
	assert.Equal(t, []string{"n1", "n2", "n3"}, st.Members, "n0 joined last and is left out of the view")
	assert.Equal(t, "n2", st.GetLeaderId())
	assertValid(t, "cap.cell.v1.CellState", st)

	// The leader removed concurrently with its appointment: the register says
	// n1, the set no longer holds n1, so the view has no leader.
	three := docNew(t, cellDoc, cellInit("init", 10, &cellv1.CellState{Config: cfg, Members: []string{"n1", "n2", "n3"}, LeaderId: proto.String("n3")}))
	l, _ := docApply(t, cellDoc, three, docOp("A", 30, removeMember("n1")))
	lead, _ := docApply(t, cellDoc, three, docOp("C", 40, setLeader("n1")))
	merged = docBothWays(t, cellDoc, l, lead)
	st = cellOf(t, merged)
	assert.Equal(t, []string{"n2", "n3"}, st.Members)
	assert.Nil(t, st.LeaderId, "the leader was removed concurrently")
	assertValid(t, "cap.cell.v1.CellState", st)
	// Appointing a member again restores a leader.
	again, _ := docApply(t, cellDoc, merged, docOp("A", 41, setLeader("n2")))
	assert.Equal(t, "n2", cellOf(t, again).GetLeaderId())

	// A leader that is not a member (here: in the initial message) is left out.
	bad := docNew(t, cellDoc, cellInit("init", 10, &cellv1.CellState{Config: cfg, Members: []string{"n1", "n2"}, LeaderId: proto.String("n9")}))
	st = cellOf(t, bad)
	assert.Nil(t, st.LeaderId)
	assertValid(t, "cap.cell.v1.CellState", st)

	// Zones keep max_cells cells, the earliest joiners first.
	zcfg := &zonev1.ZoneConfig{Id: "zone-1", MaxCells: 2, MinCells: 1, CreatedAt: stampAt(1, 0)}
	zs := docNew(t, zoneDoc, zoneInit("init", 10, &zonev1.ZoneState{Config: zcfg, Cells: []string{"c5"}}))
	za, _ := docApply(t, zoneDoc, zs, docOp("A", 12, addCell("c9")))
	zb, _ := docApply(t, zoneDoc, zs, docOp("B", 11, addCell("c7")))
	zst := zoneOf(t, docBothWays(t, zoneDoc, za, zb))
	assert.Equal(t, []string{"c5", "c7"}, zst.Cells)
	assertValid(t, "cap.zone.v1.ZoneState", zst)
}

func TestCounterexample12_NodeConfigMerges(t *testing.T) {
	a := &nodev1.NodeConfig{Id: "n", PlatformType: "uav", Capabilities: []*capabilityv1.Capability{{Id: "gps_1"}, {Id: "camera_1"}}}
	b := &nodev1.NodeConfig{Id: "n", PlatformType: "uav", Capabilities: []*capabilityv1.Capability{{Id: "camera_1"}, {Id: "radio_1"}}}
	got := plainMerge(t, "cap.node.v1.NodeConfig", a, b, &nodev1.NodeConfig{})
	var ids []string
	for _, c := range got.Capabilities {
		ids = append(ids, c.Id)
	}
	assert.Equal(t, []string{"camera_1", "gps_1", "radio_1"}, ids)
	_, err := core.Merge("cap.node.v1.NodeConfig", codec.Binary, codec.Binary, wire(t, a), wire(t, &nodev1.NodeConfig{Id: "other"}))
	assert.Equal(t, status.Mismatch, status.Of(err))
}

// assertValid runs libpeat's validator on a materialised message.
func assertValid(t *testing.T, typ string, m proto.Message) {
	t.Helper()
	opts := wire(t, &validationv1.ValidateOptions{Now: stampAt(1_000_000, 0)})
	out, err := core.Validate(typ, codec.Binary, wire(t, m), opts)
	require.NoError(t, err)
	var rep validationv1.ValidationReport
	require.NoError(t, proto.Unmarshal(out, &rep))
	assert.True(t, rep.Valid, "materialised %s fails validation: %v", typ, rep.Violations)
}
