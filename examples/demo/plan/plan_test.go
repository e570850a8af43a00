package plan

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The demo's scenario converges, and to the outcome the ICD semantics demand.
func TestPlanConverges(t *testing.T) {
	out, err := Play(Build(), func(string) {})
	require.NoError(t, err)
	assert.Equal(t, []string{"n1", "n2", "n3", "n4"}, out.Members, "n5 left; the others stay")
	assert.Contains(t, []string{"n1", "n3"}, out.Leader)
	assert.Equal(t, []string{"n1", "n3"}, out.Targeted, "n5's GPU is too small; n2 and n4 lack object_detection")
	assert.Equal(t, "ROLLOUT_DECISION_SUCCEEDED", out.Decision)
	assert.Len(t, out.Digest, 64)
	assert.Equal(t, uint32(110), out.Fuel["n2"], "120 - 30 (n2) + 20 (n4, concurrently): a PN-counter")
	assert.Equal(t, uint32(120), out.Fuel["n1"])

	again, err := Play(Build(), func(string) {})
	require.NoError(t, err)
	assert.Equal(t, out.Digest, again.Digest)
}
