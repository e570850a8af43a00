package validate_test

import (
	"path"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"

	"github.com/peat-protocol/libpeat/core/validate"
)

func TestPathProblem(t *testing.T) {
	for _, p := range []string{"/", "/opt", "/opt/peat/conf.d", "/opt/peat/x..y", "/opt/...", "/opt/.hidden", "/srv/données", "/a/%2e%2e"} {
		assert.Empty(t, validate.PathProblem(p), p)
	}
	for _, p := range []string{"", "opt", "./opt", "../etc", "/..", "/opt/..", "/opt/../etc", "/opt/./x", "/opt//x", "/opt/x/",
		"//", "/opt\\..\\etc", "\\etc", "/opt/x\x00y", "/opt/\x1b[1m", "/opt/\u0085", "/opt/\xff",
		"/" + strings.Repeat("a", 256), "/" + strings.Repeat("a/", 2048) + "a"} {
		assert.NotEmpty(t, validate.PathProblem(p), "%q", p)
	}
}

func TestNormalizePath(t *testing.T) {
	for in, want := range map[string]string{"/": "/", "//": "/", "/opt//peat/./x/": "/opt/peat/x", "/./": "/", "/opt": "/opt"} {
		got, ok := validate.NormalizePath(in)
		assert.True(t, ok, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{"", "opt/x", "/opt/../etc", "/opt\\x", "/.."} {
		got, ok := validate.NormalizePath(in)
		assert.False(t, ok, in)
		assert.Equal(t, in, got, "left unchanged")
	}
}

func TestPathUnder(t *testing.T) {
	assert.True(t, validate.PathUnder("/opt/peat", "/opt/peat"))
	assert.True(t, validate.PathUnder("/opt/peat/x", "/opt/peat"))
	assert.False(t, validate.PathUnder("/opt/peatx", "/opt/peat"))
	assert.False(t, validate.PathUnder("/opt", "/opt/peat"))
	assert.True(t, validate.PathUnder("/etc", "/"))
}

// FuzzNormalizePath: the normaliser never panics; what it returns is in
// normal form (when the input had no control characters and fits the
// limits), names the same place as path.Clean would, and is a fixed point;
// a path the rules accept is its own normal form and never climbs out of
// any root it is under.
func FuzzNormalizePath(f *testing.F) {
	for _, s := range []string{"/", "/opt//peat/./x/", "../../etc", "/a/./../../b", "/opt\\..", "/x\x00", "//", "/\xff/.."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		why := validate.PathProblem(p)
		n, ok := validate.NormalizePath(p)
		if !ok {
			if n != p {
				t.Fatalf("%q: unchanged expected, got %q", p, n)
			}
			if why == "" {
				t.Fatalf("%q passes the rules but cannot be normalised", p)
			}
			return
		}
		if path.Clean(p) != n {
			t.Fatalf("%q: normal form %q differs from path.Clean %q", p, n, path.Clean(p))
		}
		if n2, ok2 := validate.NormalizePath(n); !ok2 || n2 != n {
			t.Fatalf("%q: not a fixed point: %q -> %q", p, n, n2)
		}
		if why == "" && n != p {
			t.Fatalf("%q passes the rules but normalises to %q", p, n)
		}
		if utf8.ValidString(p) && strings.IndexFunc(p, validate.IsControl) < 0 && len(p) <= validate.MaxPathLen {
			longSeg := false
			for _, s := range strings.Split(n, "/") {
				longSeg = longSeg || len(s) > validate.MaxSegmentLen
			}
			if w := validate.PathProblem(n); w != "" && !longSeg {
				t.Fatalf("%q: normal form %q fails the rules: %s", p, n, w)
			}
		}
		if why == "" && validate.PathUnder(p, "/opt") && !strings.HasPrefix(path.Clean(p), "/opt") {
			t.Fatalf("%q accepted under /opt but resolves to %q", p, path.Clean(p))
		}
	})
}
