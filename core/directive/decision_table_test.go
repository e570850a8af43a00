package directive

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"
	"pgregory.net/rapid"

	pb "github.com/peat-protocol/libpeat/core/pb/peat/directive/v1"
	"github.com/peat-protocol/libpeat/core/status"
)

// decisionRow is one row of the decision table in docs/DIRECTIVES.md.
type decisionRow struct {
	name, threshold, nodes, targets, clock, sfp, decision string
}

// readDecisionTable returns the rows of the table under "### Decision table"
// in docs/DIRECTIVES.md, so that the documented table is the tested one.
func readDecisionTable(t *testing.T) []decisionRow {
	t.Helper()
	doc, err := os.ReadFile("../../docs/DIRECTIVES.md")
	require.NoError(t, err)
	text := string(doc)
	i := strings.Index(text, "\n### Decision table\n")
	require.GreaterOrEqual(t, i, 0, "docs/DIRECTIVES.md has no decision table")
	var rows []decisionRow
	inTable := false
	for _, line := range strings.Split(text[i+1:], "\n")[1:] {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "|") {
			if inTable {
				break
			}
			continue
		}
		inTable = true
		cells := strings.Split(strings.Trim(line, "|"), "|")
		for k := range cells {
			cells[k] = strings.TrimSpace(strings.ReplaceAll(cells[k], "`", ""))
		}
		require.Len(t, cells, 7, "decision table row %q", line)
		if cells[0] == "Case" || strings.HasPrefix(cells[0], "---") {
			continue
		}
		rows = append(rows, decisionRow{cells[0], cells[1], cells[2], cells[3], cells[4], cells[5], cells[6]})
	}
	require.NotEmpty(t, rows)
	return rows
}

// request builds the SummarizeRequest a row describes.
func (r decisionRow) request(t *testing.T) *pb.SummarizeRequest {
	var threshold *uint32
	if r.threshold != "absent" {
		v, err := strconv.ParseUint(r.threshold, 10, 32)
		require.NoError(t, err, "threshold %q", r.threshold)
		threshold = proto.Uint32(uint32(v))
	}
	const deadline = issued + 300
	var timeout *uint32
	var now uint64
	switch r.clock {
	case "before":
		now = deadline - 1
	case "at":
		now = deadline
	case "after":
		now = deadline + 3600
	case "no timeout":
		timeout, now = proto.Uint32(0), issued+86400
	default:
		t.Fatalf("clock %q", r.clock)
	}
	req := &pb.SummarizeRequest{Directive: rollout(timeout, threshold), Now: at(now)}
	var listed []string
	if r.nodes != "—" {
		for _, item := range strings.Split(r.nodes, ",") {
			item = strings.TrimSpace(item)
			if name, ok := strings.CutPrefix(item, "untargeted "); ok {
				st, known := stateByName[name]
				require.True(t, known, "state %q", name)
				req.Statuses = append(req.Statuses, report("outsider", st))
				continue
			}
			count, name, ok := strings.Cut(item, " ")
			require.True(t, ok, "item %q", item)
			k, err := strconv.Atoi(count)
			require.NoError(t, err, "item %q", item)
			for j := 0; j < k; j++ {
				id := fmt.Sprintf("node-%02d", len(listed))
				listed = append(listed, id)
				if name == "none" {
					continue
				}
				st, known := stateByName[name]
				require.True(t, known, "state %q", name)
				req.Statuses = append(req.Statuses, report(id, st))
			}
		}
	}
	switch r.targets {
	case "listed":
		require.NotEmpty(t, listed, "an empty list means the reporters")
		req.TargetedNodeIds = listed
	case "reporters":
		require.NotContains(t, r.nodes, "none", "a silent node is never a reporter")
	default:
		t.Fatalf("targets %q", r.targets)
	}
	return req
}

