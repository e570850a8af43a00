package reference

// Go-direct cost, bytes and allocations (-benchmem) of each libpeat call that
// bench/refc/refbench.c makes through the C ABI for the reference's criterion
// ids (`make bench-reference` runs both). The core operations read the
// reference's own input bytes, shared/refbench/inputs (REFBENCH_INPUTS
// overrides the path); without them those benchmarks are skipped with the
// path they looked for.

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/peat-protocol/libpeat/core"
	"github.com/peat-protocol/libpeat/core/codec"
	capabilityv1 "github.com/peat-protocol/libpeat/core/pb/cap/capability/v1"
	cellv1 "github.com/peat-protocol/libpeat/core/pb/cap/cell/v1"
	commonv1 "github.com/peat-protocol/libpeat/core/pb/cap/common/v1"
	nodev1 "github.com/peat-protocol/libpeat/core/pb/cap/node/v1"
	crdtv1 "github.com/peat-protocol/libpeat/core/pb/peat/crdt/v1"
	directivev1 "github.com/peat-protocol/libpeat/core/pb/peat/directive/v1"
)

const (
	cellDoc   = "peat.crdt.v1.CellDoc"
	cellState = "cap.cell.v1.CellState"
)

func refInputs(b *testing.B) string {
	dir := os.Getenv("REFBENCH_INPUTS")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "refbench", "inputs")
	}
	if _, err := os.Stat(filepath.Join(dir, "nodeconfig_1.pb")); err != nil {
		b.Skipf("refbench inputs not found at %s (set REFBENCH_INPUTS)", dir)
	}
	return dir
}

func readInput(b *testing.B, dir, name string) []byte {
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		b.Fatal(err)
	}
	return data
}

// BenchmarkCoreOps: validate/bytes/*, proto_roundtrip/* (peat_convert
// binary -> binary), merge/bytes/* and directive_json/parse_serialize.
func BenchmarkCoreOps(b *testing.B) {
	dir := refInputs(b)
	opts := readInput(b, dir, "validate_opts.pb")
	for _, v := range []struct{ name, typ, file string }{
		{"Validate/NodeConfig1", "cap.node.v1.NodeConfig", "nodeconfig_1.pb"},
		{"Validate/NodeConfig100", "cap.node.v1.NodeConfig", "nodeconfig_100.pb"},
		{"Validate/CellState8", cellState, "cellstate_8.pb"},
	} {
		in := readInput(b, dir, v.file)
		b.Run(v.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				out, err := core.Validate(v.typ, codec.Binary, in, opts)
				if err != nil || len(out) < 2 || out[0] != 0x08 || out[1] != 0x01 { // valid = true
					b.Fatal("not valid:", err)
				}
			}
		})
	}
	for _, n := range []int{1, 100} {
		in := readInput(b, dir, fmt.Sprintf("nodeconfig_%d.pb", n))
		b.Run(fmt.Sprintf("Convert/NodeConfig%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				out, err := core.Convert("cap.node.v1.NodeConfig", codec.Binary, codec.Binary, in)
				check(b, out, err)
			}
		})
	}
	for _, n := range []int{8, 1000} {
		x, y := readInput(b, dir, fmt.Sprintf("merge%d_a.pb", n)), readInput(b, dir, fmt.Sprintf("merge%d_b.pb", n))
		b.Run(fmt.Sprintf("Merge/%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				out, err := core.Merge(cellState, codec.Binary, codec.Binary, x, y)
				check(b, out, err)
			}
		})
	}
	dj := readInput(b, dir, "directive.json")
	b.Run("DirectiveRustJSON", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			out, err := core.Convert("peat.directive.v1.DeploymentDirective", codec.RustJSON, codec.RustJSON, dj)
			check(b, out, err)
		}
	})
}

func members(prefix string, n int) []string {
	m := make([]string, n)
	for i := range m {
		m[i] = fmt.Sprintf("%s%d", prefix, i)
	}
	return m
}

func newReplica(b *testing.B, replica, id string, seconds uint64, st *cellv1.CellState) uint64 {
	h, err := core.ReplicaNew(cellDoc, mustMarshal(b, &crdtv1.DocInit{Replica: replica, Id: id,
		Timestamp: &commonv1.Timestamp{Seconds: seconds}, Initial: &crdtv1.DocInit_CellState{CellState: st}}))
	if err != nil {
		b.Fatal(err)
	}
	return h
}

