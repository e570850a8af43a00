package core_test

import (
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"google.golang.org/protobuf/proto"

	"github.com/peat-protocol/libpeat/core"
	"github.com/peat-protocol/libpeat/core/codec"
	capabilityv1 "github.com/peat-protocol/libpeat/core/pb/cap/capability/v1"
	cellv1 "github.com/peat-protocol/libpeat/core/pb/cap/cell/v1"
	zonev1 "github.com/peat-protocol/libpeat/core/pb/cap/zone/v1"
	crdtv1 "github.com/peat-protocol/libpeat/core/pb/peat/crdt/v1"
)

// memberIDs returns n UUID-shaped ids starting at index from.
func memberIDs(from, n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("%08x-0000-4000-8000-%012x", from+i, from+i)
	}
	return ids
}

// halfOverlapping returns two documents of one entity with n elements each,
// written by different replicas, sharing n/2 elements.
func halfOverlapping(b testing.TB, typ string, n int) ([]byte, []byte) {
	mk := func(replica string, from int) []byte {
		if typ == cellDoc {
			return docNew(b, typ, cellInit(replica, 100, &cellv1.CellState{Config: &cellv1.CellConfig{Id: "cell-1"}, Members: memberIDs(from, n)}))
		}
		return docNew(b, typ, zoneInit(replica, 100, &zonev1.ZoneState{Config: &zonev1.ZoneConfig{Id: "zone-1"}, Cells: memberIDs(from, n)}))
	}
	return mk("replica-a", 0), mk("replica-b", n/2)
}

func benchDocMerge(b *testing.B, typ string) {
	for _, n := range []int{10, 1000, 10000, 100000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			x, y := halfOverlapping(b, typ, n)
			b.SetBytes(int64(len(x) + len(y)))
			b.ReportAllocs()
			b.ResetTimer()
			cpu0 := processCPU()
			for i := 0; i < b.N; i++ {
				if _, err := core.DocMerge(typ, x, y); err != nil {
					b.Fatal(err)
				}
			}
			cpu := processCPU() - cpu0
			b.ReportMetric(float64(2*n)*float64(b.N)/b.Elapsed().Seconds(), "elems/s")
			// CPU time (all threads, GC included) is what a loaded machine
			// does not distort: elements per CPU-second is per-core throughput.
			b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
			b.ReportMetric(float64(2*n)*float64(b.N)/cpu.Seconds(), "elems/cpu-s")
		})
	}
}

// processCPU is the process's user+system CPU time so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkDocMergeCell merges two cell documents of n members each, half
// shared (bytes in, bytes out, as through the C ABI).
func BenchmarkDocMergeCell(b *testing.B) { benchDocMerge(b, cellDoc) }

// BenchmarkDocMergeZone is the same for zone documents and their cells.
func BenchmarkDocMergeZone(b *testing.B) { benchDocMerge(b, zoneDoc) }

