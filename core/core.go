// Package core is libpeat's operation layer: one byte-level function for
// each C entry point in include/peat.h. capi/ translates C arguments and
// calls exactly one of these; the bindings reach them only through the C ABI.
// Logic lives in the subpackages (codec, validate, merge, crdt, directive).
//
// The functions are grouped by area: this file holds the registry, encoding
// and compression calls; validate.go, merge.go and directive.go the others.
package core

import (
	"github.com/peat-protocol/libpeat/core/codec"
	"github.com/peat-protocol/libpeat/core/compress"
	apiv1 "github.com/peat-protocol/libpeat/core/pb/peat/api/v1"
	"github.com/peat-protocol/libpeat/core/registry"
	"github.com/peat-protocol/libpeat/core/status"
)

// Version is the library version reported by peat_version().
const Version = "0.1.0"

// ABI version implemented (see PEAT_ABI_MAJOR/MINOR in peat.h).
const (
	ABIMajor = 1
	ABIMinor = 2
)

// ABIVersion returns (major << 16) | minor.
func ABIVersion() uint32 { return ABIMajor<<16 | ABIMinor }

// Limits of the batch calls (peat_validate_batch, peat_merge_batch), all
// checked before any message is decoded except the output ceiling, which is
// checked as the output is built so that no more than it is ever held.
const (
	// MaxBatch is the most messages one batch call takes. A batch amortises
	// the per-call cost (about a microsecond), which is negligible long
	// before 65,536 messages; and 65,536 reports of messages that each break
	// a handful of rules (~1 KiB) stay within MaxBatchOutput.
	MaxBatch = 1 << 16
	// MaxBatchInput bounds the total size of a batch's messages. It is the
	// limit of the largest single (peat.*) message, 64 MiB: a batch holds no
	// more than one message can, and merge decodes all of it at once.
	MaxBatchInput = registry.DefaultProjectLimit
	// MaxBatchOutput bounds the output a batch call builds (a
	// BatchValidationReport, a merged message): 64 MiB, the limit libpeat
	// applies to a peat.* message, so the output can be read back by it.
	MaxBatchOutput = registry.DefaultProjectLimit
)

// checkBatch refuses a batch over MaxBatch messages or MaxBatchInput bytes
// (PEAT_E_TOO_LARGE, codes BATCH_TOO_LARGE and BATCH_INPUT_TOO_LARGE).
func checkBatch(msgs [][]byte) error {
	if len(msgs) > MaxBatch {
		return status.Errorf(status.TooLarge, "batch of %d messages is over the %d-message limit", len(msgs), MaxBatch).WithCode("BATCH_TOO_LARGE")
	}
	total := 0
	for _, m := range msgs {
		total += len(m)
		if total > MaxBatchInput {
			return status.Errorf(status.TooLarge, "batch messages total over %d bytes (the limit)", MaxBatchInput).WithCode("BATCH_INPUT_TOO_LARGE")
		}
	}
	return nil
}

// batchOutputLimit is MaxBatchOutput (a variable so that tests can lower it).
var batchOutputLimit = MaxBatchOutput

// outputTooLarge is the error of a batch call whose output would pass the limit.
func outputTooLarge(what string) error {
	return status.Errorf(status.TooLarge, "the %s would be over the %d-byte output limit; split the batch", what, batchOutputLimit).WithCode("OUTPUT_TOO_LARGE")
}

// Types returns a serialized peat.api.v1.TypeList of every registered type.
func Types() ([]byte, error) {
	return codec.Encode(&apiv1.TypeList{Types: registry.Names()}, codec.Binary)
}

// Convert re-encodes one message of typeName from one format to another.
func Convert(typeName string, from, to codec.Format, in []byte) ([]byte, error) {
	return codec.Convert(typeName, from, to, in)
}

// Compress wraps in in a zstd frame.
func Compress(in []byte) ([]byte, error) { return compress.Compress(in) }

// CompressWith is Compress writing its result into memory from a (capi: malloc).
func CompressWith(in []byte, a compress.Allocator) ([]byte, error) {
	return compress.CompressWith(in, a)
}

// Decompress unwraps zstd frames, refusing more than max bytes of output (0: default).
func Decompress(in []byte, max uint64) ([]byte, error) { return compress.Decompress(in, max) }

// DecompressWith is Decompress writing its result into memory from a (capi: malloc).
func DecompressWith(in []byte, max uint64, a compress.Allocator) ([]byte, error) {
	return compress.DecompressWith(in, max, a)
}
