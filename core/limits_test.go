package core_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	"github.com/peat-protocol/libpeat/core"
	"github.com/peat-protocol/libpeat/core/codec"
	capabilityv1 "github.com/peat-protocol/libpeat/core/pb/cap/capability/v1"
	cellv1 "github.com/peat-protocol/libpeat/core/pb/cap/cell/v1"
	nodev1 "github.com/peat-protocol/libpeat/core/pb/cap/node/v1"
	validationv1 "github.com/peat-protocol/libpeat/core/pb/peat/validation/v1"
	"github.com/peat-protocol/libpeat/core/registry"
	"github.com/peat-protocol/libpeat/core/status"
)

// Issue 13 item 11: batch calls refuse, before decoding anything, more
// messages than MaxBatch (4 M empty messages built 880 MB of reports) or
// more bytes than MaxBatchInput; refusing costs next to nothing.
func TestBatchLimitsAreCheckedBeforeTheWork(t *testing.T) {
	over := make([][]byte, core.MaxBatch+1)
	at := over[:core.MaxBatch]
	big := make([]byte, core.MaxBatchInput/2+1)
	for _, c := range []struct {
		name string
		call func() error
		code string
	}{
		{"validate count", func() error {
			_, err := core.ValidateBatch("cap.node.v1.NodeConfig", codec.Binary, over, nil)
			return err
		}, "BATCH_TOO_LARGE"},
		{"merge count", func() error {
			_, err := core.MergeBatch("cap.node.v1.NodeState", codec.Binary, codec.Binary, over)
			return err
		}, "BATCH_TOO_LARGE"},
		{"validate bytes", func() error {
			_, err := core.ValidateBatch("cap.node.v1.NodeConfig", codec.Binary, [][]byte{big, big}, nil)
			return err
		}, "BATCH_INPUT_TOO_LARGE"},
		{"merge bytes", func() error {
			_, err := core.MergeBatch("cap.node.v1.NodeState", codec.Binary, codec.Binary, [][]byte{big, big})
			return err
		}, "BATCH_INPUT_TOO_LARGE"},
	} {
		var err error
		allocs := testing.AllocsPerRun(3, func() { err = c.call() })
		require.Error(t, err, c.name)
		e := status.From(err)
		assert.Equal(t, status.TooLarge, e.Status, c.name)
		assert.Equal(t, c.code, e.Code, c.name)
		assert.LessOrEqual(t, allocs, 4.0, "%s: allocations to refuse", c.name)
	}

	// MaxBatch empty messages are accepted; their reports are small.
	out, err := core.ValidateBatch("cap.node.v1.NodeConfig", codec.Binary, at, nil)
	require.NoError(t, err)
	assert.Less(t, len(out), 32<<20)
	_, err = core.MergeBatch("cap.node.v1.NodeState", codec.Binary, codec.Binary, at)
	require.NoError(t, err)
}

// A batch whose reports would pass the output ceiling stops as soon as
// they do, whatever the count: every message here is 300 bytes of empty
// capabilities whose report is ~100 times larger, so 65,536 of them would
// make ~2 GB of reports. (The ceiling is lowered to 1 MiB for speed; the
// check is the same at 64 MiB.)
func TestValidateBatchOutputCeiling(t *testing.T) {
	defer core.SetBatchOutputLimit(1 << 20)()
	msg, err := proto.Marshal(&nodev1.NodeConfig{Capabilities: make([]*capabilityv1.Capability, 150)})
	require.NoError(t, err)
	one, err := core.Validate("cap.node.v1.NodeConfig", codec.Binary, msg, nil)
	require.NoError(t, err)
	require.Greater(t, len(one)*core.MaxBatch, 16*core.MaxBatchOutput, "the batch's reports are far over the real ceiling")
	batch := make([][]byte, core.MaxBatch)
	for i := range batch {
		batch[i] = msg
	}
	_, err = core.ValidateBatch("cap.node.v1.NodeConfig", codec.Binary, batch, nil)
	require.Error(t, err)
	assert.Equal(t, status.TooLarge, status.Of(err))
	assert.Equal(t, "OUTPUT_TOO_LARGE", status.From(err).Code)

	// Just under the ceiling, the batch is reported; one more is refused.
	// Each report takes its size plus 4 bytes (tag, 3-byte length); 12
	// bytes are kept for the counts.
	n := (1<<20 - 12) / (len(one) + 4)
	out, err := core.ValidateBatch("cap.node.v1.NodeConfig", codec.Binary, batch[:n], nil)
	require.NoError(t, err)
	assert.LessOrEqual(t, len(out), 1<<20)
	_, err = core.ValidateBatch("cap.node.v1.NodeConfig", codec.Binary, batch[:n+1], nil)
	assert.Equal(t, "OUTPUT_TOO_LARGE", status.From(err).Code)
}

// A merged message over the output ceiling is refused (the ceiling is
// lowered for the test: the merge of two cells holds both member lists).
func TestMergeBatchOutputCeiling(t *testing.T) {
	a, err := proto.Marshal(&cellv1.CellState{Config: &cellv1.CellConfig{Id: "c1", MaxSize: 100}, Members: []string{"n1", "n2", "n3"}})
	require.NoError(t, err)
	b, err := proto.Marshal(&cellv1.CellState{Config: &cellv1.CellConfig{Id: "c1", MaxSize: 100}, Members: []string{"n4", "n5", "n6"}})
	require.NoError(t, err)
	merged, err := core.MergeBatch("cap.cell.v1.CellState", codec.Binary, codec.Binary, [][]byte{a, b})
	require.NoError(t, err)
	defer core.SetBatchOutputLimit(len(merged) - 1)()
	_, err = core.MergeBatch("cap.cell.v1.CellState", codec.Binary, codec.Binary, [][]byte{a, b})
	require.Error(t, err)
	assert.Equal(t, status.TooLarge, status.Of(err))
	assert.Equal(t, "OUTPUT_TOO_LARGE", status.From(err).Code)
	// peat_merge of two messages is held to the types' limits, not the batch's.
	_, err = core.Merge("cap.cell.v1.CellState", codec.Binary, codec.Binary, a, b)
	require.NoError(t, err)
}

