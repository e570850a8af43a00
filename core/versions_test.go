package core_test

import (
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/peat-protocol/libpeat/core"
	"github.com/peat-protocol/libpeat/core/status"
)

// TestHeaderStatusCodesMatchTheCore: every PEAT_OK / PEAT_E_* number in
// peat.h is a status the core returns, and every status the core returns is
// in peat.h.
func TestHeaderStatusCodesMatchTheCore(t *testing.T) {
	_, file, _, _ := runtime.Caller(0)
	b, err := os.ReadFile(filepath.Join(filepath.Dir(file), "..", "include", "peat.h"))
	require.NoError(t, err)
	inHeader := map[int]string{}
	for _, m := range regexp.MustCompile(`(?m)^#define (PEAT_(?:OK|E_[A-Z_]+)) (\d+)`).FindAllSubmatch(b, -1) {
		n, _ := strconv.Atoi(string(m[2]))
		require.NotContains(t, inHeader, n, "status %d defined twice", n)
		inHeader[n] = string(m[1])
	}
	inCore := map[int]string{}
	for _, s := range status.All() {
		inCore[int(s)] = s.Name()
	}
	assert.Len(t, inHeader, len(inCore))
	for n := range inCore {
		assert.Contains(t, inHeader, n, "status %d (%s) is missing from peat.h", n, inCore[n])
	}
}

// TestVersionsAgreeAcrossLanguages keeps the library version and the ABI
// version in one place each: core.Version / core.ABIMajor/ABIMinor are the
// source, and peat.h, the Makefile's SONAME, and every binding must agree.
func TestVersionsAgreeAcrossLanguages(t *testing.T) {
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..")
	find := func(path, pattern string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(root, path))
		require.NoError(t, err, path)
		m := regexp.MustCompile(pattern).FindSubmatch(b)
		require.NotNil(t, m, "%s has no match for %s", path, pattern)
		return string(m[1])
	}
	major, minor := strconv.Itoa(core.ABIMajor), strconv.Itoa(core.ABIMinor)

	assert.Equal(t, major, find("include/peat.h", `#define PEAT_ABI_MAJOR (\d+)`))
	assert.Equal(t, minor, find("include/peat.h", `#define PEAT_ABI_MINOR (\d+)`))
	assert.Equal(t, major, find("Makefile", `(?m)^ABI_MAJOR\s*:=\s*(\d+)`), "SONAME libpeat.so.<major>")
	assert.Equal(t, major, find("bindings/python/src/peat/lowlevel.py", `(?m)^ABI_MAJOR\s*=\s*(\d+)`))
	assert.Equal(t, minor, find("bindings/python/src/peat/lowlevel.py", `(?m)^ABI_MINOR\s*=\s*(\d+)`))
	assert.Equal(t, major, find("bindings/java/src/main/java/io/peat/Peat.java", `ABI_MAJOR = (\d+);`))
	assert.Equal(t, minor, find("bindings/java/src/main/java/io/peat/Peat.java", `ABI_MINOR = (\d+);`))

	assert.Equal(t, core.Version, find("bindings/python/pyproject.toml", `(?m)^version = "([^"]+)"`))
	assert.Equal(t, core.Version, find("bindings/python/src/peat/__init__.py", `__version__ = "([^"]+)"`))
	assert.Equal(t, core.Version, find("bindings/java/pom.xml", `<artifactId>peat</artifactId>\s*<version>([^<]+)</version>`))
}
