package core_test

import (
	"bytes"
	"encoding/hex"
	"testing"

	"github.com/klauspost/compress/zstd"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/peat-protocol/libpeat/core"
	"github.com/peat-protocol/libpeat/core/status"
	"github.com/peat-protocol/libpeat/internal/vectors"
)

// TestCompressVectors writes tests/vectors/compress: zstd framing round
// trips, the decompressed-size ceiling (a bomb), and frames that are not
// zstd, that are corrupt, or whose window is over the ceiling.
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

	// long27 was made with the zstd CLI (v1.5.4) reading stdin, so that the
	// frame does not declare its content size:
	//   printf 'hello world' | zstd --long=27 -c
	// 24 bytes: a 128 MiB window, one raw block of 11 bytes, a checksum.
	long27, err := hex.DecodeString("28b52ffd048859000068656c6c6f20776f726c6468691eb2")
	require.NoError(t, err)
	longFile := s.File("inputs/long-window.zst", long27)
	s.Add(vectors.Case{Name: "decompress-long-window", Op: "decompress", Inputs: []string{longFile},
		Expect: vectors.Expect{Status: "OK", Output: s.File("outputs/hello.bin", []byte("hello world"))}})
	// The same frame with its block header claiming 2 MiB - 1 bytes, over
	// zstd's 128 KiB maximum block size.
	oversize := bytes.Clone(long27)
	oversize[6], oversize[7], oversize[8] = 0xf9, 0xff, 0xff
	// 200 KB streamed (no content size) with the window descriptor raised
	// to 128 MiB, as zstd --long=27 writes it: under a 150 KiB ceiling its
	// blocks could exceed the limit and its window is over it.
	wide := streamedFrame(t, bytes.Repeat([]byte("peat node n1 cell c1 zone z1 "), 200000/29))
	wide[5] = 0x88
	badSum := bytes.Clone(frame)
	badSum[len(badSum)-1] ^= 0xff
	two, err := core.Compress([]byte(" and more"))
	require.NoError(t, err)
	s.Add(vectors.Case{Name: "decompress-two-frames", Op: "decompress",
		Inputs: []string{s.File("inputs/two-frames.zst", append(bytes.Clone(long27), two...))},
		Expect: vectors.Expect{Status: "OK", Output: s.File("outputs/two-frames.bin", []byte("hello world and more"))}})
	for _, c := range []struct {
		name   string
		input  string
		max    uint64
		status status.Status
		code   string
	}{
		{"decompress-over-limit", fr, uint64(len(plain) - 1), status.Decompress, "DECOMPRESSED_TOO_LARGE"},
		{"decompress-bomb", bombFile, 1 << 20, status.Decompress, "DECOMPRESSED_TOO_LARGE"},
		{"decompress-long-window-over-limit", longFile, 10, status.Decompress, "DECOMPRESSED_TOO_LARGE"},
		{"decompress-window-too-large", s.File("inputs/wide-window.zst", wide), 150 << 10, status.Decompress, "WINDOW_TOO_LARGE"},
		{"decompress-oversize-block", s.File("inputs/oversize-block.zst", oversize), 0, status.Decompress, "CORRUPT_FRAME"},
		{"decompress-bad-checksum", s.File("inputs/bad-checksum.zst", badSum), 0, status.Decompress, "CORRUPT_FRAME"},
		{"decompress-trailing-garbage", s.File("inputs/trailing-garbage.zst", append(bytes.Clone(frame), "junk"...)), 0, status.Decompress, "CORRUPT_FRAME"},
		{"decompress-garbage", s.File("inputs/garbage.bin", []byte("definitely not a zstd frame")), 0, status.Decompress, "DECOMPRESS_ERROR"},
		{"decompress-truncated", s.File("inputs/truncated.zst", frame[:len(frame)/2]), 0, status.Decompress, "CORRUPT_FRAME"},
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

// streamedFrame compresses in with a streaming encoder, which writes no
// content size into the frame.
func streamedFrame(t *testing.T, in []byte) []byte {
	var buf bytes.Buffer
	w, err := zstd.NewWriter(&buf, zstd.WithEncoderConcurrency(1))
	require.NoError(t, err)
	_, err = w.Write(in)
	require.NoError(t, err)
	require.NoError(t, w.Close())
	return buf.Bytes()
}
