// LeakSanitizer and libpeat's static strings.
//
// peat_version() and peat_status_name() return C strings that libpeat
// allocates once when it loads and never frees (peat.h: "static storage").
// Their only references live in Go's heap, which LeakSanitizer does not
// scan, so it would report them as leaks at exit. We mark exactly those
// allocations as ignored instead of disabling leak detection, so that a
// buffer the wrapper forgot to free is still reported.
#ifndef PEAT_TESTS_LSAN_STATIC_HPP
#define PEAT_TESTS_LSAN_STATIC_HPP

#include <cstdint>

#include "peat.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#endif

inline bool peat_test_ignore_static_strings() {
#if defined(__SANITIZE_ADDRESS__)
  __lsan_ignore_object(peat_version());
  for (int32_t s = -1; s <= 128; s++) __lsan_ignore_object(peat_status_name(s));
#endif
  return true;
}

#endif
