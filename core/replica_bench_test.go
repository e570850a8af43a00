package core_test

import (
	"fmt"
	"testing"

	"github.com/peat-protocol/libpeat/core"
	"github.com/peat-protocol/libpeat/core/codec"
	capabilityv1 "github.com/peat-protocol/libpeat/core/pb/cap/capability/v1"
	cellv1 "github.com/peat-protocol/libpeat/core/pb/cap/cell/v1"
	commonv1 "github.com/peat-protocol/libpeat/core/pb/cap/common/v1"
	crdtv1 "github.com/peat-protocol/libpeat/core/pb/peat/crdt/v1"
)

// Go-direct costs of the replica calls on the refbench document workloads
// (make bench-reference times the same work through the C ABI).

// BenchmarkReplicaSetLeader10: leader_election/10 — one set_leader
// operation on a replica of a 10-member cell, delta encoded.
func BenchmarkReplicaSetLeader10(b *testing.B) {
	st := &cellv1.CellState{Config: &cellv1.CellConfig{Id: "cell-1", MaxSize: 10}, Timestamp: &commonv1.Timestamp{Seconds: 1}}
	for i := 0; i < 10; i++ {
		st.Members = append(st.Members, fmt.Sprintf("node_%d", i))
	}
	h, err := core.ReplicaNew(cellDoc, wire(b, cellInit("r", 1, st)))
	if err != nil {
		b.Fatal(err)
	}
	defer core.ReplicaFree(h)
	op := wire(b, docOp("r", 2, setLeader("node_0")))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := core.ReplicaApply(h, op); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReplicaSync10: crdt_sync_latency/10 — clone peer 0's replica,
// merge the 9 other peers' replicas into it, materialise.
func BenchmarkReplicaSync10(b *testing.B) {
	hs := make([]uint64, 10)
	for i := range hs {
		st := &cellv1.CellState{Config: &cellv1.CellConfig{Id: "cell-sync", MaxSize: 20, MinSize: 1},
			Members: []string{fmt.Sprintf("node_%d", i)}, Timestamp: &commonv1.Timestamp{Seconds: uint64(i)}}
		init := &crdtv1.DocInit{Replica: fmt.Sprintf("peer-%d", i), Id: "cell-sync", Timestamp: st.Timestamp,
			Initial: &crdtv1.DocInit_CellState{CellState: st}}
		var err error
		if hs[i], err = core.ReplicaNew(cellDoc, wire(b, init)); err != nil {
			b.Fatal(err)
		}
		defer core.ReplicaFree(hs[i])
	}
	b.ReportAllocs()
	for b.Loop() {
		c, err := core.ReplicaClone(hs[0])
		if err != nil {
			b.Fatal(err)
		}
		for _, o := range hs[1:] {
			if err := core.ReplicaMergeReplica(c, o); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := core.ReplicaMaterialize(c, codec.Binary); err != nil {
			b.Fatal(err)
		}
		core.ReplicaFree(c)
	}
}

// BenchmarkReplicaFormCell5: cell_formation per cell — a replica from a
// DocInit holding a 5-member CellState with one capability each, materialised.
func BenchmarkReplicaFormCell5(b *testing.B) {
	st := &cellv1.CellState{Config: &cellv1.CellConfig{Id: "8c1d5f0e-3a8b-4d2e-9f6a-1b2c3d4e5f60", MaxSize: 5, MinSize: 2},
		Timestamp: &commonv1.Timestamp{Seconds: 1_700_000_000}}
	for i := 0; i < 5; i++ {
		st.Members = append(st.Members, fmt.Sprintf("node_%d", i))
		st.Capabilities = append(st.Capabilities, &capabilityv1.Capability{Id: fmt.Sprintf("cap_%d", i), Name: "Test Cap",
			CapabilityType: capabilityv1.CapabilityType_CAPABILITY_TYPE_SENSOR, Confidence: 0.9})
	}
	init := wire(b, &crdtv1.DocInit{Replica: "bench", Id: st.Config.Id, Timestamp: st.Timestamp,
		Initial: &crdtv1.DocInit_CellState{CellState: st}})
	b.ReportAllocs()
	for b.Loop() {
		h, err := core.ReplicaNew(cellDoc, init)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := core.ReplicaMaterialize(h, codec.Binary); err != nil {
			b.Fatal(err)
		}
		core.ReplicaFree(h)
	}
}
