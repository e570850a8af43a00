package core_test

import (
	"fmt"
	"math"
	"math/rand"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/peat-protocol/libpeat/core"
	"github.com/peat-protocol/libpeat/core/codec"
	cellv1 "github.com/peat-protocol/libpeat/core/pb/cap/cell/v1"
	nodev1 "github.com/peat-protocol/libpeat/core/pb/cap/node/v1"
	zonev1 "github.com/peat-protocol/libpeat/core/pb/cap/zone/v1"
	crdtv1 "github.com/peat-protocol/libpeat/core/pb/peat/crdt/v1"
	directivev1 "github.com/peat-protocol/libpeat/core/pb/peat/directive/v1"
	"github.com/peat-protocol/libpeat/core/status"
	"github.com/peat-protocol/libpeat/internal/handle"
)

type replicaScenario struct {
	typ  string
	init *crdtv1.DocInit
	op   func(r *rand.Rand, o *crdtv1.Operation)
}

func replicaScenarios() []replicaScenario {
	return []replicaScenario{
		{cellDoc, cellInit("seed", 1, &cellv1.CellState{Config: &cellv1.CellConfig{Id: "cell-1", MinSize: 2, MaxSize: 12}, Members: []string{"m0", "m1"}}), randomCellOp},
		{zoneDoc, zoneInit("seed", 1, &zonev1.ZoneState{Config: &zonev1.ZoneConfig{Id: "zone-1", MaxCells: 20}, Cells: []string{"m0"}}), randomZoneOp},
		{nodeDoc, nodeInit("seed", 1, &nodev1.NodeState{FuelMinutes: 10_000}), nastyNodeOp},
	}
}

// nastyNodeOp is randomNodeOp with -0.0, NaN payloads and subnormals in positions.
func nastyNodeOp(r *rand.Rand, o *crdtv1.Operation) {
	if r.Intn(4) == 0 {
		vals := []float64{math.Copysign(0, -1), 0, math.Float64frombits(0x7ff8000000000001), math.Float64frombits(1), 45.5}
		updatePosition(vals[r.Intn(len(vals))], vals[r.Intn(len(vals))])(o)
		return
	}
	randomNodeOp(r, o)
}

func sameOutcome(t *testing.T, step int, want, got error) {
	t.Helper()
	if want == nil || got == nil {
		require.Equal(t, want == nil, got == nil, "step %d: stateless %v, replica %v", step, want, got)
		return
	}
	require.Equal(t, status.Of(want), status.Of(got), "step %d: stateless %v, replica %v", step, want, got)
	require.Equal(t, codeOf(want), codeOf(got), "step %d", step)
}

// TestReplicaMatchesStatelessCalls: replicas driven by a random sequence of
// operations, merges of deltas and documents (as bytes and replica to
// replica) and clones hold, after every step, exactly the bytes the
// stateless peat_doc_* calls produce from the same inputs, and give the same
// deltas, errors and materialised messages.
func TestReplicaMatchesStatelessCalls(t *testing.T) {
	for _, sc := range replicaScenarios() {
		t.Run(sc.typ, func(t *testing.T) {
			const n = 5
			rng := rand.New(rand.NewSource(7))
			start := docNew(t, sc.typ, sc.init)
			docs := make([][]byte, n)
			hs := make([]uint64, n)
			for i := range docs {
				docs[i] = start
				var err error
				if i%2 == 0 {
					hs[i], err = core.ReplicaNew(sc.typ, wire(t, sc.init))
				} else {
					hs[i], err = core.ReplicaOpen(sc.typ, start)
				}
				require.NoError(t, err)
			}
			defer func() {
				for _, h := range hs {
					core.ReplicaFree(h)
				}
			}()
			var deltas [][]byte
			for step := 0; step < 600; step++ {
				i, j := rng.Intn(n), rng.Intn(n)
				switch k := rng.Intn(10); {
				case k < 5:
					o := &crdtv1.Operation{Replica: fmt.Sprintf("r%d", i), Timestamp: stampAt(uint64(100+step/20+rng.Intn(3)), uint32(rng.Intn(2)))}
					sc.op(rng, o)
					if rng.Intn(40) == 0 {
						o.Replica = "" // refused: REPLICA_REQUIRED
					}
					ob := wire(t, o)
					want, werr := core.DocApply(sc.typ, docs[i], ob)
					delta, gerr := core.ReplicaApply(hs[i], ob)
					sameOutcome(t, step, werr, gerr)
					if werr == nil {
						var res crdtv1.ApplyResult
						require.NoError(t, proto.Unmarshal(want, &res))
						require.Equal(t, res.Delta, delta, "step %d: delta", step)
						docs[i] = res.Doc
						deltas = append(deltas, delta)
					}
				case k < 7 && len(deltas) > 0:
					d := deltas[rng.Intn(len(deltas))]
					want, werr := core.DocMerge(sc.typ, docs[i], d)
					sameOutcome(t, step, werr, core.ReplicaMerge(hs[i], d))
					if werr == nil {
						docs[i] = want
					}
				case k < 8:
					want, werr := core.DocMerge(sc.typ, docs[i], docs[j])
					sameOutcome(t, step, werr, core.ReplicaMergeReplica(hs[i], hs[j]))
					if werr == nil {
						docs[i] = want
					}
				case k < 9:
					want, werr := core.DocMerge(sc.typ, docs[i], docs[j])
					sameOutcome(t, step, werr, core.ReplicaMerge(hs[i], docs[j]))
					if werr == nil {
						docs[i] = want
					}
				default: // replica i becomes a clone of j
					c, err := core.ReplicaClone(hs[j])
					require.NoError(t, err)
					core.ReplicaFree(hs[i])
					hs[i], docs[i] = c, docs[j]
				}
				got, err := core.ReplicaEncode(hs[i])
				require.NoError(t, err)
				require.Equal(t, docs[i], got, "step %d: replica %d", step, i)
				if step%25 == 0 {
					for _, f := range []codec.Format{codec.Binary, codec.JSON} {
						want, werr := core.DocMaterialize(sc.typ, f, docs[i])
						got, gerr := core.ReplicaMaterialize(hs[i], f)
						sameOutcome(t, step, werr, gerr)
						require.Equal(t, want, got, "step %d: materialised", step)
					}
				}
			}
			for i := range hs { // the untouched replicas still hold their bytes
				got, err := core.ReplicaEncode(hs[i])
				require.NoError(t, err)
				require.Equal(t, docs[i], got)
			}
			require.NotEmpty(t, deltas)
		})
	}
}

