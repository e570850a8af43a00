package directive

import (
	"fmt"
	"testing"

	capabilityv1 "github.com/peat-protocol/libpeat/core/pb/cap/capability/v1"
	nodev1 "github.com/peat-protocol/libpeat/core/pb/cap/node/v1"
	pb "github.com/peat-protocol/libpeat/core/pb/peat/directive/v1"
)

func BenchmarkTargetCapability(b *testing.B) {
	node := &nodev1.NodeConfig{Id: "uav-7"}
	for i := 0; i < 20; i++ {
		node.Capabilities = append(node.Capabilities, &capabilityv1.Capability{Id: fmt.Sprintf("cap-%d", i), Name: fmt.Sprintf("Capability_%d", i)})
	}
	req := &pb.TargetRequest{
		Directive: withScope(capability(&pb.CapabilityFilter{RequiredCapabilities: []string{"capability_3", "CAP-19"},
			MinGpuMemoryMb: mb(4096), MinMemoryMb: mb(4096), Custom: map[string]string{"os": "linux"}})),
		NodeConfig: node,
		Resources:  &pb.NodeResources{GpuMemoryMb: mb(8192), MemoryMb: mb(8192), Custom: map[string]string{"os": "linux"}},
	}
	b.ReportAllocs()
	for b.Loop() {
		d, err := Target(req)
		if err != nil || !d.GetTargeted() {
			b.Fatal(err, d)
		}
	}
}

func BenchmarkSummarize1000(b *testing.B) {
	req := &pb.SummarizeRequest{Directive: rollout(nil, nil), Now: at(issued + 60)}
	states := []pb.DeploymentState{Pending, Downloading, Activating, Active, Active, Active, Failed, RolledBack}
	for i := 0; i < 1000; i++ {
		node := fmt.Sprintf("node-%04d", i)
		req.TargetedNodeIds = append(req.TargetedNodeIds, node)
		req.Statuses = append(req.Statuses, report(node, states[i%len(states)]))
	}
	b.ReportAllocs()
	for b.Loop() {
		s, err := Summarize(req)
		if err != nil || s.GetTargeted() != 1000 {
			b.Fatal(err)
		}
	}
}

func BenchmarkRustJSONDirective(b *testing.B) {
	d := seedDirective()
	b.ReportAllocs()
	for b.Loop() {
		out, err := MarshalRustJSON(d)
		if err != nil {
			b.Fatal(err)
		}
		if err := UnmarshalRustJSON(out, &pb.DeploymentDirective{}); err != nil {
			b.Fatal(err)
		}
	}
}
