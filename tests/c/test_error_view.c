/* peat_error_view: the error of a failed call read from plain C, and the
 * accessor's safety on any bytes (empty, NULL, every truncation of a real
 * error, wrong wire types, overlong varints, lengths past the end, unknown
 * fields, random bytes). Each hostile input is copied into a block of its
 * exact size, so valgrind reports any read past its end. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ctest.h"
#include "peat.h"

static int eq(const char* s, size_t n, const char* want) { return n == strlen(want) && memcmp(s, want, n) == 0; }

/* peat_error_view on a copy of bytes[0..n) in a block of exactly n bytes;
 * want_code and want_path (when not NULL) are checked before the block is
 * freed (the views point into it). */
static int32_t view_copy(const uint8_t* bytes, size_t n, peat_error_info* e, const char* want_code,
                         const char* want_path) {
  peat_buf b;
  int32_t st;
  b.data = (uint8_t*)malloc(n ? n : 1);
  b.len = n;
  if (n) memcpy(b.data, bytes, n);
  st = peat_error_view(&b, e);
  /* Whatever it returns, every view is printable and inside the block. */
  CHECK(e->code != NULL && e->message != NULL && e->path != NULL);
  if (st == PEAT_OK) {
    CHECK((const uint8_t*)e->code >= b.data && (const uint8_t*)e->code + e->code_len <= b.data + n);
    CHECK(e->message_len == 0 || ((const uint8_t*)e->message >= b.data && (const uint8_t*)e->message + e->message_len <= b.data + n));
    CHECK(e->path_len == 0 || ((const uint8_t*)e->path >= b.data && (const uint8_t*)e->path + e->path_len <= b.data + n));
    if (want_code) CHECK(eq(e->code, e->code_len, want_code));
    if (want_path) CHECK(eq(e->path, e->path_len, want_path));
  } else {
    CHECK(e->status == 0 && e->code_len == 0 && e->message_len == 0 && e->path_len == 0);
  }
  free(b.data);
  e->code = e->message = e->path = NULL; /* they pointed into the freed block */
  return st;
}

