package core_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/peat-protocol/libpeat/core"
	"github.com/peat-protocol/libpeat/core/codec"
	capabilityv1 "github.com/peat-protocol/libpeat/core/pb/cap/capability/v1"
	cellv1 "github.com/peat-protocol/libpeat/core/pb/cap/cell/v1"
	zonev1 "github.com/peat-protocol/libpeat/core/pb/cap/zone/v1"
	crdtv1 "github.com/peat-protocol/libpeat/core/pb/peat/crdt/v1"
	"github.com/peat-protocol/libpeat/core/registry"
	"github.com/peat-protocol/libpeat/core/status"
)

// Rules of documents that the join alone does not enforce: dots are never
// reused, a present configuration's max_size/max_cells is a limit (0
// included), and what a document materialises to fits its ICD size limit.

// requireStatus asserts that err has the given status and code.
func requireStatus(t *testing.T, err error, st status.Status, code string) *status.Error {
	t.Helper()
	require.Error(t, err)
	e := status.From(err)
	require.Equal(t, st, e.Status, "%v", err)
	require.Equal(t, code, e.Code, "%v", err)
	return e
}

// requireDotReused asserts that merging a and b fails, in both orders, with
// DOT_REUSED naming the replica and counter.
func requireDotReused(t *testing.T, typ string, a, b []byte, replica string, counter int) {
	t.Helper()
	_, err := core.DocMerge(typ, a, b)
	e := requireStatus(t, err, status.Mismatch, "DOT_REUSED")
	assert.Contains(t, e.Message, fmt.Sprintf("replica %q used counter %d", replica, counter))
	_, err2 := core.DocMerge(typ, b, a)
	requireStatus(t, err2, status.Mismatch, "DOT_REUSED")
	assert.Equal(t, e.Message, status.From(err2).Message, "the same error in either order")
}

// A replica that restarts from an older copy of its document issues a
// counter it already used. Before DOT_REUSED, the join silently dropped
// both members (each side had seen the other's dot and took it as removed).
func TestDotReusedAfterRestartFromOlderDocument(t *testing.T) {
	start := docNew(t, cellDoc, cellInit("seed", 1, &cellv1.CellState{Config: &cellv1.CellConfig{Id: "c", MaxSize: 8}, Members: []string{"n1"}}))
	a1, delta1 := docApply(t, cellDoc, start, docOp("A", 2, addMember("n2"))) // dot (A, 1) = n2
	b := docMerge(t, cellDoc, start, delta1)                                  // B received it
	// A crashes, restarts from start (its saved copy), and adds n3: dot (A, 1) again.
	stale, staleDelta := docApply(t, cellDoc, start, docOp("A", 3, addMember("n3")))
	requireDotReused(t, cellDoc, b, stale, "A", 1)
	requireDotReused(t, cellDoc, a1, staleDelta, "A", 1) // applying the delta
	requireDotReused(t, cellDoc, delta1, staleDelta, "A", 1)
	e := status.From(func() error { _, err := core.DocMerge(cellDoc, b, stale); return err }())
	assert.Contains(t, e.Message, `"n2" and "n3"`)
	assert.Equal(t, "members", e.Path)

	// Recovery: continue under a fresh replica id.
	fresh, _ := docApply(t, cellDoc, start, docOp("A-2", 3, addMember("n3")))
	assert.Equal(t, []string{"n1", "n2", "n3"}, cellOf(t, docBothWays(t, cellDoc, b, fresh)).Members)

	// Zones: the same for cells.
	zs := docNew(t, zoneDoc, zoneInit("seed", 1, &zonev1.ZoneState{Config: &zonev1.ZoneConfig{Id: "z", MaxCells: 8}}))
	za, _ := docApply(t, zoneDoc, zs, docOp("A", 2, addCell("c1")))
	zstale, _ := docApply(t, zoneDoc, zs, docOp("A", 3, addCell("c2")))
	requireDotReused(t, zoneDoc, za, zstale, "A", 1)
	zfresh, _ := docApply(t, zoneDoc, zs, docOp("A-2", 3, addCell("c2")))
	assert.Equal(t, []string{"c1", "c2"}, zoneOf(t, docBothWays(t, zoneDoc, za, zfresh)).Cells)
}

