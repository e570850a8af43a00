// Package compress provides the optional zstd framing of libpeat messages,
// with a hard ceiling on decompressed size so that a decompression bomb is
// refused instead of exhausting memory.
//
// Memory. Decompression holds the output and a constant, never more: the
// frames are first walked (frame and block headers only, no decoding), which
// checks their structure and finds what they declare and the most their
// blocks can produce; sizes over the ceiling are refused there. Then one
// output buffer is allocated for that bound (at most the ceiling plus one
// block) and the frames are decoded straight into it; the decoder uses the
// output as its history, so it keeps no window buffer of its own. Pages the
// decoder never writes are never touched, and the unused tail is released
// at the end. The buffer comes from an Allocator, so the C ABI decodes into
// the malloc'ed block it hands to the caller instead of copying a Go buffer.
// The one exception, a frame without a declared size whose window is larger
// than what is left of the ceiling, is streamed with a window of at most
// streamWindow (8 MiB).
package compress

import (
	"bytes"
	"errors"
	"io"
	"sync"

	"github.com/klauspost/compress/zstd"

	"github.com/peat-protocol/libpeat/core/status"
)

// DefaultMaxDecompressed is the decompressed-size ceiling used when the caller gives 0.
const DefaultMaxDecompressed = 64 << 20

// MaxFrameInput bounds the input of Compress and the compressed input of
// Decompress.
const MaxFrameInput = 64 << 20

// MaxDecompressedCap is the largest ceiling a caller may ask for; larger
// requests (up to UINT64_MAX from C) are clamped to it.
const MaxDecompressedCap = 1 << 30

// Error codes (status.Decompress) beyond the status's own DECOMPRESS_ERROR,
// which is kept for input that is not zstd at all (empty, wrong magic number).
const (
	// CodeTooLarge: the content is larger than the ceiling (declared by the
	// frame, or found while decoding).
	CodeTooLarge = "DECOMPRESSED_TOO_LARGE"
	// CodeWindowTooLarge: a frame that does not declare its content size
	// asks for a window (history) larger than the ceiling allows.
	CodeWindowTooLarge = "WINDOW_TOO_LARGE"
	// CodeCorrupt: the input starts as zstd but a frame is malformed:
	// truncated, a reserved bit or block type, a block over the frame's
	// maximum block size, a content size that its blocks contradict, bad
	// compressed data, or a checksum mismatch.
	CodeCorrupt = "CORRUPT_FRAME"
	// CodeDictionary: the frame needs a dictionary; libpeat uses none.
	CodeDictionary = "DICTIONARY_NOT_SUPPORTED"
)

// Allocator provides the memory that Compress and Decompress write their
// output into. The default allocates Go slices; capi uses malloc/realloc so
// that the result is already the C caller's buffer.
type Allocator interface {
	// Alloc returns an empty slice with capacity at least n, or nil when
	// memory is exhausted.
	Alloc(n int) []byte
	// Realloc returns a slice with capacity at least n holding b's contents
	// (same length), and releases b; or nil, leaving b untouched.
	Realloc(b []byte, n int) []byte
	// Free releases a slice returned by Alloc or Realloc.
	Free(b []byte)
}

// GoAllocator allocates ordinary Go memory (Free is a no-op).
type GoAllocator struct{}

// Alloc implements Allocator.
func (GoAllocator) Alloc(n int) []byte { return make([]byte, 0, n) }

// Realloc implements Allocator.
func (GoAllocator) Realloc(b []byte, n int) []byte {
	nb := make([]byte, len(b), max(n, len(b)))
	copy(nb, b)
	return nb
}

// Free implements Allocator.
func (GoAllocator) Free([]byte) {}

var (
	encOnce sync.Once
	enc     *zstd.Encoder
)

func encoder() *zstd.Encoder {
	encOnce.Do(func() {
		// EncodeAll on a shared encoder is safe for concurrent use.
		enc, _ = zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedDefault), zstd.WithEncoderConcurrency(1))
	})
	return enc
}

// Compress wraps data in one zstd frame (with its content size and a
// content checksum).
func Compress(data []byte) ([]byte, error) { return CompressWith(data, GoAllocator{}) }

