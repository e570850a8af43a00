package directive

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"
	"pgregory.net/rapid"

	commonv1 "github.com/peat-protocol/libpeat/core/pb/cap/common/v1"
	pb "github.com/peat-protocol/libpeat/core/pb/peat/directive/v1"
	"github.com/peat-protocol/libpeat/core/status"
)

func genStatus(t *rapid.T, label string) *pb.DeploymentStatus {
	s := &pb.DeploymentStatus{
		DirectiveId:     rapid.SampledFrom([]string{"d1", "d2"}).Draw(t, label+".directive"),
		NodeId:          rapid.SampledFrom([]string{"n1", "n2", "n3"}).Draw(t, label+".node"),
		ReportedAt:      &commonv1.Timestamp{Seconds: rapid.Uint64Range(0, 3).Draw(t, label+".sec"), Nanos: rapid.Uint32Range(0, 2).Draw(t, label+".nanos")},
		State:           pb.DeploymentState(rapid.Int32Range(0, 6).Draw(t, label+".state")),
		ProgressPercent: rapid.Uint32Range(0, 2).Draw(t, label+".progress"),
	}
	if rapid.Bool().Draw(t, label+".hasErr") {
		s.ErrorMessage = proto.String(rapid.SampledFrom([]string{"a", "b"}).Draw(t, label+".err"))
	}
	if rapid.Bool().Draw(t, label+".hasInst") {
		s.InstanceId = proto.String(rapid.SampledFrom([]string{"", "i"}).Draw(t, label+".inst"))
	}
	return s
}

func genBoard(t *rapid.T, label string) *pb.StatusBoard {
	n := rapid.IntRange(0, 6).Draw(t, label+".n")
	b := &pb.StatusBoard{}
	for i := 0; i < n; i++ {
		b.Statuses = append(b.Statuses, genStatus(t, label))
	}
	return b
}

func bytesOf(t testing.TB, m proto.Message) []byte {
	b, err := proto.MarshalOptions{Deterministic: true}.Marshal(m)
	require.NoError(t, err)
	return b
}

func mustMerge(t testing.TB, boards ...*pb.StatusBoard) *pb.StatusBoard {
	m, err := MergeBoards(boards...)
	require.NoError(t, err)
	return m
}

func TestBoardMergeIsACRDT(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		a, b, c := genBoard(rt, "a"), genBoard(rt, "b"), genBoard(rt, "c")
		ab, ba := mustMerge(t, a, b), mustMerge(t, b, a)
		assert.Equal(rt, bytesOf(t, ab), bytesOf(t, ba), "commutative")
		left := mustMerge(t, mustMerge(t, a, b), c)
		right := mustMerge(t, a, mustMerge(t, b, c))
		assert.Equal(rt, bytesOf(t, left), bytesOf(t, right), "associative")
		assert.Equal(rt, bytesOf(t, ab), bytesOf(t, mustMerge(t, ab, ab)), "idempotent")
		assert.Equal(rt, bytesOf(t, ab), bytesOf(t, mustMerge(t, ab, b)), "absorbs a re-sent board")

		// One entry per (directive, node), sorted.
		for i := 1; i < len(ab.GetStatuses()); i++ {
			p, q := ab.Statuses[i-1], ab.Statuses[i]
			assert.True(rt, p.DirectiveId < q.DirectiveId || (p.DirectiveId == q.DirectiveId && p.NodeId < q.NodeId))
		}
	})
}

func TestStatusMergeIsACRDT(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		a, b, c := genStatus(rt, "a"), genStatus(rt, "b"), genStatus(rt, "c")
		b.DirectiveId, b.NodeId, c.DirectiveId, c.NodeId = a.DirectiveId, a.NodeId, a.DirectiveId, a.NodeId
		ab, err := MergeStatus(a, b)
		require.NoError(rt, err)
		ba, err := MergeStatus(b, a)
		require.NoError(rt, err)
		assert.True(rt, proto.Equal(ab, ba))
		assert.True(rt, proto.Equal(ab, a) || proto.Equal(ab, b), "the winner is one of the inputs")
		abc, _ := MergeStatus(ab, c)
		bc, _ := MergeStatus(b, c)
		a_bc, _ := MergeStatus(a, bc)
		assert.True(rt, proto.Equal(abc, a_bc))
		aa, _ := MergeStatus(a, a)
		assert.True(rt, proto.Equal(aa, a))
	})
}

