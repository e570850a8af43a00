package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	nodev1 "github.com/peat-protocol/libpeat/core/pb/cap/node/v1"
	"github.com/peat-protocol/libpeat/core/registry"
)

// zeros is an endless stdin that counts what was read from it.
type zeros struct{ read int64 }

func (z *zeros) Read(p []byte) (int, error) {
	clear(p)
	z.read += int64(len(p))
	return len(p), nil
}

// Issue 13 item 13: every subcommand that reads input reads at most the
// type's limit + 1 bytes (its JSON limit + 1 for the text formats, or when
// the format is detected), then refuses with MESSAGE_TOO_LARGE. Before, the
// CLI read 256 MiB first.
func TestInputIsReadUpToTheTypeLimitOnly(t *testing.T) {
	cfg, err := proto.Marshal(&nodev1.NodeConfig{Id: "uav-1"})
	require.NoError(t, err)
	cfgFile := writeTemp(t, "cfg.bin", cfg)
	empty := writeTemp(t, "empty.bin", nil)
	lim := func(name string, json bool) int64 {
		mt, err := registry.Lookup(name)
		require.NoError(t, err)
		n := registry.Limit(mt.Descriptor().FullName())
		if json {
			n *= registry.JSONFactor
		}
		return int64(n)
	}
	cases := []struct {
		args  []string
		limit int64
	}{
		{[]string{"validate", "--type", "cap.node.v1.NodeConfig"}, lim("cap.node.v1.NodeConfig", false)},
		{[]string{"validate", "--type", "cap.node.v1.NodeConfig", "--from", "json", "-"}, lim("cap.node.v1.NodeConfig", true)},
		{[]string{"convert", "--type", "cap.beacon.v1.Beacon", "--to", "json"}, lim("cap.beacon.v1.Beacon", false)},
		{[]string{"convert", "--type", "cap.zone.v1.ZoneState", "--from", "rust-json"}, lim("cap.zone.v1.ZoneState", true)},
		{[]string{"sanitize", "--type", "cap.cell.v1.CellState"}, lim("cap.cell.v1.CellState", false)},
		{[]string{"merge", "--type", "cap.node.v1.NodeState", "-", cfgFile}, lim("cap.node.v1.NodeState", false)},
		// Detected: input that does not start with '{' is held to the binary limit.
		{[]string{"directive", "target", "--directive", empty, "--node-config", "-"}, lim("cap.node.v1.NodeConfig", false)},
		{[]string{"directive", "target", "--from", "binary", "--directive", empty, "--node-config", "-"}, lim("cap.node.v1.NodeConfig", false)},
		// peat.* types have the 64 MiB project limit (four times that as JSON).
		{[]string{"directive", "summarize", "--from", "binary", "--directive", "-", "--status", empty}, lim("peat.directive.v1.DeploymentDirective", false)},
		{[]string{"directive", "advance", "--from", "binary", "--status", "-", "--state", "active"}, lim("peat.directive.v1.DeploymentStatus", false)},
	}
	for _, c := range cases {
		z := &zeros{}
		var out, errb bytes.Buffer
		code := run(&env{stdin: z, stdout: &out, stderr: &errb}, c.args)
		assert.Equal(t, 2, code, "%v", c.args)
		assert.Contains(t, errb.String(), "MESSAGE_TOO_LARGE", "%v", c.args)
		assert.Equal(t, 1, strings.Count(errb.String(), "\n"), "%v: %s", c.args, errb.String())
		assert.Equal(t, c.limit+1, z.read, "%v: bytes read", c.args)
	}
}

// A file is read the same way: /dev/zero is refused after the limit.
func TestEndlessFileIsRefused(t *testing.T) {
	code, _, stderr := peat(t, nil, "validate", "--type", "cap.node.v1.NodeConfig", "/dev/zero")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "MESSAGE_TOO_LARGE")
	assert.Contains(t, stderr, "51200-byte limit")
}

// At the limit itself the input is read whole and decoded (zeros are not a
// valid message, so this fails to decode, not on size).
func TestInputAtTheLimitIsRead(t *testing.T) {
	n := registry.Limit("cap.node.v1.NodeConfig")
	code, _, stderr := peat(t, make([]byte, n), "validate", "--type", "cap.node.v1.NodeConfig")
	assert.Equal(t, 2, code)
	assert.NotContains(t, stderr, "MESSAGE_TOO_LARGE")
	assert.Contains(t, stderr, "DECODE_ERROR")
}