// CompressWith is Compress writing into memory from a: one buffer of the
// worst-case frame size (the input plus zstd's overhead: header, 3 bytes
// per 128 KiB block, checksum), trimmed to the frame afterwards.
func CompressWith(data []byte, a Allocator) ([]byte, error) {
	if len(data) > MaxFrameInput {
		return nil, status.Errorf(status.TooLarge, "input is %d bytes, over the %d-byte limit", len(data), MaxFrameInput)
	}
	e := encoder()
	size := e.MaxEncodedSize(len(data))
	buf := a.Alloc(size)
	if buf == nil {
		return nil, outOfMemory(size)
	}
	out := e.EncodeAll(data, buf)
	if !sameBuffer(out, buf) { // cannot happen: the buffer has the worst-case size
		a.Free(buf)
		return adopt(out, a)
	}
	return trim(out, a), nil
}

// Decompress unwraps zstd frames, refusing output larger than max bytes
// (max 0 selects DefaultMaxDecompressed; values over MaxDecompressedCap are
// clamped to it). Declared sizes are checked before any decoding and the
// limit is enforced again while decoding, so a lying header cannot get past
// it. The result is Go memory.
func Decompress(data []byte, max uint64) ([]byte, error) {
	return DecompressWith(data, max, GoAllocator{})
}

// DecompressWith is Decompress writing into memory from a. On success the
// caller owns the result (release it with a.Free); on failure nothing is
// left allocated.
func DecompressWith(data []byte, max uint64, a Allocator) ([]byte, error) {
	if max == 0 {
		max = DefaultMaxDecompressed
	}
	if max > MaxDecompressedCap {
		max = MaxDecompressedCap
	}
	if len(data) == 0 {
		return nil, status.Errorf(status.Decompress, "empty input is not a zstd frame")
	}
	if len(data) > MaxFrameInput {
		return nil, status.Errorf(status.TooLarge, "compressed input is %d bytes, over the %d-byte limit", len(data), MaxFrameInput)
	}
	sum, err := survey(data, max)
	if err != nil {
		return nil, err
	}
	d := &decompressor{data: data, max: max, alloc: a, upper: min(sum.upper, max)}
	out, err := d.run()
	if err != nil {
		if d.buf != nil {
			a.Free(d.buf)
		}
		return nil, err
	}
	return out, nil
}

// blockSlack is room kept free after the output limit: the decoder checks
// its limits after each block, and a block produces at most 128 KiB (plus
// a few bytes it may write past the end), so it never has to reallocate.
const blockSlack = maxBlockSize + 64

const (
	maxBlockSize  = 128 << 10 // zstd's Block_Maximum_Size ceiling
	minWindowSize = 1 << 10
)

// frameInfo is what the walk learns about one frame without decoding it.
type frameInfo struct {
	index  int    // position among the data frames (0-based)
	data   []byte // the whole frame, header to checksum
	hasFCS bool   // Frame_Content_Size is declared
	fcs    uint64
	window uint64 // the window as the decoder sees it
	lower  uint64 // bytes the raw and RLE blocks produce (exact)
	upper  uint64 // the most the blocks can produce
}

// summary aggregates the frames of an input.
type summary struct {
	frames int
	lower  uint64 // the least the input can produce (saturating)
	upper  uint64 // the most the input can produce (saturating)
}

// survey walks every frame once, checking structure and declared sizes
// before any memory is committed to the output.
func survey(data []byte, max uint64) (summary, error) {
	var s summary
	err := walk(data, func(f *frameInfo) error {
		s.frames++
		if f.hasFCS {
			s.lower = addSat(s.lower, f.fcs)
			s.upper = addSat(s.upper, f.fcs)
		} else {
			s.lower = addSat(s.lower, f.lower)
			s.upper = addSat(s.upper, f.upper)
		}
		if s.lower > max {
			if f.hasFCS && s.frames == 1 {
				return status.Errorf(status.Decompress, "the frame declares %d bytes of content, over the %d-byte limit", f.fcs, max).WithCode(CodeTooLarge)
			}
			return status.Errorf(status.Decompress, "the frames hold at least %d bytes of content, over the %d-byte limit", s.lower, max).WithCode(CodeTooLarge)
		}
		if needsWindow(f, max) {
			return windowTooLarge(f, max)
		}
		return nil
	})
	return s, err
}

