package main

/*
#include <stdlib.h>
*/
import "C"

import "unsafe"

// cAlloc is the compress.Allocator of the exports: malloc'ed memory, so a
// (de)compressed result is written straight into the buffer the caller
// receives, with no Go copy and no second copy into C. Every slice it
// returns has a capacity of at least 1, so its data pointer is the block.
type cAlloc struct{}

func (cAlloc) Alloc(n int) []byte {
	n = max(n, 1)
	p := C.malloc(C.size_t(n))
	if p == nil {
		return nil
	}
	return unsafe.Slice((*byte)(p), n)[:0]
}

func (cAlloc) Realloc(b []byte, n int) []byte {
	n = max(n, 1, len(b))
	p := C.realloc(unsafe.Pointer(unsafe.SliceData(b)), C.size_t(n))
	if p == nil {
		return nil
	}
	return unsafe.Slice((*byte)(p), n)[:len(b)]
}

func (cAlloc) Free(b []byte) { C.free(unsafe.Pointer(unsafe.SliceData(b))) }