// Two documents created from different initial messages under one replica
// id number their members 1, 2, ... each: the same dots for other members.
func TestDotReusedByTwoDocumentsCreatedUnderOneReplica(t *testing.T) {
	cfg := &cellv1.CellConfig{Id: "c", MaxSize: 8}
	mk := func(replica string, members ...string) []byte {
		return docNew(t, cellDoc, cellInit(replica, 5, &cellv1.CellState{Config: cfg, Members: members}))
	}
	requireDotReused(t, cellDoc, mk("gw", "n1", "n2"), mk("gw", "n1", "n3"), "gw", 2)
	requireDotReused(t, cellDoc, mk("gw", "a", "b"), mk("gw", "b", "c"), "gw", 1)
	requireDotReused(t, cellDoc, mk("gw", "a", "c"), mk("gw", "a", "b", "c"), "gw", 2)

	// Allowed: the same message under one id (identical documents), a
	// message that extends the other (its dots only add), and distinct ids.
	same := docBothWays(t, cellDoc, mk("gw", "n1", "n2"), mk("gw", "n1", "n2"))
	assert.Equal(t, []string{"n1", "n2"}, cellOf(t, same).Members)
	ext := docBothWays(t, cellDoc, mk("gw", "a", "b"), mk("gw", "a", "b", "c"))
	assert.Equal(t, []string{"a", "b", "c"}, cellOf(t, ext).Members)
	distinct := docBothWays(t, cellDoc, mk("gw-1", "n1", "n2"), mk("gw-2", "n1", "n3"))
	assert.Equal(t, []string{"n1", "n2", "n3"}, cellOf(t, distinct).Members)

	z1 := docNew(t, zoneDoc, zoneInit("gw", 5, &zonev1.ZoneState{Config: &zonev1.ZoneConfig{Id: "z", MaxCells: 8}, Cells: []string{"c1"}}))
	z2 := docNew(t, zoneDoc, zoneInit("gw", 5, &zonev1.ZoneState{Config: &zonev1.ZoneConfig{Id: "z", MaxCells: 8}, Cells: []string{"c2"}}))
	requireDotReused(t, zoneDoc, z1, z2, "gw", 1)
}

func setCellConfig(max, min uint32) func(*crdtv1.Operation) {
	return func(o *crdtv1.Operation) {
		o.Mutation = &crdtv1.Operation_SetCellConfig{SetCellConfig: &crdtv1.SetCellConfig{Config: &cellv1.CellConfig{MaxSize: max, MinSize: min}}}
	}
}

func setZoneConfig(max, min uint32) func(*crdtv1.Operation) {
	return func(o *crdtv1.Operation) {
		o.Mutation = &crdtv1.Operation_SetZoneConfig{SetZoneConfig: &crdtv1.SetZoneConfig{Config: &zonev1.ZoneConfig{MaxCells: max, MinCells: min}}}
	}
}

// ICD §6.2: members.len() <= config.max_size, 0 included, whenever a config
// is present; without a config (it never arrived) there is no limit.
func TestPresentConfigLimitsSizeEvenAtZero(t *testing.T) {
	empty := docNew(t, cellDoc, &crdtv1.DocInit{Id: "c"})
	zero, _ := docApply(t, cellDoc, empty, docOp("A", 1, setCellConfig(0, 0)))
	_, err := core.DocApply(cellDoc, zero, wire(t, docOp("A", 2, addMember("n1"))))
	requireStatus(t, err, status.Invalid, "CELL_FULL")

	zempty := docNew(t, zoneDoc, &crdtv1.DocInit{Id: "z"})
	zzero, _ := docApply(t, zoneDoc, zempty, docOp("A", 1, setZoneConfig(0, 0)))
	_, err = core.DocApply(zoneDoc, zzero, wire(t, docOp("A", 2, addCell("c1"))))
	requireStatus(t, err, status.Invalid, "ZONE_FULL")

	// No config: no limit, and none in the materialised state.
	doc := empty
	for i := 0; i < 20; i++ {
		doc, _ = docApply(t, cellDoc, doc, docOp("A", uint64(2+i), addMember(fmt.Sprintf("n%02d", i))))
	}
	s := cellOf(t, doc)
	assert.Len(t, s.Members, 20)
	assert.Nil(t, s.Config)
}

