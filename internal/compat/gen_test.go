package compat

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fixtureProtos are the test-only schema versions under tests/compat/proto,
// compiled into internal/compat/pb by the pinned protoc.
var fixtureProtos = []string{"compat/newer/node.proto", "compat/older/node.proto"}

// TestFixtureCodeIsFresh regenerates internal/compat/pb and fails if the
// committed code differs; PEAT_UPDATE_VECTORS=1 rewrites it instead.
func TestFixtureCodeIsFresh(t *testing.T) {
	root := repoRoot(t)
	plugin := filepath.Join(root, "build", "tools", "protoc-gen-go")
	build := exec.Command("go", "build", "-o", plugin, "google.golang.org/protobuf/cmd/protoc-gen-go")
	build.Dir = root
	out, err := build.CombinedOutput()
	require.NoError(t, err, "%s", out)

	tmp := t.TempDir()
	args := append([]string{"--plugin=protoc-gen-go=" + plugin, "-I", "proto", "-I", "tests/compat/proto",
		"--go_out=" + tmp, "--go_opt=module=github.com/peat-protocol/libpeat"}, fixtureProtos...)
	protoc := exec.Command(filepath.Join(root, "tools", "protoc.sh"), args...)
	protoc.Dir = root
	out, err = protoc.CombinedOutput()
	require.NoError(t, err, "%s", out)

	for _, pkg := range []string{"newer", "older"} {
		rel := filepath.Join("internal", "compat", "pb", pkg, "node.pb.go")
		fresh, err := os.ReadFile(filepath.Join(tmp, rel))
		require.NoError(t, err)
		if os.Getenv("PEAT_UPDATE_VECTORS") == "1" {
			require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(root, rel)), 0o755))
			require.NoError(t, os.WriteFile(filepath.Join(root, rel), fresh, 0o644))
			continue
		}
		committed, err := os.ReadFile(filepath.Join(root, rel))
		require.NoError(t, err)
		assert.Equal(t, string(fresh), string(committed), "%s is stale: PEAT_UPDATE_VECTORS=1 go test ./internal/compat", rel)
	}
}
