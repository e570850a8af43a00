package directive

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	commonv1 "github.com/peat-protocol/libpeat/core/pb/cap/common/v1"
	pb "github.com/peat-protocol/libpeat/core/pb/peat/directive/v1"
	"github.com/peat-protocol/libpeat/core/status"
)

const issued = 1_762_430_400

// rollout is a directive issued at `issued` with the given timeout and threshold.
func rollout(timeout *uint32, threshold *uint32) *pb.DeploymentDirective {
	d := seedDirective()
	d.Options.TimeoutSeconds = timeout
	d.Options.RollbackThresholdPercent = threshold
	return d
}

func report(node string, s pb.DeploymentState) *pb.DeploymentStatus {
	st := statusIn(s)
	st.DirectiveId = "yolov8n-deploy-001"
	st.NodeId = node
	st.ReportedAt = at(issued + 10)
	return st
}

func summarize(t *testing.T, d *pb.DeploymentDirective, targets []string, now uint64, reports ...*pb.DeploymentStatus) *pb.RolloutSummary {
	t.Helper()
	s, err := Summarize(&pb.SummarizeRequest{Directive: d, TargetedNodeIds: targets, Statuses: reports, Now: at(now)})
	require.NoError(t, err)
	return s
}

func TestSummaryCounts(t *testing.T) {
	targets := []string{"a", "b", "c", "d", "e", "f", "g", "h"}
	s := summarize(t, rollout(nil, nil), targets, issued+60,
		report("a", Pending), report("b", Downloading), report("c", Activating), report("d", Active),
		report("e", Failed), report("f", RolledBack), report("x", Active))
	assert.Equal(t, "yolov8n-deploy-001", s.GetDirectiveId())
	assert.Equal(t, uint32(8), s.GetTargeted())
	assert.Equal(t, [7]uint32{1, 1, 1, 1, 1, 1, 2},
		[7]uint32{s.Pending, s.Downloading, s.Activating, s.Active, s.Failed, s.RolledBack, s.NoReport})
	assert.Equal(t, 12.5, s.GetPercentSucceeded())
	assert.Equal(t, 25.0, s.GetPercentFailed())
	assert.Equal(t, []string{"x"}, s.GetUntargetedNodeIds())
	assert.Empty(t, s.GetTimedOutNodeIds())
	assert.Equal(t, uint64(issued+300), s.GetDeadline().GetSeconds(), "default timeout 300 s")
	assert.Equal(t, pb.RolloutDecision_ROLLOUT_DECISION_IN_PROGRESS, s.GetDecision())
}

func TestTimeouts(t *testing.T) {
	targets := []string{"a", "b", "c", "d"}
	reports := []*pb.DeploymentStatus{report("a", Downloading), report("b", Active), report("c", Failed)}
	// Before the deadline nothing times out; at it every unfinished node does,
	// including one that never reported.
	s := summarize(t, rollout(nil, nil), targets, issued+299, reports...)
	assert.Empty(t, s.GetTimedOutNodeIds())
	s = summarize(t, rollout(nil, nil), targets, issued+300, reports...)
	assert.Equal(t, []string{"a", "d"}, s.GetTimedOutNodeIds())
	assert.Equal(t, 75.0, s.GetPercentFailed())
	assert.Equal(t, uint32(1), s.GetDownloading(), "a timed-out node still counts in its state")
	assert.Equal(t, pb.RolloutDecision_ROLLOUT_DECISION_FAILED, s.GetDecision())

	// timeout 0: never times out, no deadline.
	s = summarize(t, rollout(proto.Uint32(0), nil), targets, issued+1_000_000, reports...)
	assert.Empty(t, s.GetTimedOutNodeIds())
	assert.Nil(t, s.GetDeadline())
	assert.Equal(t, pb.RolloutDecision_ROLLOUT_DECISION_IN_PROGRESS, s.GetDecision())

	// A custom timeout counts from issued_at, nanos included.
	d := rollout(proto.Uint32(60), nil)
	d.IssuedAt.Nanos = 500
	s, err := Summarize(&pb.SummarizeRequest{Directive: d, TargetedNodeIds: targets, Statuses: reports,
		Now: &commonv1.Timestamp{Seconds: issued + 60, Nanos: 499}})
	require.NoError(t, err)
	assert.Empty(t, s.GetTimedOutNodeIds())
	s, err = Summarize(&pb.SummarizeRequest{Directive: d, TargetedNodeIds: targets, Statuses: reports,
		Now: &commonv1.Timestamp{Seconds: issued + 60, Nanos: 500}})
	require.NoError(t, err)
	assert.Len(t, s.GetTimedOutNodeIds(), 2)
}

