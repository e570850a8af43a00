package main

/*
#include "capi.h"
*/
import "C"

import (
	"github.com/peat-protocol/libpeat/core"
)

//export peat_convert
func peat_convert(typeName *C.peat_cchar, from, to C.int32_t, in *C.peat_cu8, inLen C.size_t, out *C.peat_buf) C.int32_t {
	return guard(out, func() ([]byte, error) {
		var a args
		name, b := a.name(typeName, "type_name"), a.bytes(in, inLen, "in")
		if a.err != nil {
			return nil, a.err
		}
		fromF, toF := a.format(from), a.format(to)
		if a.err != nil {
			return nil, a.err
		}
		return core.Convert(name, fromF, toF, b)
	})
}

// peat_compress and peat_decompress write their result straight into the
// malloc'ed block that becomes out (cAlloc, guardOwned): the output is never
// held twice.

//export peat_compress
func peat_compress(in *C.peat_cu8, inLen C.size_t, out *C.peat_buf) C.int32_t {
	return guardOwned(out, func() ([]byte, error) {
		var a args
		b := a.bytes(in, inLen, "in")
		if a.err != nil {
			return nil, a.err
		}
		return core.CompressWith(b, cAlloc{})
	})
}

//export peat_decompress
func peat_decompress(in *C.peat_cu8, inLen C.size_t, maxOut C.uint64_t, out *C.peat_buf) C.int32_t {
	return guardOwned(out, func() ([]byte, error) {
		var a args
		b := a.bytes(in, inLen, "in")
		if a.err != nil {
			return nil, a.err
		}
		return decompress(b, uint64(maxOut))
	})
}

// decompress is peat_decompress's work: the result is malloc'ed (release it
// with cAlloc.Free unless it is handed to the caller).
func decompress(in []byte, maxOut uint64) ([]byte, error) {
	return core.DecompressWith(in, maxOut, cAlloc{})
}
