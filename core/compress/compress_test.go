package compress

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"io"
	"runtime"
	"testing"

	"github.com/klauspost/compress/zstd"
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

// A frame that declares its size over the ceiling is refused from its
// header, before any decoding: the call allocates almost nothing.
func TestDeclaredSizeIsRefusedBeforeDecoding(t *testing.T) {
	frame, err := Compress(make([]byte, 32<<20))
	require.NoError(t, err)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err = Decompress(frame, 1<<20)
	runtime.ReadMemStats(&after)
	require.Equal(t, CodeTooLarge, status.From(err).Code)
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(64<<10), "bytes allocated to refuse a declared 32 MiB frame")
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

// Frames without a content size (written by a streaming encoder) are held
// to the limit while decoding: exactly the limit passes, one byte less fails.
func TestExactLimitWithoutContentSize(t *testing.T) {
	in := pattern(3<<20 + 12345)
	frame := streamed(t, in, 0)
	out, err := Decompress(frame, uint64(len(in)))
	require.NoError(t, err)
	assert.True(t, bytes.Equal(in, out))
	_, err = Decompress(frame, uint64(len(in)-1))
	assert.Equal(t, CodeTooLarge, status.From(err).Code)
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

// long27 was made with the zstd CLI (v1.5.4), reading stdin so that the
// frame does not declare its content size:
//
//	printf 'hello world' | zstd --long=27 -c
//
// 24 bytes: a 128 MiB window (descriptor 0x88), one raw block of 11 bytes,
// a checksum.
var long27 = mustHex("28b52ffd048859000068656c6c6f20776f726c6468691eb2")

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// Issue 13 item 12: what went wrong is told apart — a large window, a
// corrupt frame, content over the ceiling.
func TestErrorsSayWhatHappened(t *testing.T) {
	ok, err := Compress([]byte("hello world"))
	require.NoError(t, err)
	oversizeBlock := bytes.Clone(long27)
	// The raw block now claims 2 MiB - 1 bytes: over the 128 KiB maximum.
	oversizeBlock[6], oversizeBlock[7], oversizeBlock[8] = 0xf9, 0xff, 0xff
	smallWindowBlock := append(mustHex("28b52ffd0000"), rawBlock(2048, true)...) // 1 KiB window, 2 KiB block
	badChecksum := bytes.Clone(ok)
	badChecksum[len(badChecksum)-1] ^= 0xff
	reserved := bytes.Clone(long27)
	reserved[6] |= 0x06 // block type 3
	lies := rleFrame(1000, 'x', true)
	binary.LittleEndian.PutUint32(lies[6:], 5000) // declares 5000, holds 1000
	short := rleFrame(1000, 'x', true)
	binary.LittleEndian.PutUint32(short[6:], 10) // declares 10, an RLE block of 1000
	dict := mustHex("28b52ffd01000701")          // Dictionary_ID 7 (1 byte), 1 KiB window

	// A streamed frame of 2 MiB whose window descriptor says 128 MiB (as
	// zstd --long=27 writes): its blocks could produce more than a 1 MiB
	// ceiling, so its window counts there.
	wide := streamed(t, pattern(2<<20), 0)
	wide[5] = 0x88

	cases := []struct {
		name string
		in   []byte
		max  uint64
		code string
		out  []byte
	}{
		{"long window, small content, default ceiling", long27, 0, "", []byte("hello world")},
		{"long window, content over the ceiling", long27, 10, CodeTooLarge, nil},
		{"window over a small ceiling", wide, 1 << 20, CodeWindowTooLarge, nil},
		{"window within the ceiling", wide, 128 << 20, "", pattern(2 << 20)},
		{"window within the default ceiling (blocks hold 2 MiB)", wide, 0, "", pattern(2 << 20)},
		{"block over 128 KiB", oversizeBlock, 0, CodeCorrupt, nil},
		{"block over the window", smallWindowBlock, 0, CodeCorrupt, nil},
		{"checksum mismatch", badChecksum, 0, CodeCorrupt, nil},
		{"reserved block type", reserved, 0, CodeCorrupt, nil},
		{"declared size over what the blocks hold", lies, 0, CodeCorrupt, nil},
		{"declared size under the raw blocks", short, 0, CodeCorrupt, nil},
		{"truncated", ok[:len(ok)-3], 0, CodeCorrupt, nil},
		{"trailing garbage", append(bytes.Clone(ok), "junk"...), 0, CodeCorrupt, nil},
		{"dictionary", dict, 0, CodeDictionary, nil},
		{"not zstd", []byte("definitely not zstd"), 0, "DECOMPRESS_ERROR", nil},
		{"declared size over the ceiling", rleFrame(1<<20, 0, true), 1000, CodeTooLarge, nil},
		{"raw/RLE content over the ceiling, no declared size", rleFrame(1<<20, 0, false), 1000, CodeTooLarge, nil},
	}
	for _, c := range cases {
		out, err := Decompress(c.in, c.max)
		if c.code == "" {
			require.NoError(t, err, c.name)
			assert.True(t, bytes.Equal(c.out, out), c.name)
			continue
		}
		require.Error(t, err, c.name)
		e := status.From(err)
		assert.Equal(t, status.Decompress, e.Status, c.name)
		assert.Equal(t, c.code, e.Code, "%s: %s", c.name, e.Message)
	}
}

// Several frames (with and without content sizes, skippable frames between
// them) decode to their concatenation, under one ceiling for the whole.
func TestConcatenatedFrames(t *testing.T) {
	a, b, c := pattern(100000), []byte("second"), pattern(700000)
	fa, _ := Compress(a)
	fb, _ := Compress(b)
	skippable := append(mustHex("5a2a4d1805000000"), "skip!"...)
	in := bytes.Join([][]byte{fa, skippable, streamed(t, c, 0), fb}, nil)
	want := bytes.Join([][]byte{a, c, b}, nil)
	out, err := Decompress(in, uint64(len(want)))
	require.NoError(t, err)
	assert.True(t, bytes.Equal(want, out))
	_, err = Decompress(in, uint64(len(want)-1))
	assert.Equal(t, CodeTooLarge, status.From(err).Code)
	out, err = Decompress(skippable, 0)
	require.NoError(t, err)
	assert.Empty(t, out)
}

// countingAlloc records the allocator calls and checks that everything is
// released on failure.
type countingAlloc struct {
	allocs, reallocs, frees int
	peak                    int
}

func (c *countingAlloc) Alloc(n int) []byte {
	c.allocs++
	c.peak = max(c.peak, n)
	return make([]byte, 0, n)
}

func (c *countingAlloc) Realloc(b []byte, n int) []byte {
	c.reallocs++
	c.peak = max(c.peak, n)
	return GoAllocator{}.Realloc(b, n)
}

func (c *countingAlloc) Free([]byte) { c.frees++ }

// The output is allocated once: at the declared size when the frame has
// one, at what the blocks can hold otherwise; failures free it.
func TestOutputIsAllocatedOnce(t *testing.T) {
	in := pattern(5 << 20)
	frame, _ := Compress(in)
	var a countingAlloc
	out, err := DecompressWith(frame, 0, &a)
	require.NoError(t, err)
	assert.True(t, bytes.Equal(in, out))
	assert.Equal(t, countingAlloc{allocs: 1, peak: len(in) + blockSlack}, a)

	a = countingAlloc{}
	out, err = DecompressWith(rleFrame(5<<20, 1, false), 0, &a)
	require.NoError(t, err)
	assert.Len(t, out, 5<<20)
	assert.Equal(t, countingAlloc{allocs: 1, peak: 5<<20 + blockSlack}, a)

	a = countingAlloc{}
	bad := bytes.Clone(frame)
	bad[len(bad)-1] ^= 1
	_, err = DecompressWith(bad, 0, &a)
	assert.Equal(t, CodeCorrupt, status.From(err).Code)
	assert.Equal(t, 1, a.allocs)
	assert.Equal(t, 1, a.frees)

	a = countingAlloc{}
	_, err = DecompressWith(streamed(t, in, 0), 1<<20, &a)
	assert.Equal(t, CodeTooLarge, status.From(err).Code)
	assert.Equal(t, a.allocs, a.frees)
	assert.LessOrEqual(t, a.peak, 1<<20+blockSlack)
}

func TestCompressWithAllocatesOnce(t *testing.T) {
	in := pattern(3 << 20)
	want, err := Compress(in)
	require.NoError(t, err)
	var a countingAlloc
	got, err := CompressWith(in, &a)
	require.NoError(t, err)
	assert.Equal(t, want, got)
	assert.Equal(t, 1, a.allocs)
	assert.Equal(t, encoder().MaxEncodedSize(len(in)), a.peak)
}

// Differential check against the zstd library itself on valid frames and
// on every single-byte corruption of them: whatever Decompress accepts, the
// library decodes to the same bytes; whatever the library decodes within
// the ceiling, Decompress accepts (or refuses only for the window).
func TestAgreesWithReferenceDecoder(t *testing.T) {
	for _, seed := range seeds(t) {
		checkAgainstReference(t, seed, 1<<20)
		for i := range seed {
			for _, x := range []byte{0x01, 0x80, 0xff} {
				m := bytes.Clone(seed)
				m[i] ^= x
				checkAgainstReference(t, m, 1<<20)
			}
		}
	}
}

func FuzzDecompress(f *testing.F) {
	for _, s := range seeds(f) {
		f.Add(s, uint32(1<<20))
	}
	f.Fuzz(func(t *testing.T, in []byte, max uint32) {
		checkAgainstReference(t, in, uint64(max%(4<<20)))
	})
}

func checkAgainstReference(t testing.TB, in []byte, max uint64) {
	t.Helper()
	out, err := Decompress(in, max)
	if max == 0 {
		max = DefaultMaxDecompressed
	}
	if err == nil {
		// Every declared size is within max, so the library's own
		// allocations are bounded even with its limits lifted.
		require.LessOrEqual(t, uint64(len(out)), max)
		ref, rerr := reference(in, 1<<41+7<<38) // the largest window zstd can declare
		require.NoError(t, rerr, "accepted what the library refuses: %x", in)
		require.True(t, bytes.Equal(ref, out), "%x", in)
		return
	}
	ref, rerr := reference(in, 64<<20)
	e := status.From(err)
	require.Contains(t, []status.Status{status.Decompress, status.TooLarge}, e.Status, e.Message)
	if rerr == nil && len(in) > 0 && e.Code != CodeWindowTooLarge {
		require.Greater(t, uint64(len(ref)), max, "refused (%s: %s) what the library decodes within the limit: %x", e.Code, e.Message, in)
		require.Equal(t, CodeTooLarge, e.Code, e.Message)
	}
}

// reference decodes with the library alone, limiting output and window to
// limit.
func reference(in []byte, limit uint64) ([]byte, error) {
	d, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(limit), zstd.WithDecoderMaxWindow(limit))
	if err != nil {
		return nil, err
	}
	defer d.Close()
	return d.DecodeAll(in, nil)
}

