// Package compress provides the optional zstd framing of libpeat messages,
// with a hard ceiling on decompressed size so that a decompression bomb is
// refused instead of exhausting memory.
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

// MaxFrameInput bounds the compressed input accepted at all.
const MaxFrameInput = 64 << 20

// MaxDecompressedCap is the largest ceiling a caller may ask for; larger
// requests (up to UINT64_MAX from C) are clamped to it.
const MaxDecompressedCap = 1 << 30

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

// Compress wraps data in one zstd frame (with a content checksum).
func Compress(data []byte) ([]byte, error) {
	if len(data) > MaxFrameInput {
		return nil, status.Errorf(status.TooLarge, "input is %d bytes, over the %d-byte limit", len(data), MaxFrameInput)
	}
	return encoder().EncodeAll(data, make([]byte, 0, len(data)/2+64)), nil
}

// Decompress unwraps a zstd frame, refusing output larger than max bytes
// (max 0 selects DefaultMaxDecompressed). The limit is enforced while
// streaming, so the declared frame size is never trusted.
func Decompress(data []byte, max uint64) ([]byte, error) {
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
	dec, err := zstd.NewReader(bytes.NewReader(data),
		zstd.WithDecoderConcurrency(1),
		zstd.WithDecoderMaxMemory(max+1<<20),
		zstd.WithDecoderMaxWindow(min(max+1<<20, zstd.MaxWindowSize)))
	if err != nil {
		return nil, status.Errorf(status.Decompress, "zstd: %v", err)
	}
	defer dec.Close()
	var out bytes.Buffer
	n, err := io.Copy(&out, io.LimitReader(dec, int64(max)+1))
	if err != nil {
		if errors.Is(err, zstd.ErrDecoderSizeExceeded) || errors.Is(err, zstd.ErrWindowSizeExceeded) {
			return nil, status.Errorf(status.Decompress, "decompressed size exceeds the %d-byte limit", max).WithCode("DECOMPRESSED_TOO_LARGE")
		}
		return nil, status.Errorf(status.Decompress, "zstd: %v", err)
	}
	if uint64(n) > max {
		return nil, status.Errorf(status.Decompress, "decompressed size exceeds the %d-byte limit", max).WithCode("DECOMPRESSED_TOO_LARGE")
	}
	return out.Bytes(), nil
}
