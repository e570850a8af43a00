package directive

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	capabilityv1 "github.com/peat-protocol/libpeat/core/pb/cap/capability/v1"
	nodev1 "github.com/peat-protocol/libpeat/core/pb/cap/node/v1"
	pb "github.com/peat-protocol/libpeat/core/pb/peat/directive/v1"
	"github.com/peat-protocol/libpeat/core/status"
)

func withScope(s *pb.DeploymentScope) *pb.DeploymentDirective {
	d := seedDirective()
	d.Scope = s
	return d
}

func broadcast() *pb.DeploymentScope {
	return &pb.DeploymentScope{Target: &pb.DeploymentScope_Broadcast_{Broadcast: &pb.DeploymentScope_Broadcast{}}}
}

func formation(f string) *pb.DeploymentScope {
	return &pb.DeploymentScope{Target: &pb.DeploymentScope_FormationId{FormationId: f}}
}

func nodes(ids ...string) *pb.DeploymentScope {
	return &pb.DeploymentScope{Target: &pb.DeploymentScope_Nodes{Nodes: &pb.DeploymentScope_NodeList{NodeIds: ids}}}
}

func capability(f *pb.CapabilityFilter) *pb.DeploymentScope {
	return &pb.DeploymentScope{Target: &pb.DeploymentScope_Capability{Capability: f}}
}

func jetson() *nodev1.NodeConfig {
	return &nodev1.NodeConfig{Id: "uav-7", PlatformType: "quadrotor", Capabilities: []*capabilityv1.Capability{
		{Id: "cap-od-1", Name: "Object_Detection", CapabilityType: capabilityv1.CapabilityType_CAPABILITY_TYPE_COMPUTE, Confidence: 0.9},
		{Id: "CUDA", Name: "gpu", CapabilityType: capabilityv1.CapabilityType_CAPABILITY_TYPE_COMPUTE, Confidence: 1},
	}}
}

func mb(v uint64) *uint64 { return &v }

func TestTargeting(t *testing.T) {
	inCell := &nodev1.NodeState{CellId: proto.String("formation-alpha"), ZoneId: proto.String("zone-1")}
	inZone := &nodev1.NodeState{CellId: proto.String("cell-9"), ZoneId: proto.String("formation-alpha")}
	elsewhere := &nodev1.NodeState{CellId: proto.String("cell-9"), ZoneId: proto.String("zone-1")}
	rich := &pb.NodeResources{MemoryMb: mb(8192), GpuMemoryMb: mb(4096), StorageMb: mb(32000), Custom: map[string]string{"os": "linux"}}

	cases := []struct {
		name     string
		scope    *pb.DeploymentScope
		state    *nodev1.NodeState
		res      *pb.NodeResources
		targeted bool
		code     pb.TargetReason
	}{
		{"broadcast", broadcast(), nil, nil, true, pb.TargetReason_TARGET_REASON_BROADCAST},
		{"formation via cell", formation("formation-alpha"), inCell, nil, true, pb.TargetReason_TARGET_REASON_FORMATION_MATCH},
		{"formation via zone", formation("formation-alpha"), inZone, nil, true, pb.TargetReason_TARGET_REASON_FORMATION_MATCH},
		{"formation elsewhere", formation("formation-alpha"), elsewhere, nil, false, pb.TargetReason_TARGET_REASON_FORMATION_MISMATCH},
		{"formation case-sensitive", formation("Formation-Alpha"), inCell, nil, false, pb.TargetReason_TARGET_REASON_FORMATION_MISMATCH},
		{"formation no state", formation("formation-alpha"), nil, nil, false, pb.TargetReason_TARGET_REASON_FORMATION_UNKNOWN},
		{"formation no membership", formation("formation-alpha"), &nodev1.NodeState{}, nil, false, pb.TargetReason_TARGET_REASON_FORMATION_UNKNOWN},
		{"nodes listed", nodes("uav-1", "uav-7"), nil, nil, true, pb.TargetReason_TARGET_REASON_NODE_LISTED},
		{"nodes not listed", nodes("uav-1", "UAV-7"), nil, nil, false, pb.TargetReason_TARGET_REASON_NODE_NOT_LISTED},
		{"nodes empty list", nodes(), nil, nil, false, pb.TargetReason_TARGET_REASON_NODE_NOT_LISTED},
		{"capability by name, any case", capability(&pb.CapabilityFilter{RequiredCapabilities: []string{"object_detection"}}), nil, nil, true, pb.TargetReason_TARGET_REASON_CAPABILITY_MATCH},
		{"capability by id, any case", capability(&pb.CapabilityFilter{RequiredCapabilities: []string{"cuda", "CAP-OD-1"}}), nil, nil, true, pb.TargetReason_TARGET_REASON_CAPABILITY_MATCH},
		{"capability missing", capability(&pb.CapabilityFilter{RequiredCapabilities: []string{"cuda", "tensorrt"}}), nil, nil, false, pb.TargetReason_TARGET_REASON_CAPABILITY_MISSING},
		{"empty requirement matches nothing", capability(&pb.CapabilityFilter{RequiredCapabilities: []string{""}}), nil, nil, false, pb.TargetReason_TARGET_REASON_CAPABILITY_MISSING},
		{"empty filter", capability(&pb.CapabilityFilter{}), nil, nil, true, pb.TargetReason_TARGET_REASON_CAPABILITY_MATCH},
		{"resources met", capability(&pb.CapabilityFilter{MinGpuMemoryMb: mb(4096), MinMemoryMb: mb(8192), MinStorageMb: mb(1)}), nil, rich, true, pb.TargetReason_TARGET_REASON_CAPABILITY_MATCH},
		{"gpu short", capability(&pb.CapabilityFilter{MinGpuMemoryMb: mb(4097)}), nil, rich, false, pb.TargetReason_TARGET_REASON_RESOURCE_INSUFFICIENT},
		{"memory short", capability(&pb.CapabilityFilter{MinMemoryMb: mb(16384)}), nil, rich, false, pb.TargetReason_TARGET_REASON_RESOURCE_INSUFFICIENT},
		{"storage short", capability(&pb.CapabilityFilter{MinStorageMb: mb(64000)}), nil, rich, false, pb.TargetReason_TARGET_REASON_RESOURCE_INSUFFICIENT},
		{"no resources", capability(&pb.CapabilityFilter{MinMemoryMb: mb(1)}), nil, nil, false, pb.TargetReason_TARGET_REASON_RESOURCE_UNKNOWN},
		{"figure unknown", capability(&pb.CapabilityFilter{MinStorageMb: mb(1)}), nil, &pb.NodeResources{MemoryMb: mb(1)}, false, pb.TargetReason_TARGET_REASON_RESOURCE_UNKNOWN},
		{"zero minimum needs no figure", capability(&pb.CapabilityFilter{MinGpuMemoryMb: mb(0)}), nil, nil, true, pb.TargetReason_TARGET_REASON_CAPABILITY_MATCH},
		{"custom equal", capability(&pb.CapabilityFilter{Custom: map[string]string{"os": "linux"}}), nil, rich, true, pb.TargetReason_TARGET_REASON_CAPABILITY_MATCH},
		{"custom differs", capability(&pb.CapabilityFilter{Custom: map[string]string{"os": "Linux"}}), nil, rich, false, pb.TargetReason_TARGET_REASON_CUSTOM_MISMATCH},
		{"custom missing", capability(&pb.CapabilityFilter{Custom: map[string]string{"arch": "aarch64"}}), nil, rich, false, pb.TargetReason_TARGET_REASON_CUSTOM_MISSING},
		{"custom without resources", capability(&pb.CapabilityFilter{Custom: map[string]string{"os": "linux"}}), nil, nil, false, pb.TargetReason_TARGET_REASON_CUSTOM_MISSING},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, err := Target(&pb.TargetRequest{Directive: withScope(c.scope), NodeConfig: jetson(), NodeState: c.state, Resources: c.res})
			require.NoError(t, err)
			assert.Equal(t, c.targeted, d.GetTargeted(), d.GetReason())
			assert.Equal(t, c.code, d.GetCode())
			assert.NotEmpty(t, d.GetReason())
		})
	}
}