// TestReplicaCloneIsIndependent: a clone shares the document's unchanged
// parts, yet changes to either never show in the other.
func TestReplicaCloneIsIndependent(t *testing.T) {
	a, err := core.ReplicaNew(cellDoc, wire(t, cellInit("a", 1, &cellv1.CellState{Config: &cellv1.CellConfig{Id: "c", MaxSize: 10}, Members: []string{"m1", "m2"}})))
	require.NoError(t, err)
	defer core.ReplicaFree(a)
	before, err := core.ReplicaEncode(a)
	require.NoError(t, err)
	b, err := core.ReplicaClone(a)
	require.NoError(t, err)
	defer core.ReplicaFree(b)
	_, err = core.ReplicaApply(b, wire(t, docOp("b", 2, addMember("m3"))))
	require.NoError(t, err)
	_, err = core.ReplicaApply(b, wire(t, docOp("b", 3, removeMember("m1"))))
	require.NoError(t, err)
	got, err := core.ReplicaEncode(a)
	require.NoError(t, err)
	require.Equal(t, before, got, "the original changed with its clone")
	_, err = core.ReplicaApply(a, wire(t, docOp("a", 4, setLeader("m2"))))
	require.NoError(t, err)
	st := materializeReplica(t, b)
	require.Equal(t, []string{"m2", "m3"}, st.Members)
	require.Empty(t, st.GetLeaderId(), "the clone changed with its original")
	require.NoError(t, core.ReplicaMergeReplica(b, a))
	st = materializeReplica(t, b)
	require.Equal(t, "m2", st.GetLeaderId())
}

func materializeReplica(t *testing.T, h uint64) *cellv1.CellState {
	out, err := core.ReplicaMaterialize(h, codec.Binary)
	require.NoError(t, err)
	st := &cellv1.CellState{}
	require.NoError(t, proto.Unmarshal(out, st))
	return st
}

