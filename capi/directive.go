package main

/*
#include "capi.h"
*/
import "C"

import (
	"github.com/peat-protocol/libpeat/core"
)

// request is the shape of the three directive calls: one serialized request in.
func request(in *C.peat_cu8, inLen C.size_t, out *C.peat_buf, op func([]byte) ([]byte, error)) C.int32_t {
	return guard(out, func() ([]byte, error) {
		var a args
		b := a.bytes(in, inLen, "in")
		if a.err != nil {
			return nil, a.err
		}
		return op(b)
	})
}

//export peat_directive_target
func peat_directive_target(in *C.peat_cu8, inLen C.size_t, out *C.peat_buf) C.int32_t {
	return request(in, inLen, out, core.DirectiveTarget)
}

//export peat_directive_advance
func peat_directive_advance(in *C.peat_cu8, inLen C.size_t, out *C.peat_buf) C.int32_t {
	return request(in, inLen, out, core.DirectiveAdvance)
}

//export peat_directive_summarize
func peat_directive_summarize(in *C.peat_cu8, inLen C.size_t, out *C.peat_buf) C.int32_t {
	return request(in, inLen, out, core.DirectiveSummarize)
}