// walk calls visit for each data frame of data, in order, after checking
// its header and block structure (skippable frames are skipped).
func walk(data []byte, visit func(*frameInfo) error) error {
	index := 0
	for pos := 0; pos < len(data); {
		var h zstd.Header
		rest, err := h.DecodeAndStrip(data[pos:])
		if err != nil {
			return headerError(err, data, pos, index)
		}
		if h.Skippable {
			end := uint64(pos) + uint64(h.HeaderSize) + uint64(h.SkippableSize)
			if end > uint64(len(data)) {
				return corrupt("skippable frame at byte %d is truncated", pos)
			}
			pos = int(end)
			continue
		}
		if h.DictionaryID != 0 {
			return status.Errorf(status.Decompress, "frame %d needs dictionary %d; libpeat uses no dictionaries", index, h.DictionaryID).WithCode(CodeDictionary)
		}
		f := &frameInfo{index: index, hasFCS: h.HasFCS, fcs: h.FrameContentSize, window: h.WindowSize}
		if h.SingleSegment { // the window is the content (the decoder keeps at least 1 KiB)
			f.window = max(h.FrameContentSize, minWindowSize)
		}
		blockMax := min(f.window, maxBlockSize)
		n := len(data[pos:]) - len(rest) // header size
		for last := false; !last; {
			if len(rest) < 3 {
				return corrupt("frame %d is truncated (a block header is missing)", index)
			}
			bh := uint32(rest[0]) | uint32(rest[1])<<8 | uint32(rest[2])<<16
			last = bh&1 != 0
			size := uint64(bh >> 3)
			var body uint64
			switch (bh >> 1) & 3 {
			case 0: // raw
				body = size
				f.lower += size
				f.upper += size
			case 1: // RLE: one byte repeated size times
				body = 1
				f.lower += size
				f.upper += size
			case 2: // compressed: size is the compressed size
				body = size
				f.upper += blockMax
			default:
				return corrupt("frame %d has a block of the reserved type", index)
			}
			if size > blockMax {
				return corrupt("frame %d has a %d-byte block, over its %d-byte maximum block size", index, size, blockMax)
			}
			if uint64(len(rest)-3) < body {
				return corrupt("frame %d is truncated (a block is cut short)", index)
			}
			rest = rest[3+body:]
			n += 3 + int(body)
		}
		if h.HasCheckSum {
			if len(rest) < 4 {
				return corrupt("frame %d is truncated (its checksum is missing)", index)
			}
			n += 4
		}
		if f.hasFCS && (f.lower > f.fcs || f.upper < f.fcs) {
			return corrupt("frame %d declares %d bytes of content but its blocks hold between %d and %d", index, f.fcs, f.lower, f.upper)
		}
		f.data = data[pos : pos+n]
		if err := visit(f); err != nil {
			return err
		}
		pos += n
		index++
	}
	return nil
}

// headerError describes a frame header that cannot be read: at the start,
// the input is not zstd at all; later, it is corrupt.
func headerError(err error, data []byte, pos, index int) error {
	if pos == 0 {
		if errors.Is(err, zstd.ErrMagicMismatch) || (errors.Is(err, io.ErrUnexpectedEOF) && len(data) < 4) {
			return status.Errorf(status.Decompress, "input is not a zstd frame (no zstd magic number)")
		}
	}
	if errors.Is(err, zstd.ErrMagicMismatch) {
		return corrupt("the last %d bytes (from byte %d, after %d frames) are not a zstd frame", len(data)-pos, pos, index)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return corrupt("frame header at byte %d is truncated", pos)
	}
	return corrupt("frame header at byte %d: %v", pos, err)
}

// decompressor decodes the frames of one input into one buffer.
type decompressor struct {
	data  []byte
	max   uint64
	alloc Allocator
	upper uint64 // the most the input can produce, at most max
	buf   []byte // the output; its capacity is the limit plus blockSlack
	dec   *zstd.Decoder
	win   uint64 // the decoder's current options
	mem   uint64
}

