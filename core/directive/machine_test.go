package directive

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	commonv1 "github.com/peat-protocol/libpeat/core/pb/cap/common/v1"
	pb "github.com/peat-protocol/libpeat/core/pb/peat/directive/v1"
	"github.com/peat-protocol/libpeat/core/status"
)

var allStates = []pb.DeploymentState{Pending, Downloading, Activating, Active, Failed, RolledBack}

func at(sec uint64) *commonv1.Timestamp { return &commonv1.Timestamp{Seconds: sec} }

// statusIn returns a well-formed status in state s, as the machine leaves it.
func statusIn(s pb.DeploymentState) *pb.DeploymentStatus {
	st := &pb.DeploymentStatus{DirectiveId: "d", NodeId: "n", ReportedAt: at(100), State: s}
	switch s {
	case Downloading:
		st.ProgressPercent = 40
	case Activating:
		st.ProgressPercent = 100
	case Active:
		st.ProgressPercent = 100
		st.InstanceId = proto.String("i-1")
	case Failed:
		st.ProgressPercent = 40
		st.ErrorMessage = proto.String("disk full")
	}
	return st
}

// transitionTo is the minimal well-formed request for a move to s.
func transitionTo(s pb.DeploymentState) *pb.Transition {
	t := &pb.Transition{State: s, ReportedAt: at(200)}
	if s == Failed {
		t.ErrorMessage = proto.String("checksum mismatch")
	}
	return t
}

// TestEveryTransition checks all 36 pairs against the table:
// pending -> downloading -> activating -> active; pending, downloading,
// activating and active -> failed; active and failed -> rolled_back; plus
// re-reports of the same state.
func TestEveryTransition(t *testing.T) {
	legal := map[string]bool{
		"pending>pending": true, "pending>downloading": true, "pending>failed": true,
		"downloading>downloading": true, "downloading>activating": true, "downloading>failed": true,
		"activating>activating": true, "activating>active": true, "activating>failed": true,
		"active>active": true, "active>failed": true, "active>rolled_back": true,
		"failed>failed": true, "failed>rolled_back": true,
		"rolled_back>rolled_back": true,
	}
	for _, from := range allStates {
		for _, to := range allStates {
			name := StateName(from) + ">" + StateName(to)
			t.Run(name, func(t *testing.T) {
				cur := statusIn(from)
				before := proto.Clone(cur)
				out, err := Advance(cur, transitionTo(to))
				assert.True(t, proto.Equal(before, cur), "the input must not change")
				assert.Equal(t, legal[name], Legal(from, to))
				if !legal[name] {
					require.Error(t, err)
					e := status.From(err)
					assert.Equal(t, status.IllegalTransition, e.Status)
					assert.Equal(t, CodeIllegalTransition, e.Code)
					assert.Equal(t, "transition.state", e.Path)
					assert.Contains(t, e.Message, StateName(from)+" -> "+StateName(to))
					return
				}
				require.NoError(t, err)
				assert.Equal(t, to, out.GetState())
				assert.Equal(t, uint64(200), out.GetReportedAt().GetSeconds())
				assert.Equal(t, "d", out.GetDirectiveId())
				assert.Equal(t, "n", out.GetNodeId())
				assert.LessOrEqual(t, out.GetProgressPercent(), uint32(100))
				switch to {
				case Pending:
					assert.Zero(t, out.GetProgressPercent())
				case Activating, Active:
					assert.Equal(t, uint32(100), out.GetProgressPercent())
				}
				if to == Failed {
					assert.NotEmpty(t, out.GetErrorMessage())
				}
				if to != Failed && to != RolledBack {
					assert.Nil(t, out.ErrorMessage, "stale error cleared")
				}
				switch {
				case to == Active:
				case from == Active && (to == Failed || to == RolledBack):
					assert.Equal(t, "i-1", out.GetInstanceId(), "the instance that ran is kept")
				default:
					assert.Nil(t, out.InstanceId, "stale instance cleared")
				}
				if from != to {
					assert.Greater(t, rank(to), rank(from), "every move goes up the merge rank")
				}
			})
		}
	}
	for _, from := range allStates {
		_, err := Advance(statusIn(from), &pb.Transition{ReportedAt: at(200)})
		assert.Equal(t, status.IllegalTransition, status.Of(err), "to UNSPECIFIED from %s", from)
		_, err = Advance(statusIn(from), &pb.Transition{State: 42, ReportedAt: at(200)})
		assert.Equal(t, status.IllegalTransition, status.Of(err), "to 42 from %s", from)
	}
}

