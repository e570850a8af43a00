package directive

import (
	"fmt"

	"google.golang.org/protobuf/proto"

	commonv1 "github.com/peat-protocol/libpeat/core/pb/cap/common/v1"
	pb "github.com/peat-protocol/libpeat/core/pb/peat/directive/v1"
	"github.com/peat-protocol/libpeat/core/status"
)

// Short names for the states.
const (
	Pending     = pb.DeploymentState_DEPLOYMENT_STATE_PENDING
	Downloading = pb.DeploymentState_DEPLOYMENT_STATE_DOWNLOADING
	Activating  = pb.DeploymentState_DEPLOYMENT_STATE_ACTIVATING
	Active      = pb.DeploymentState_DEPLOYMENT_STATE_ACTIVE
	Failed      = pb.DeploymentState_DEPLOYMENT_STATE_FAILED
	RolledBack  = pb.DeploymentState_DEPLOYMENT_STATE_ROLLED_BACK
)

// Codes (peat.api.v1.Error.code) of the IllegalTransition errors Advance
// returns; a broken request or current status gives InvalidArgument or
// Invalid with a validation code instead.
const (
	CodeIllegalTransition   = "ILLEGAL_TRANSITION"    // the state move itself is not allowed
	CodeProgressDecreased   = "PROGRESS_DECREASED"    // download progress went down
	CodeReportedAtBackwards = "REPORTED_AT_BACKWARDS" // the report is older than the current one
	CodeFieldNotAllowed     = "FIELD_NOT_ALLOWED"     // progress, error_message or instance_id the target state does not take
	CodeRequiredField       = "REQUIRED_FIELD"        // failed without an error message
	CodeInvalidNumber       = "INVALID_NUMBER"        // progress above 100
)

// MaxDownloadProgress is the highest progress a downloading status carries:
// as in the seed (DeploymentStatus::downloading caps at 99), 100 % is reached
// by moving on to activating.
const MaxDownloadProgress = 99

// next lists the legal moves. A state may always be re-reported (the same
// state again), e.g. a download progress update or a heartbeat. Every move
// goes up the merge rank (see rank), so the latest report of a node wins a
// merge whatever its clock says. active -> failed is a deployment that
// crashed after activation (the seed's failed() applies in any state).
var next = map[pb.DeploymentState][]pb.DeploymentState{
	Pending:     {Pending, Downloading, Failed},
	Downloading: {Downloading, Activating, Failed},
	Activating:  {Activating, Active, Failed},
	Active:      {Active, Failed, RolledBack},
	Failed:      {Failed, RolledBack},
	RolledBack:  {RolledBack},
}

// Legal reports whether the status machine allows from -> to.
func Legal(from, to pb.DeploymentState) bool {
	for _, s := range next[from] {
		if s == to {
			return true
		}
	}
	return false
}