// grow makes the buffer's limit at least n bytes (never past d.upper).
func (d *decompressor) grow(n uint64) error {
	n = min(n, d.upper)
	if d.buf != nil && uint64(cap(d.buf)-blockSlack) >= n {
		return nil
	}
	size := int(n) + blockSlack
	var nb []byte
	if d.buf == nil {
		nb = d.alloc.Alloc(size)
	} else {
		nb = d.alloc.Realloc(d.buf, size)
	}
	if nb == nil {
		return outOfMemory(size)
	}
	d.buf = nb
	return nil
}

func (d *decompressor) run() ([]byte, error) {
	// One buffer for everything the frames can produce within the limit:
	// their declared sizes, or what their blocks can hold. Pages the
	// decoder does not write are never touched, so a generous bound costs
	// address space, not memory; the unused tail is released at the end.
	if err := d.grow(d.upper); err != nil {
		return nil, err
	}
	dec, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true))
	if err != nil {
		return nil, status.Errorf(status.Internal, "zstd: %v", err)
	}
	d.dec = dec
	defer dec.Close()
	if err := walk(d.data, d.frame); err != nil {
		return nil, err
	}
	return trim(d.buf, d.alloc), nil
}

// trim moves a result whose buffer has over 1 MiB (and over a quarter of
// its length) unused to a buffer of its size; it keeps b if that fails.
func trim(b []byte, a Allocator) []byte {
	if n := len(b); cap(b)-n > 1<<20 && cap(b)-n > n/4 {
		if nb := a.Realloc(b, max(n, 1)); nb != nil {
			return nb
		}
	}
	return b
}

// streamWindow is the largest window decoded by streaming when the frame's
// content size is unknown and its window is larger than what is left of the
// ceiling: the decoder then keeps a window of history besides the output,
// so this bounds the extra memory. 8 MiB is the window every zstd decoder
// is expected to support, and what the encoders use up to level 19.
const streamWindow = 8 << 20

// needsWindow reports whether a frame without a declared content size
// cannot be decoded within budget: its blocks could produce more than
// budget (otherwise they bound it whatever the window), and its window is
// larger than both budget and streamWindow.
func needsWindow(f *frameInfo, budget uint64) bool {
	return !f.hasFCS && f.upper > budget && f.window > max(budget, streamWindow)
}

// frame decodes one frame, appending to d.buf, which serves as the
// decoder's history. A frame that cannot pass the ceiling (its declared size
// or what its blocks can hold fits in what is left) gets room for all of
// it, and the decoder's own limit only has to admit its window. A frame
// without a declared size whose blocks could pass the ceiling is decoded
// with the decoder limited to what is left — or, when its window is larger
// than that, streamed with a separate window of at most streamWindow.
func (d *decompressor) frame(f *frameInfo) error {
	n := uint64(len(d.buf))
	budget := d.max - n
	bound := f.upper // the most the frame can produce
	if f.hasFCS {
		bound = f.fcs
	}
	var limit uint64 // the decoder's output limit for the frame
	switch {
	case bound <= budget:
		if err := d.grow(n + bound); err != nil {
			return err
		}
		// The same for every frame of a window: the decoder is not
		// reconfigured between many small frames.
		limit = max(d.max, f.window)
	case f.hasFCS: // only reachable with several frames
		return status.Errorf(status.Decompress, "frame %d declares %d bytes of content, over what is left of the %d-byte limit", f.index, f.fcs, d.max).WithCode(CodeTooLarge)
	case needsWindow(f, budget):
		return windowTooLarge(f, budget)
	case f.window > budget:
		return d.stream(f)
	default:
		if err := d.grow(n + budget); err != nil {
			return err
		}
		limit = budget
	}
	if err := d.configure(f.window, max(limit, minWindowSize)); err != nil {
		return err
	}
	out, err := d.dec.DecodeAll(f.data, d.buf)
	if err != nil {
		d.buf = d.buf[:n]
		if errors.Is(err, zstd.ErrDecoderSizeExceeded) && limit == budget {
			return status.Errorf(status.Decompress, "decompressed size exceeds the %d-byte limit", d.max).WithCode(CodeTooLarge)
		}
		return decodeError(f, err)
	}
	if !sameBuffer(out, d.buf) { // cannot happen: blockSlack covers a block
		if err := d.grow(uint64(len(out))); err != nil {
			return err
		}
		out = append(d.buf[:n], out[n:]...)
	}
	d.buf = out
	if uint64(len(d.buf)) > d.max { // cannot happen: the limits above hold it
		return status.Errorf(status.Decompress, "decompressed size exceeds the %d-byte limit", d.max).WithCode(CodeTooLarge)
	}
	return nil
}