func TestTheSeedLifecycle(t *testing.T) {
	// The reference's test_deployment_status_transitions, through the guarded machine.
	s := &pb.DeploymentStatus{DirectiveId: "directive-1", NodeId: "node-1", ReportedAt: at(1), State: Pending}
	steps := []*pb.Transition{
		{State: Downloading, ProgressPercent: proto.Uint32(50), ReportedAt: at(2)},
		{State: Activating, ReportedAt: at(3)},
		{State: Active, InstanceId: proto.String("instance-123"), ReportedAt: at(4)},
	}
	var err error
	for _, step := range steps {
		s, err = Advance(s, step)
		require.NoError(t, err)
	}
	assert.Equal(t, Active, s.GetState())
	assert.Equal(t, "instance-123", s.GetInstanceId())
	assert.Equal(t, uint32(100), s.GetProgressPercent())

	s, err = Advance(s, &pb.Transition{State: RolledBack, ReportedAt: at(5)})
	require.NoError(t, err)
	assert.Equal(t, "instance-123", s.GetInstanceId(), "the rolled-back instance is kept")
	assert.Equal(t, uint32(100), s.GetProgressPercent())
}

func TestDownloadProgress(t *testing.T) {
	dl := statusIn(Downloading) // 40 %
	up := func(p uint32) (*pb.DeploymentStatus, error) {
		return Advance(dl, &pb.Transition{State: Downloading, ProgressPercent: proto.Uint32(p), ReportedAt: at(200)})
	}
	for _, p := range []uint32{40, 41, 99} {
		out, err := up(p)
		require.NoError(t, err, p)
		assert.Equal(t, p, out.GetProgressPercent())
	}
	_, err := up(39)
	assert.Equal(t, CodeProgressDecreased, status.From(err).Code)
	assert.Equal(t, status.IllegalTransition, status.Of(err))
	_, err = up(101)
	assert.Equal(t, CodeInvalidNumber, status.From(err).Code)

	// Absent progress keeps the current one; from pending it starts at 0 or as given.
	out, err := Advance(dl, &pb.Transition{State: Downloading, ReportedAt: at(200)})
	require.NoError(t, err)
	assert.Equal(t, uint32(40), out.GetProgressPercent())
	out, err = Advance(statusIn(Pending), &pb.Transition{State: Downloading, ReportedAt: at(200)})
	require.NoError(t, err)
	assert.Zero(t, out.GetProgressPercent())
	out, err = Advance(statusIn(Pending), &pb.Transition{State: Downloading, ProgressPercent: proto.Uint32(10), ReportedAt: at(200)})
	require.NoError(t, err)
	assert.Equal(t, uint32(10), out.GetProgressPercent())
}

func TestProgressIsSetByTheMachineOutsideDownloading(t *testing.T) {
	cases := []struct {
		from, to pb.DeploymentState
		ok, bad  uint32
	}{
		{Pending, Pending, 0, 1},
		{Downloading, Activating, 100, 99},
		{Activating, Active, 100, 50},
		{Downloading, Failed, 40, 41}, // failed keeps the progress reached
		{Failed, RolledBack, 40, 100}, // so does rolled_back
		{Activating, Failed, 100, 0},
	}
	for _, c := range cases {
		name := fmt.Sprintf("%s>%s", StateName(c.from), StateName(c.to))
		tr := transitionTo(c.to)
		tr.ProgressPercent = proto.Uint32(c.ok)
		out, err := Advance(statusIn(c.from), tr)
		require.NoError(t, err, name)
		assert.Equal(t, c.ok, out.GetProgressPercent(), name)
		tr.ProgressPercent = proto.Uint32(c.bad)
		_, err = Advance(statusIn(c.from), tr)
		assert.Equal(t, CodeFieldNotAllowed, status.From(err).Code, name)
		assert.Equal(t, "transition.progress_percent", status.From(err).Path, name)
	}
}

