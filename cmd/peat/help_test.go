package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Issue 15 item 1: every command and subcommand has real help through
// --help, -h and peat help ...: usage, every flag with its default, an
// example, exit codes; exit 0 on stdout.
func TestEveryCommandHasHelp(t *testing.T) {
	var leaves [][]string
	for name := range commands {
		switch name {
		case "directive":
			for _, s := range directiveCommands {
				leaves = append(leaves, []string{name, s})
			}
		case "key":
			leaves = append(leaves, []string{name, "generate"})
		case "artifact":
			leaves = append(leaves, []string{name, "verify"})
		default:
			leaves = append(leaves, []string{name})
		}
	}
	require.Len(t, leaves, 12)
	for _, cmd := range leaves {
		key := strings.Join(cmd, " ")
		doc, ok := helpDocs[key]
		require.True(t, ok, key)
		var outs []string
		for _, ask := range [][]string{append(cmd[:len(cmd):len(cmd)], "--help"), append(cmd[:len(cmd):len(cmd)], "-h"), append([]string{"help"}, cmd...)} {
			code, out, errOut := peat(t, nil, ask...)
			assert.Equal(t, 0, code, "%v: %s", ask, errOut)
			assert.Empty(t, errOut, ask)
			outs = append(outs, out)
		}
		assert.Equal(t, outs[0], outs[1], key)
		assert.Equal(t, outs[0], outs[2], key)
		out := outs[0]
		assert.Contains(t, out, "Usage:\n  peat "+doc.usage+"\n", key)
		assert.Contains(t, out, "\nExamples:\n  ", key)
		assert.Contains(t, out, "\nExit codes:\n  0  ", key)
		assert.Contains(t, out, "  2  ", key)
		assert.True(t, strings.HasPrefix(doc.usage, key), "%s: usage %q", key, doc.usage)
		for _, line := range strings.Split(doc.example, "\n") {
			if l := strings.TrimSpace(line); l != "" && !strings.HasPrefix(l, "#") {
				assert.Contains(t, l, "peat ", "%s: example line %q", key, l)
			}
		}
	}
	// The flags listed are the flag set's own, each with its default.
	code, out, _ := peat(t, nil, "validate", "--help")
	require.Equal(t, 0, code)
	for _, f := range []string{"--type T", "--from FORMAT", "--now RFC3339", "--skew SECONDS", "allowed future skew of timestamps, in seconds (default 300)",
		"--allow-unknown-enums", "(default false)", "--strict", "(default true)", "--lenient"} {
		assert.Contains(t, out, f)
	}
	// Group help: the subcommands; without a subcommand it is a usage error on stderr.
	for _, g := range []string{"directive", "key", "artifact"} {
		code, out, _ := peat(t, nil, g, "--help")
		assert.Equal(t, 0, code, g)
		assert.Contains(t, out, "Commands:\n", g)
		code, out, errOut := peat(t, nil, g)
		assert.Equal(t, 2, code, g)
		assert.Empty(t, out, g)
		assert.Contains(t, errOut, "Commands:\n", g)
	}
	code, out, _ = peat(t, nil, "help")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "Commands:\n")
	code, _, errOut := peat(t, nil, "help", "frobnicate")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "INVALID_ARGUMENT")
	code, _, errOut = peat(t, nil, "validate", "--bogus")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "see peat validate --help")
}
