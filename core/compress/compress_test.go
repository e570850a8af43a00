package compress

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/peat-protocol/libpeat/core/status"
)

func TestRoundTrip(t *testing.T) {
	for _, in := range [][]byte{{}, []byte("x"), bytes.Repeat([]byte("peat cell "), 10000)} {
		frame, err := Compress(in)
		require.NoError(t, err)
		out, err := Decompress(frame, 0)
		require.NoError(t, err)
		assert.Equal(t, len(in), len(out))
		assert.True(t, bytes.Equal(in, out))
	}
}

func TestBombIsRefused(t *testing.T) {
	// 256 MiB of zeros compresses to a few KiB.
	big := make([]byte, 256<<20)
	frame, err := Compress(big[:MaxFrameInput])
	require.NoError(t, err)
	assert.Less(t, len(frame), 1<<20)
	_, err = Decompress(frame, 1<<20)
	require.Error(t, err)
	assert.Equal(t, status.Decompress, status.Of(err))
	assert.Equal(t, "DECOMPRESSED_TOO_LARGE", status.From(err).Code)
}

func TestExactLimitIsAccepted(t *testing.T) {
	in := bytes.Repeat([]byte{7}, 1000)
	frame, _ := Compress(in)
	out, err := Decompress(frame, 1000)
	require.NoError(t, err)
	assert.Len(t, out, 1000)
	_, err = Decompress(frame, 999)
	assert.Equal(t, status.Decompress, status.Of(err))
}

func TestGarbage(t *testing.T) {
	for _, in := range [][]byte{nil, {0}, []byte("not zstd at all"), {0x28, 0xb5, 0x2f, 0xfd}, {0x28, 0xb5, 0x2f, 0xfd, 0xff, 0xff, 0xff, 0xff}} {
		_, err := Decompress(in, 0)
		require.Error(t, err)
		assert.Equal(t, status.Decompress, status.Of(err), "%x", in)
	}
}

func TestHugeCeilingIsClamped(t *testing.T) {
	in := bytes.Repeat([]byte("abc"), 1000)
	frame, err := Compress(in)
	require.NoError(t, err)
	out, err := Decompress(frame, ^uint64(0)) // UINT64_MAX from C must not overflow
	require.NoError(t, err)
	assert.Equal(t, in, out)
}
