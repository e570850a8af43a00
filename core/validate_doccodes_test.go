package core_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/peat-protocol/libpeat/core/directive"
	"github.com/peat-protocol/libpeat/core/registry"
	"github.com/peat-protocol/libpeat/core/validate"
	"github.com/peat-protocol/libpeat/internal/vectors"
)

// docCodes returns the codes of the table under "## Codes" in
// docs/VALIDATION.md.
func docCodes(t *testing.T) []string {
	b, err := os.ReadFile(filepath.Join("..", "docs", "VALIDATION.md"))
	require.NoError(t, err)
	doc := string(b)
	start := strings.Index(doc, "\n## Codes\n")
	require.GreaterOrEqual(t, start, 0, "docs/VALIDATION.md has no '## Codes' section")
	section := doc[start+1:]
	if end := strings.Index(section[3:], "\n## "); end >= 0 {
		section = section[:end+3]
	}
	row := regexp.MustCompile("(?m)^\\| `([A-Z_0-9]+)` \\|")
	var out []string
	for _, m := range row.FindAllStringSubmatch(section, -1) {
		out = append(out, m[1])
	}
	require.NotEmpty(t, out)
	return out
}

// TestValidationDocCodesHaveVectors enforces the claim of docs/VALIDATION.md
// § Codes: the table lists exactly the codes the validator can report, and
// each has at least two invalid cases in tests/vectors/validate; every ICD
// type has a valid case there.
func TestValidationDocCodesHaveVectors(t *testing.T) {
	codes := docCodes(t)
	var known []string
	for _, c := range validate.Codes() {
		known = append(known, string(c))
	}
	for _, c := range validate.PathCodes() {
		known = append(known, string(c))
	}
	known = append(known, string(directive.InvalidHash))
	sort.Strings(known)
	listed := append([]string(nil), codes...)
	sort.Strings(listed)
	assert.Equal(t, known, listed, "the code table of docs/VALIDATION.md and the codes the validator reports differ")

	b, err := os.ReadFile(filepath.Join(vectors.Dir("validate"), "manifest.json"))
	require.NoError(t, err)
	var m vectors.Manifest
	require.NoError(t, json.Unmarshal(b, &m))
	invalid := map[string]int{}
	validTypes := map[string]bool{}
	for _, c := range m.Cases {
		if c.Op != "validate" {
			continue
		}
		if c.Expect.Valid != nil && *c.Expect.Valid {
			validTypes[c.Type] = true
		}
		seen := map[string]bool{}
		for _, v := range c.Expect.Violations {
			seen[v.Code] = true
		}
		if c.Expect.Code != "" {
			seen[c.Expect.Code] = true
		}
		for code := range seen {
			invalid[code]++
		}
	}
	for _, code := range codes {
		assert.GreaterOrEqual(t, invalid[code], 2, "code %s has %d invalid cases in tests/vectors/validate; the doc promises two", code, invalid[code])
	}
	for _, n := range registry.Names() {
		if registry.IsICD(protoreflect.FullName(n)) {
			assert.True(t, validTypes[n], "no valid case for %s", n)
		}
	}
}