func seeds(t testing.TB) [][]byte {
	small, _ := Compress([]byte("hello world"))
	text, _ := Compress(pattern(300000))
	empty, _ := Compress(nil)
	return [][]byte{small, text, empty, long27, rleFrame(300000, 'z', true), rleFrame(300000, 'z', false),
		streamed(t, pattern(200000), 0), append(bytes.Clone(small), long27...)}
}

// pattern is n bytes of compressible, non-trivial text (period 26 words).
func pattern(n int) []byte {
	var unit bytes.Buffer
	for i := 0; i < 26; i++ {
		unit.WriteString("peat node ")
		unit.WriteString(string(rune('a' + i)))
		unit.WriteString(string(rune('a' + i*7%26)))
		unit.WriteString(" cell ")
	}
	return bytes.Repeat(unit.Bytes(), n/unit.Len()+1)[:n]
}

// streamed compresses in with a streaming encoder (window 0: the default),
// which does not write the content size into the frame.
func streamed(t testing.TB, in []byte, window int) []byte {
	opts := []zstd.EOption{zstd.WithEncoderConcurrency(1)}
	if window > 0 {
		opts = append(opts, zstd.WithWindowSize(window))
	}
	var buf bytes.Buffer
	w, err := zstd.NewWriter(&buf, opts...)
	require.NoError(t, err)
	_, err = io.Copy(w, bytes.NewReader(in))
	require.NoError(t, err)
	require.NoError(t, w.Close())
	var h zstd.Header
	require.NoError(t, h.Decode(buf.Bytes()))
	require.False(t, h.HasFCS, "a streamed frame without a content size")
	return buf.Bytes()
}

// rleFrame builds by hand a frame of size bytes of v made of RLE blocks
// (4 bytes per 128 KiB of output), with or without its content size, with
// an 8 MiB window and no checksum.
func rleFrame(size int, v byte, withFCS bool) []byte {
	b := mustHex("28b52ffd")
	if withFCS {
		b = append(b, 0x80, 0x68) // 4-byte Frame_Content_Size; window 2^23
		b = binary.LittleEndian.AppendUint32(b, uint32(size))
	} else {
		b = append(b, 0x00, 0x68)
	}
	for left := size; ; {
		n := min(left, maxBlockSize)
		left -= n
		b = appendBlockHeader(b, 1, n, left == 0)
		b = append(b, v)
		if left == 0 {
			return b
		}
	}
}

// rawBlock is one raw block of n bytes.
func rawBlock(n int, last bool) []byte {
	return append(appendBlockHeader(nil, 0, n, last), make([]byte, n)...)
}

func appendBlockHeader(b []byte, typ, size int, last bool) []byte {
	bh := uint32(typ)<<1 | uint32(size)<<3
	if last {
		bh |= 1
	}
	return append(b, byte(bh), byte(bh>>8), byte(bh>>16))
}
