package core_test

import (
	"fmt"
	"math/rand"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/peat-protocol/libpeat/core"
	"github.com/peat-protocol/libpeat/core/codec"
	capabilityv1 "github.com/peat-protocol/libpeat/core/pb/cap/capability/v1"
	cellv1 "github.com/peat-protocol/libpeat/core/pb/cap/cell/v1"
	nodev1 "github.com/peat-protocol/libpeat/core/pb/cap/node/v1"
	zonev1 "github.com/peat-protocol/libpeat/core/pb/cap/zone/v1"
	crdtv1 "github.com/peat-protocol/libpeat/core/pb/peat/crdt/v1"
	"github.com/peat-protocol/libpeat/core/status"
)

// TestSimulation1000Replicas: 1,000 replicas of one document apply random
// operations with skewed clocks and gossip each delta to three random peers
// over a lossy network (20% lost, 10% duplicated, delivery order shuffled
// and partly deferred). Lost deltas are then recovered by push-pull
// anti-entropy of full states. Every replica must end with the same bytes,
// equal to the join of all deltas, and materialise to one state.
func TestSimulation1000Replicas(t *testing.T) {
	for _, sc := range []struct {
		typ  string
		init *crdtv1.DocInit
		op   func(r *rand.Rand, o *crdtv1.Operation)
	}{
		{cellDoc, cellInit("seed", 1, &cellv1.CellState{Config: &cellv1.CellConfig{Id: "cell-1", MinSize: 2}, Members: []string{"m0", "m1"}}), randomCellOp},
		{zoneDoc, zoneInit("seed", 1, &zonev1.ZoneState{Config: &zonev1.ZoneConfig{Id: "zone-1", MaxCells: 1000}, Cells: []string{"m0"}}), randomZoneOp},
		{nodeDoc, nodeInit("seed", 1, &nodev1.NodeState{FuelMinutes: 10_000}), randomNodeOp},
	} {
		t.Run(sc.typ, func(t *testing.T) { simulate(t, sc.typ, sc.init, sc.op) })
	}
}

type message struct {
	to    int
	delta []byte
}

