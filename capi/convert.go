package main

/*
#include "capi.h"
*/
import "C"

import (
	"github.com/peat-protocol/libpeat/core"
	"github.com/peat-protocol/libpeat/core/codec"
)

//export peat_convert
func peat_convert(typeName *C.peat_cchar, from, to C.int32_t, in *C.peat_cu8, inLen C.size_t, out *C.peat_buf) C.int32_t {
	return guard(out, func() ([]byte, error) {
		name, err := nameIn(typeName, "type_name")
		if err != nil {
			return nil, err
		}
		b, err := bytesIn(in, inLen, "in")
		if err != nil {
			return nil, err
		}
		return core.Convert(name, codec.Format(from), codec.Format(to), b)
	})
}

//export peat_compress
func peat_compress(in *C.peat_cu8, inLen C.size_t, out *C.peat_buf) C.int32_t {
	return guard(out, func() ([]byte, error) {
		b, err := bytesIn(in, inLen, "in")
		if err != nil {
			return nil, err
		}
		return core.Compress(b)
	})
}

//export peat_decompress
func peat_decompress(in *C.peat_cu8, inLen C.size_t, maxOut C.uint64_t, out *C.peat_buf) C.int32_t {
	return guard(out, func() ([]byte, error) {
		b, err := bytesIn(in, inLen, "in")
		if err != nil {
			return nil, err
		}
		return core.Decompress(b, uint64(maxOut))
	})
}
