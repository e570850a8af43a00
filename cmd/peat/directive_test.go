package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	nodev1 "github.com/peat-protocol/libpeat/core/pb/cap/node/v1"
)

// The Rust reference's JSON for a broadcast directive (peat-semantics §4.2).
const cliBroadcast = `{"directive_id":"d-1","issued_at":"2025-11-06T12:00:00Z","issuer_node_id":"c2","scope":{"type":"broadcast"},"artifact":{"blob_hash":"sha256:def456","size_bytes":100000000,"artifact_type":{"type":"container","runtime":"docker","ports":[],"env":{}}},"capabilities":[],"config":null,"options":{"priority":"normal","timeout_seconds":300,"replace_existing":false,"auto_activate":true}}`

// The seed's example in the reference's JSON, with formation and capability scopes.
var cliSeed = strings.Replace(cliBroadcast, `{"type":"broadcast"}`, `{"type":"formation","formation_id":"formation-alpha"}`, 1)

const cliNode = `{"id":"uav-7","platformType":"quadrotor","capabilities":[{"id":"od","name":"Object_Detection","confidence":0.9}]}`

func TestDirectiveTargetPrintsTheDecision(t *testing.T) {
	broadcast := writeTemp(t, "b.json", []byte(cliBroadcast))
	seed := writeTemp(t, "seed.json", []byte(cliSeed))
	node := writeTemp(t, "node.json", []byte(cliNode))

	code, out, errOut := peat(t, nil, "directive", "target", "--directive", broadcast, "--node-config", node)
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, "targeted\n", out)

	// Formation scope: the node state decides, in any detected format.
	member, err := proto.MarshalOptions{Deterministic: true}.Marshal(&nodev1.NodeState{ZoneId: proto.String("formation-alpha")})
	require.NoError(t, err)
	code, out, errOut = peat(t, nil, "directive", "target", "--directive", seed, "--node-config", node,
		"--node-state", writeTemp(t, "state.bin", member))
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, "targeted\n", out)

	code, out, _ = peat(t, nil, "directive", "target", "--directive", seed, "--node-config", node,
		"--node-state", writeTemp(t, "other.json", []byte(`{"cellId":"cell-9"}`)))
	assert.Equal(t, 1, code)
	assert.Equal(t, "not targeted: formation \"formation-alpha\" is neither the node's cell (\"cell-9\") nor its zone (none)\n", out)

	// Capability scope with resources.
	capDir := writeTemp(t, "cap.json", []byte(strings.Replace(cliBroadcast, `{"type":"broadcast"}`,
		`{"type":"capability","min_gpu_memory_mb":4096,"required_capabilities":["object_detection"]}`, 1)))
	code, out, _ = peat(t, nil, "directive", "target", "--directive", capDir, "--node-config", node)
	assert.Equal(t, 1, code)
	assert.Equal(t, "not targeted: the node's GPU memory is unknown (at least 4096 MB required)\n", out)
	code, out, errOut = peat(t, nil, "directive", "target", "--directive", capDir, "--node-config", node,
		"--resources", writeTemp(t, "res.json", []byte(`{"gpuMemoryMb":"8192"}`)))
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, "targeted\n", out)
}

func TestDirectiveTargetErrors(t *testing.T) {
	node := writeTemp(t, "node.json", []byte(cliNode))
	broken := writeTemp(t, "broken.json", []byte(strings.Replace(cliBroadcast, `"scope":{"type":"broadcast"},`, ``, 1)))
	cases := []struct {
		args []string
		code string
	}{
		{[]string{"directive", "target", "--node-config", node}, "INVALID_ARGUMENT"},
		{[]string{"directive", "target", "--directive", broken, "--node-config", node}, "DECODE_ERROR"},
		{[]string{"directive", "target", "--directive", broken, "--node-config", node, "--from", "xml"}, "INVALID_ARGUMENT"},
		{[]string{"directive", "target", "--directive", "/nonexistent", "--node-config", node}, "INVALID_ARGUMENT"},
		{[]string{"directive", "nope"}, "INVALID_ARGUMENT"},
	}
	for _, c := range cases {
		code, out, errOut := peat(t, nil, c.args...)
		assert.Equal(t, 2, code, c.args)
		assert.Empty(t, out)
		assert.True(t, strings.HasPrefix(errOut, "peat: "+c.code+": "), "%v: %s", c.args, errOut)
	}
	// The missing key is named, with the file.
	_, _, errOut := peat(t, nil, "directive", "target", "--directive", broken, "--node-config", node)
	assert.Contains(t, errOut, `broken.json: not readable in any format; as rust-json: missing required key "scope" (at scope); as json: `)
}

