package main

/*
#include "capi.h"
*/
import "C"

import (
	"github.com/peat-protocol/libpeat/core"
	"github.com/peat-protocol/libpeat/core/status"
)

// Static C strings, allocated once and never freed (peat.h: "never free it").
var (
	versionC    = C.CString(core.Version)
	unknownName = C.CString(status.Status(-1).Name())
	statusNames = func() map[status.Status]*C.char {
		m := map[status.Status]*C.char{}
		for _, s := range status.All() {
			m[s] = C.CString(s.Name())
		}
		return m
	}()
)

//export peat_abi_version
func peat_abi_version() C.uint32_t { return C.uint32_t(core.ABIVersion()) }

//export peat_version
func peat_version() *C.peat_cchar { return (*C.peat_cchar)(versionC) }

//export peat_status_name
func peat_status_name(s C.int32_t) *C.peat_cchar {
	if p, ok := statusNames[status.Status(s)]; ok {
		return (*C.peat_cchar)(p)
	}
	return (*C.peat_cchar)(unknownName)
}

//export peat_types
func peat_types(out *C.peat_buf) C.int32_t {
	return guard(out, core.Types)
}
