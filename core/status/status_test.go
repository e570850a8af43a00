package status

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNamesAreUniqueAndDefined(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range All() {
		n := s.Name()
		require.NotEqual(t, "UNKNOWN_STATUS", n, "status %d has no name", s)
		require.False(t, seen[n], "duplicate name %s", n)
		seen[n] = true
	}
	assert.Equal(t, "UNKNOWN_STATUS", Status(55).Name())
}

func TestFromWrapsForeignErrorsAsInternal(t *testing.T) {
	e := From(errors.New("boom"))
	assert.Equal(t, Internal, e.Status)
	assert.Equal(t, "INTERNAL", e.Code)

	orig := Errorf(Decode, "bad byte %d", 3).AtPath("a.b").WithCode("INVALID_UTF8")
	wrapped := fmt.Errorf("context: %w", orig)
	got := From(wrapped)
	assert.Equal(t, Decode, got.Status)
	assert.Equal(t, "INVALID_UTF8", got.Code)
	assert.Equal(t, "a.b", got.Path)
	assert.Equal(t, OK, Of(nil))
	assert.Nil(t, From(nil))

	p := Proto(orig)
	assert.Equal(t, int32(Decode), p.Status)
	assert.Equal(t, "a.b", p.FieldPath)
	assert.Contains(t, orig.Error(), "at a.b")
}
