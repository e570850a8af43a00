package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	nodev1 "github.com/peat-protocol/libpeat/core/pb/cap/node/v1"
	"github.com/peat-protocol/libpeat/core/validate/examples"
)

const nodeState = "cap.node.v1.NodeState"

func TestValidateValidExitsZeroSilently(t *testing.T) {
	code, out, stderr := peat(t, []byte(examples.JSON(nodeState)), "validate", "--type", nodeState, "--from", "json",
		"--now", "2025-11-06T00:00:00Z")
	assert.Equal(t, 0, code, stderr)
	assert.Empty(t, out)
	bin, _ := proto.Marshal(examples.Message(nodeState))
	p := writeTemp(t, "s.bin", bin)
	code, _, stderr = peat(t, nil, "validate", p, "--type", nodeState)
	assert.Equal(t, 0, code, stderr)
}

func TestValidateInvalidPrintsOneLinePerViolation(t *testing.T) {
	js := `{"position":{"latitude":95,"longitude":"NaN"},"health":"HEALTH_STATUS_NOMINAL","phase":"PHASE_CELL","timestamp":{"seconds":"1762387600"}}`
	code, out, stderr := peat(t, []byte(js), "validate", "--type", nodeState, "--from", "json", "--now", "2025-11-06T00:00:00Z")
	require.Equal(t, 1, code, stderr)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	require.Len(t, lines, 4)
	var got [][2]string
	for _, l := range lines {
		f := strings.Split(l, "\t")
		require.Len(t, f, 3, l)
		assert.NotEmpty(t, f[2])
		got = append(got, [2]string{f[0], f[1]})
	}
	assert.Equal(t, [][2]string{
		{"INVALID_POSITION", "position.latitude"},
		{"INVALID_NUMBER", "position.longitude"},
		{"INVALID_POSITION", "position.longitude"},
		{"INVALID_TIMESTAMP", "timestamp.seconds"},
	}, got)

	// A larger skew accepts the timestamp 400 s ahead.
	code, out, _ = peat(t, []byte(js), "validate", "--type", nodeState, "--from", "json", "--now", "2025-11-06T00:00:00Z", "--skew", "1000")
	assert.Equal(t, 1, code)
	assert.NotContains(t, out, "INVALID_TIMESTAMP")
}

func TestValidateUnknownEnumOption(t *testing.T) {
	m := examples.Message(nodeState).(*nodev1.NodeState)
	m.Health = 42
	bin, _ := proto.Marshal(m)
	code, out, _ := peat(t, bin, "validate", "--type", nodeState, "--now", "2025-11-06T00:00:00Z")
	assert.Equal(t, 1, code)
	assert.True(t, strings.HasPrefix(out, "INVALID_ENUM\thealth\t"), out)
	code, _, _ = peat(t, bin, "validate", "--type", nodeState, "--now", "2025-11-06T00:00:00Z", "--allow-unknown-enums")
	assert.Equal(t, 0, code)
}

func TestValidateUnreadableExitsTwo(t *testing.T) {
	cases := []struct {
		stdin string
		args  []string
		code  string
	}{
		{"\xff\xff\xff", []string{"--type", nodeState}, "DECODE_ERROR"},
		{"{", []string{"--type", nodeState, "--from", "json"}, "DECODE_ERROR"},
		{"", []string{"--type", "cap.node.v1.Nope"}, "UNKNOWN_TYPE"},
		{"", []string{"--type", nodeState, "--now", "yesterday"}, "INVALID_ARGUMENT"},
		{"", []string{"--type", nodeState, "--from", "xml"}, "INVALID_ARGUMENT"},
		{"", []string{}, "INVALID_ARGUMENT"},
		{"", []string{"--type", nodeState, "/nonexistent/file"}, "INVALID_ARGUMENT"},
	}
	for _, c := range cases {
		code, out, stderr := peat(t, []byte(c.stdin), append([]string{"validate"}, c.args...)...)
		assert.Equal(t, 2, code, c.args)
		assert.Empty(t, out)
		assert.True(t, strings.HasPrefix(stderr, "peat: "+c.code+": "), stderr)
	}
}

func TestSanitizeWritesMessageAndChanges(t *testing.T) {
	js := `{"fields":{" callsign ":"alpha\u0007"}}`
	code, out, stderr := peat(t, []byte(js), "sanitize", "--type", "cap.common.v1.Metadata", "--from", "json", "--to", "json")
	require.Equal(t, 0, code, stderr)
	assert.JSONEq(t, `{"fields":{"callsign":"alpha"}}`, out)
	assert.Equal(t, []string{"CONTROL_CHARS_REMOVED\tfields[\" callsign \"]", "WHITESPACE_TRIMMED\tfields[\" callsign \"]"},
		prefixes(stderr))

	code, out, stderr = peat(t, []byte(examples.JSON(nodeState)), "sanitize", "--type", nodeState, "--from", "json", "--to", "json")
	require.Equal(t, 0, code)
	assert.Empty(t, stderr, "nothing to change")
	assert.JSONEq(t, examples.JSON(nodeState), out)

	code, _, stderr = peat(t, []byte("{"), "sanitize", "--type", nodeState, "--from", "json", "--to", "json")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "DECODE_ERROR")
}

// prefixes returns "CODE<TAB>path" of each report line.
func prefixes(s string) []string {
	var out []string
	for _, l := range strings.Split(strings.TrimSuffix(s, "\n"), "\n") {
		f := strings.SplitN(l, "\t", 3)
		out = append(out, f[0]+"\t"+f[1])
	}
	return out
}
