package security_test

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestSecurityDocListsExactlyTheCodes keeps docs/SECURITY.md's code table
// and the codes this package and the handle table can report in step: a code
// added in Go without a row, or a row naming a code Go never reports, fails.
func TestSecurityDocListsExactlyTheCodes(t *testing.T) {
	constant := regexp.MustCompile(`(?m)^\s*Code\w*\s*=\s*"([A-Z][A-Z0-9_]*)"`)
	fromGo := map[string]bool{}
	for _, glob := range []string{"*.go", "../../internal/handle/*.go"} {
		files, err := filepath.Glob(glob)
		require.NoError(t, err)
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			src, err := os.ReadFile(f)
			require.NoError(t, err)
			for _, m := range constant.FindAllStringSubmatch(string(src), -1) {
				fromGo[m[1]] = true
			}
		}
	}
	require.NotEmpty(t, fromGo)

	doc, err := os.ReadFile("../../docs/SECURITY.md")
	require.NoError(t, err)
	text := string(doc)
	start := strings.Index(text, "\n## Codes\n")
	require.GreaterOrEqual(t, start, 0, "docs/SECURITY.md has no ## Codes section")
	section := text[start+1:]
	if end := strings.Index(section[3:], "\n## "); end >= 0 {
		section = section[:end+3]
	}
	code := regexp.MustCompile("`([A-Z][A-Z0-9_]+)`")
	fromDoc := map[string]bool{}
	for _, line := range strings.Split(section, "\n") {
		cells := strings.Split(line, "|")
		if len(cells) < 3 {
			continue
		}
		for _, m := range code.FindAllStringSubmatch(cells[1], -1) {
			if !strings.HasPrefix(m[1], "PEAT_") {
				fromDoc[m[1]] = true
			}
		}
	}
	require.Equal(t, sorted(fromGo), sorted(fromDoc), "docs/SECURITY.md ## Codes (first column) vs the Code* constants")
}

func sorted(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
