// Package vectors writes and runs the cross-language test vectors in
// tests/vectors/. Each area (convert, validate, merge, doc, directive, ...)
// has tests/vectors/<area>/manifest.json plus the input and expected-output
// files it names. Go writes them (PEAT_UPDATE_VECTORS=1 go test ./...);
// every binding runs every case through the C ABI and must get the same
// status and the same bytes. The format is described in tests/vectors/README.md.
package vectors

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
)

// Manifest lists the cases of one area.
type Manifest struct {
	Area  string `json:"area"`
	Cases []Case `json:"cases"`
}

// Case is one call of a C entry point (peat_<op>) and its expected result.
type Case struct {
	Name string `json:"name"`
	// Op is the entry point without its prefix: convert, compress, decompress,
	// validate, validate_batch, sanitize, merge, merge_batch, doc_new,
	// doc_apply, doc_merge, doc_materialize, directive_target,
	// directive_advance, directive_summarize.
	Op string `json:"op"`
	// Type is the type_name / doc_type argument, when the op takes one.
	Type string `json:"type,omitempty"`
	// From is the input format (the `format` argument of validate*), To the output format:
	// "binary", "json" or "rust-json".
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
	// Inputs are files (relative to the manifest) holding the byte arguments
	// in C order: convert/validate/sanitize/doc_new/directive_*: [in];
	// merge/doc_apply/doc_merge: [a, b]; *_batch: the messages; doc_materialize: [doc].
	Inputs []string `json:"inputs"`
	// Options is a file with the serialized options of validate*, if any.
	Options string `json:"options,omitempty"`
	// MaxOut is the max_out argument of decompress.
	MaxOut uint64 `json:"max_out,omitempty"`
	Expect Expect `json:"expect"`
	// Note says in words what the case checks.
	Note string `json:"note,omitempty"`
}

// Expect is what the call must return.
type Expect struct {
	// Status is the status name returned ("OK", "DECODE_ERROR", ...).
	Status string `json:"status"`
	// Output is a file with the exact bytes of the output buffer on OK.
	Output string `json:"output,omitempty"`
	// Code is the expected peat.api.v1.Error code when Status is not OK.
	Code string `json:"code,omitempty"`
	// Valid and Violations describe a validation report (validate only);
	// Violations is the full list, sorted by (path, code).
	Valid      *bool       `json:"valid,omitempty"`
	Violations []Violation `json:"violations,omitempty"`
	// Targeted says whether a directive_target decision targets the node.
	Targeted *bool `json:"targeted,omitempty"`
}

// Violation is one expected (code, field path) pair.
type Violation struct {
	Code string `json:"code"`
	Path string `json:"path"`
}

// Dir returns the absolute path of tests/vectors/<area>.
func Dir(area string) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "tests", "vectors", area)
}

// Set accumulates the manifest and files of one area.
type Set struct {
	Area     string
	Manifest Manifest
	Files    map[string][]byte
}

// NewSet starts an empty area.
func NewSet(area string) *Set {
	return &Set{Area: area, Manifest: Manifest{Area: area}, Files: map[string][]byte{}}
}

// File stores content under name and returns name, for use in a Case.
func (s *Set) File(name string, content []byte) string {
	if old, ok := s.Files[name]; ok && !bytes.Equal(old, content) {
		panic(fmt.Sprintf("vectors: file %s added twice with different content", name))
	}
	s.Files[name] = append([]byte(nil), content...)
	return name
}

// Add appends a case.
func (s *Set) Add(c Case) {
	for _, old := range s.Manifest.Cases {
		if old.Name == c.Name {
			panic("vectors: duplicate case name " + c.Name)
		}
	}
	s.Manifest.Cases = append(s.Manifest.Cases, c)
}

// Update reports whether vectors should be rewritten instead of checked.
func Update() bool { return os.Getenv("PEAT_UPDATE_VECTORS") == "1" }

// Sync writes the area when PEAT_UPDATE_VECTORS=1; otherwise it fails t if
// the committed files differ from what the code produces now (stale vectors).
func (s *Set) Sync(t testing.TB) {
	t.Helper()
	dir := Dir(s.Area)
	manifest, err := json.MarshalIndent(s.Manifest, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]byte{"manifest.json": append(manifest, '\n')}
	for k, v := range s.Files {
		want[k] = v
	}
	if Update() {
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
		for name, b := range want {
			p := filepath.Join(dir, name)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	var stale []string
	for name, b := range want {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || !bytes.Equal(got, b) {
			stale = append(stale, name)
		}
	}
	_ = filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			if _, ok := want[filepath.ToSlash(rel)]; !ok {
				stale = append(stale, rel+" (not produced any more)")
			}
		}
		return nil
	})
	if len(stale) > 0 {
		sort.Strings(stale)
		t.Fatalf("tests/vectors/%s is stale (%s); regenerate with PEAT_UPDATE_VECTORS=1 go test ./...",
			s.Area, strings.Join(stale, ", "))
	}
}

// Load reads every manifest under tests/vectors, keyed by area.
func Load() (map[string]Manifest, error) {
	root := Dir("")
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, err
	}
	out := map[string]Manifest{}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(root, e.Name(), "manifest.json"))
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		var m Manifest
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("%s: %w", e.Name(), err)
		}
		out[e.Name()] = m
	}
	return out, nil
}
