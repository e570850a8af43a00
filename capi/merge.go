package main

/*
#include "capi.h"
*/
import "C"

import (
	"github.com/peat-protocol/libpeat/core"
)

//export peat_merge
func peat_merge(typeName *C.peat_cchar, from, to C.int32_t, a *C.peat_cu8, aLen C.size_t,
	b *C.peat_cu8, bLen C.size_t, out *C.peat_buf) C.int32_t {
	return guard(out, func() ([]byte, error) {
		var r args
		name, ab, bb := r.name(typeName, "type_name"), r.bytes(a, aLen, "a"), r.bytes(b, bLen, "b")
		if r.err != nil {
			return nil, r.err
		}
		fromF, toF := r.format(from), r.format(to)
		if r.err != nil {
			return nil, r.err
		}
		return core.Merge(name, fromF, toF, ab, bb)
	})
}

//export peat_merge_batch
func peat_merge_batch(typeName *C.peat_cchar, from, to C.int32_t, msgs *C.peat_cu8ptr, lens *C.peat_csize,
	count C.size_t, out *C.peat_buf) C.int32_t {
	return guard(out, func() ([]byte, error) {
		var r args
		name, batch := r.name(typeName, "type_name"), r.batch(msgs, lens, count)
		if r.err != nil {
			return nil, r.err
		}
		fromF, toF := r.format(from), r.format(to)
		if r.err != nil {
			return nil, r.err
		}
		return core.MergeBatch(name, fromF, toF, batch)
	})
}

//export peat_doc_new
func peat_doc_new(docType *C.peat_cchar, init *C.peat_cu8, initLen C.size_t, out *C.peat_buf) C.int32_t {
	return guard(out, func() ([]byte, error) {
		var r args
		name, b := r.name(docType, "doc_type"), r.bytes(init, initLen, "init")
		if r.err != nil {
			return nil, r.err
		}
		return core.DocNew(name, b)
	})
}

//export peat_doc_apply
func peat_doc_apply(docType *C.peat_cchar, doc *C.peat_cu8, docLen C.size_t, op *C.peat_cu8, opLen C.size_t,
	out *C.peat_buf) C.int32_t {
	return guard(out, func() ([]byte, error) {
		var r args
		name, d, o := r.name(docType, "doc_type"), r.bytes(doc, docLen, "doc"), r.bytes(op, opLen, "op")
		if r.err != nil {
			return nil, r.err
		}
		return core.DocApply(name, d, o)
	})
}

//export peat_doc_merge
func peat_doc_merge(docType *C.peat_cchar, a *C.peat_cu8, aLen C.size_t, b *C.peat_cu8, bLen C.size_t,
	out *C.peat_buf) C.int32_t {
	return guard(out, func() ([]byte, error) {
		var r args
		name, ab, bb := r.name(docType, "doc_type"), r.bytes(a, aLen, "a"), r.bytes(b, bLen, "b")
		if r.err != nil {
			return nil, r.err
		}
		return core.DocMerge(name, ab, bb)
	})
}

//export peat_doc_materialize
func peat_doc_materialize(docType *C.peat_cchar, to C.int32_t, doc *C.peat_cu8, docLen C.size_t,
	out *C.peat_buf) C.int32_t {
	return guard(out, func() ([]byte, error) {
		var r args
		name, d := r.name(docType, "doc_type"), r.bytes(doc, docLen, "doc")
		if r.err != nil {
			return nil, r.err
		}
		toF := r.format(to)
		if r.err != nil {
			return nil, r.err
		}
		return core.DocMaterialize(name, toF, d)
	})
}