// Concurrent adds and a concurrent config change can leave more members
// than max_size; materialise keeps max_size of them (the leader first, then
// the earliest joiners), also when max_size is 0 and when min_size > max.
func TestMaterializeTrimsToPresentMaxIncludingZero(t *testing.T) {
	start := docNew(t, cellDoc, cellInit("seed", 1, &cellv1.CellState{Config: &cellv1.CellConfig{Id: "c", MaxSize: 8, MinSize: 2}, Members: []string{"n1", "n2"}}))
	a, _ := docApply(t, cellDoc, start, docOp("A", 2, addMember("n3")))
	a, _ = docApply(t, cellDoc, a, docOp("A", 3, setLeader("n3")))
	b, _ := docApply(t, cellDoc, start, docOp("B", 4, setCellConfig(2, 3))) // min > max
	s := cellOf(t, docBothWays(t, cellDoc, a, b))
	assert.Equal(t, []string{"n1", "n3"}, s.Members, "the leader, then the earliest joiner")
	assert.Equal(t, "n3", s.GetLeaderId())

	c, _ := docApply(t, cellDoc, start, docOp("C", 5, setCellConfig(0, 0)))
	s = cellOf(t, docBothWays(t, cellDoc, a, c))
	assert.Empty(t, s.Members, "max_size 0 keeps no member")
	assert.Nil(t, s.LeaderId, "nor a leader")

	zs := docNew(t, zoneDoc, zoneInit("seed", 1, &zonev1.ZoneState{Config: &zonev1.ZoneConfig{Id: "z", MaxCells: 8}, Cells: []string{"c1", "c2"}}))
	zc, _ := docApply(t, zoneDoc, zs, docOp("C", 5, setZoneConfig(0, 1)))
	za, _ := docApply(t, zoneDoc, zs, docOp("A", 2, addCell("c3")))
	assert.Empty(t, zoneOf(t, docBothWays(t, zoneDoc, za, zc)).Cells)
}

// A local mutation may not make the materialised state larger than its ICD
// limit (CellState: 100 KiB); one that shrinks an oversize state may.
func TestApplyRefusesGrowthAboveMaterializedLimit(t *testing.T) {
	limit := registry.Limit("cap.cell.v1.CellState")
	cfg := &cellv1.CellConfig{Id: "c", MaxSize: 100_000, MinSize: 2}
	doc := docNew(t, cellDoc, cellInit("seed", 1, &cellv1.CellState{Config: cfg, Members: memberIDs(0, 2600)}))
	size := func(d []byte) int {
		out, err := core.DocMaterialize(cellDoc, codec.Binary, d)
		require.NoError(t, err)
		return len(out)
	}
	refused := false
	for i := 0; i < 200 && !refused; i++ {
		out, err := core.DocApply(cellDoc, doc, wire(t, docOp("A", uint64(2+i), addMember(memberIDs(10_000+i, 1)[0]))))
		if err != nil {
			e := requireStatus(t, err, status.TooLarge, "DOC_TOO_LARGE")
			assert.Equal(t, "add_member", e.Path)
			// It was refused exactly when one more member (38 bytes) crosses the limit.
			assert.Greater(t, size(doc)+38, limit)
			refused = true
			break
		}
		var res crdtv1.ApplyResult
		require.NoError(t, proto.Unmarshal(out, &res))
		doc = res.Doc
		require.LessOrEqual(t, size(doc), limit)
	}
	require.True(t, refused, "adding members must stop at the limit")

	// Other growing mutations are refused too; shrinking ones are not.
	_, err := core.DocApply(cellDoc, doc, wire(t, docOp("A", 500, setPlatoon(strings.Repeat("p", 100)))))
	requireStatus(t, err, status.TooLarge, "DOC_TOO_LARGE")
	docApply(t, cellDoc, doc, docOp("A", 500, removeMember(memberIDs(0, 1)[0])))

	// A node: capabilities up to Node's 54 KiB.
	node := docNew(t, nodeDoc, &crdtv1.DocInit{Id: "node-1"})
	refused = false
	for i := 0; i < 100 && !refused; i++ {
		op := docOp("A", uint64(1+i), func(o *crdtv1.Operation) {
			o.Mutation = &crdtv1.Operation_AddCapability{AddCapability: &crdtv1.AddCapability{Capability: &capabilityv1.Capability{
				Id: fmt.Sprintf("cap-%03d", i), Name: strings.Repeat("x", 1000)}}}
		})
		out, err := core.DocApply(nodeDoc, node, wire(t, op))
		if err != nil {
			requireStatus(t, err, status.TooLarge, "DOC_TOO_LARGE")
			refused = true
			break
		}
		var res crdtv1.ApplyResult
		require.NoError(t, proto.Unmarshal(out, &res))
		node = res.Doc
		_, err = core.DocMaterialize(nodeDoc, codec.Binary, node)
		require.NoError(t, err)
	}
	require.True(t, refused, "adding capabilities must stop at Node's limit")
}