func TestErrorMessageAndInstanceRules(t *testing.T) {
	// failed needs a message.
	_, err := Advance(statusIn(Downloading), &pb.Transition{State: Failed, ReportedAt: at(200)})
	assert.Equal(t, CodeRequiredField, status.From(err).Code)
	assert.Equal(t, status.IllegalTransition, status.Of(err))
	_, err = Advance(statusIn(Downloading), &pb.Transition{State: Failed, ErrorMessage: proto.String(""), ReportedAt: at(200)})
	assert.Equal(t, CodeRequiredField, status.From(err).Code)
	// A failed re-report keeps its message unless it brings a new one.
	out, err := Advance(statusIn(Failed), &pb.Transition{State: Failed, ReportedAt: at(200)})
	require.NoError(t, err)
	assert.Equal(t, "disk full", out.GetErrorMessage())
	out, err = Advance(statusIn(Failed), &pb.Transition{State: Failed, ErrorMessage: proto.String("retry failed"), ReportedAt: at(200)})
	require.NoError(t, err)
	assert.Equal(t, "retry failed", out.GetErrorMessage())
	// rolled_back keeps the failure's message, or takes a new one.
	out, err = Advance(statusIn(Failed), &pb.Transition{State: RolledBack, ReportedAt: at(200)})
	require.NoError(t, err)
	assert.Equal(t, "disk full", out.GetErrorMessage())
	assert.Nil(t, out.InstanceId)
	out, err = Advance(statusIn(Active), &pb.Transition{State: RolledBack, ErrorMessage: proto.String("rollout below threshold"), ReportedAt: at(200)})
	require.NoError(t, err)
	assert.Equal(t, "rollout below threshold", out.GetErrorMessage())
	assert.Equal(t, "i-1", out.GetInstanceId())

	// Fields on the wrong state are refused, not dropped.
	_, err = Advance(statusIn(Pending), &pb.Transition{State: Downloading, ErrorMessage: proto.String("x"), ReportedAt: at(200)})
	assert.Equal(t, CodeFieldNotAllowed, status.From(err).Code)
	assert.Equal(t, "transition.error_message", status.From(err).Path)
	_, err = Advance(statusIn(Activating), &pb.Transition{State: Failed, ErrorMessage: proto.String("x"), InstanceId: proto.String("i"), ReportedAt: at(200)})
	assert.Equal(t, "transition.instance_id", status.From(err).Path)

	// active: a new instance replaces, a re-report without one keeps it.
	out, err = Advance(statusIn(Active), &pb.Transition{State: Active, ReportedAt: at(200)})
	require.NoError(t, err)
	assert.Equal(t, "i-1", out.GetInstanceId())
	out, err = Advance(statusIn(Active), &pb.Transition{State: Active, InstanceId: proto.String("i-2"), ReportedAt: at(200)})
	require.NoError(t, err)
	assert.Equal(t, "i-2", out.GetInstanceId())

	// Stale values in a hand-made current status do not leak forward.
	dirty := statusIn(Activating)
	dirty.ErrorMessage = proto.String("old")
	dirty.InstanceId = proto.String("old")
	out, err = Advance(dirty, &pb.Transition{State: Active, ReportedAt: at(200)})
	require.NoError(t, err)
	assert.Nil(t, out.ErrorMessage)
	assert.Nil(t, out.InstanceId)
}