// Advance applies transition t to status cur and returns the new status (cur
// is not modified). Rules, beyond the table of legal moves:
//
//   - reported_at is required and must not be earlier than cur's;
//   - progress: pending 0; downloading as requested (0..100, capped at
//     MaxDownloadProgress as the seed does, not below the current download
//     progress; absent keeps it); activating and active 100; failed and
//     rolled_back keep the progress reached. A progress for any state but
//     downloading must be absent or equal to that value;
//   - error_message is only for failed (required there, unless cur is already
//     failed with one) and rolled_back (optional; a failure's message is kept);
//   - instance_id is only for active (absent keeps the current one when cur
//     is already active); failed and rolled_back keep the instance that was
//     active (the one that crashed or was rolled back);
//   - every other state carries neither, so stale values are cleared.
func Advance(cur *pb.DeploymentStatus, t *pb.Transition) (*pb.DeploymentStatus, error) {
	if cur == nil {
		return nil, status.Errorf(status.InvalidArgument, "the request has no current status").AtPath("current")
	}
	if t == nil {
		return nil, status.Errorf(status.InvalidArgument, "the request has no transition").AtPath("transition")
	}
	if _, ok := next[cur.GetState()]; !ok {
		return nil, status.Errorf(status.Invalid, "the current status has no valid state (%s)", cur.GetState()).
			WithCode("INVALID_ENUM").AtPath("current.state")
	}
	if cur.GetProgressPercent() > 100 {
		return nil, status.Errorf(status.Invalid, "the current progress %d is above 100", cur.GetProgressPercent()).
			WithCode(CodeInvalidNumber).AtPath("current.progress_percent")
	}
	if t.GetReportedAt() == nil {
		return nil, status.Errorf(status.InvalidArgument, "the transition has no reported_at").
			WithCode("REQUIRED_FIELD").AtPath("transition.reported_at")
	}
	if t.GetReportedAt().GetNanos() > 999_999_999 {
		return nil, status.Errorf(status.InvalidArgument, "transition.reported_at nanos %d is outside 0..999999999", t.GetReportedAt().GetNanos()).
			WithCode("INVALID_TIMESTAMP").AtPath("transition.reported_at.nanos")
	}
	from, to := cur.GetState(), t.GetState()
	illegal := func(code, path, format string, args ...any) error {
		return status.Errorf(status.IllegalTransition, "%s -> %s: %s", StateName(from), StateName(to), fmt.Sprintf(format, args...)).
			WithCode(code).AtPath(path)
	}
	if _, ok := next[to]; !ok {
		return nil, illegal(CodeIllegalTransition, "transition.state", "the target state is not a deployment state")
	}
	if !Legal(from, to) {
		return nil, illegal(CodeIllegalTransition, "transition.state", "not allowed (from %s only %s)", StateName(from), stateList(next[from]))
	}
	if CompareTime(t.GetReportedAt(), cur.GetReportedAt()) < 0 {
		return nil, illegal(CodeReportedAtBackwards, "transition.reported_at", "reported_at is earlier than the current report's")
	}

	// Progress.
	var progress uint32
	switch to {
	case Pending:
		progress = 0
	case Downloading:
		if from == Downloading {
			progress = min(cur.GetProgressPercent(), MaxDownloadProgress)
		}
		if t.ProgressPercent != nil {
			p := t.GetProgressPercent()
			if p > 100 {
				return nil, illegal(CodeInvalidNumber, "transition.progress_percent", "progress %d is above 100", p)
			}
			if from == Downloading && min(p, MaxDownloadProgress) < progress {
				return nil, illegal(CodeProgressDecreased, "transition.progress_percent",
					"download progress may not decrease (%d -> %d)", cur.GetProgressPercent(), p)
			}
			progress = min(p, MaxDownloadProgress)
		}
	case Activating, Active:
		progress = 100
	default: // Failed, RolledBack keep the progress reached.
		progress = cur.GetProgressPercent()
	}
	if to != Downloading && t.ProgressPercent != nil && t.GetProgressPercent() != progress {
		return nil, illegal(CodeFieldNotAllowed, "transition.progress_percent",
			"progress is %d in state %s and cannot be set to %d", progress, StateName(to), t.GetProgressPercent())
	}

	// Error message and instance id.
	var errMsg, instance *string
	if t.ErrorMessage != nil && to != Failed && to != RolledBack {
		return nil, illegal(CodeFieldNotAllowed, "transition.error_message", "error_message is only for failed and rolled_back")
	}
	if t.InstanceId != nil && to != Active {
		return nil, illegal(CodeFieldNotAllowed, "transition.instance_id", "instance_id is only for active")
	}
	// The instance that ran: kept by failed and rolled_back.
	var ran *string
	if from == Active || from == Failed || from == RolledBack {
		ran = cur.InstanceId
	}
	switch to {
	case Failed:
		errMsg = t.ErrorMessage
		if errMsg == nil && from == Failed {
			errMsg = cur.ErrorMessage
		}
		if errMsg == nil || *errMsg == "" {
			return nil, illegal(CodeRequiredField, "transition.error_message", "a failed status needs an error_message")
		}
		instance = ran
	case Active:
		instance = t.InstanceId
		if instance == nil && from == Active {
			instance = cur.InstanceId
		}
	case RolledBack:
		// Keep what identifies the rolled-back deployment: the failure's
		// message or the instance that ran.
		errMsg = t.ErrorMessage
		if errMsg == nil && (from == Failed || from == RolledBack) {
			errMsg = cur.ErrorMessage
		}
		instance = ran
	}

	// The signing key id the node acted on: set once, then only repeated
	// (a status about one directive acted on one envelope).
	if t.SigningKeyId != nil && cur.SigningKeyId != nil && t.GetSigningKeyId() != cur.GetSigningKeyId() {
		return nil, illegal(CodeFieldNotAllowed, "transition.signing_key_id",
			"the status already names signing key %q", cur.GetSigningKeyId())
	}

	out := proto.Clone(cur).(*pb.DeploymentStatus)
	if t.SigningKeyId != nil {
		out.SigningKeyId = cloneStr(t.SigningKeyId)
	}
	out.State = to
	out.ProgressPercent = progress
	out.ReportedAt = proto.Clone(t.GetReportedAt()).(*commonv1.Timestamp)
	out.ErrorMessage = cloneStr(errMsg)
	out.InstanceId = cloneStr(instance)
	return out, nil
}

func cloneStr(s *string) *string {
	if s == nil {
		return nil
	}
	v := *s
	return &v
}

func stateList(states []pb.DeploymentState) string {
	s := ""
	for i, st := range states {
		if i > 0 {
			s += ", "
		}
		s += StateName(st)
	}
	return s
}
