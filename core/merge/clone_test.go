package merge_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"pgregory.net/rapid"

	"github.com/peat-protocol/libpeat/core/merge"
	capabilityv1 "github.com/peat-protocol/libpeat/core/pb/cap/capability/v1"
	commonv1 "github.com/peat-protocol/libpeat/core/pb/cap/common/v1"
	nodev1 "github.com/peat-protocol/libpeat/core/pb/cap/node/v1"
)

// Clone is bit-exact: the copy encodes to the bytes of the original, at any
// depth, for -0.0, NaN payloads, signalling NaNs and subnormals alike.
func TestCloneKeepsEveryFloatBit(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := genNode(t)
		if got, want := enc(t, merge.Clone(n)), enc(t, n); string(got) != string(want) {
			t.Fatalf("clone encodes differently:\n got %x\nwant %x", got, want)
		}
		for _, c := range n.GetConfig().GetCapabilities() {
			if got, want := enc(t, merge.Clone(c)), enc(t, c); string(got) != string(want) {
				t.Fatalf("capability clone differs")
			}
		}
	})
	negZero := math.Copysign(0, -1)
	n := &nodev1.Node{
		Config: &nodev1.NodeConfig{Id: "n", CommRangeM: float32(negZero), Capabilities: []*capabilityv1.Capability{{Id: "c", Confidence: float32(negZero)}}},
		State:  &nodev1.NodeState{Position: &commonv1.Position{Altitude: negZero}},
	}
	c := merge.Clone(n)
	assert.True(t, math.Signbit(c.State.Position.Altitude))
	assert.True(t, math.Signbit(float64(c.Config.CommRangeM)))
	assert.True(t, math.Signbit(float64(c.Config.Capabilities[0].Confidence)))
	c.State.Position.Altitude = 1
	assert.True(t, math.Signbit(n.State.Position.Altitude), "a deep copy: the original is untouched")
	assert.Nil(t, merge.Clone((*nodev1.Node)(nil)))
}