func TestReportedAt(t *testing.T) {
	cur := statusIn(Downloading) // reported at 100 s
	_, err := Advance(cur, &pb.Transition{State: Downloading, ReportedAt: &commonv1.Timestamp{Seconds: 99, Nanos: 999_999_999}})
	assert.Equal(t, CodeReportedAtBackwards, status.From(err).Code)
	out, err := Advance(cur, &pb.Transition{State: Downloading, ReportedAt: at(100)})
	require.NoError(t, err, "an equal time is not backwards")
	assert.Equal(t, uint64(100), out.GetReportedAt().GetSeconds())

	_, err = Advance(cur, &pb.Transition{State: Downloading})
	assert.Equal(t, status.InvalidArgument, status.Of(err))
	assert.Equal(t, "transition.reported_at", status.From(err).Path)
	_, err = Advance(cur, &pb.Transition{State: Downloading, ReportedAt: &commonv1.Timestamp{Seconds: 200, Nanos: 1e9}})
	assert.Equal(t, status.InvalidArgument, status.Of(err))
}

func TestBrokenAdvanceRequests(t *testing.T) {
	_, err := Advance(nil, transitionTo(Pending))
	assert.Equal(t, status.InvalidArgument, status.Of(err))
	_, err = Advance(statusIn(Pending), nil)
	assert.Equal(t, status.InvalidArgument, status.Of(err))
	_, err = Advance(&pb.DeploymentStatus{}, transitionTo(Pending))
	assert.Equal(t, status.Invalid, status.Of(err))
	assert.Equal(t, "current.state", status.From(err).Path)
	bad := statusIn(Downloading)
	bad.ProgressPercent = 180
	_, err = Advance(bad, transitionTo(Downloading))
	assert.Equal(t, status.Invalid, status.Of(err))
	assert.Equal(t, "current.progress_percent", status.From(err).Path)
}

// The seed's DeploymentStatus::downloading caps progress at 99: 100 % is
// reached by activating. A request of 100 is taken as 99, never refused.
func TestDirectiveDownloadProgressCappedAt99(t *testing.T) {
	for _, from := range []pb.DeploymentState{Pending, Downloading} {
		out, err := Advance(statusIn(from), &pb.Transition{State: Downloading, ProgressPercent: proto.Uint32(100), ReportedAt: at(200)})
		require.NoError(t, err, StateName(from))
		assert.Equal(t, uint32(MaxDownloadProgress), out.GetProgressPercent(), StateName(from))
	}
	// At 99, a re-report of 100 or 99 is no decrease; activating then gives 100.
	at99 := statusIn(Downloading)
	at99.ProgressPercent = 99
	for _, p := range []uint32{99, 100} {
		out, err := Advance(at99, &pb.Transition{State: Downloading, ProgressPercent: proto.Uint32(p), ReportedAt: at(200)})
		require.NoError(t, err, p)
		assert.Equal(t, uint32(99), out.GetProgressPercent())
	}
	out, err := Advance(at99, &pb.Transition{State: Activating, ReportedAt: at(200)})
	require.NoError(t, err)
	assert.Equal(t, uint32(100), out.GetProgressPercent())
	// A hand-made downloading status at 100 (the reference's struct allows
	// it) is read as 99: re-reporting it is not a decrease.
	at100 := statusIn(Downloading)
	at100.ProgressPercent = 100
	out, err = Advance(at100, &pb.Transition{State: Downloading, ReportedAt: at(200)})
	require.NoError(t, err)
	assert.Equal(t, uint32(99), out.GetProgressPercent())
	out, err = Advance(at100, &pb.Transition{State: Downloading, ProgressPercent: proto.Uint32(99), ReportedAt: at(200)})
	require.NoError(t, err)
	assert.Equal(t, uint32(99), out.GetProgressPercent())
	_, err = Advance(at100, &pb.Transition{State: Downloading, ProgressPercent: proto.Uint32(98), ReportedAt: at(200)})
	assert.Equal(t, CodeProgressDecreased, status.From(err).Code)
	// Above 100 is still an error, as before.
	_, err = Advance(at99, &pb.Transition{State: Downloading, ProgressPercent: proto.Uint32(101), ReportedAt: at(200)})
	assert.Equal(t, CodeInvalidNumber, status.From(err).Code)
}

