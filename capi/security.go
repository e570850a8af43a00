package main

/*
#include "capi.h"
*/
import "C"

import (
	"github.com/peat-protocol/libpeat/core"
	"github.com/peat-protocol/libpeat/core/status"
)

//export peat_key_generate
func peat_key_generate(out *C.peat_buf) C.int32_t {
	return guard(out, core.KeyGenerate)
}

//export peat_key_inspect
func peat_key_inspect(pem *C.peat_cu8, pemLen C.size_t, out *C.peat_buf) C.int32_t {
	return request(pem, pemLen, out, core.KeyInspect)
}

//export peat_directive_sign
func peat_directive_sign(in *C.peat_cu8, inLen C.size_t, out *C.peat_buf) C.int32_t {
	return request(in, inLen, out, core.DirectiveSign)
}

//export peat_directive_verify
func peat_directive_verify(in *C.peat_cu8, inLen C.size_t, out *C.peat_buf) C.int32_t {
	return request(in, inLen, out, core.DirectiveVerify)
}

//export peat_directive_target_signed
func peat_directive_target_signed(in *C.peat_cu8, inLen C.size_t, out *C.peat_buf) C.int32_t {
	return request(in, inLen, out, core.DirectiveTargetSigned)
}

//export peat_artifact_new
func peat_artifact_new(artifact *C.peat_cu8, artifactLen C.size_t, handle *C.uint64_t, out *C.peat_buf) C.int32_t {
	if handle != nil {
		*handle = 0
	}
	return guard(out, func() ([]byte, error) {
		var a args
		b := a.bytes(artifact, artifactLen, "artifact")
		if a.err != nil {
			return nil, a.err
		}
		if handle == nil {
			return nil, status.Errorf(status.InvalidArgument, "handle is NULL")
		}
		h, err := core.ArtifactNew(b)
		if err != nil {
			return nil, err
		}
		*handle = C.uint64_t(h)
		return nil, nil
	})
}

//export peat_artifact_update
func peat_artifact_update(handle C.uint64_t, chunk *C.peat_cu8, chunkLen C.size_t, out *C.peat_buf) C.int32_t {
	return guard(out, func() ([]byte, error) {
		var a args
		b := a.bytes(chunk, chunkLen, "chunk")
		if a.err != nil {
			return nil, a.err
		}
		return nil, core.ArtifactUpdate(uint64(handle), b)
	})
}

//export peat_artifact_finish
func peat_artifact_finish(handle C.uint64_t, out *C.peat_buf) C.int32_t {
	return guard(out, func() ([]byte, error) { return core.ArtifactFinish(uint64(handle)) })
}

//export peat_artifact_free
func peat_artifact_free(handle C.uint64_t) {
	defer func() { _ = recover() }() // never let a fault cross into C
	core.ArtifactFree(uint64(handle))
}