func TestDirectiveSummarize(t *testing.T) {
	dirFile := writeTemp(t, "d.json", []byte(strings.Replace(cliBroadcast, `"auto_activate":true`, `"rollback_threshold_percent":50,"auto_activate":true`, 1)))
	status := func(node, state string, extra string) string {
		return writeTemp(t, node+".json", []byte(`{"directive_id":"d-1","node_id":"`+node+`","reported_at":"2025-11-06T12:01:00Z","state":"`+state+`","progress_percent":100`+extra+`}`))
	}
	board := writeTemp(t, "board.json", []byte(`{"statuses":[{"directive_id":"d-1","node_id":"n3","reported_at":"2025-11-06T12:01:00Z","state":"failed","progress_percent":10,"error_message":"x"}]}`))
	code, out, errOut := peat(t, nil, "directive", "summarize", "--directive", dirFile,
		"--status", status("n1", "active", `,"instance_id":"i"`), status("n2", "activating", ""), "--board", board,
		"--node", "n1,n2", "--node", "n3", "--node", "n4", "--now", "2025-11-06T12:02:00Z", "--to", "json")
	require.Equal(t, 0, code, errOut)
	var sum map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &sum))
	assert.Equal(t, "d-1", sum["directiveId"])
	assert.Equal(t, float64(4), sum["targeted"])
	assert.Equal(t, float64(1), sum["active"])
	assert.Equal(t, float64(1), sum["activating"])
	assert.Equal(t, float64(1), sum["failed"])
	assert.Equal(t, float64(1), sum["noReport"])
	assert.Equal(t, float64(25), sum["percentSucceeded"])
	assert.Equal(t, "ROLLOUT_DECISION_IN_PROGRESS", sum["decision"])

	// The default output is for people: every count, the deadline in RFC 3339.
	code, out, errOut = peat(t, nil, "directive", "summarize", "--directive", dirFile,
		"--status", status("n1", "active", `,"instance_id":"i"`), status("n2", "activating", ""), "--board", board,
		"--node", "n1,n2", "--node", "n3", "--node", "n4", "--now", "2025-11-06T12:02:00Z")
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, `directive            d-1
decision             in_progress
targeted             4
  pending            0
  downloading        0
  activating         1
  active             1
  failed             1
  rolled_back        0
  no_report          1
succeeded            25%
failed               25%
deadline             2025-11-06T12:05:00Z
timed_out            -
untargeted           -
`, out)

	// After the deadline (issued 12:00 + 300 s) the unfinished nodes time out.
	code, out, errOut = peat(t, nil, "directive", "summarize", "--directive", dirFile,
		"--status", status("n1", "active", ""), status("n2", "activating", ""), "--board", board,
		"--node", "n1,n2,n3,n4", "--now", "2025-11-06T12:05:00Z", "--to", "json")
	require.Equal(t, 0, code, errOut)
	sum = nil
	require.NoError(t, json.Unmarshal([]byte(out), &sum))
	assert.Equal(t, []any{"n2", "n4"}, sum["timedOutNodeIds"])
	assert.Equal(t, "ROLLOUT_DECISION_ROLLBACK_REQUIRED", sum["decision"])

	code, _, errOut = peat(t, nil, "directive", "summarize", "--directive", dirFile, "--now", "yesterday")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "INVALID_ARGUMENT")
}

func TestDirectiveAdvance(t *testing.T) {
	cur := writeTemp(t, "s.json", []byte(`{"directive_id":"d","node_id":"n","reported_at":"2025-11-06T12:00:00Z","state":"downloading","progress_percent":40}`))
	code, out, errOut := peat(t, nil, "directive", "advance", "--status", cur, "--state", "downloading", "--progress", "70", "--at", "2025-11-06T12:00:05Z")
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, `{"directive_id":"d","node_id":"n","reported_at":"2025-11-06T12:00:05Z","state":"downloading","progress_percent":70}`+"\n", out)

	code, out, errOut = peat(t, nil, "directive", "advance", "--status", cur, "--state", "failed", "--error", "disk full", "--at", "2025-11-06T12:00:05Z")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, `"state":"failed","progress_percent":40,"error_message":"disk full"`)

	code, _, errOut = peat(t, nil, "directive", "advance", "--status", cur, "--state", "active", "--at", "2025-11-06T12:00:05Z")
	assert.Equal(t, 2, code)
	assert.True(t, strings.HasPrefix(errOut, "peat: ILLEGAL_TRANSITION: downloading -> active"), errOut)
	code, _, errOut = peat(t, nil, "directive", "advance", "--status", cur, "--state", "downloading", "--progress", "10", "--at", "2025-11-06T12:00:05Z")
	assert.Equal(t, 2, code)
	assert.True(t, strings.HasPrefix(errOut, "peat: PROGRESS_DECREASED: "), errOut)
	code, _, errOut = peat(t, nil, "directive", "advance", "--status", cur, "--state", "Done")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "INVALID_ARGUMENT")
}

func TestConvertSpeaksRustJSONForDirectives(t *testing.T) {
	code, bin, errOut := peat(t, []byte(cliSeed), "convert", "--type", "peat.directive.v1.DeploymentDirective", "--from", "rust-json", "--to", "binary")
	require.Equal(t, 0, code, errOut)
	code, back, errOut := peat(t, []byte(bin), "convert", "--type", "peat.directive.v1.DeploymentDirective", "--from", "binary", "--to", "rust-json")
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, cliSeed+"\n", back)
}