int main(void) {
  peat_buf out = {NULL, 0};
  peat_error_info e;
  size_t i, k;
  char line[512];
  /* A real error with a path: a NodeConfig whose capability has a bad confidence type. */
  const char* bad = "{\"id\":\"n\",\"capabilities\":[{\"id\":\"c\",\"confidence\":\"high\"}]}";
  int32_t st = peat_convert("cap.node.v1.NodeConfig", PEAT_FORMAT_RUST_JSON, PEAT_FORMAT_BINARY, (const uint8_t*)bad,
                            strlen(bad), &out);
  CHECK_STATUS(st, PEAT_E_DECODE);
  CHECK_STATUS(peat_error_view(&out, &e), PEAT_OK);
  CHECK(e.status == PEAT_E_DECODE);
  CHECK(eq(e.code, e.code_len, "INVALID_TYPE"));
  CHECK(eq(e.path, e.path_len, "capabilities[0].confidence"));
  CHECK(e.message_len > 0);
  snprintf(line, sizeof line, "%.*s at %.*s: %.*s", (int)e.code_len, e.code, (int)e.path_len, e.path,
           (int)e.message_len, e.message);
  CHECK(strncmp(line, "INVALID_TYPE at capabilities[0].confidence: ", strlen("INVALID_TYPE at capabilities[0].confidence: ")) == 0);

  /* Every truncation of it: OK only when whole fields remain, never a read past the end. */
  for (k = 0; k < out.len; k++) {
    peat_error_info t;
    int32_t s = view_copy(out.data, k, &t, NULL, NULL);
    CHECK(s == PEAT_OK || s == PEAT_E_DECODE);
  }
  {
    peat_error_info t;
    CHECK_STATUS(view_copy(out.data, out.len, &t, "INVALID_TYPE", "capabilities[0].confidence"), PEAT_OK);
  }
  /* Unknown fields of a newer Error (varint, 64-bit, length-delimited, 32-bit) are skipped. */
  {
    uint8_t newer[600];
    static const uint8_t extra[] = {0x28, 0x96, 0x01,                   /* 5: varint 150 */
                                    0x31, 1, 2, 3, 4, 5, 6, 7, 8,       /* 6: fixed64 */
                                    0x3a, 0x02, 'h', 'i',               /* 7: "hi" */
                                    0x45, 1, 2, 3, 4,                   /* 8: fixed32 */
                                    0x80, 0x01, 0x07};                  /* 16: varint 7 */
    peat_error_info t;
    CHECK(out.len + sizeof extra <= sizeof newer);
    memcpy(newer, extra, sizeof extra);
    memcpy(newer + sizeof extra, out.data, out.len);
    CHECK_STATUS(view_copy(newer, sizeof extra + out.len, &t, "INVALID_TYPE", "capabilities[0].confidence"), PEAT_OK);
  }
  peat_buf_free(&out);

  /* Hand-made errors. */
  {
    static const uint8_t minimal[] = {0x08, 0x03, 0x12, 0x01, 'X'};
    static const uint8_t negative[] = {0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x12, 0x01, 'X'};
    static const uint8_t last_wins[] = {0x12, 0x01, 'A', 0x12, 0x02, 'B', 'C'};
    static const uint8_t no_code[] = {0x08, 0x03, 0x1a, 0x01, 'm'};
    static const uint8_t wrong_wire[] = {0x10, 0x01, 0x12, 0x01, 'X'};           /* code as a varint */
    static const uint8_t status_len[] = {0x0a, 0x01, 'x', 0x12, 0x01, 'X'};      /* status as bytes */
    static const uint8_t long_varint[] = {0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01};
    static const uint8_t past_end[] = {0x12, 0x05, 'X'};
    static const uint8_t huge_len[] = {0x12, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 'X'};
    static const uint8_t field0[] = {0x02, 0x01, 'X'};
    static const uint8_t group[] = {0x2b, 0x2c, 0x12, 0x01, 'X'};
    static const uint8_t wire7[] = {0x2f, 0x12, 0x01, 'X'};
    static const uint8_t short64[] = {0x12, 0x01, 'X', 0x31, 1, 2, 3};
    peat_error_info t;
    CHECK_STATUS(view_copy(minimal, sizeof minimal, &t, "X", ""), PEAT_OK);
    CHECK(t.status == 3 && t.message_len == 0 && t.path_len == 0);
    CHECK_STATUS(view_copy(negative, sizeof negative, &t, "X", NULL), PEAT_OK);
    CHECK(t.status == -1);
    CHECK_STATUS(view_copy(last_wins, sizeof last_wins, &t, "BC", NULL), PEAT_OK);
    CHECK_STATUS(view_copy(no_code, sizeof no_code, &t, NULL, NULL), PEAT_E_DECODE);
    CHECK_STATUS(view_copy(wrong_wire, sizeof wrong_wire, &t, NULL, NULL), PEAT_E_DECODE);
    CHECK_STATUS(view_copy(status_len, sizeof status_len, &t, NULL, NULL), PEAT_E_DECODE);
    CHECK_STATUS(view_copy(long_varint, sizeof long_varint, &t, NULL, NULL), PEAT_E_DECODE);
    CHECK_STATUS(view_copy(past_end, sizeof past_end, &t, NULL, NULL), PEAT_E_DECODE);
    CHECK_STATUS(view_copy(huge_len, sizeof huge_len, &t, NULL, NULL), PEAT_E_DECODE);
    CHECK_STATUS(view_copy(field0, sizeof field0, &t, NULL, NULL), PEAT_E_DECODE);
    CHECK_STATUS(view_copy(group, sizeof group, &t, NULL, NULL), PEAT_E_DECODE);
    CHECK_STATUS(view_copy(wire7, sizeof wire7, &t, NULL, NULL), PEAT_E_DECODE);
    CHECK_STATUS(view_copy(short64, sizeof short64, &t, NULL, NULL), PEAT_E_DECODE);
    CHECK_STATUS(view_copy(minimal, 0, &t, NULL, NULL), PEAT_E_DECODE); /* empty: no error was written */
  }

  /* PEAT_FORMAT_FLAG_STRICT: an unknown JSON key is refused with its path;
   * without the flag it is ignored; the flag is ignored for binary input. */
  {
    const char* js = "{\"id\":\"n\",\"cellID\":\"c\"}";
    peat_buf o = {NULL, 0};
    peat_error_info t;
    CHECK_STATUS(peat_convert("cap.node.v1.NodeConfig", PEAT_FORMAT_JSON | PEAT_FORMAT_FLAG_STRICT, PEAT_FORMAT_BINARY,
                              (const uint8_t*)js, strlen(js), &o),
                 PEAT_E_DECODE);
    CHECK_STATUS(peat_error_view(&o, &t), PEAT_OK);
    CHECK(t.code_len == 13 && memcmp(t.code, "UNKNOWN_FIELD", 13) == 0);
    CHECK(t.path_len == 6 && memcmp(t.path, "cellID", 6) == 0);
    peat_buf_free(&o);
    CHECK_STATUS(peat_convert("cap.node.v1.NodeConfig", PEAT_FORMAT_JSON, PEAT_FORMAT_BINARY, (const uint8_t*)js,
                              strlen(js), &o),
                 PEAT_OK);
    peat_buf_free(&o);
    CHECK_STATUS(peat_convert("cap.node.v1.NodeConfig", PEAT_FORMAT_BINARY | PEAT_FORMAT_FLAG_STRICT, PEAT_FORMAT_BINARY,
                              (const uint8_t*)"\x0a\x01n", 3, &o),
                 PEAT_OK);
    peat_buf_free(&o);
  }

  /* NULL arguments. */
  {
    peat_buf empty = {NULL, 0}, dangling = {NULL, 4};
    peat_error_info t;
    memset(&t, 0x55, sizeof t);
    CHECK_STATUS(peat_error_view(NULL, &t), PEAT_E_INVALID_ARGUMENT);
    CHECK(t.code != NULL && t.code_len == 0 && t.status == 0);
    CHECK_STATUS(peat_error_view(&empty, NULL), PEAT_E_INVALID_ARGUMENT);
    CHECK_STATUS(peat_error_view(&empty, &t), PEAT_E_DECODE);
    CHECK_STATUS(peat_error_view(&dangling, &t), PEAT_E_INVALID_ARGUMENT);
  }

  /* Random bytes: never a crash, a read past the end or a view outside. */
  {
    uint32_t seed = 12345;
    uint8_t rnd[64];
    size_t n;
    for (i = 0; i < 20000; i++) {
      peat_error_info t;
      int32_t s;
      n = (size_t)(i % sizeof rnd);
      for (k = 0; k < n; k++) {
        seed = seed * 1103515245u + 12345u;
        rnd[k] = (uint8_t)(seed >> 16);
        /* Bias towards the tags of the known fields. */
        if ((seed >> 8) % 4 == 0) rnd[k] = (uint8_t)(0x08 + 8 * ((seed >> 10) % 4) + ((seed >> 12) % 2) * 2);
      }
      s = view_copy(rnd, n, &t, NULL, NULL);
      CHECK(s == PEAT_OK || s == PEAT_E_DECODE);
    }
  }
  return ctest_finish("test_error_view");
}