func TestTargetingReasonsNameTheCause(t *testing.T) {
	d, err := Target(&pb.TargetRequest{
		Directive:  withScope(capability(&pb.CapabilityFilter{MinGpuMemoryMb: mb(4096)})),
		NodeConfig: jetson(), Resources: &pb.NodeResources{GpuMemoryMb: mb(2048)}})
	require.NoError(t, err)
	assert.Equal(t, "the node has 2048 MB GPU memory, at least 4096 MB required", d.GetReason())

	// Requirements are checked in order: the first unmet one is reported.
	d, err = Target(&pb.TargetRequest{
		Directive:  withScope(capability(&pb.CapabilityFilter{RequiredCapabilities: []string{"lidar"}, MinMemoryMb: mb(1)})),
		NodeConfig: jetson()})
	require.NoError(t, err)
	assert.Equal(t, `the node has no capability with id or name "lidar"`, d.GetReason())
}

// The seed's directive (formation-alpha) targets a node of formation-alpha only.
func TestSeedDirectiveTargetsItsFormation(t *testing.T) {
	member := &nodev1.NodeState{CellId: proto.String("formation-alpha")}
	d, err := Target(&pb.TargetRequest{Directive: seedDirective(), NodeConfig: jetson(), NodeState: member})
	require.NoError(t, err)
	assert.True(t, d.GetTargeted())
	// Unlike the reference, the issuer's own formation does not decide it.
	d, err = Target(&pb.TargetRequest{Directive: seedDirective(), NodeConfig: jetson(), NodeState: &nodev1.NodeState{CellId: proto.String("formation-bravo")}})
	require.NoError(t, err)
	assert.False(t, d.GetTargeted())
}

func TestTargetingBrokenRequests(t *testing.T) {
	cases := []struct {
		name string
		req  *pb.TargetRequest
		st   status.Status
		path string
	}{
		{"no directive", &pb.TargetRequest{NodeConfig: jetson()}, status.InvalidArgument, "directive"},
		{"no node", &pb.TargetRequest{Directive: seedDirective()}, status.InvalidArgument, "node_config"},
		{"no scope", &pb.TargetRequest{Directive: withScope(nil), NodeConfig: jetson()}, status.Invalid, "directive.scope"},
		{"empty formation", &pb.TargetRequest{Directive: withScope(formation("")), NodeConfig: jetson()}, status.Invalid, "directive.scope.formation_id"},
		{"nodes scope, node without id", &pb.TargetRequest{Directive: withScope(nodes("a")), NodeConfig: &nodev1.NodeConfig{}}, status.Invalid, "node_config.id"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Target(c.req)
			require.Error(t, err)
			assert.Equal(t, c.st, status.Of(err))
			assert.Equal(t, c.path, status.From(err).Path)
		})
	}
}
