/* Shared cgo preamble of capi/: peat.h plus const-qualified aliases so that
 * cgo's generated export prototypes match peat.h exactly (cgo cannot spell
 * const itself). Compiling this together with the generated export header is
 * a first drift check; tests/c/header_drift.c is the second. */
#ifndef PEAT_CAPI_H
#define PEAT_CAPI_H
#include <stdlib.h>
#include <string.h>
#include "peat.h"

typedef const char peat_cchar;
typedef const uint8_t peat_cu8;
typedef const uint8_t* const peat_cu8ptr;
typedef const size_t peat_csize;
#endif
