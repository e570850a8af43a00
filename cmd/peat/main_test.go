package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// peat runs the CLI in-process and returns exit code, stdout and stderr.
func peat(t *testing.T, stdin []byte, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(&env{stdin: bytes.NewReader(stdin), stdout: &out, stderr: &errb}, args)
	return code, out.String(), errb.String()
}

func writeTemp(t *testing.T, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, b, 0o644))
	return p
}

func TestTypesListsAllICDTypes(t *testing.T) {
	code, out, _ := peat(t, nil, "types")
	require.Equal(t, 0, code)
	n := 0
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if strings.HasPrefix(l, "cap.") {
			n++
		}
	}
	assert.Equal(t, 42, n)
	assert.NotContains(t, out, "peat.demo", "the demo's schema is not a libpeat type")
}

func TestConvertRoundTripThroughFilesAndStdin(t *testing.T) {
	js := `{"id":"uav-1","platformType":"quadrotor","commRangeM":100}`
	code, bin, stderr := peat(t, []byte(js), "convert", "--type", "cap.node.v1.NodeConfig", "--from", "json", "--to", "binary")
	require.Equal(t, 0, code, stderr)
	p := writeTemp(t, "n.bin", []byte(bin))
	code, back, stderr := peat(t, nil, "convert", p, "--type", "cap.node.v1.NodeConfig", "--from", "binary", "--to", "json")
	require.Equal(t, 0, code, stderr)
	assert.JSONEq(t, js, back)
}

func TestConvertErrorsExit2WithCode(t *testing.T) {
	cases := []struct {
		args  []string
		stdin string
		code  string
	}{
		{[]string{"convert", "--type", "cap.node.v1.Nope", "--from", "json"}, "{}", "UNKNOWN_TYPE"},
		{[]string{"convert", "--type", "cap.node.v1.NodeConfig", "--from", "json"}, "{nope", "DECODE_ERROR"},
		{[]string{"convert", "--type", "cap.node.v1.NodeConfig", "--from", "xml"}, "", "INVALID_ARGUMENT"},
		{[]string{"convert", "--from", "json"}, "", "INVALID_ARGUMENT"},
		{[]string{"convert", "--type", "cap.node.v1.NodeConfig", "/nonexistent/file"}, "", "INVALID_ARGUMENT"},
		{[]string{"convert", "--type", "cap.beacon.v1.Beacon"}, strings.Repeat("\x00", 20000), "MESSAGE_TOO_LARGE"},
		{[]string{"frobnicate"}, "", "INVALID_ARGUMENT"},
	}
	for _, c := range cases {
		code, _, stderr := peat(t, []byte(c.stdin), c.args...)
		assert.Equal(t, 2, code, "%v", c.args)
		lines := strings.Split(strings.TrimSpace(stderr), "\n")
		assert.Len(t, lines, 1, stderr)
		assert.Contains(t, stderr, c.code, "%v", c.args)
	}
}
