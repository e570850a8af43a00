package core_test

import (
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/peat-protocol/libpeat/core"
	"github.com/peat-protocol/libpeat/core/codec"
	commonv1 "github.com/peat-protocol/libpeat/core/pb/cap/common/v1"
	nodev1 "github.com/peat-protocol/libpeat/core/pb/cap/node/v1"
	validationv1 "github.com/peat-protocol/libpeat/core/pb/peat/validation/v1"
	"github.com/peat-protocol/libpeat/core/validate/examples"
)

// TestOptionsOfEachCallApply: the decoded options kept from the previous
// call are used only for the same bytes; each call's options decide its
// report, and invalid options are refused even after valid ones.
func TestOptionsOfEachCallApply(t *testing.T) {
	m := examples.Message("cap.node.v1.NodeConfig").(*nodev1.NodeConfig)
	m.CreatedAt = &commonv1.Timestamp{Seconds: examples.Now + 3600} // an hour ahead of "now"
	in, err := proto.Marshal(m)
	require.NoError(t, err)
	opts := func(o *validationv1.ValidateOptions) []byte {
		b, err := proto.Marshal(o)
		require.NoError(t, err)
		return b
	}
	strict := opts(examples.NowOptions())
	lenient := opts(&validationv1.ValidateOptions{Now: &commonv1.Timestamp{Seconds: examples.Now}, MaxFutureSkewSeconds: proto.Uint64(7200)})
	bad := opts(&validationv1.ValidateOptions{MaxFutureSkewSeconds: proto.Uint64(1 << 62)})
	violations := func(o []byte) int {
		out, err := core.Validate("cap.node.v1.NodeConfig", codec.Binary, in, o)
		require.NoError(t, err)
		r := &validationv1.ValidationReport{}
		require.NoError(t, proto.Unmarshal(out, r))
		return len(r.Violations)
	}
	for i := 0; i < 3; i++ {
		require.NotZero(t, violations(strict), "a timestamp an hour ahead passes the default skew")
		require.NotZero(t, violations(strict))
		require.Zero(t, violations(lenient), "the lenient options of this call were not used")
		_, err := core.Validate("cap.node.v1.NodeConfig", codec.Binary, in, bad)
		require.Error(t, err)
	}
}