// TestReplicaErrors: bad handles, other document types, bad input; a failed
// call leaves the replica unchanged.
func TestReplicaErrors(t *testing.T) {
	init := wire(t, cellInit("a", 1, &cellv1.CellState{Config: &cellv1.CellConfig{Id: "c", MaxSize: 2}, Members: []string{"m1", "m2"}}))
	h, err := core.ReplicaNew(cellDoc, init)
	require.NoError(t, err)
	require.Equal(t, uint64(core.KindReplica), h&0xff)
	before, err := core.ReplicaEncode(h)
	require.NoError(t, err)

	_, err = core.ReplicaApply(h, wire(t, docOp("a", 2, addMember("m3")))) // full: max_size 2
	require.Equal(t, status.Invalid, status.Of(err), "%v", err)
	require.Equal(t, "CELL_FULL", codeOf(err))
	err = core.ReplicaMerge(h, []byte{0x0a, 0xff}) // truncated
	require.Equal(t, status.Decode, status.Of(err), "%v", err)
	_, err = core.ReplicaApply(h, []byte{0xff})
	require.Equal(t, status.Decode, status.Of(err), "%v", err)
	other, err := core.ReplicaNew(cellDoc, wire(t, cellInit("b", 1, &cellv1.CellState{Config: &cellv1.CellConfig{Id: "other"}})))
	require.NoError(t, err)
	err = core.ReplicaMergeReplica(h, other)
	require.Equal(t, status.Mismatch, status.Of(err), "%v", err)
	core.ReplicaFree(other)
	err = core.ReplicaMergeReplica(h, other)
	require.Equal(t, handle.CodeInvalidHandle, codeOf(err), "%v", err)
	require.Contains(t, err.Error(), "other replica")
	zone, err := core.ReplicaNew(zoneDoc, nil)
	require.NoError(t, err)
	err = core.ReplicaMergeReplica(h, zone)
	require.Equal(t, "DOC_TYPE_MISMATCH", codeOf(err), "%v", err)
	core.ReplicaFree(zone)
	_, err = core.ReplicaMaterialize(h, codec.Format(99))
	require.Error(t, err)
	after, err := core.ReplicaEncode(h)
	require.NoError(t, err)
	require.Equal(t, before, after, "a failed call changed the replica")

	_, err = core.ReplicaOpen(cellDoc, []byte{0x0a, 0xff})
	require.Equal(t, status.Decode, status.Of(err), "%v", err)
	_, err = core.ReplicaOpen("cap.cell.v1.CellState", nil)
	require.Equal(t, status.UnknownType, status.Of(err), "%v", err)
	_, err = core.ReplicaNew(nodeDoc, init) // a CellState init for a node document
	require.Equal(t, "WRONG_INITIAL_TYPE", codeOf(err), "%v", err)

	art, err := core.ArtifactNew(wire(t, &directivev1.ArtifactSpec{BlobHash: hash64, SizeBytes: 10}))
	require.NoError(t, err)
	_, err = core.ReplicaEncode(art)
	require.Equal(t, handle.CodeWrongKind, codeOf(err), "%v", err)
	core.ReplicaFree(art) // another kind: a no-op
	require.NoError(t, core.ArtifactUpdate(art, nil))
	core.ArtifactFree(art)

	core.ReplicaFree(h)
	core.ReplicaFree(h) // twice: a no-op
	core.ReplicaFree(0)
	for _, call := range []func() error{
		func() error { _, err := core.ReplicaEncode(h); return err },
		func() error { _, err := core.ReplicaApply(h, nil); return err },
		func() error { return core.ReplicaMerge(h, nil) },
		func() error { _, err := core.ReplicaClone(h); return err },
		func() error { _, err := core.ReplicaMaterialize(h, codec.Binary); return err },
		func() error { _, err := core.ReplicaEncode(0); return err },
	} {
		err := call()
		require.Equal(t, status.InvalidArgument, status.Of(err), "%v", err)
		require.Equal(t, handle.CodeInvalidHandle, codeOf(err))
	}
}

// TestConcurrentReplicas (run under -race by make test-race): replicas
// cloned from one base are changed and merged from many goroutines at once;
// clones share the base's sub-messages, so an in-place change anywhere would
// be a data race, and every replica must still match the stateless result.
func TestConcurrentReplicas(t *testing.T) {
	base, err := core.ReplicaNew(cellDoc, wire(t, cellInit("seed", 1, &cellv1.CellState{Config: &cellv1.CellConfig{Id: "cell-1", MaxSize: 40}, Members: []string{"m0", "m1"}})))
	require.NoError(t, err)
	defer core.ReplicaFree(base)
	start, err := core.ReplicaEncode(base)
	require.NoError(t, err)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			errs <- func() error {
				rng := rand.New(rand.NewSource(int64(g)))
				c, err := core.ReplicaClone(base)
				if err != nil {
					return err
				}
				defer core.ReplicaFree(c)
				doc := start
				for step := 0; step < 200; step++ {
					o := &crdtv1.Operation{Replica: fmt.Sprintf("g%d", g), Timestamp: stampAt(uint64(10+step), 0)}
					randomCellOp(rng, o)
					ob, _ := proto.Marshal(o)
					want, werr := core.DocApply(cellDoc, doc, ob)
					_, gerr := core.ReplicaApply(c, ob)
					if (werr == nil) != (gerr == nil) {
						return fmt.Errorf("step %d: stateless %v, replica %v", step, werr, gerr)
					}
					if werr == nil {
						var res crdtv1.ApplyResult
						if err := proto.Unmarshal(want, &res); err != nil {
							return err
						}
						doc = res.Doc
					}
					if _, err := core.ReplicaMaterialize(base, codec.Binary); err != nil {
						return err
					}
				}
				got, err := core.ReplicaEncode(c)
				if err != nil {
					return err
				}
				if string(got) != string(doc) {
					return fmt.Errorf("goroutine %d: replica differs from the stateless document", g)
				}
				return core.ReplicaMergeReplica(c, base)
			}()
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	got, err := core.ReplicaEncode(base)
	require.NoError(t, err)
	require.Equal(t, start, got)
}

func codeOf(err error) string { return status.From(err).Code }