func TestDirectiveDecisionTable(t *testing.T) {
	rows := readDecisionTable(t)
	seen := map[string]bool{}
	for _, r := range rows {
		seen["T "+r.threshold] = true
		seen["clock "+r.clock] = true
		seen[r.decision] = true
		for _, item := range strings.Split(r.nodes, ",") {
			f := strings.Fields(item)
			seen["state "+f[len(f)-1]] = true
		}
		t.Run(r.name, func(t *testing.T) {
			sum, err := Summarize(r.request(t))
			if code, ok := strings.CutPrefix(r.decision, "error "); ok {
				require.Error(t, err)
				assert.Equal(t, status.Invalid, status.Of(err))
				assert.Equal(t, code, status.From(err).Code)
				assert.Equal(t, "—", r.sfp)
				return
			}
			require.NoError(t, err)
			s := sum.GetActive()
			f := sum.GetFailed() + sum.GetRolledBack() + uint32(len(sum.GetTimedOutNodeIds()))
			assert.Equal(t, r.sfp, fmt.Sprintf("%d/%d/%d", s, f, sum.GetTargeted()-s-f), "S/F/P")
			want, ok := pb.RolloutDecision_value["ROLLOUT_DECISION_"+r.decision]
			require.True(t, ok, "decision %q", r.decision)
			assert.Equal(t, pb.RolloutDecision(want).String(), sum.GetDecision().String())
		})
	}
	// The table must keep covering what issue 13 asks for.
	for _, k := range []string{"T absent", "T 0", "T 50", "T 100", "T 101",
		"clock before", "clock at", "clock after", "clock no timeout",
		"NO_TARGETS", "IN_PROGRESS", "SUCCEEDED", "FAILED", "ROLLBACK_REQUIRED", "error INVALID_NUMBER",
		"state pending", "state downloading", "state activating", "state active", "state failed",
		"state rolled_back", "state none", "state —"} {
		assert.True(t, seen[k], "the decision table has no row with %s", k)
	}
}

// The laws of docs/DIRECTIVES.md, for random rollouts and every threshold.
func TestDirectiveThresholdLaws(t *testing.T) {
	names := []string{"none", "pending", "downloading", "activating", "active", "failed", "rolled_back"}
	rapid.Check(t, func(rt *rapid.T) {
		n := rapid.IntRange(0, 7).Draw(rt, "n")
		expired := rapid.Bool().Draw(rt, "expired")
		now := uint64(issued + 299)
		if expired {
			now = issued + 300 + rapid.Uint64Range(0, 10).Draw(rt, "late")
		}
		var targets []string
		var reports []*pb.DeploymentStatus
		var s, f int
		for i := 0; i < n; i++ {
			id := fmt.Sprintf("n%d", i)
			targets = append(targets, id)
			name := rapid.SampledFrom(names).Draw(rt, "state")
			switch {
			case name == "active":
				s++
			case name == "failed" || name == "rolled_back" || expired:
				f++
			}
			if name != "none" {
				reports = append(reports, report(id, stateByName[name]))
			}
		}
		p := n - s - f
		decide := func(threshold *uint32) pb.RolloutDecision {
			sum, err := Summarize(&pb.SummarizeRequest{Directive: rollout(nil, threshold), TargetedNodeIds: targets,
				Statuses: reports, Now: at(now)})
			require.NoError(rt, err)
			return sum.GetDecision()
		}
		const rollback = pb.RolloutDecision_ROLLOUT_DECISION_ROLLBACK_REQUIRED
		prev := decide(nil)
		for th := uint32(0); th <= 100; th++ {
			d := decide(proto.Uint32(th))
			if th == 0 {
				assert.Equal(rt, prev, d, "absent decides like 0")
			} else if d != prev {
				assert.Equal(rt, rollback, d, "raising T from %d to %d turned %s into %s", th-1, th, prev, d)
			}
			switch {
			case n == 0:
				assert.Equal(rt, pb.RolloutDecision_ROLLOUT_DECISION_NO_TARGETS, d)
			case f == n:
				assert.Equal(rt, pb.RolloutDecision_ROLLOUT_DECISION_FAILED, d, "every node failed, T %d", th)
			case f == 0:
				assert.NotEqual(rt, pb.RolloutDecision_ROLLOUT_DECISION_FAILED, d, "no failure, T %d", th)
				assert.NotEqual(rt, rollback, d, "no failure, T %d", th)
			}
			assert.Equal(rt, n > 0 && s == n, d == pb.RolloutDecision_ROLLOUT_DECISION_SUCCEEDED, "SUCCEEDED iff all active, T %d", th)
			if p > 0 {
				assert.Contains(rt, []pb.RolloutDecision{pb.RolloutDecision_ROLLOUT_DECISION_IN_PROGRESS, rollback}, d)
			} else {
				assert.NotEqual(rt, pb.RolloutDecision_ROLLOUT_DECISION_IN_PROGRESS, d, "nothing in flight, T %d", th)
			}
			prev = d
		}
	})
}
