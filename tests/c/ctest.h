/* A minimal test harness for the C ABI tests: CHECK records a failure and
 * goes on; the program exits non-zero if any check failed. */
#ifndef PEAT_CTEST_H
#define PEAT_CTEST_H
#include <stdio.h>
#include <string.h>

static int ctest_failures = 0;
static int ctest_checks = 0;

#define CHECK(cond)                                                          \
  do {                                                                       \
    ctest_checks++;                                                          \
    if (!(cond)) {                                                           \
      ctest_failures++;                                                      \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                        \
  } while (0)

#define CHECK_STATUS(got, want)                                                      \
  do {                                                                               \
    int32_t g_ = (got), w_ = (want);                                                 \
    ctest_checks++;                                                                  \
    if (g_ != w_) {                                                                  \
      ctest_failures++;                                                              \
      fprintf(stderr, "%s:%d: status %s (%d), want %s (%d)\n", __FILE__, __LINE__, \
              peat_status_name(g_), g_, peat_status_name(w_), w_);                   \
    }                                                                                \
  } while (0)

static inline int ctest_finish(const char* name) {
  printf("%s: %d passed, %d failed\n", name, ctest_checks - ctest_failures, ctest_failures);
  return ctest_failures == 0 ? 0 : 1;
}

/* Reads a whole file into a malloc'ed buffer; returns NULL on failure. */
static inline unsigned char* ctest_read_file(const char* path, size_t* len) {
  FILE* f = fopen(path, "rb");
  unsigned char* buf;
  long n;
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  n = ftell(f);
  fseek(f, 0, SEEK_SET);
  buf = (unsigned char*)malloc(n > 0 ? (size_t)n : 1);
  if (buf && n > 0 && fread(buf, 1, (size_t)n, f) != (size_t)n) {
    free(buf);
    buf = NULL;
  }
  fclose(f);
  *len = (size_t)n;
  return buf;
}
#endif
