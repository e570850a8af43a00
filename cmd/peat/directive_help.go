package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/peat-protocol/libpeat/core/directive"
	pb "github.com/peat-protocol/libpeat/core/pb/peat/directive/v1"
)

func init() {
	helpDocs["directive"] = helpDoc{about: "Deployment directives: which nodes a directive targets, the status machine of a deployment, " +
		"the rollout summary, signatures."}
	helpDocs["directive target"] = helpDoc{
		about: "Decide whether a directive targets a node. Prints \"targeted\" or \"not targeted: <reason>\".",
		usage: "directive target --directive FILE --node-config FILE [--node-state FILE] [--resources FILE] [--from FORMAT] [--lenient]",
		example: `  peat directive target --directive d.json --node-config node.json
  # formation scopes need the node's state, min_* filters its resources
  peat directive target --directive d.json --node-config node.json --node-state state.bin --resources res.json`,
		exits: `  0  targeted
  1  not targeted (the reason on stdout)
  2  error: one line "peat: CODE: message (at path)" on stderr`,
	}
	helpDocs["directive summarize"] = helpDoc{
		about: "Summarise a rollout: count the targeted nodes per reported state, find the ones timed out at --now, " +
			"and decide (in progress, succeeded, rollback required). The targets are the --node ids, or every node that reported.",
		usage: "directive summarize --directive FILE --status FILE... [--board FILE...] [--node ID...] [--now RFC3339] [--from FORMAT] [--to text|json|binary] [--lenient]",
		example: `  peat directive summarize --directive d.json --status n1.json --status n2.json --node n1,n2,n3
  # the summary as proto3 JSON, at a fixed time
  peat directive summarize --directive d.json --board board.json --now 2025-11-06T12:05:00Z --to json`,
	}
	helpDocs["directive advance"] = helpDoc{
		about: "Move a node's deployment status to a new state by the status machine (docs/DIRECTIVES.md), " +
			"refusing illegal transitions. Prints the new status.",
		usage: "directive advance --status FILE --state STATE [--progress N] [--error MSG] [--instance ID] [--at RFC3339] [--from FORMAT] [--to FORMAT] [--lenient]",
		example: `  peat directive advance --status s.json --state downloading --progress 40
  peat directive advance --status s.json --state failed --error "disk full" --at 2025-11-06T12:00:05Z`,
	}
	helpDocs["directive sign"] = helpDoc{
		about: "Sign a directive with an Ed25519 private key: writes the binary SignedDirective to stdout " +
			"(with --add, FILE is a signed envelope to add this key's signature to).",
		usage: "directive sign --key PRIVATE.pem [--from FORMAT] [--add] [--lenient] [FILE]",
		example: `  peat key generate --private op.pem --public op.pub
  peat directive sign --key op.pem d.json > d.signed
  peat directive sign --key second.pem --add d.signed > d.signed2`,
	}
	helpDocs["directive verify"] = helpDoc{
		about: "Verify a signed directive against trusted public keys. Prints \"verified by <key ids>\" or \"not verified: <code>: <reason>\".",
		usage: "directive verify --trust PUBLIC.pem... [--now RFC3339] [--max-age SECONDS] [--threshold N] [FILE]",
		example: `  peat directive verify --trust op.pub d.signed
  peat directive verify --trust a.pub --trust b.pub --threshold 2 --max-age 3600 < d.signed`,
		exits: `  0  verified
  1  not verified (code and reason on stdout)
  2  error: one line "peat: CODE: message (at path)" on stderr`,
	}
}

// writeSummary prints a rollout summary for people: one "name  value" line
// each, every count shown (zeros too), the deadline in RFC 3339.
func writeSummary(w io.Writer, s *pb.RolloutSummary) {
	line := func(k string, v any) { fmt.Fprintf(w, "%-20s %v\n", k, v) }
	line("directive", s.GetDirectiveId())
	line("decision", strings.ToLower(strings.TrimPrefix(s.GetDecision().String(), "ROLLOUT_DECISION_")))
	line("targeted", s.GetTargeted())
	line("  pending", s.GetPending())
	line("  downloading", s.GetDownloading())
	line("  activating", s.GetActivating())
	line("  active", s.GetActive())
	line("  failed", s.GetFailed())
	line("  rolled_back", s.GetRolledBack())
	line("  no_report", s.GetNoReport())
	line("succeeded", fmt.Sprintf("%g%%", s.GetPercentSucceeded()))
	line("failed", fmt.Sprintf("%g%%", s.GetPercentFailed()))
	deadline := "none (no timeout)"
	if s.GetDeadline() != nil {
		if t, err := directive.FormatTime(s.GetDeadline()); err == nil {
			deadline = t
		}
	}
	line("deadline", deadline)
	line("timed_out", list(s.GetTimedOutNodeIds()))
	line("untargeted", list(s.GetUntargetedNodeIds()))
}

func list(ids []string) string {
	if len(ids) == 0 {
		return "-"
	}
	return strings.Join(ids, ", ")
}
