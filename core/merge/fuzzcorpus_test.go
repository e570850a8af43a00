package merge_test

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// syncFuzzCorpus keeps testdata/fuzz/<target> equal to seeds (file name ->
// fuzz arguments): with PEAT_UPDATE_VECTORS=1 it writes the files, otherwise
// it fails when a committed seed is missing or differs.
func syncFuzzCorpus(t *testing.T, target string, seeds map[string][]any) {
	t.Helper()
	dir := filepath.Join("testdata", "fuzz", target)
	update := os.Getenv("PEAT_UPDATE_VECTORS") == "1"
	if update {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	names := make([]string, 0, len(seeds))
	for name := range seeds {
		names = append(names, name)
	}
	sort.Strings(names)
	var stale []string
	for _, name := range names {
		want := corpusFile(seeds[name])
		path := filepath.Join(dir, name)
		if update {
			if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if got, err := os.ReadFile(path); err != nil || string(got) != want {
			stale = append(stale, name)
		}
	}
	if len(stale) > 0 {
		t.Fatalf("%s is stale (%s); regenerate with PEAT_UPDATE_VECTORS=1 go test ./...", dir, strings.Join(stale, ", "))
	}
}

// corpusFile writes fuzz arguments in the "go test fuzz v1" format.
func corpusFile(args []any) string {
	var b strings.Builder
	b.WriteString("go test fuzz v1\n")
	for _, a := range args {
		switch v := a.(type) {
		case byte:
			fmt.Fprintf(&b, "byte(%q)\n", v)
		case []byte:
			fmt.Fprintf(&b, "[]byte(%q)\n", v)
		default:
			panic(fmt.Sprintf("corpusFile: unsupported %T", a))
		}
	}
	return b.String()
}
