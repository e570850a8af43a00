// Package directive implements deployment directives (peat.directive.v1):
// the Rust reference's JSON dialect for directives and status reports,
// targeting of a node on its real context, the guarded status machine, the
// convergent merge of status reports and the rollout summary.
//
// The reference's defaults that proto3 cannot express are read through the
// helpers in this file, never from the raw fields: an absent timeout is 300 s,
// an absent auto_activate is true, UNSPECIFIED priority is normal, UNSPECIFIED
// runtime is docker and an empty port protocol is "tcp".
package directive

import (
	pb "github.com/peat-protocol/libpeat/core/pb/peat/directive/v1"
)

// DefaultTimeoutSeconds is the reference's default DeploymentOptions.timeout_seconds.
const DefaultTimeoutSeconds = 300

// TimeoutSeconds returns the effective timeout (0 means none).
func TimeoutSeconds(o *pb.DeploymentOptions) uint32 {
	if o == nil || o.TimeoutSeconds == nil {
		return DefaultTimeoutSeconds
	}
	return *o.TimeoutSeconds
}

// AutoActivate returns the effective auto_activate (absent means true).
func AutoActivate(o *pb.DeploymentOptions) bool {
	if o == nil || o.AutoActivate == nil {
		return true
	}
	return *o.AutoActivate
}

// Priority returns the effective priority (UNSPECIFIED means NORMAL).
func Priority(o *pb.DeploymentOptions) pb.DeploymentPriority {
	if p := o.GetPriority(); p != pb.DeploymentPriority_DEPLOYMENT_PRIORITY_UNSPECIFIED {
		return p
	}
	return pb.DeploymentPriority_DEPLOYMENT_PRIORITY_NORMAL
}

// Runtime returns the effective container runtime (UNSPECIFIED means DOCKER).
func Runtime(c *pb.ArtifactType_Container) pb.ContainerRuntime {
	if r := c.GetRuntime(); r != pb.ContainerRuntime_CONTAINER_RUNTIME_UNSPECIFIED {
		return r
	}
	return pb.ContainerRuntime_CONTAINER_RUNTIME_DOCKER
}

// Protocol returns the effective port protocol (empty means "tcp").
func Protocol(p *pb.PortMapping) string {
	if p.GetProtocol() == "" {
		return "tcp"
	}
	return p.GetProtocol()
}

// stateNames are the reference's snake_case spellings, indexed by enum number.
var stateNames = map[pb.DeploymentState]string{
	pb.DeploymentState_DEPLOYMENT_STATE_PENDING:     "pending",
	pb.DeploymentState_DEPLOYMENT_STATE_DOWNLOADING: "downloading",
	pb.DeploymentState_DEPLOYMENT_STATE_ACTIVATING:  "activating",
	pb.DeploymentState_DEPLOYMENT_STATE_ACTIVE:      "active",
	pb.DeploymentState_DEPLOYMENT_STATE_FAILED:      "failed",
	pb.DeploymentState_DEPLOYMENT_STATE_ROLLED_BACK: "rolled_back",
}

var priorityNames = map[pb.DeploymentPriority]string{
	pb.DeploymentPriority_DEPLOYMENT_PRIORITY_CRITICAL: "critical",
	pb.DeploymentPriority_DEPLOYMENT_PRIORITY_HIGH:     "high",
	pb.DeploymentPriority_DEPLOYMENT_PRIORITY_NORMAL:   "normal",
	pb.DeploymentPriority_DEPLOYMENT_PRIORITY_LOW:      "low",
}

var runtimeNames = map[pb.ContainerRuntime]string{
	pb.ContainerRuntime_CONTAINER_RUNTIME_DOCKER:     "docker",
	pb.ContainerRuntime_CONTAINER_RUNTIME_PODMAN:     "podman",
	pb.ContainerRuntime_CONTAINER_RUNTIME_CONTAINERD: "containerd",
}

// StateName returns the reference's spelling of a state ("rolled_back"), or
// the enum's name for a value the reference does not have.
func StateName(s pb.DeploymentState) string {
	if n, ok := stateNames[s]; ok {
		return n
	}
	return s.String()
}

func invert[K comparable](m map[K]string) map[string]K {
	out := make(map[string]K, len(m))
	for k, v := range m {
		out[v] = k
	}
	return out
}

var (
	stateByName    = invert(stateNames)
	priorityByName = invert(priorityNames)
	runtimeByName  = invert(runtimeNames)
)
