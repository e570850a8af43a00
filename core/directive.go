package core

import (
	"github.com/peat-protocol/libpeat/core/status"
)

// DirectiveTarget takes a serialized peat.directive.v1.TargetRequest and returns a TargetDecision.
func DirectiveTarget(in []byte) ([]byte, error) {
	return nil, status.Errorf(status.Unsupported, "directives are not implemented yet")
}

// DirectiveAdvance takes a serialized peat.directive.v1.AdvanceRequest and returns the new DeploymentStatus.
func DirectiveAdvance(in []byte) ([]byte, error) {
	return nil, status.Errorf(status.Unsupported, "directives are not implemented yet")
}

// DirectiveSummarize takes a serialized peat.directive.v1.SummarizeRequest and returns a RolloutSummary.
func DirectiveSummarize(in []byte) ([]byte, error) {
	return nil, status.Errorf(status.Unsupported, "directives are not implemented yet")
}
