package compat

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// repoRoot is the directory holding go.mod.
func repoRoot(t testing.TB) string {
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..")
	_, err := os.Stat(filepath.Join(root, "go.mod"))
	require.NoError(t, err)
	return root
}

type gateCase struct {
	Name   string   `json:"name"`
	ICD    string   `json:"icd"`
	Expect string   `json:"expect"`
	Rules  []string `json:"rules"`
	Edits  []struct {
		File    string `json:"file"`
		Replace string `json:"replace"`
		With    string `json:"with"`
	} `json:"edits"`
}

var installBuf sync.Once

// gate runs tools/check-breaking.sh on dir and returns whether it passed
// and the buf rule of every violation it reported.
func gate(t *testing.T, dir string) (bool, []string, string) {
	t.Helper()
	root := repoRoot(t)
	installBuf.Do(func() {
		// Install once before parallel cases race to do it.
		out, err := exec.Command(filepath.Join(root, "tools", "buf.sh"), "--version").CombinedOutput()
		require.NoError(t, err, "installing buf: %s", out)
	})
	cmd := exec.Command(filepath.Join(root, "tools", "check-breaking.sh"), dir)
	cmd.Env = append(os.Environ(), "PEAT_BUF_ERROR_FORMAT=json")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err != nil {
		var exit *exec.ExitError
		require.ErrorAs(t, err, &exit, "running the gate: %s", stderr.String())
	}
	var rules []string
	sc := bufio.NewScanner(&stdout)
	for sc.Scan() {
		var v struct {
			Type string `json:"type"`
		}
		if json.Unmarshal(sc.Bytes(), &v) == nil && v.Type != "" {
			rules = append(rules, v.Type)
		}
	}
	return err == nil, rules, stdout.String() + stderr.String()
}

func TestCurrentSchemaPassesTheGate(t *testing.T) {
	ok, rules, out := gate(t, filepath.Join(repoRoot(t), "proto"))
	assert.True(t, ok, out)
	assert.Empty(t, rules)
}

func TestGateFixtures(t *testing.T) {
	root := repoRoot(t)
	raw, err := os.ReadFile(filepath.Join(root, "tests", "compat", "gate", "cases.json"))
	require.NoError(t, err)
	var fixtures struct {
		Cases []gateCase `json:"cases"`
	}
	require.NoError(t, json.Unmarshal(raw, &fixtures))
	counts := map[string]int{}
	for _, c := range fixtures.Cases {
		counts[c.Expect]++
	}
	require.GreaterOrEqual(t, counts["breaking"], 6, "one case per ICD §4.2.1 rule at least")
	require.GreaterOrEqual(t, counts["allowed"], 3)

	for _, c := range fixtures.Cases {
		c := c
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(t.TempDir(), "proto")
			require.NoError(t, os.CopyFS(dir, os.DirFS(filepath.Join(root, "proto"))))
			for _, e := range c.Edits {
				p := filepath.Join(dir, e.File)
				src, err := os.ReadFile(p)
				require.NoError(t, err)
				require.Equal(t, 1, strings.Count(string(src), e.Replace), "%s: edit target must occur once in %s", c.Name, e.File)
				require.NoError(t, os.WriteFile(p, []byte(strings.Replace(string(src), e.Replace, e.With, 1)), 0o644))
			}
			ok, rules, out := gate(t, dir)
			switch c.Expect {
			case "allowed":
				assert.True(t, ok, "%s (%s) must pass the gate:\n%s", c.Name, c.ICD, out)
			case "breaking":
				assert.False(t, ok, "%s (%s) must fail the gate", c.Name, c.ICD)
				require.NotEmpty(t, c.Rules)
				for _, r := range c.Rules {
					assert.Contains(t, rules, r, "%s must fail for the right reason:\n%s", c.Name, out)
				}
			default:
				t.Fatalf("unknown expectation %q", c.Expect)
			}
		})
	}
}