// BenchmarkReplicaOps: the replica calls of cell_formation (one cell of 5),
// leader_election/n (one set_leader) and crdt_sync_latency/p.
func BenchmarkReplicaOps(b *testing.B) {
	st := &cellv1.CellState{Config: &cellv1.CellConfig{Id: "5d74c7e8-81ef-4790-928a-6b791d7b2ac9", MaxSize: 5, MinSize: 2,
		CreatedAt: &commonv1.Timestamp{Seconds: 1_700_000_000}}, Members: members("node_", 5),
		Timestamp: &commonv1.Timestamp{Seconds: 1_700_000_000}}
	for i := range 5 {
		st.Capabilities = append(st.Capabilities, &capabilityv1.Capability{Id: fmt.Sprintf("cap_%d", i), Name: "Test Cap",
			CapabilityType: capabilityv1.CapabilityType_CAPABILITY_TYPE_SENSOR, Confidence: 0.9})
	}
	init := mustMarshal(b, &crdtv1.DocInit{Replica: "bench", Id: st.Config.Id, Timestamp: st.Timestamp,
		Initial: &crdtv1.DocInit_CellState{CellState: st}})
	b.Run("FormCell5/New+Materialize+Free", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			h, err := core.ReplicaNew(cellDoc, init)
			if err != nil {
				b.Fatal(err)
			}
			out, err := core.ReplicaMaterialize(h, codec.Binary)
			check(b, out, err)
			core.ReplicaFree(h)
		}
	})
	for _, n := range []int{5, 10, 20} {
		b.Run(fmt.Sprintf("SetLeader/%d", n), func(b *testing.B) {
			h := newReplica(b, "bench", "cell-election", 1_700_000_000, &cellv1.CellState{
				Config:  &cellv1.CellConfig{Id: "cell-election", MaxSize: uint32(n), MinSize: 2},
				Members: members("node_", n), Timestamp: &commonv1.Timestamp{Seconds: 1_700_000_000}})
			defer core.ReplicaFree(h)
			sec := uint64(1_700_000_000)
			b.ReportAllocs()
			for b.Loop() {
				sec++
				op := mustMarshal(b, &crdtv1.Operation{Replica: "bench", Timestamp: &commonv1.Timestamp{Seconds: sec},
					Mutation: &crdtv1.Operation_SetLeader{SetLeader: &crdtv1.SetLeader{NodeId: "node_0"}}})
				delta, err := core.ReplicaApply(h, op)
				check(b, delta, err)
			}
		})
	}
	for _, p := range []int{2, 5, 10} {
		b.Run(fmt.Sprintf("Sync/%d", p), func(b *testing.B) {
			hs := make([]uint64, p)
			for i := range hs {
				hs[i] = newReplica(b, fmt.Sprintf("peer-%d", i), "cell-sync", uint64(i), &cellv1.CellState{
					Config:  &cellv1.CellConfig{Id: "cell-sync", MaxSize: 20, MinSize: 1},
					Members: []string{fmt.Sprintf("node_%d", i)}, Timestamp: &commonv1.Timestamp{Seconds: uint64(i)}})
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
				out, err := core.ReplicaMaterialize(c, codec.Binary)
				check(b, out, err)
				core.ReplicaFree(c)
			}
		})
	}
}

// BenchmarkCellMerge: rebalancing_operations/cell_merge — two cells of 3
// members and 3 capabilities, one plain merge.
func BenchmarkCellMerge(b *testing.B) {
	cell := func(c int, typ capabilityv1.CapabilityType, conf float32) []byte {
		st := &cellv1.CellState{Config: &cellv1.CellConfig{Id: "cell-rebalance", MaxSize: 10, MinSize: 2},
			Members: members(fmt.Sprintf("node_%d_", c), 3), Timestamp: &commonv1.Timestamp{Seconds: 1_700_000_000 + uint64(c)}}
		for i := range 3 {
			st.Capabilities = append(st.Capabilities, &capabilityv1.Capability{Id: fmt.Sprintf("cap_%d_%d", c, i),
				Name: "Cap", CapabilityType: typ, Confidence: conf})
		}
		return mustMarshal(b, st)
	}
	x := cell(1, capabilityv1.CapabilityType_CAPABILITY_TYPE_SENSOR, 0.9)
	y := cell(2, capabilityv1.CapabilityType_CAPABILITY_TYPE_COMMUNICATION, 0.85)
	b.ReportAllocs()
	for b.Loop() {
		out, err := core.Merge(cellState, codec.Binary, codec.Binary, x, y)
		check(b, out, err)
	}
}

// BenchmarkDirectiveTargetNode: capability_query, per node — one targeting
// decision for a capability scope requiring "Sensor".
func BenchmarkDirectiveTargetNode(b *testing.B) {
	req := mustMarshal(b, &directivev1.TargetRequest{
		Directive: &directivev1.DeploymentDirective{DirectiveId: "capability-query", IssuerNodeId: "observer",
			IssuedAt: &commonv1.Timestamp{Seconds: 1_700_000_000},
			Scope: &directivev1.DeploymentScope{Target: &directivev1.DeploymentScope_Capability{
				Capability: &directivev1.CapabilityFilter{RequiredCapabilities: []string{"Sensor"}}}}},
		NodeConfig: &nodev1.NodeConfig{Id: "node_0", PlatformType: "UAV", CommRangeM: 1000, MaxSpeedMps: 10,
			Capabilities: []*capabilityv1.Capability{
				{Id: "sensor_0", Name: "Sensor", CapabilityType: capabilityv1.CapabilityType_CAPABILITY_TYPE_SENSOR, Confidence: 0.7},
				{Id: "comms_0", Name: "Comms", CapabilityType: capabilityv1.CapabilityType_CAPABILITY_TYPE_COMMUNICATION, Confidence: 0.8}}},
	})
	b.ReportAllocs()
	for b.Loop() {
		out, err := core.DirectiveTarget(req)
		check(b, out, err)
	}
}