// A join of two valid replicas can cross the limit; materialise then
// reports it instead of returning a message libpeat itself would refuse.
func TestMaterializeRefusesStateAboveLimit(t *testing.T) {
	cfg := &cellv1.CellConfig{Id: "c", MaxSize: 100_000, MinSize: 2}
	a := docNew(t, cellDoc, cellInit("A", 1, &cellv1.CellState{Config: cfg, Members: memberIDs(0, 1500)}))
	b := docNew(t, cellDoc, cellInit("B", 1, &cellv1.CellState{Config: cfg, Members: memberIDs(5000, 1500)}))
	for _, d := range [][]byte{a, b} {
		_, err := core.DocMaterialize(cellDoc, codec.Binary, d)
		require.NoError(t, err, "each replica fits")
	}
	joined := docBothWays(t, cellDoc, a, b)
	for _, f := range []codec.Format{codec.Binary, codec.JSON, codec.RustJSON} {
		_, err := core.DocMaterialize(cellDoc, f, joined)
		e := requireStatus(t, err, status.TooLarge, "MATERIALIZED_TOO_LARGE")
		assert.Contains(t, e.Message, "cap.cell.v1.CellState")
	}
	// Removing members (allowed: the state shrinks) brings it back.
	doc := joined
	for i := 0; i < 400; i++ {
		doc, _ = docApply(t, cellDoc, doc, docOp("A", uint64(10+i), removeMember(memberIDs(i, 1)[0])))
	}
	_, err := core.DocMaterialize(cellDoc, codec.Binary, doc)
	require.NoError(t, err)

	// The example: 20,000 members, about 760 KB.
	big := docNew(t, cellDoc, cellInit("A", 1, &cellv1.CellState{Config: cfg, Members: memberIDs(0, 20_000)}))
	_, err = core.DocMaterialize(cellDoc, codec.Binary, big)
	requireStatus(t, err, status.TooLarge, "MATERIALIZED_TOO_LARGE")

	// Zones: ZoneState's 500 KiB.
	zcfg := &zonev1.ZoneConfig{Id: "z", MaxCells: 100_000, MinCells: 1}
	za := docNew(t, zoneDoc, zoneInit("A", 1, &zonev1.ZoneState{Config: zcfg, Cells: memberIDs(0, 7000)}))
	zb := docNew(t, zoneDoc, zoneInit("B", 1, &zonev1.ZoneState{Config: zcfg, Cells: memberIDs(50_000, 7000)}))
	_, err = core.DocMaterialize(zoneDoc, codec.Binary, za)
	require.NoError(t, err)
	_, err = core.DocMaterialize(zoneDoc, codec.Binary, docMerge(t, zoneDoc, za, zb))
	requireStatus(t, err, status.TooLarge, "MATERIALIZED_TOO_LARGE")
}