func TestTargetsDefaultToReportersAndDuplicatesMerge(t *testing.T) {
	// No target list: the nodes that reported are the targets.
	early := report("a", Downloading)
	later := report("a", Active)
	s := summarize(t, rollout(nil, nil), nil, issued+10, later, early, report("b", Active))
	assert.Equal(t, uint32(2), s.GetTargeted())
	assert.Equal(t, uint32(2), s.GetActive(), "a's two reports merge to its active one")
	assert.Equal(t, pb.RolloutDecision_ROLLOUT_DECISION_SUCCEEDED, s.GetDecision())

	// Duplicate target ids count once.
	s = summarize(t, rollout(nil, nil), []string{"a", "a"}, issued+10, later)
	assert.Equal(t, uint32(1), s.GetTargeted())

	s = summarize(t, rollout(nil, nil), nil, issued+10)
	assert.Equal(t, pb.RolloutDecision_ROLLOUT_DECISION_NO_TARGETS, s.GetDecision())
	assert.Zero(t, s.GetPercentSucceeded())
}

func TestBrokenSummaryRequests(t *testing.T) {
	other := report("a", Active)
	other.DirectiveId = "other"
	cases := []struct {
		name string
		req  *pb.SummarizeRequest
		st   status.Status
		path string
	}{
		{"no directive", &pb.SummarizeRequest{Now: at(1)}, status.InvalidArgument, "directive"},
		{"no now", &pb.SummarizeRequest{Directive: rollout(nil, nil)}, status.InvalidArgument, "now"},
		{"other directive", &pb.SummarizeRequest{Directive: rollout(nil, nil), Now: at(1),
			Statuses: []*pb.DeploymentStatus{report("a", Active), other}}, status.Mismatch, "statuses[1].directive_id"},
		{"threshold over 100", &pb.SummarizeRequest{Directive: rollout(nil, proto.Uint32(101)), Now: at(1)}, status.Invalid,
			"directive.options.rollback_threshold_percent"},
		{"timeout without issued_at", &pb.SummarizeRequest{Directive: func() *pb.DeploymentDirective {
			d := rollout(nil, nil)
			d.IssuedAt = nil
			return d
		}(), Now: at(1)}, status.Invalid, "directive.issued_at"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Summarize(c.req)
			require.Error(t, err)
			assert.Equal(t, c.st, status.Of(err))
			assert.Equal(t, c.path, status.From(err).Path)
		})
	}
}

// Messages built in Go may leave sub-messages nil; no operation may panic.
func TestNilPartsAreDefaultsNotPanics(t *testing.T) {
	d := seedDirective()
	d.Options = nil
	s := summarize(t, d, []string{"a"}, issued+300)
	assert.Equal(t, []string{"a"}, s.GetTimedOutNodeIds(), "absent options: the 300 s default")

	dec, err := Target(&pb.TargetRequest{Directive: withScope(&pb.DeploymentScope{Target: &pb.DeploymentScope_Capability{}}), NodeConfig: jetson()})
	require.NoError(t, err)
	assert.True(t, dec.GetTargeted(), "a nil filter requires nothing")
	dec, err = Target(&pb.TargetRequest{Directive: withScope(&pb.DeploymentScope{Target: &pb.DeploymentScope_Nodes{}}), NodeConfig: jetson()})
	require.NoError(t, err)
	assert.False(t, dec.GetTargeted())

	_, err = Target(nil)
	assert.Equal(t, status.InvalidArgument, status.Of(err))
	_, err = Summarize(nil)
	assert.Equal(t, status.InvalidArgument, status.Of(err))
	for _, m := range []proto.Message{(*pb.DeploymentDirective)(nil), (*pb.DeploymentStatus)(nil), (*pb.StatusBoard)(nil),
		(*pb.ArtifactSpec)(nil), (*pb.ArtifactType)(nil), (*pb.DeploymentScope)(nil), (*pb.CapabilityFilter)(nil),
		(*pb.PortMapping)(nil), (*pb.DeploymentOptions)(nil),
		&pb.ArtifactType{Kind: &pb.ArtifactType_Container_{}}, &pb.DeploymentScope{Target: &pb.DeploymentScope_Capability{}}} {
		assert.NotPanics(t, func() { _, _ = MarshalRustJSON(m) }, "%T", m)
	}
}
