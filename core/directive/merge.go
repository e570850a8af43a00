package directive

import (
	"bytes"
	"sort"

	"google.golang.org/protobuf/proto"

	pb "github.com/peat-protocol/libpeat/core/pb/peat/directive/v1"
	"github.com/peat-protocol/libpeat/core/status"
)

// Status reports merge as a CRDT: for one (directive_id, node_id) the report
// with the greatest key (state rank, reported_at, progress_percent, canonical
// binary bytes) wins. Taking the maximum of a total order is commutative,
// associative and idempotent, so reports can travel up the hierarchy in any
// order, duplicated or late, and every replica ends with the same board.
//
// State rank comes first because the status machine only moves up the ranks
// (pending 1 < downloading 2 < activating 3 < active 4 < failed 5 <
// rolled_back 6; failed ranks above active because an active deployment may
// crash): a later report of a node wins even when its clock was set back.
// reported_at orders reports of equal rank (re-reports), progress breaks ties
// between download updates stamped alike, and the canonical bytes make the
// order total.

// rank orders states along the status machine; unknown states rank lowest.
func rank(s pb.DeploymentState) int {
	switch s {
	case Pending:
		return 1
	case Downloading:
		return 2
	case Activating:
		return 3
	case Active:
		return 4
	case Failed:
		return 5
	case RolledBack:
		return 6
	}
	return 0
}

func canonical(s *pb.DeploymentStatus) ([]byte, error) {
	b, err := proto.MarshalOptions{Deterministic: true}.Marshal(s)
	if err != nil {
		return nil, status.Errorf(status.Encode, "cannot encode a status: %v", err)
	}
	return b, nil
}

// newer reports whether a wins over b.
func newer(a, b *pb.DeploymentStatus) (bool, error) {
	if ra, rb := rank(a.GetState()), rank(b.GetState()); ra != rb {
		return ra > rb, nil
	}
	if c := CompareTime(a.GetReportedAt(), b.GetReportedAt()); c != 0 {
		return c > 0, nil
	}
	if a.GetProgressPercent() != b.GetProgressPercent() {
		return a.GetProgressPercent() > b.GetProgressPercent(), nil
	}
	ab, err := canonical(a)
	if err != nil {
		return false, err
	}
	bb, err := canonical(b)
	if err != nil {
		return false, err
	}
	return bytes.Compare(ab, bb) > 0, nil
}

// MergeStatus merges two reports of the same directive and node (a copy of
// the winner). Reports of different directives or nodes are a Mismatch.
func MergeStatus(a, b *pb.DeploymentStatus) (*pb.DeploymentStatus, error) {
	if a.GetDirectiveId() != b.GetDirectiveId() || a.GetNodeId() != b.GetNodeId() {
		return nil, status.Errorf(status.Mismatch, "cannot merge the status of (%q, %q) with that of (%q, %q)",
			a.GetDirectiveId(), a.GetNodeId(), b.GetDirectiveId(), b.GetNodeId())
	}
	win, err := newer(b, a)
	if err != nil {
		return nil, err
	}
	if win {
		return proto.Clone(b).(*pb.DeploymentStatus), nil
	}
	return proto.Clone(a).(*pb.DeploymentStatus), nil
}

type boardKey struct{ directive, node string }

// MergeBoards merges any number of boards: one entry per (directive_id,
// node_id), the winner of all reports for it, sorted by directive_id then
// node_id. Merging a single board normalises it.
func MergeBoards(boards ...*pb.StatusBoard) (*pb.StatusBoard, error) {
	var all []*pb.DeploymentStatus
	for _, b := range boards {
		all = append(all, b.GetStatuses()...)
	}
	merged, err := mergeReports(all)
	if err != nil {
		return nil, err
	}
	for i, s := range merged {
		merged[i] = proto.Clone(s).(*pb.DeploymentStatus)
	}
	return &pb.StatusBoard{Statuses: merged}, nil
}

// mergeReports reduces reports to one winner per (directive, node), sorted.
// The winners are the input messages themselves, not copies.
func mergeReports(reports []*pb.DeploymentStatus) ([]*pb.DeploymentStatus, error) {
	best := map[boardKey]*pb.DeploymentStatus{}
	for _, s := range reports {
		if s == nil {
			continue
		}
		k := boardKey{s.GetDirectiveId(), s.GetNodeId()}
		cur, ok := best[k]
		if !ok {
			best[k] = s
			continue
		}
		win, err := newer(s, cur)
		if err != nil {
			return nil, err
		}
		if win {
			best[k] = s
		}
	}
	keys := make([]boardKey, 0, len(best))
	for k := range best {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].directive != keys[j].directive {
			return keys[i].directive < keys[j].directive
		}
		return keys[i].node < keys[j].node
	})
	out := make([]*pb.DeploymentStatus, len(keys))
	for i, k := range keys {
		out[i] = best[k]
	}
	return out, nil
}
