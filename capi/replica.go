package main

/*
#include "capi.h"
*/
import "C"

import (
	"github.com/peat-protocol/libpeat/core"
	"github.com/peat-protocol/libpeat/core/status"
)

// newHandle runs a call that creates a handle: *handle is 0 unless it succeeds.
func newHandle(handle *C.uint64_t, out *C.peat_buf, fn func(r *args) (uint64, error)) C.int32_t {
	if handle != nil {
		*handle = 0
	}
	return guard(out, func() ([]byte, error) {
		var r args
		if handle == nil {
			return nil, status.Errorf(status.InvalidArgument, "handle is NULL")
		}
		h, err := fn(&r)
		if err != nil {
			return nil, err
		}
		*handle = C.uint64_t(h)
		return nil, nil
	})
}

//export peat_replica_new
func peat_replica_new(docType *C.peat_cchar, init *C.peat_cu8, initLen C.size_t, handle *C.uint64_t, out *C.peat_buf) C.int32_t {
	return newHandle(handle, out, func(r *args) (uint64, error) {
		name, b := r.name(docType, "doc_type"), r.bytes(init, initLen, "init")
		if r.err != nil {
			return 0, r.err
		}
		return core.ReplicaNew(name, b)
	})
}

//export peat_replica_open
func peat_replica_open(docType *C.peat_cchar, doc *C.peat_cu8, docLen C.size_t, handle *C.uint64_t, out *C.peat_buf) C.int32_t {
	return newHandle(handle, out, func(r *args) (uint64, error) {
		name, b := r.name(docType, "doc_type"), r.bytes(doc, docLen, "doc")
		if r.err != nil {
			return 0, r.err
		}
		return core.ReplicaOpen(name, b)
	})
}

//export peat_replica_clone
func peat_replica_clone(replica C.uint64_t, handle *C.uint64_t, out *C.peat_buf) C.int32_t {
	return newHandle(handle, out, func(*args) (uint64, error) { return core.ReplicaClone(uint64(replica)) })
}

//export peat_replica_apply
func peat_replica_apply(replica C.uint64_t, op *C.peat_cu8, opLen C.size_t, out *C.peat_buf) C.int32_t {
	return guard(out, func() ([]byte, error) {
		var r args
		b := r.bytes(op, opLen, "op")
		if r.err != nil {
			return nil, r.err
		}
		return core.ReplicaApply(uint64(replica), b)
	})
}

//export peat_replica_merge
func peat_replica_merge(replica C.uint64_t, doc *C.peat_cu8, docLen C.size_t, out *C.peat_buf) C.int32_t {
	return guard(out, func() ([]byte, error) {
		var r args
		b := r.bytes(doc, docLen, "doc")
		if r.err != nil {
			return nil, r.err
		}
		return nil, core.ReplicaMerge(uint64(replica), b)
	})
}

//export peat_replica_merge_replica
func peat_replica_merge_replica(replica, other C.uint64_t, out *C.peat_buf) C.int32_t {
	return guard(out, func() ([]byte, error) { return nil, core.ReplicaMergeReplica(uint64(replica), uint64(other)) })
}

//export peat_replica_materialize
func peat_replica_materialize(replica C.uint64_t, to C.int32_t, out *C.peat_buf) C.int32_t {
	return guard(out, func() ([]byte, error) {
		var r args
		toF := r.format(to)
		if r.err != nil {
			return nil, r.err
		}
		return core.ReplicaMaterialize(uint64(replica), toF)
	})
}

//export peat_replica_encode
func peat_replica_encode(replica C.uint64_t, out *C.peat_buf) C.int32_t {
	return guard(out, func() ([]byte, error) { return core.ReplicaEncode(uint64(replica)) })
}

//export peat_replica_free
func peat_replica_free(replica C.uint64_t) {
	defer func() { _ = recover() }() // never let a fault cross into C
	core.ReplicaFree(uint64(replica))
}
