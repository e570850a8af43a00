package core

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/peat-protocol/libpeat/core/codec"
	"github.com/peat-protocol/libpeat/core/status"
)

// Issue 15 item 3: strict JSON refuses a key that names no field, with the
// key's path, in proto3 JSON, the generic rust-json and the directives'
// rust-json; lenient reading (the default) still ignores it.
func TestStrictJSONRefusesUnknownKeysWithTheirPath(t *testing.T) {
	cases := []struct {
		typ  string
		from codec.Format
		in   string
		path string
	}{
		{"cap.node.v1.NodeState", codec.JSON, `{"cellID":"cell-1"}`, "cellID"},
		{"cap.node.v1.NodeConfig", codec.JSON, `{"id":"n","capabilities":[{"id":"a"},{"id":"b","confidance":0.5}]}`, "capabilities[1].confidance"},
		{"cap.cell.v1.CellState", codec.JSON, `{"id":"n","platformType":"q"}`, "id"}, // a NodeConfig fed as a CellState,
		{"cap.node.v1.NodeState", codec.RustJSON, `{"cellID":"cell-1"}`, "cellID"},
		{"peat.directive.v1.DeploymentDirective", codec.RustJSON,
			`{"directive_id":"d-1","issued_at":"2025-11-06T12:00:00Z","issuer_node_id":"c2","scope":{"type":"broadcast"},"artifact":{"blob_hash":"sha256:def456","size_bytes":1,"artifact_type":{"type":"container","runtime":"docker","ports":[{"container_port":80,"protocol":"tcp","host_port":1,"hostport":1}],"env":{"ANY":"x"}}},"capabilities":[],"config":null,"options":{"priority":"normal","timeout_seconds":300,"replace_existing":false,"auto_activate":true}}`,
			"artifact.artifact_type.ports[0].hostport"},
		{"peat.directive.v1.DeploymentStatus", codec.RustJSON,
			`{"directive_id":"d-1","node_id":"n","state":"pending","progress_percent":0,"updated_at":"2025-11-06T12:00:00Z","reported_at":"2025-11-06T12:00:00Z","eror":"x"}`, "eror"},
	}
	for _, c := range cases {
		_, err := Convert(c.typ, c.from|codec.Strict, codec.Binary, []byte(c.in))
		require.Error(t, err, "%s %s", c.typ, c.in)
		se := status.From(err)
		assert.Equal(t, status.Decode, se.Status, c.in)
		assert.Equal(t, "UNKNOWN_FIELD", se.Code, "%s: %v", c.in, err)
		assert.Equal(t, c.path, se.Path, c.in)
		// Lenient reading ignores the key (the directive cases may still
		// fail for another reason, but never on the unknown key).
		_, err = Convert(c.typ, c.from, codec.Binary, []byte(c.in))
		if err != nil {
			assert.NotEqual(t, "UNKNOWN_FIELD", status.From(err).Code, c.in)
		}
	}
}

// Every JSON and rust-json input of the convert and directive vectors that
// decodes leniently decodes strictly to the same bytes: strict reading never
// refuses what libpeat (or the reference) writes.
func TestStrictJSONReadsEveryVector(t *testing.T) {
	n := 0
	for _, area := range []string{"convert", "directive"} {
		dir := filepath.Join("..", "tests", "vectors", area)
		raw, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
		require.NoError(t, err)
		var m struct {
			Cases []struct {
				Op, Type, From, To string
				Inputs             []string
				Expect             struct{ Status string }
			}
		}
		require.NoError(t, json.Unmarshal(raw, &m))
		for _, c := range m.Cases {
			if c.Op != "convert" || c.Expect.Status != "OK" || (c.From != "json" && c.From != "rust-json") {
				continue
			}
			from, err := codec.ParseFormat(c.From)
			require.NoError(t, err)
			in, err := os.ReadFile(filepath.Join(dir, c.Inputs[0]))
			require.NoError(t, err)
			want, err := Convert(c.Type, from, codec.Binary, in)
			require.NoError(t, err)
			got, err := Convert(c.Type, from|codec.Strict, codec.Binary, in)
			if c.Inputs[0] == "reference/timestamp-loose.rust.json" {
				// The one vector with a key from a newer version, on purpose.
				require.Error(t, err)
				assert.Equal(t, "added_later", status.From(err).Path)
				continue
			}
			require.NoError(t, err, "%s %s", c.Type, c.Inputs[0])
			assert.Equal(t, want, got, c.Inputs[0])
			n++
		}
	}
	assert.Greater(t, n, 100)
}
