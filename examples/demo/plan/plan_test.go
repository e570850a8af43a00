package plan

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoregistry"

	"github.com/peat-protocol/libpeat/core"
	"github.com/peat-protocol/libpeat/core/codec"
	apiv1 "github.com/peat-protocol/libpeat/core/pb/peat/api/v1"
	"github.com/peat-protocol/libpeat/core/status"
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

// The demo's schema stays the demo's: this process links peat.demo.v1 (the
// plan), yet libpeat's type list and lookups know only the product's types.
func TestDemoSchemaIsNotALibpeatType(t *testing.T) {
	Build() // the demo's messages are linked and in protobuf's global registry
	_, err := protoregistry.GlobalTypes.FindMessageByName("peat.demo.v1.Plan")
	require.NoError(t, err)

	raw, err := core.Types()
	require.NoError(t, err)
	var list apiv1.TypeList
	require.NoError(t, proto.Unmarshal(raw, &list))
	require.NotEmpty(t, list.Types)
	for _, n := range list.Types {
		assert.False(t, strings.HasPrefix(n, "peat.demo."), "core.Types() lists the demo's %s", n)
	}
	_, err = core.Convert("peat.demo.v1.Plan", codec.Binary, codec.JSON, nil)
	assert.Equal(t, status.UnknownType, status.Of(err))
}