// A deployment that crashes after activation is failed (the seed's failed()
// applies in any state), keeping the instance that crashed and its progress;
// it may then be rolled back.
func TestDirectiveActiveCanFail(t *testing.T) {
	crashed, err := Advance(statusIn(Active), &pb.Transition{State: Failed, ErrorMessage: proto.String("segfault"), ReportedAt: at(200)})
	require.NoError(t, err)
	assert.Equal(t, Failed, crashed.GetState())
	assert.Equal(t, "segfault", crashed.GetErrorMessage())
	assert.Equal(t, "i-1", crashed.GetInstanceId())
	assert.Equal(t, uint32(100), crashed.GetProgressPercent())
	_, err = Advance(statusIn(Active), &pb.Transition{State: Failed, ReportedAt: at(200)})
	assert.Equal(t, CodeRequiredField, status.From(err).Code, "still needs a message")

	again, err := Advance(crashed, &pb.Transition{State: Failed, ReportedAt: at(201)})
	require.NoError(t, err)
	assert.Equal(t, "i-1", again.GetInstanceId(), "a re-report keeps the instance")
	back, err := Advance(crashed, &pb.Transition{State: RolledBack, ReportedAt: at(210)})
	require.NoError(t, err)
	assert.Equal(t, "i-1", back.GetInstanceId())
	assert.Equal(t, "segfault", back.GetErrorMessage())
	_, err = Advance(crashed, &pb.Transition{State: Active, ReportedAt: at(210)})
	assert.Equal(t, CodeIllegalTransition, status.From(err).Code, "no way back to active")

	// The crash report wins a merge with the active report before it, even
	// when the node's clock was set back in between.
	active := statusIn(Active)
	active.ReportedAt = at(300)
	m, err := MergeStatus(active, crashed)
	require.NoError(t, err)
	assert.Equal(t, Failed, m.GetState())
	m, err = MergeStatus(crashed, active)
	require.NoError(t, err)
	assert.Equal(t, Failed, m.GetState())
}

// TestSigningKeyIDIsKept: a status names the signing key once and keeps it
// through every later transition; another key is FIELD_NOT_ALLOWED.
func TestSigningKeyIDIsKept(t *testing.T) {
	cur := &pb.DeploymentStatus{DirectiveId: "d", NodeId: "n", ReportedAt: at(1), State: pb.DeploymentState_DEPLOYMENT_STATE_PENDING}
	s, err := Advance(cur, &pb.Transition{State: pb.DeploymentState_DEPLOYMENT_STATE_DOWNLOADING, ReportedAt: at(2), SigningKeyId: proto.String("k1")})
	require.NoError(t, err)
	assert.Equal(t, "k1", s.GetSigningKeyId())
	s, err = Advance(s, &pb.Transition{State: pb.DeploymentState_DEPLOYMENT_STATE_ACTIVATING, ReportedAt: at(3)})
	require.NoError(t, err)
	assert.Equal(t, "k1", s.GetSigningKeyId(), "kept without being repeated")
	_, err = Advance(s, &pb.Transition{State: pb.DeploymentState_DEPLOYMENT_STATE_ACTIVE, ReportedAt: at(4), SigningKeyId: proto.String("k2")})
	assert.Equal(t, CodeFieldNotAllowed, status.From(err).Code)
	s, err = Advance(s, &pb.Transition{State: pb.DeploymentState_DEPLOYMENT_STATE_ACTIVE, ReportedAt: at(4), SigningKeyId: proto.String("k1")})
	require.NoError(t, err)
	assert.Equal(t, "k1", s.GetSigningKeyId())
}