func simulate(t *testing.T, typ string, init *crdtv1.DocInit, randomOp func(*rand.Rand, *crdtv1.Operation)) {
	const (
		replicas = 1000
		rounds   = 6
	)
	rng := rand.New(rand.NewSource(42))
	start := docNew(t, typ, init)
	docs := make([][]byte, replicas)
	for i := range docs {
		docs[i] = start
	}
	var inFlight []message
	allDeltas := [][]byte{}
	for round := 0; round < rounds; round++ {
		for i := range docs {
			if rng.Intn(10) >= 3 {
				continue
			}
			// Clocks: ~round seconds, skewed up to ±2 s per replica.
			o := &crdtv1.Operation{Replica: fmt.Sprintf("r%04d", i), Timestamp: stampAt(uint64(100+round*1+rng.Intn(5)), uint32(rng.Intn(3)))}
			randomOp(rng, o)
			out, err := core.DocApply(typ, docs[i], wire(t, o))
			if err != nil {
				require.Equal(t, status.Invalid, status.Of(err), "%v", err) // e.g. leader not a member here
				continue
			}
			var res crdtv1.ApplyResult
			require.NoError(t, proto.Unmarshal(out, &res))
			docs[i] = res.Doc
			allDeltas = append(allDeltas, res.Delta)
			for k := 0; k < 3; k++ {
				switch p := rng.Intn(10); {
				case p < 2: // lost
				case p < 3: // duplicated
					inFlight = append(inFlight, message{rng.Intn(replicas), res.Delta}, message{rng.Intn(replicas), res.Delta})
				default:
					inFlight = append(inFlight, message{rng.Intn(replicas), res.Delta})
				}
			}
		}
		// Deliver a shuffled part of what is in flight; the rest waits.
		rng.Shuffle(len(inFlight), func(i, j int) { inFlight[i], inFlight[j] = inFlight[j], inFlight[i] })
		keep := inFlight[:0]
		for _, m := range inFlight {
			if rng.Intn(4) == 0 && round < rounds-1 {
				keep = append(keep, m)
				continue
			}
			docs[m.to] = docMerge(t, typ, docs[m.to], m.delta)
		}
		inFlight = keep
	}
	require.NotEmpty(t, allDeltas)

	// Anti-entropy: each replica syncs full state with a random peer.
	converged, syncRounds := false, 0
	for ; syncRounds < 60 && !converged; syncRounds++ {
		for i := range docs {
			j := rng.Intn(replicas)
			m := docMerge(t, typ, docs[i], docs[j])
			docs[i], docs[j] = m, m
		}
		converged = true
		for i := 1; i < replicas; i++ {
			if string(docs[i]) != string(docs[0]) {
				converged = false
				break
			}
		}
	}
	require.True(t, converged, "replicas did not converge")

	// The converged document is the join of the start and every delta
	// (joined as a balanced tree: any grouping gives the same bytes).
	level := append([][]byte{start}, allDeltas...)
	for len(level) > 1 {
		next := make([][]byte, 0, (len(level)+1)/2)
		for i := 0; i < len(level); i += 2 {
			if i+1 == len(level) {
				next = append(next, level[i])
				continue
			}
			next = append(next, docMerge(t, typ, level[i], level[i+1]))
		}
		level = next
	}
	require.Equal(t, level[0], docs[0])
	mat, err := core.DocMaterialize(typ, codec.Binary, docs[0])
	require.NoError(t, err)
	for _, i := range []int{1, replicas / 2, replicas - 1} {
		m, err := core.DocMaterialize(typ, codec.Binary, docs[i])
		require.NoError(t, err)
		require.Equal(t, mat, m)
	}
	t.Logf("%s: %d deltas, %d anti-entropy rounds, converged document %d bytes, materialised %d bytes",
		typ, len(allDeltas), syncRounds, len(docs[0]), len(mat))
}

func pick(r *rand.Rand, n int) string { return fmt.Sprintf("m%d", r.Intn(n)) }

func randomCellOp(r *rand.Rand, o *crdtv1.Operation) {
	switch r.Intn(6) {
	case 0, 1, 2:
		addMember(pick(r, 50))(o)
	case 3:
		removeMember(pick(r, 50))(o)
	case 4:
		setLeader(pick(r, 50))(o)
	default:
		o.Mutation = &crdtv1.Operation_AddCapability{AddCapability: &crdtv1.AddCapability{Capability: &capabilityv1.Capability{Id: pick(r, 5), Confidence: float32(r.Intn(10)) / 10}}}
	}
}

func randomZoneOp(r *rand.Rand, o *crdtv1.Operation) {
	switch r.Intn(5) {
	case 0, 1:
		addCell(pick(r, 30))(o)
	case 2:
		removeCell(pick(r, 30))(o)
	case 3:
		setCoordinator(pick(r, 30))(o)
	default:
		o.Mutation = &crdtv1.Operation_AddCapability{AddCapability: &crdtv1.AddCapability{Capability: &capabilityv1.Capability{Id: pick(r, 5), Name: pick(r, 3)}}}
	}
}

func randomNodeOp(r *rand.Rand, o *crdtv1.Operation) {
	switch r.Intn(5) {
	case 0:
		consume(uint32(r.Intn(20)))(o)
	case 1:
		replenish(uint32(r.Intn(20)))(o)
	case 2:
		updatePosition(float64(r.Intn(90)), float64(r.Intn(180)))(o)
	case 3:
		updateHealth(nodev1.HealthStatus(1 + r.Intn(4)))(o)
	default:
		o.Mutation = &crdtv1.Operation_AssignCell{AssignCell: &crdtv1.AssignCell{CellId: pick(r, 4)}}
	}
}