// The batch report is written report by report; its bytes are those of the
// deterministic encoding of the whole message, and each report is the one
// peat_validate gives.
func TestValidateBatchEncoding(t *testing.T) {
	valid, err := proto.Marshal(&nodev1.NodeConfig{Id: "uav-1", PlatformType: "quadrotor"})
	require.NoError(t, err)
	invalid, err := proto.Marshal(&nodev1.NodeConfig{Capabilities: make([]*capabilityv1.Capability, 2)})
	require.NoError(t, err)
	garbage := []byte{0xff, 0xff, 0xff}
	opts, err := proto.Marshal(&validationv1.ValidateOptions{AllowUnknownEnumValues: true})
	require.NoError(t, err)
	for _, msgs := range [][][]byte{nil, {valid}, {invalid, garbage, valid, valid, nil}, {garbage}} {
		out, err := core.ValidateBatch("cap.node.v1.NodeConfig", codec.Binary, msgs, opts)
		require.NoError(t, err)
		rep := &validationv1.BatchValidationReport{}
		require.NoError(t, proto.Unmarshal(out, rep))
		again, err := codec.Encode(rep, codec.Binary)
		require.NoError(t, err)
		assert.True(t, bytes.Equal(again, out), "batch of %d: not the deterministic encoding", len(msgs))
		require.Len(t, rep.Reports, len(msgs))
		var v, inv, und uint32
		for i, m := range msgs {
			single, err := core.Validate("cap.node.v1.NodeConfig", codec.Binary, m, opts)
			if err != nil {
				und++
				inv++
				assert.False(t, rep.Reports[i].Decoded)
				continue
			}
			b, err := codec.Encode(rep.Reports[i], codec.Binary)
			require.NoError(t, err)
			assert.Equal(t, single, b, "report %d", i)
			if rep.Reports[i].Valid {
				v++
			} else {
				inv++
			}
		}
		assert.Equal(t, [3]uint32{v, inv, und}, [3]uint32{rep.ValidCount, rep.InvalidCount, rep.UndecodableCount})
	}
}

// ValidateOptions are refused over MaxOptions before decoding (300 MB of
// options used to be decoded); up to the limit, unknown fields of a later
// version are accepted.
func TestValidateOptionsLimit(t *testing.T) {
	msg, err := proto.Marshal(&nodev1.NodeConfig{Id: "uav-1", PlatformType: "quadrotor"})
	require.NoError(t, err)
	base, err := proto.Marshal(&validationv1.ValidateOptions{AllowUnknownEnumValues: true})
	require.NoError(t, err)
	withPadding := func(total int) []byte { // an unknown bytes field (number 99) fills up to total
		b := protowire.AppendTag(bytes.Clone(base), 99, protowire.BytesType)
		n := total - len(b) - 2 // a 2-byte length for these sizes
		b = protowire.AppendVarint(b, uint64(n))
		return append(b, make([]byte, n)...)
	}
	at, over := withPadding(core.MaxOptions), withPadding(core.MaxOptions+1)
	require.Len(t, at, core.MaxOptions)
	require.Len(t, over, core.MaxOptions+1)

	_, err = core.Validate("cap.node.v1.NodeConfig", codec.Binary, msg, at)
	require.NoError(t, err)
	_, err = core.ValidateBatch("cap.node.v1.NodeConfig", codec.Binary, [][]byte{msg}, at)
	require.NoError(t, err)
	for _, call := range []func() error{
		func() error { _, err := core.Validate("cap.node.v1.NodeConfig", codec.Binary, msg, over); return err },
		func() error {
			_, err := core.ValidateBatch("cap.node.v1.NodeConfig", codec.Binary, [][]byte{msg}, over)
			return err
		},
	} {
		err := call()
		require.Error(t, err)
		assert.Equal(t, status.TooLarge, status.Of(err))
		assert.Equal(t, "OPTIONS_TOO_LARGE", status.From(err).Code)
	}
}

// Every other project-owned message the ABI takes (document init and
// operations, documents, directive requests) is held to the peat.* limit
// (64 MiB) before decoding: one byte more is refused unread.
func TestProjectInputsAreLimited(t *testing.T) {
	over := make([]byte, registry.DefaultProjectLimit+1) // zeros: not even decodable
	calls := map[string]func() error{
		"doc_new init": func() error { _, err := core.DocNew("peat.crdt.v1.CellDoc", over); return err },
		"doc_apply doc": func() error {
			_, err := core.DocApply("peat.crdt.v1.CellDoc", over, nil)
			return err
		},
		"doc_apply op": func() error { _, err := core.DocApply("peat.crdt.v1.CellDoc", nil, over); return err },
		"doc_merge":    func() error { _, err := core.DocMerge("peat.crdt.v1.CellDoc", nil, over); return err },
		"doc_materialize": func() error {
			_, err := core.DocMaterialize("peat.crdt.v1.CellDoc", codec.Binary, over)
			return err
		},
		"directive_target":    func() error { _, err := core.DirectiveTarget(over); return err },
		"directive_advance":   func() error { _, err := core.DirectiveAdvance(over); return err },
		"directive_summarize": func() error { _, err := core.DirectiveSummarize(over); return err },
	}
	for name, call := range calls {
		err := call()
		require.Error(t, err, name)
		assert.Equal(t, status.TooLarge, status.Of(err), "%s: %v", name, err)
	}
}
