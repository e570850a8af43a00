package core_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/peat-protocol/libpeat/core"
	"github.com/peat-protocol/libpeat/core/status"
	"github.com/peat-protocol/libpeat/internal/vectors"
)

// TestCompressVectors writes tests/vectors/compress: zstd framing round
// trips, the decompressed-size ceiling (a bomb), and frames that are not zstd.
func TestCompressVectors(t *testing.T) {
	s := vectors.NewSet("compress")
	plain := bytes.Repeat([]byte("peat cell-alpha n1 n2 n3 n4 "), 200)
	frame, err := core.Compress(plain)
	require.NoError(t, err)
	require.Less(t, len(frame), len(plain)/10, "repetitive input compresses")
	back, err := core.Decompress(frame, 0)
	require.NoError(t, err)
	require.Equal(t, plain, back)

	in := s.File("inputs/plain.bin", plain)
	fr := s.File("inputs/plain.zst", frame)
	s.Add(vectors.Case{Name: "compress", Op: "compress", Inputs: []string{in},
		Expect: vectors.Expect{Status: "OK", Output: s.File("outputs/plain.zst", frame)}})
	s.Add(vectors.Case{Name: "decompress", Op: "decompress", Inputs: []string{fr},
		Expect: vectors.Expect{Status: "OK", Output: s.File("outputs/plain.bin", plain)}})
	s.Add(vectors.Case{Name: "decompress-exact-limit", Op: "decompress", Inputs: []string{fr}, MaxOut: uint64(len(plain)),
		Expect: vectors.Expect{Status: "OK", Output: "outputs/plain.bin"}})
	empty, err := core.Compress(nil)
	require.NoError(t, err)
	s.Add(vectors.Case{Name: "compress-empty", Op: "compress", Inputs: []string{s.File("inputs/empty.bin", nil)},
		Expect: vectors.Expect{Status: "OK", Output: s.File("outputs/empty.zst", empty)}})

	// 8 MiB of zeros is a 300-odd-byte frame: refused above a 1 MiB ceiling.
	bomb, err := core.Compress(make([]byte, 8<<20))
	require.NoError(t, err)
	require.Less(t, len(bomb), 4096)
	bombFile := s.File("inputs/bomb.zst", bomb)
	for _, c := range []struct {
		name   string
		input  string
		max    uint64
		status status.Status
		code   string
	}{
		{"decompress-over-limit", fr, uint64(len(plain) - 1), status.Decompress, "DECOMPRESSED_TOO_LARGE"},
		{"decompress-bomb", bombFile, 1 << 20, status.Decompress, "DECOMPRESSED_TOO_LARGE"},
		{"decompress-garbage", s.File("inputs/garbage.bin", []byte("definitely not a zstd frame")), 0, status.Decompress, "DECOMPRESS_ERROR"},
		{"decompress-truncated", s.File("inputs/truncated.zst", frame[:len(frame)/2]), 0, status.Decompress, "DECOMPRESS_ERROR"},
		{"decompress-empty", "inputs/empty.bin", 0, status.Decompress, "DECOMPRESS_ERROR"},
	} {
		c := vectors.Case{Name: c.name, Op: "decompress", Inputs: []string{c.input}, MaxOut: c.max,
			Expect: vectors.Expect{Status: c.status.Name(), Code: c.code}}
		st, _, err := vectors.ExecWith(s, c)
		require.Equal(t, c.Expect.Status, st.Name(), c.Name)
		assert.Equal(t, c.Expect.Code, status.From(err).Code, c.Name)
		s.Add(c)
	}
	s.Sync(t)
}