// Every legal history of a node, merged in any order, ends at its last report.
func TestMergeKeepsTheLatestReportOfALegalHistory(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		s := &pb.DeploymentStatus{DirectiveId: "d", NodeId: "n", ReportedAt: at(0), State: Pending}
		history := []*pb.DeploymentStatus{s}
		for i := 0; i < 8; i++ {
			to := rapid.SampledFrom(next[s.GetState()]).Draw(rt, "to")
			tr := &pb.Transition{State: to, ReportedAt: &commonv1.Timestamp{Seconds: s.GetReportedAt().GetSeconds() + rapid.Uint64Range(0, 1).Draw(rt, "dt")}}
			if to == Downloading {
				tr.ProgressPercent = proto.Uint32(s.GetProgressPercent() + rapid.Uint32Range(0, 100-s.GetProgressPercent()).Draw(rt, "dp"))
				if s.GetState() != Downloading {
					tr.ProgressPercent = proto.Uint32(rapid.Uint32Range(0, 100).Draw(rt, "p"))
				}
			}
			if to == Failed {
				tr.ErrorMessage = proto.String(rapid.SampledFrom([]string{"x", "y"}).Draw(rt, "err"))
			}
			adv, err := Advance(s, tr)
			require.NoError(rt, err)
			s = adv
			history = append(history, s)
		}
		shuffled := rapid.Permutation(history).Draw(rt, "order")
		var boards []*pb.StatusBoard
		for _, h := range shuffled {
			boards = append(boards, &pb.StatusBoard{Statuses: []*pb.DeploymentStatus{h}})
		}
		got := mustMerge(t, boards...)
		require.Len(rt, got.GetStatuses(), 1)
		// Re-reports stamped at the same time may differ only in their error
		// message, which the canonical bytes decide; state and progress are
		// always the final ones.
		assert.Equal(rt, s.GetState(), got.Statuses[0].GetState())
		assert.Equal(rt, s.GetProgressPercent(), got.Statuses[0].GetProgressPercent())
	})
}

func TestStateRankBeatsAClockSetBack(t *testing.T) {
	early := &pb.DeploymentStatus{DirectiveId: "d", NodeId: "n", ReportedAt: at(500), State: Downloading, ProgressPercent: 80}
	late := &pb.DeploymentStatus{DirectiveId: "d", NodeId: "n", ReportedAt: at(10), State: Active, ProgressPercent: 100}
	m, err := MergeStatus(early, late)
	require.NoError(t, err)
	assert.Equal(t, Active, m.GetState())

	// Equal rank: the later report wins.
	again := &pb.DeploymentStatus{DirectiveId: "d", NodeId: "n", ReportedAt: at(11), State: Active, ProgressPercent: 100, InstanceId: proto.String("i")}
	m, err = MergeStatus(late, again)
	require.NoError(t, err)
	assert.True(t, proto.Equal(again, m))
}

func TestMergingDifferentNodesOrDirectivesIsAMismatch(t *testing.T) {
	a := &pb.DeploymentStatus{DirectiveId: "d", NodeId: "n"}
	_, err := MergeStatus(a, &pb.DeploymentStatus{DirectiveId: "d", NodeId: "m"})
	assert.Equal(t, status.Mismatch, status.Of(err))
	_, err = MergeStatus(a, &pb.DeploymentStatus{DirectiveId: "e", NodeId: "n"})
	assert.Equal(t, status.Mismatch, status.Of(err))
}
