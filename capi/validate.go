package main

/*
#include "capi.h"
*/
import "C"

import (
	"github.com/peat-protocol/libpeat/core"
	"github.com/peat-protocol/libpeat/core/codec"
)

//export peat_validate
func peat_validate(typeName *C.peat_cchar, format C.int32_t, in *C.peat_cu8, inLen C.size_t,
	options *C.peat_cu8, optionsLen C.size_t, out *C.peat_buf) C.int32_t {
	return guard(out, func() ([]byte, error) {
		name, err := nameIn(typeName, "type_name")
		if err != nil {
			return nil, err
		}
		b, err := bytesIn(in, inLen, "in")
		if err != nil {
			return nil, err
		}
		opts, err := bytesIn(options, optionsLen, "options")
		if err != nil {
			return nil, err
		}
		return core.Validate(name, codec.Format(format), b, opts)
	})
}

//export peat_validate_batch
func peat_validate_batch(typeName *C.peat_cchar, format C.int32_t, msgs *C.peat_cu8ptr, lens *C.peat_csize,
	count C.size_t, options *C.peat_cu8, optionsLen C.size_t, out *C.peat_buf) C.int32_t {
	return guard(out, func() ([]byte, error) {
		name, err := nameIn(typeName, "type_name")
		if err != nil {
			return nil, err
		}
		batch, err := batchIn(msgs, lens, count)
		if err != nil {
			return nil, err
		}
		opts, err := bytesIn(options, optionsLen, "options")
		if err != nil {
			return nil, err
		}
		return core.ValidateBatch(name, codec.Format(format), batch, opts)
	})
}

//export peat_sanitize
func peat_sanitize(typeName *C.peat_cchar, from, to C.int32_t, in *C.peat_cu8, inLen C.size_t, out *C.peat_buf) C.int32_t {
	return guard(out, func() ([]byte, error) {
		name, err := nameIn(typeName, "type_name")
		if err != nil {
			return nil, err
		}
		b, err := bytesIn(in, inLen, "in")
		if err != nil {
			return nil, err
		}
		return core.Sanitize(name, codec.Format(from), codec.Format(to), b)
	})
}
