package directive

import (
	"fmt"
	"sort"
	"strings"

	nodev1 "github.com/peat-protocol/libpeat/core/pb/cap/node/v1"
	pb "github.com/peat-protocol/libpeat/core/pb/peat/directive/v1"
	"github.com/peat-protocol/libpeat/core/status"
)

// Target decides whether the node described by req is targeted by req's
// directive, on the node's real context (unlike the reference, whose
// formation and capability checks are placeholders):
//
//   - broadcast: every node;
//   - formation: the node's NodeState cell_id or zone_id equals the formation
//     id (no node state, or neither id set: not targeted);
//   - nodes: node_config.id is in the list (exact match);
//   - capability: every required capability equals the id or the name of one
//     of the node's capabilities (case-insensitive), every min_* resource is
//     at most the node's figure (an unknown figure: not targeted), and every
//     custom filter equals the node's NodeResources.custom value.
//
// The first unmet condition, in that order (required capabilities in listed
// order, then GPU memory, memory, storage, then custom keys sorted), is the
// reason given. A request without a directive, node config or scope is an
// error, not a decision.
func Target(req *pb.TargetRequest) (*pb.TargetDecision, error) {
	d := req.GetDirective()
	if d == nil {
		return nil, status.Errorf(status.InvalidArgument, "the request has no directive").AtPath("directive")
	}
	node := req.GetNodeConfig()
	if node == nil {
		return nil, status.Errorf(status.InvalidArgument, "the request has no node_config").AtPath("node_config")
	}
	yes := func(code pb.TargetReason, format string, args ...any) (*pb.TargetDecision, error) {
		return &pb.TargetDecision{Targeted: true, Code: code, Reason: fmt.Sprintf(format, args...)}, nil
	}
	no := func(code pb.TargetReason, format string, args ...any) (*pb.TargetDecision, error) {
		return &pb.TargetDecision{Targeted: false, Code: code, Reason: fmt.Sprintf(format, args...)}, nil
	}
	switch t := d.GetScope().GetTarget().(type) {
	case *pb.DeploymentScope_Broadcast_:
		return yes(pb.TargetReason_TARGET_REASON_BROADCAST, "broadcast scope targets every node")
	case *pb.DeploymentScope_FormationId:
		f := t.FormationId
		if f == "" {
			return nil, status.Errorf(status.Invalid, "the formation scope has an empty formation id").
				WithCode("REQUIRED_FIELD").AtPath("directive.scope.formation_id")
		}
		st := req.GetNodeState()
		if st == nil {
			return no(pb.TargetReason_TARGET_REASON_FORMATION_UNKNOWN,
				"formation %q: the node's state (its cell_id and zone_id) is unknown", f)
		}
		if st.CellId == nil && st.ZoneId == nil {
			return no(pb.TargetReason_TARGET_REASON_FORMATION_UNKNOWN,
				"formation %q: the node is in no cell and no zone", f)
		}
		if st.CellId != nil && st.GetCellId() == f {
			return yes(pb.TargetReason_TARGET_REASON_FORMATION_MATCH, "the node's cell_id is formation %q", f)
		}
		if st.ZoneId != nil && st.GetZoneId() == f {
			return yes(pb.TargetReason_TARGET_REASON_FORMATION_MATCH, "the node's zone_id is formation %q", f)
		}
		return no(pb.TargetReason_TARGET_REASON_FORMATION_MISMATCH,
			"formation %q is neither the node's cell (%s) nor its zone (%s)", f, optQuoted(st.CellId), optQuoted(st.ZoneId))
	case *pb.DeploymentScope_Nodes:
		id := node.GetId()
		if id == "" {
			return nil, status.Errorf(status.Invalid, "a nodes scope needs the node's id").
				WithCode("REQUIRED_FIELD").AtPath("node_config.id")
		}
		for _, n := range t.Nodes.GetNodeIds() {
			if n == id {
				return yes(pb.TargetReason_TARGET_REASON_NODE_LISTED, "node %q is listed", id)
			}
		}
		return no(pb.TargetReason_TARGET_REASON_NODE_NOT_LISTED, "node %q is not in the directive's node list", id)
	case *pb.DeploymentScope_Capability:
		return targetCapability(t.Capability, node, req.GetResources())
	}
	return nil, status.Errorf(status.Invalid, "the directive has no scope").WithCode("REQUIRED_FIELD").AtPath("directive.scope")
}

func targetCapability(f *pb.CapabilityFilter, node *nodev1.NodeConfig, res *pb.NodeResources) (*pb.TargetDecision, error) {
	if f == nil {
		f = &pb.CapabilityFilter{}
	}
	no := func(code pb.TargetReason, format string, args ...any) (*pb.TargetDecision, error) {
		return &pb.TargetDecision{Targeted: false, Code: code, Reason: fmt.Sprintf(format, args...)}, nil
	}
	for _, want := range f.GetRequiredCapabilities() {
		if !hasCapability(node, want) {
			return no(pb.TargetReason_TARGET_REASON_CAPABILITY_MISSING,
				"the node has no capability with id or name %q", want)
		}
	}
	var gpu, mem, storage *uint64
	if res != nil {
		gpu, mem, storage = res.GpuMemoryMb, res.MemoryMb, res.StorageMb
	}
	mins := []struct {
		what string
		min  *uint64
		have *uint64
	}{
		{"GPU memory", f.MinGpuMemoryMb, gpu},
		{"memory", f.MinMemoryMb, mem},
		{"storage", f.MinStorageMb, storage},
	}
	for _, m := range mins {
		// A requirement of 0 MB is met by any node, known figure or not.
		if m.min == nil || *m.min == 0 {
			continue
		}
		if m.have == nil {
			return no(pb.TargetReason_TARGET_REASON_RESOURCE_UNKNOWN,
				"the node's %s is unknown (at least %d MB required)", m.what, *m.min)
		}
		if *m.have < *m.min {
			return no(pb.TargetReason_TARGET_REASON_RESOURCE_INSUFFICIENT,
				"the node has %d MB %s, at least %d MB required", *m.have, m.what, *m.min)
		}
	}
	keys := make([]string, 0, len(f.GetCustom()))
	for k := range f.GetCustom() {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		want := f.GetCustom()[k]
		have, ok := res.GetCustom()[k]
		if !ok {
			return no(pb.TargetReason_TARGET_REASON_CUSTOM_MISSING,
				"the node has no value for custom filter %q (want %q)", k, want)
		}
		if have != want {
			return no(pb.TargetReason_TARGET_REASON_CUSTOM_MISMATCH,
				"custom filter %q wants %q, the node has %q", k, want, have)
		}
	}
	return &pb.TargetDecision{Targeted: true, Code: pb.TargetReason_TARGET_REASON_CAPABILITY_MATCH,
		Reason: "the node meets the capability filter"}, nil
}

// hasCapability matches want against each capability's id and name,
// case-insensitively. An empty requirement matches nothing.
func hasCapability(node *nodev1.NodeConfig, want string) bool {
	if want == "" {
		return false
	}
	for _, c := range node.GetCapabilities() {
		if strings.EqualFold(c.GetId(), want) || strings.EqualFold(c.GetName(), want) {
			return true
		}
	}
	return false
}

func optQuoted(s *string) string {
	if s == nil {
		return "none"
	}
	return fmt.Sprintf("%q", *s)
}
