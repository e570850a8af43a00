package directive

import (
	"math"
	"sort"

	commonv1 "github.com/peat-protocol/libpeat/core/pb/cap/common/v1"
	pb "github.com/peat-protocol/libpeat/core/pb/peat/directive/v1"
	"github.com/peat-protocol/libpeat/core/status"
)

// Summarize computes the rollout summary of req's directive.
//
// The targeted set is targeted_node_ids (duplicates ignored), or, when that
// is empty, every node that reported. Reports are merged per node with the
// StatusBoard rule; reports of other nodes are ignored and listed in
// untargeted_node_ids; a report for another directive is a Mismatch.
//
// Each targeted node is succeeded (active), failed (failed, rolled_back, or
// timed out: not active, failed or rolled back — no report included — when
// now is at or after the deadline issued_at + timeout_seconds), or in flight
// (anything else). The decision is decide's; docs/DIRECTIVES.md has its
// table, which the tests read.
func Summarize(req *pb.SummarizeRequest) (*pb.RolloutSummary, error) {
	d := req.GetDirective()
	if d == nil {
		return nil, status.Errorf(status.InvalidArgument, "the request has no directive").AtPath("directive")
	}
	now := req.GetNow()
	if now == nil {
		return nil, status.Errorf(status.InvalidArgument, "the request has no now").WithCode("REQUIRED_FIELD").AtPath("now")
	}
	opts := d.GetOptions()
	var threshold *uint32
	if opts != nil {
		threshold = opts.RollbackThresholdPercent
	}
	if threshold != nil && *threshold > 100 {
		return nil, status.Errorf(status.Invalid, "rollback_threshold_percent %d is above 100", *threshold).
			WithCode(CodeInvalidNumber).AtPath("directive.options.rollback_threshold_percent")
	}
	for i, s := range req.GetStatuses() {
		if s.GetDirectiveId() != d.GetDirectiveId() {
			return nil, status.Errorf(status.Mismatch, "status of directive %q given for directive %q",
				s.GetDirectiveId(), d.GetDirectiveId()).AtPath(index("statuses", i) + ".directive_id")
		}
	}
	reports, err := mergeReports(req.GetStatuses())
	if err != nil {
		return nil, err
	}
	byNode := make(map[string]*pb.DeploymentStatus, len(reports))
	for _, s := range reports {
		byNode[s.GetNodeId()] = s
	}

	targets := dedupSorted(req.GetTargetedNodeIds())
	targetSet := make(map[string]bool, len(targets))
	if len(targets) == 0 {
		for _, s := range reports {
			targets = append(targets, s.GetNodeId())
		}
	}
	for _, t := range targets {
		targetSet[t] = true
	}

	sum := &pb.RolloutSummary{DirectiveId: d.GetDirectiveId(), Targeted: uint32(len(targets))}
	timeout := TimeoutSeconds(opts)
	var deadline *commonv1.Timestamp
	if timeout > 0 && d.GetIssuedAt().GetSeconds() <= math.MaxUint64-uint64(timeout) {
		if d.GetIssuedAt() == nil {
			return nil, status.Errorf(status.Invalid, "the directive has no issued_at, so its timeout has no deadline").
				WithCode("REQUIRED_FIELD").AtPath("directive.issued_at")
		}
		deadline = &commonv1.Timestamp{Seconds: d.GetIssuedAt().GetSeconds() + uint64(timeout), Nanos: d.GetIssuedAt().GetNanos()}
		sum.Deadline = deadline
	}
	expired := deadline != nil && CompareTime(now, deadline) >= 0

	var succeeded, failed, inFlight int
	for _, n := range targets {
		s, ok := byNode[n]
		st := s.GetState()
		if !ok {
			sum.NoReport++
		} else {
			switch st {
			case Pending:
				sum.Pending++
			case Downloading:
				sum.Downloading++
			case Activating:
				sum.Activating++
			case Active:
				sum.Active++
			case Failed:
				sum.Failed++
			case RolledBack:
				sum.RolledBack++
			}
		}
		switch {
		case ok && st == Active:
			succeeded++
		case ok && (st == Failed || st == RolledBack):
			failed++
		case expired:
			failed++
			sum.TimedOutNodeIds = append(sum.TimedOutNodeIds, n)
		default:
			inFlight++
		}
	}
	for _, s := range reports {
		if !targetSet[s.GetNodeId()] {
			sum.UntargetedNodeIds = append(sum.UntargetedNodeIds, s.GetNodeId())
		}
	}
	n := len(targets)
	if n > 0 {
		sum.PercentSucceeded = 100 * float64(succeeded) / float64(n)
		sum.PercentFailed = 100 * float64(failed) / float64(n)
	}
	sum.Decision = decide(n, succeeded, failed, inFlight, threshold)
	return sum, nil
}

// decide is the rollout decision for n targeted nodes of which succeeded are
// active, failed failed (failed, rolled back or timed out) and inFlight still
// working. rollback_threshold_percent T (0..100; absent is 0, no rollback
// policy) is the minimum share of targeted nodes that must succeed: when
// fewer than T% can still succeed even if every node in flight does
// ((n-failed)*100 < T*n, exact integers, so exactly T% meets it), the
// rollout must be rolled back while some node is active or in flight, and has
// failed when nothing is left to roll back. Otherwise the rollout is in
// progress while a node is in flight, then succeeded only if no node failed,
// else failed (the threshold was met, so no rollback is asked for).
//
// SUCCEEDED thus never depends on T, and a greater T can only turn a decision
// into ROLLBACK_REQUIRED.
func decide(n, succeeded, failed, inFlight int, threshold *uint32) pb.RolloutDecision {
	if n == 0 {
		return pb.RolloutDecision_ROLLOUT_DECISION_NO_TARGETS
	}
	t := 0
	if threshold != nil {
		t = int(*threshold)
	}
	switch {
	case (n-failed)*100 < t*n && succeeded+inFlight > 0:
		return pb.RolloutDecision_ROLLOUT_DECISION_ROLLBACK_REQUIRED
	case inFlight > 0:
		return pb.RolloutDecision_ROLLOUT_DECISION_IN_PROGRESS
	case failed == 0:
		return pb.RolloutDecision_ROLLOUT_DECISION_SUCCEEDED
	}
	return pb.RolloutDecision_ROLLOUT_DECISION_FAILED
}

func dedupSorted(ids []string) []string {
	out := append([]string(nil), ids...)
	sort.Strings(out)
	k := 0
	for i, s := range out {
		if i == 0 || s != out[k-1] {
			out[k] = s
			k++
		}
	}
	return out[:k]
}
