package main

/*
#include "capi.h"
*/
import "C"

import (
	"github.com/peat-protocol/libpeat/core"
)

//export peat_validate
func peat_validate(typeName *C.peat_cchar, format C.int32_t, in *C.peat_cu8, inLen C.size_t,
	options *C.peat_cu8, optionsLen C.size_t, out *C.peat_buf) C.int32_t {
	return guard(out, func() ([]byte, error) {
		var a args
		name, b, opts := a.name(typeName, "type_name"), a.bytes(in, inLen, "in"), a.bytes(options, optionsLen, "options")
		if a.err != nil {
			return nil, a.err
		}
		formatF := a.format(format)
		if a.err != nil {
			return nil, a.err
		}
		return core.Validate(name, formatF, b, opts)
	})
}

//export peat_validate_batch
func peat_validate_batch(typeName *C.peat_cchar, format C.int32_t, msgs *C.peat_cu8ptr, lens *C.peat_csize,
	count C.size_t, options *C.peat_cu8, optionsLen C.size_t, out *C.peat_buf) C.int32_t {
	return guard(out, func() ([]byte, error) {
		var a args
		name, batch, opts := a.name(typeName, "type_name"), a.batch(msgs, lens, count), a.bytes(options, optionsLen, "options")
		if a.err != nil {
			return nil, a.err
		}
		formatF := a.format(format)
		if a.err != nil {
			return nil, a.err
		}
		return core.ValidateBatch(name, formatF, batch, opts)
	})
}

//export peat_sanitize
func peat_sanitize(typeName *C.peat_cchar, from, to C.int32_t, in *C.peat_cu8, inLen C.size_t, out *C.peat_buf) C.int32_t {
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
		return core.Sanitize(name, fromF, toF, b)
	})
}