// stream decodes a frame through a streaming decoder, which keeps its own
// window (at most streamWindow), into the buffer until the frame ends or
// the output passes the ceiling.
func (d *decompressor) stream(f *frameInfo) error {
	n := uint64(len(d.buf))
	budget := d.max - n
	if err := d.grow(n + budget); err != nil { // f.upper > budget: all of it may be needed
		return err
	}
	sd, err := zstd.NewReader(bytes.NewReader(f.data), zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true),
		zstd.WithDecoderMaxWindow(f.window), zstd.WithDecoderMaxMemory(max(f.window, budget+1)))
	if err != nil {
		return status.Errorf(status.Internal, "zstd: %v", err)
	}
	defer sd.Close()
	for {
		if uint64(len(d.buf))-n > budget {
			d.buf = d.buf[:n]
			return status.Errorf(status.Decompress, "decompressed size exceeds the %d-byte limit", d.max).WithCode(CodeTooLarge)
		}
		// The buffer has room for budget+1 bytes: read one past the
		// limit to learn whether the frame goes beyond it.
		end := min(cap(d.buf), int(n+budget+1))
		k, err := sd.Read(d.buf[len(d.buf):end])
		d.buf = d.buf[:len(d.buf)+k]
		if err == io.EOF {
			if uint64(len(d.buf))-n > budget {
				continue
			}
			return nil
		}
		if err != nil {
			d.buf = d.buf[:n]
			return decodeError(f, err)
		}
	}
}

// configure sets the decoder's window and output limits when they change.
func (d *decompressor) configure(win, mem uint64) error {
	if win == d.win && mem == d.mem {
		return nil
	}
	if err := d.dec.ResetWithOptions(nil, zstd.WithDecoderMaxWindow(win), zstd.WithDecoderMaxMemory(mem)); err != nil {
		return status.Errorf(status.Internal, "zstd options: %v", err)
	}
	d.win, d.mem = win, mem
	return nil
}

func decodeError(f *frameInfo, err error) error {
	switch {
	case errors.Is(err, zstd.ErrCRCMismatch):
		return corrupt("frame %d: content checksum mismatch", f.index)
	case errors.Is(err, zstd.ErrFrameSizeExceeded), errors.Is(err, zstd.ErrFrameSizeMismatch):
		return corrupt("frame %d: content does not match its declared size of %d bytes", f.index, f.fcs)
	}
	return corrupt("frame %d: %v", f.index, err)
}

func corrupt(format string, args ...any) error {
	return status.Errorf(status.Decompress, "corrupt zstd frame: "+format, args...).WithCode(CodeCorrupt)
}

func windowTooLarge(f *frameInfo, limit uint64) error {
	return status.Errorf(status.Decompress,
		"frame %d does not declare its content size and needs a %d-byte window, over the %d bytes the limit allows (pass a larger max_out, up to %d)",
		f.index, f.window, limit, uint64(MaxDecompressedCap)).WithCode(CodeWindowTooLarge)
}

func outOfMemory(n int) error {
	return status.Errorf(status.Internal, "cannot allocate %d bytes for the output", n).WithCode("OUT_OF_MEMORY")
}

// sameBuffer reports whether out still lives in buf's memory (the encoder
// or decoder did not have to reallocate).
func sameBuffer(out, buf []byte) bool {
	return cap(out) == cap(buf) && (cap(buf) == 0 || &out[:1][0] == &buf[:1][0])
}

// adopt copies a Go slice into memory from a.
func adopt(b []byte, a Allocator) ([]byte, error) {
	nb := a.Alloc(len(b))
	if nb == nil {
		return nil, outOfMemory(len(b))
	}
	return append(nb, b...), nil
}

func addSat(a, b uint64) uint64 {
	if a+b < a {
		return ^uint64(0)
	}
	return a + b
}