// BenchmarkMergeCellState8 merges two plain CellStates of 8 members (4 shared).
func BenchmarkMergeCellState8(b *testing.B) {
	cfg := &cellv1.CellConfig{Id: "cell-1", MaxSize: 16, MinSize: 2}
	capsOf := func(ids ...string) []*capabilityv1.Capability {
		var out []*capabilityv1.Capability
		for _, id := range ids {
			out = append(out, &capabilityv1.Capability{Id: id, Name: id, Confidence: 0.8, RegisteredAt: stampAt(5, 0)})
		}
		return out
	}
	x := wire(b, &cellv1.CellState{Config: cfg, LeaderId: proto.String(memberIDs(0, 1)[0]), Members: memberIDs(0, 8), Capabilities: capsOf("cam", "gps"), Timestamp: stampAt(100, 0)})
	y := wire(b, &cellv1.CellState{Config: cfg, LeaderId: proto.String(memberIDs(4, 1)[0]), Members: memberIDs(4, 8), Capabilities: capsOf("gps", "radio"), Timestamp: stampAt(101, 0)})
	b.SetBytes(int64(len(x) + len(y)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := core.Merge("cap.cell.v1.CellState", codec.Binary, codec.Binary, x, y); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMergeCellState1000 merges two plain CellStates of 1,000 UUID
// members each (500 shared) and 10 capabilities each (5 shared), bytes in
// and out.
func BenchmarkMergeCellState1000(b *testing.B) {
	cfg := &cellv1.CellConfig{Id: "cell-1", MaxSize: 2000, MinSize: 2}
	capsOf := func(from int) []*capabilityv1.Capability {
		var out []*capabilityv1.Capability
		for i := from; i < from+10; i++ {
			id := fmt.Sprintf("cap-%03d", i)
			out = append(out, &capabilityv1.Capability{Id: id, Name: id, Confidence: 0.8, RegisteredAt: stampAt(5, 0)})
		}
		return out
	}
	x := wire(b, &cellv1.CellState{Config: cfg, LeaderId: proto.String(memberIDs(0, 1)[0]), Members: memberIDs(0, 1000), Capabilities: capsOf(0), Timestamp: stampAt(100, 0)})
	y := wire(b, &cellv1.CellState{Config: cfg, LeaderId: proto.String(memberIDs(500, 1)[0]), Members: memberIDs(500, 1000), Capabilities: capsOf(5), Timestamp: stampAt(101, 0)})
	b.SetBytes(int64(len(x) + len(y)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := core.Merge("cap.cell.v1.CellState", codec.Binary, codec.Binary, x, y); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMergeBatchCapabilityAggregation100 is the reference's
// capability_aggregation/100 as one merge_batch call: 100 CellStates of one
// cell, node i with one member and (i mod 3)+3 capabilities.
func BenchmarkMergeBatchCapabilityAggregation100(b *testing.B) {
	types := []capabilityv1.CapabilityType{capabilityv1.CapabilityType_CAPABILITY_TYPE_SENSOR,
		capabilityv1.CapabilityType_CAPABILITY_TYPE_COMMUNICATION, capabilityv1.CapabilityType_CAPABILITY_TYPE_COMPUTE,
		capabilityv1.CapabilityType_CAPABILITY_TYPE_MOBILITY}
	msgs := make([][]byte, 100)
	for i := range msgs {
		st := &cellv1.CellState{Config: &cellv1.CellConfig{Id: "cell-agg", MaxSize: 200, MinSize: 2},
			Members: []string{fmt.Sprintf("node_%d", i)}, Timestamp: stampAt(1_700_000_000, 0)}
		for j := 0; j < i%3+3; j++ {
			st.Capabilities = append(st.Capabilities, &capabilityv1.Capability{Id: fmt.Sprintf("cap_%d_%d", i, j),
				Name: "c", CapabilityType: types[j%4], Confidence: 0.8 + 0.02*float32(j)})
		}
		msgs[i] = wire(b, st)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := core.MergeBatch("cap.cell.v1.CellState", codec.Binary, codec.Binary, msgs); err != nil {
			b.Fatal(err)
		}
	}
}

// TestDeltaSizeVersusFullState reports, for one mutation of a 1,000-member
// cell with UUID ids, the size of the delta against the full document.
func TestDeltaSizeVersusFullState(t *testing.T) {
	doc := docNew(t, cellDoc, &crdtv1.DocInit{Id: "5d1c9e2b-0000-4000-8000-000000000001"})
	for _, id := range memberIDs(0, 1000) {
		doc, _ = docApply(t, cellDoc, doc, docOp("7f3c2a10-0000-4000-8000-00000000000a", 100, addMember(id)))
	}
	for _, m := range []struct {
		name string
		op   func(*crdtv1.Operation)
	}{
		{"add_member", addMember(memberIDs(5000, 1)[0])},
		{"remove_member", removeMember(memberIDs(10, 1)[0])},
		{"set_leader", setLeader(memberIDs(20, 1)[0])},
	} {
		next, delta := docApply(t, cellDoc, doc, docOp("0b8e6f5c-0000-4000-8000-00000000000b", 101, m.op))
		t.Logf("%-13s delta %4d bytes, full document %6d bytes", m.name, len(delta), len(next))
		assert.Less(t, len(delta), 200, m.name)
	}
}

// BenchmarkDocApplyCell adds one member to a cell document of n members (UUID
// ids, config present with room): decode, apply, encode document and delta,
// as through the C ABI. 2,500 members materialise to about 95 KB, just under
// CellState's 100 KB limit.
func BenchmarkDocApplyCell(b *testing.B) {
	for _, n := range []int{1000, 2500} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			doc := docNew(b, cellDoc, cellInit("seed", 100, &cellv1.CellState{
				Config: &cellv1.CellConfig{Id: "cell-1", MaxSize: uint32(2 * n), MinSize: 2}, Members: memberIDs(0, n)}))
			op := wire(b, docOp("replica-b", 101, addMember(memberIDs(n, 1)[0])))
			b.SetBytes(int64(len(doc)))
			b.ReportAllocs()
			b.ResetTimer()
			cpu0 := processCPU()
			for i := 0; i < b.N; i++ {
				if _, err := core.DocApply(cellDoc, doc, op); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64((processCPU()-cpu0).Nanoseconds())/float64(b.N), "cpu-ns/op")
		})
	}
}
