// Command inputs writes the benchmark inputs that every language measures
// (build/bench/inputs/*.bin), so that Go, C, C++, Python and Java time the
// same bytes. Usage: go run ./bench/inputs DIR
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"google.golang.org/protobuf/proto"

	"github.com/peat-protocol/libpeat/core"
	"github.com/peat-protocol/libpeat/core/codec"
	capabilityv1 "github.com/peat-protocol/libpeat/core/pb/cap/capability/v1"
	cellv1 "github.com/peat-protocol/libpeat/core/pb/cap/cell/v1"
	commonv1 "github.com/peat-protocol/libpeat/core/pb/cap/common/v1"
	nodev1 "github.com/peat-protocol/libpeat/core/pb/cap/node/v1"
	crdtv1 "github.com/peat-protocol/libpeat/core/pb/peat/crdt/v1"
)

func capability(i int, pad int) *capabilityv1.Capability {
	return &capabilityv1.Capability{
		Id: fmt.Sprintf("cap-%03d", i), Name: fmt.Sprintf("sensor %d", i),
		CapabilityType: capabilityv1.CapabilityType_CAPABILITY_TYPE_SENSOR, Confidence: 0.9,
		MetadataJson: `{"band":"` + strings.Repeat("x", pad) + `"}`,
		RegisteredAt: &commonv1.Timestamp{Seconds: 1_700_000_000, Nanos: uint32(i)},
	}
}

// NodeConfig returns a node with n capabilities whose metadata is padded so
// that the encoded message is about size bytes (0: no padding).
func NodeConfig(n, size int) *nodev1.NodeConfig {
	m := &nodev1.NodeConfig{Id: "uav-7", PlatformType: "quadrotor", CommRangeM: 1500, MaxSpeedMps: 22,
		CreatedAt: &commonv1.Timestamp{Seconds: 1_700_000_000}}
	pad := 0
	if size > 0 {
		pad = size/n - 80
	}
	for i := 0; i < n; i++ {
		m.Capabilities = append(m.Capabilities, capability(i, pad))
	}
	return m
}

func cellState(replica string) *cellv1.CellState {
	leader := "node-0"
	s := &cellv1.CellState{
		Config:    &cellv1.CellConfig{Id: "cell-alpha", MaxSize: 8, MinSize: 2, CreatedAt: &commonv1.Timestamp{Seconds: 1_700_000_000}},
		LeaderId:  &leader,
		Timestamp: &commonv1.Timestamp{Seconds: 1_700_000_100},
	}
	for i := 0; i < 8; i++ {
		s.Members = append(s.Members, fmt.Sprintf("node-%d", i))
	}
	s.Capabilities = []*capabilityv1.Capability{capability(1, 0), capability(2, 0)}
	if replica == "b" {
		s.Timestamp.Nanos = 500
		s.Capabilities = append(s.Capabilities, capability(3, 0))
	}
	return s
}

// cellDoc returns a cell document whose members are [from, from+n).
func cellDoc(replica string, from, n int) ([]byte, error) {
	st := &cellv1.CellState{Config: &cellv1.CellConfig{Id: "cell-bench", MaxSize: 1 << 30, MinSize: 2}}
	for i := from; i < from+n; i++ {
		st.Members = append(st.Members, fmt.Sprintf("node-%07d", i))
	}
	init := &crdtv1.DocInit{Replica: replica, Id: "cell-bench", Timestamp: &commonv1.Timestamp{Seconds: 1_700_000_000},
		Initial: &crdtv1.DocInit_CellState{CellState: st}}
	b, err := proto.Marshal(init)
	if err != nil {
		return nil, err
	}
	return core.DocNew("peat.crdt.v1.CellDoc", b)
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: inputs DIR")
		os.Exit(2)
	}
	dir := os.Args[1]
	must(os.MkdirAll(dir, 0o755))
	write := func(name string, m proto.Message) {
		b, err := codec.Encode(m, codec.Binary)
		must(err)
		must(os.WriteFile(filepath.Join(dir, name), b, 0o644))
	}
	write("nodeconfig_small.bin", NodeConfig(1, 0))
	write("nodeconfig_50kb.bin", NodeConfig(100, 50*1024-600))
	write("cellstate8_a.bin", cellState("a"))
	write("cellstate8_b.bin", cellState("b"))
	write("nodestate_small.bin", &nodev1.NodeState{
		Position: &commonv1.Position{Latitude: 37.77, Longitude: -122.42, Altitude: 120}, FuelMinutes: 90,
		Health: nodev1.HealthStatus_HEALTH_STATUS_NOMINAL, Phase: nodev1.Phase_PHASE_CELL,
		Timestamp: &commonv1.Timestamp{Seconds: 1_700_000_000, Nanos: 1}})
	for _, n := range []int{10_000, 100_000} {
		for _, r := range []struct {
			replica string
			from    int
		}{{"a", 0}, {"b", n / 2}} {
			b, err := cellDoc(r.replica, r.from, n)
			if err != nil {
				fmt.Fprintf(os.Stderr, "inputs: cell documents: %v\n", err)
				os.Exit(1)
			}
			must(os.WriteFile(filepath.Join(dir, fmt.Sprintf("celldoc_%dk_%s.bin", n/1000, r.replica)), b, 0o644))
		}
	}
}

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "inputs:", err)
		os.Exit(1)
	}
}
