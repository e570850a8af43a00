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
)

// Version is the library version reported by peat_version().
const Version = "0.1.0"

// ABI version implemented (see PEAT_ABI_MAJOR/MINOR in peat.h).
const (
	ABIMajor = 1
	ABIMinor = 0
)

// ABIVersion returns (major << 16) | minor.
func ABIVersion() uint32 { return ABIMajor<<16 | ABIMinor }

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

// Decompress unwraps a zstd frame, refusing more than max bytes of output (0: default).
func Decompress(in []byte, max uint64) ([]byte, error) { return compress.Decompress(in, max) }
