// Command capi is built with -buildmode=c-shared into libpeat.so. It holds the
// cgo exports declared in include/peat.h and nothing else: each export
// translates its C arguments, calls one function of package core inside
// guard (which recovers panics), and translates the result into a
// library-owned peat_buf. No protocol logic lives here. peat_buf_free is in
// buf.c, plain C, so that freeing a buffer does not enter the Go runtime.
package main

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#include "capi.h"
*/
import "C"

import (
	"fmt"
	"runtime/debug"
	"unsafe"

	"github.com/peat-protocol/libpeat/core"
	"github.com/peat-protocol/libpeat/core/codec"
	"github.com/peat-protocol/libpeat/core/status"
)

func main() {}

const (
	// maxInput refuses absurd lengths before a Go slice is made over them.
	maxInput = 1 << 30
	// maxTypeName bounds the scan for a type name's terminating NUL.
	maxTypeName = 512
)

// guard runs fn and writes its result or error into out. It is the only way
// an export returns data, so no export can forget panic recovery.
func guard(out *C.peat_buf, fn func() ([]byte, error)) C.int32_t { return guarded(out, fn, false) }

// guardOwned is guard for a result that fn built in memory from cAlloc: the
// block itself becomes out, without a copy.
func guardOwned(out *C.peat_buf, fn func() ([]byte, error)) C.int32_t { return guarded(out, fn, true) }

func guarded(out *C.peat_buf, fn func() ([]byte, error), owned bool) (rc C.int32_t) {
	if out == nil {
		return C.int32_t(status.InvalidArgument)
	}
	out.data = nil
	out.len = 0
	defer func() {
		if r := recover(); r != nil {
			err := status.Errorf(status.Internal, "internal error (recovered panic): %v", r)
			if debugPanics {
				err.Message += "\n" + string(debug.Stack())
			}
			rc = writeError(out, err)
		}
	}()
	b, err := fn()
	if err != nil {
		return writeError(out, err)
	}
	if owned && cap(b) > 0 { // cAlloc never returns less, so data is the block
		out.data = (*C.uint8_t)(unsafe.Pointer(unsafe.SliceData(b)))
		out.len = C.size_t(len(b))
		return C.int32_t(status.OK)
	}
	writeBytes(out, b)
	return C.int32_t(status.OK)
}

// writeBytes copies b into C memory owned by the caller. data is never NULL
// after a write, even for an empty result, so callers need no special case.
// Only the allocation crosses into C; the copy is done from Go.
func writeBytes(out *C.peat_buf, b []byte) {
	n := len(b)
	p := C.malloc(C.size_t(max(n, 1)))
	if p == nil {
		return
	}
	copy(unsafe.Slice((*byte)(p), n), b)
	out.data = (*C.uint8_t)(p)
	out.len = C.size_t(n)
}

// writeError serialises err as peat.api.v1.Error into out and returns its status.
func writeError(out *C.peat_buf, err error) C.int32_t {
	e := status.From(err)
	b, merr := codec.Encode(status.Proto(e), codec.Binary)
	if merr == nil {
		writeBytes(out, b)
	}
	if e.Status == status.OK { // an error must never read as success
		return C.int32_t(status.Internal)
	}
	return C.int32_t(e.Status)
}

// args reads C arguments and keeps the first error, so that each export
// reads all of its arguments and checks once.
type args struct{ err error }

// format reads a PEAT_FORMAT_* argument, with PEAT_FORMAT_FLAG_STRICT
// (codec.Strict) as the core reads it; the core checks the value where it
// always has.
func (a *args) format(v C.int32_t) codec.Format {
	return codec.Format(v)
}

func (a *args) name(p *C.peat_cchar, what string) string {
	if a.err != nil {
		return ""
	}
	s, err := nameIn(p, what)
	a.err = err
	return s
}

func (a *args) bytes(p *C.peat_cu8, n C.size_t, what string) []byte {
	if a.err != nil {
		return nil
	}
	b, err := bytesIn(p, n, what)
	a.err = err
	return b
}

func (a *args) batch(msgs *C.peat_cu8ptr, lens *C.peat_csize, count C.size_t) [][]byte {
	if a.err != nil {
		return nil
	}
	b, err := batchIn(msgs, lens, count)
	a.err = err
	return b
}

// bytesIn borrows a C input buffer as a Go slice for the duration of the call.
func bytesIn(p *C.peat_cu8, n C.size_t, what string) ([]byte, error) {
	if n == 0 {
		return nil, nil
	}
	if p == nil {
		return nil, status.Errorf(status.InvalidArgument, "%s is NULL but its length is %d", what, uint64(n))
	}
	if uint64(n) > maxInput {
		return nil, status.Errorf(status.TooLarge, "%s is %d bytes, over the %d-byte ABI limit", what, uint64(n), maxInput)
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(p)), int(n)), nil
}

// batchIn borrows count C buffers.
func batchIn(msgs *C.peat_cu8ptr, lens *C.peat_csize, count C.size_t) ([][]byte, error) {
	if count == 0 {
		return nil, nil
	}
	if msgs == nil || lens == nil {
		return nil, status.Errorf(status.InvalidArgument, "msgs or lens is NULL with count %d", uint64(count))
	}
	if uint64(count) > core.MaxBatch { // before the pointer arrays are even read
		return nil, status.Errorf(status.TooLarge, "batch of %d messages is over the %d-message limit", uint64(count), core.MaxBatch).WithCode("BATCH_TOO_LARGE")
	}
	ptrs := unsafe.Slice((**C.uint8_t)(unsafe.Pointer(msgs)), int(count))
	ls := unsafe.Slice((*C.size_t)(unsafe.Pointer(lens)), int(count))
	out := make([][]byte, count)
	for i := range out {
		b, err := bytesIn((*C.peat_cu8)(ptrs[i]), ls[i], fmt.Sprintf("msgs[%d]", i))
		if err != nil {
			return nil, err
		}
		out[i] = b
	}
	return out, nil
}

// nameIn reads a NUL-terminated type name, scanning at most maxTypeName+1
// bytes (never past the terminator, like strnlen, but without a C call).
func nameIn(p *C.peat_cchar, what string) (string, error) {
	if p == nil {
		return "", status.Errorf(status.InvalidArgument, "%s is NULL", what)
	}
	base := unsafe.Pointer(p)
	n := 0
	for n <= maxTypeName && *(*byte)(unsafe.Add(base, n)) != 0 {
		n++
	}
	if n > maxTypeName {
		return "", status.Errorf(status.UnknownType, "%s is longer than %d bytes", what, maxTypeName)
	}
	s := string(unsafe.Slice((*byte)(base), n))
	testHook(s)
	return s, nil
}
