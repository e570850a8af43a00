// Package reference repeats, through libpeat's core, the workloads of the
// Rust reference implementation's criterion benchmarks
// (peat-protocol/benches/cap_benchmarks.rs, described in
// shared/research/peat-semantics.md §6), so the two can be compared on the
// same work. Run with `make bench-reference` (or go test -bench . ./bench/reference).
//
// libpeat does more per step than the reference (its merges are convergent
// CRDTs with metadata, and results are validated), so these numbers are an
// upper bound for equivalent work, not a like-for-like micro-benchmark.
package reference

import (
	"crypto/rand"
	"fmt"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/peat-protocol/libpeat/core"
	"github.com/peat-protocol/libpeat/core/codec"
	capabilityv1 "github.com/peat-protocol/libpeat/core/pb/cap/capability/v1"
	cellv1 "github.com/peat-protocol/libpeat/core/pb/cap/cell/v1"
	commonv1 "github.com/peat-protocol/libpeat/core/pb/cap/common/v1"
	nodev1 "github.com/peat-protocol/libpeat/core/pb/cap/node/v1"
	crdtv1 "github.com/peat-protocol/libpeat/core/pb/peat/crdt/v1"
)

// uuid4 makes a random RFC 4122 version-4 id, as the reference's constructors do.
func uuid4() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

func mustMarshal(b *testing.B, m proto.Message) []byte {
	out, err := proto.Marshal(m)
	if err != nil {
		b.Fatal(err)
	}
	return out
}

func check(b *testing.B, _ []byte, err error) {
	if err != nil {
		b.Fatal(err)
	}
}

// cell_formation_throughput/{10,50,100}: build n node configs (UUID, then
// id node_i, one Sensor capability), chunk them into cells of 5, and form each
// cell as a replicated document whose materialised state is validated.
func BenchmarkCellFormation(b *testing.B) {
	for _, n := range []int{10, 50, 100} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				nodes := make([]*nodev1.NodeConfig, n)
				for j := range nodes {
					nodes[j] = &nodev1.NodeConfig{Id: uuid4(), PlatformType: "uav", CommRangeM: 1000, MaxSpeedMps: 10}
					nodes[j].Id = fmt.Sprintf("node_%d", j)
					nodes[j].Capabilities = []*capabilityv1.Capability{{Id: fmt.Sprintf("cap_%d", j), Name: "sensor",
						CapabilityType: capabilityv1.CapabilityType_CAPABILITY_TYPE_SENSOR, Confidence: 0.9}}
				}
				for c := 0; c < n; c += 5 {
					st := &cellv1.CellState{Config: &cellv1.CellConfig{Id: uuid4(), MaxSize: 5, MinSize: 2},
						Timestamp: &commonv1.Timestamp{Seconds: 1_700_000_000}}
					for _, nd := range nodes[c:min(c+5, n)] {
						st.Members = append(st.Members, nd.Id)
						st.Capabilities = append(st.Capabilities, nd.Capabilities...)
					}
					init := mustMarshal(b, &crdtv1.DocInit{Replica: "bench", Id: st.Config.Id,
						Timestamp: st.Timestamp, Initial: &crdtv1.DocInit_CellState{CellState: st}})
					doc, err := core.DocNew("peat.crdt.v1.CellDoc", init)
					check(b, doc, err)
					state, err := core.DocMaterialize("peat.crdt.v1.CellDoc", codec.Binary, doc)
					check(b, state, err)
					report, err := core.Validate("cap.cell.v1.CellState", codec.Binary, state, nil)
					check(b, report, err)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "nodes/s")
		})
	}
}

// capability_aggregation/{10,50,100} nodes: node i has (i mod 3)+3
// capabilities; all are aggregated into one cell with the plain, convergent
// G-Set merge (dedup by capability id), as one batch call.
func BenchmarkCapabilityAggregation(b *testing.B) {
	types := []capabilityv1.CapabilityType{capabilityv1.CapabilityType_CAPABILITY_TYPE_SENSOR,
		capabilityv1.CapabilityType_CAPABILITY_TYPE_COMMUNICATION, capabilityv1.CapabilityType_CAPABILITY_TYPE_COMPUTE,
		capabilityv1.CapabilityType_CAPABILITY_TYPE_MOBILITY}
	for _, n := range []int{10, 50, 100} {
		msgs := make([][]byte, n)
		for i := range msgs {
			st := &cellv1.CellState{Config: &cellv1.CellConfig{Id: "cell-agg", MaxSize: 200, MinSize: 2}, Members: []string{fmt.Sprintf("node_%d", i)},
				Timestamp: &commonv1.Timestamp{Seconds: 1_700_000_000}}
			for j := 0; j < i%3+3; j++ {
				st.Capabilities = append(st.Capabilities, &capabilityv1.Capability{Id: fmt.Sprintf("cap_%d_%d", i, j),
					Name: "c", CapabilityType: types[j%4], Confidence: 0.8 + 0.02*float32(j)})
			}
			msgs[i] = mustMarshal(&testing.B{}, st)
		}
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				out, err := core.MergeBatch("cap.cell.v1.CellState", codec.Binary, codec.Binary, msgs)
				check(b, out, err)
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "nodes/s")
		})
	}
}

// crdt_sync_latency/{2,5,10} peers: peer i's replica adds member node_i at
// time i; one replica merges every peer's document and materialises the result.
func BenchmarkCRDTSyncLatency(b *testing.B) {
	for _, p := range []int{2, 5, 10} {
		docs := make([][]byte, p)
		for i := range docs {
			st := &cellv1.CellState{Config: &cellv1.CellConfig{Id: "cell-sync", MaxSize: 20, MinSize: 1},
				Members: []string{fmt.Sprintf("node_%d", i)}, Timestamp: &commonv1.Timestamp{Seconds: uint64(i)}}
			init := mustMarshal(&testing.B{}, &crdtv1.DocInit{Replica: fmt.Sprintf("peer-%d", i), Id: "cell-sync",
				Timestamp: st.Timestamp, Initial: &crdtv1.DocInit_CellState{CellState: st}})
			d, err := core.DocNew("peat.crdt.v1.CellDoc", init)
			if err != nil {
				b.Fatal(err)
			}
			docs[i] = d
		}
		b.Run(fmt.Sprint(p), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				acc := docs[0]
				for _, d := range docs[1:] {
					var err error
					acc, err = core.DocMerge("peat.crdt.v1.CellDoc", acc, d)
					check(b, acc, err)
				}
				st, err := core.DocMaterialize("peat.crdt.v1.CellDoc", codec.Binary, acc)
				check(b, st, err)
			}
		})
	}
}
