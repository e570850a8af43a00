/* Tests of the foundation calls of peat.h, and of the argument checks that
 * every exported function shares. Run under valgrind by `make test-c`.
 * With --panic (linked against the test-hooks build) it checks that a Go
 * panic inside the library becomes PEAT_E_INTERNAL, not a crash. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ctest.h"
#include "peat.h"

static const char* NODE_CONFIG = "cap.node.v1.NodeConfig";
static const char* NODE_JSON =
    "{\"id\":\"uav-7\",\"platformType\":\"quadrotor\",\"commRangeM\":1500,"
    "\"capabilities\":[{\"id\":\"cam-1\",\"name\":\"EO camera\",\"capabilityType\":\"CAPABILITY_TYPE_SENSOR\","
    "\"confidence\":0.9}]}";

/* True if buf holds a peat.api.v1.Error mentioning `code`. */
static int error_has_code(const peat_buf* b, const char* code) {
  return b->data != NULL && b->len > 0 && memmem(b->data, b->len, code, strlen(code)) != NULL;
}

static void test_info(void) {
  uint32_t v = peat_abi_version();
  CHECK((v >> 16) == PEAT_ABI_MAJOR);
  CHECK((long)(v & 0xffff) >= (long)PEAT_ABI_MINOR);
  CHECK(peat_version() != NULL && strlen(peat_version()) > 0);
  CHECK(strcmp(peat_status_name(PEAT_OK), "OK") == 0);
  CHECK(strcmp(peat_status_name(PEAT_E_DECODE), "DECODE_ERROR") == 0);
  CHECK(strcmp(peat_status_name(PEAT_E_TOO_LARGE), "MESSAGE_TOO_LARGE") == 0);
  CHECK(strcmp(peat_status_name(PEAT_E_INTERNAL), "INTERNAL") == 0);
  CHECK(strcmp(peat_status_name(12345), "UNKNOWN_STATUS") == 0);
  CHECK(strcmp(peat_status_name(-1), "UNKNOWN_STATUS") == 0);
}

static void test_buf_free(void) {
  peat_buf b = {NULL, 0};
  peat_buf_free(NULL);
  peat_buf_free(&b);
  CHECK_STATUS(peat_types(&b), PEAT_OK);
  CHECK(b.data != NULL && b.len > 0);
  peat_buf_free(&b);
  CHECK(b.data == NULL && b.len == 0);
  peat_buf_free(&b); /* idempotent */
}

static void test_types(void) {
  peat_buf b = {NULL, 0};
  CHECK_STATUS(peat_types(&b), PEAT_OK);
  CHECK(memmem(b.data, b.len, "cap.node.v1.NodeConfig", 22) != NULL);
  CHECK(memmem(b.data, b.len, "cap.composition.v1.ApplyCompositionResponse", 43) != NULL);
  peat_buf_free(&b);
  CHECK_STATUS(peat_types(NULL), PEAT_E_INVALID_ARGUMENT);
}

static void test_convert(void) {
  peat_buf bin = {NULL, 0}, json = {NULL, 0}, back = {NULL, 0}, err = {NULL, 0};
  CHECK_STATUS(peat_convert(NODE_CONFIG, PEAT_FORMAT_JSON, PEAT_FORMAT_BINARY, (const uint8_t*)NODE_JSON,
                            strlen(NODE_JSON), &bin),
               PEAT_OK);
  CHECK(bin.len > 10);
  CHECK_STATUS(peat_convert(NODE_CONFIG, PEAT_FORMAT_BINARY, PEAT_FORMAT_JSON, bin.data, bin.len, &json), PEAT_OK);
  CHECK(memmem(json.data, json.len, "\"platformType\":\"quadrotor\"", 26) != NULL);
  CHECK_STATUS(peat_convert(NODE_CONFIG, PEAT_FORMAT_JSON, PEAT_FORMAT_BINARY, json.data, json.len, &back), PEAT_OK);
  CHECK(back.len == bin.len && memcmp(back.data, bin.data, bin.len) == 0);

  /* Empty input is an empty (all-default) message, valid in binary. */
  peat_buf empty = {NULL, 0};
  CHECK_STATUS(peat_convert(NODE_CONFIG, PEAT_FORMAT_BINARY, PEAT_FORMAT_BINARY, NULL, 0, &empty), PEAT_OK);
  CHECK(empty.data != NULL && empty.len == 0);
  peat_buf_free(&empty);

  /* Bad arguments and bad data. */
  static const uint8_t garbage[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
  static const uint8_t truncated[] = {0x0a, 0x05, 'u', 'a'};
  static const uint8_t bad_utf8[] = {0x0a, 0x02, 0xc3, 0x28};
  CHECK_STATUS(peat_convert(NODE_CONFIG, PEAT_FORMAT_BINARY, PEAT_FORMAT_JSON, garbage, sizeof garbage, &err),
               PEAT_E_DECODE);
  CHECK(error_has_code(&err, "DECODE_ERROR"));
  peat_buf_free(&err);
  CHECK_STATUS(peat_convert(NODE_CONFIG, PEAT_FORMAT_BINARY, PEAT_FORMAT_JSON, truncated, sizeof truncated, &err),
               PEAT_E_DECODE);
  peat_buf_free(&err);
  CHECK_STATUS(peat_convert(NODE_CONFIG, PEAT_FORMAT_BINARY, PEAT_FORMAT_JSON, bad_utf8, sizeof bad_utf8, &err),
               PEAT_E_DECODE);
  CHECK(error_has_code(&err, "INVALID_UTF8"));
  peat_buf_free(&err);
  CHECK_STATUS(peat_convert("cap.node.v1.NoSuchThing", PEAT_FORMAT_BINARY, PEAT_FORMAT_JSON, bin.data, bin.len, &err),
               PEAT_E_UNKNOWN_TYPE);
  CHECK(error_has_code(&err, "UNKNOWN_TYPE"));
  peat_buf_free(&err);
  CHECK_STATUS(peat_convert("", PEAT_FORMAT_BINARY, PEAT_FORMAT_JSON, bin.data, bin.len, &err), PEAT_E_UNKNOWN_TYPE);
  peat_buf_free(&err);
  CHECK_STATUS(peat_convert(NULL, PEAT_FORMAT_BINARY, PEAT_FORMAT_JSON, bin.data, bin.len, &err),
               PEAT_E_INVALID_ARGUMENT);
  peat_buf_free(&err);
  CHECK_STATUS(peat_convert(NODE_CONFIG, 0, PEAT_FORMAT_JSON, bin.data, bin.len, &err), PEAT_E_INVALID_ARGUMENT);
  peat_buf_free(&err);
  CHECK_STATUS(peat_convert(NODE_CONFIG, PEAT_FORMAT_BINARY, 77, bin.data, bin.len, &err), PEAT_E_INVALID_ARGUMENT);
  peat_buf_free(&err);
  CHECK_STATUS(peat_convert(NODE_CONFIG, PEAT_FORMAT_BINARY, PEAT_FORMAT_JSON, NULL, 5, &err),
               PEAT_E_INVALID_ARGUMENT);
  peat_buf_free(&err);
  CHECK_STATUS(peat_convert(NODE_CONFIG, PEAT_FORMAT_BINARY, PEAT_FORMAT_JSON, bin.data, bin.len, NULL),
               PEAT_E_INVALID_ARGUMENT);

  /* A type name without a terminating NUL within 512 bytes is refused, not scanned. */
  char* long_name = (char*)malloc(4096);
  memset(long_name, 'x', 4095);
  long_name[4095] = '\0';
  CHECK_STATUS(peat_convert(long_name, PEAT_FORMAT_BINARY, PEAT_FORMAT_JSON, bin.data, bin.len, &err),
               PEAT_E_UNKNOWN_TYPE);
  peat_buf_free(&err);
  free(long_name);

  /* Oversize input is refused before decoding (Beacon limit 10 KiB). */
  size_t big_len = 10 * 1024 + 1;
  uint8_t* big = (uint8_t*)calloc(big_len, 1);
  CHECK_STATUS(peat_convert("cap.beacon.v1.Beacon", PEAT_FORMAT_BINARY, PEAT_FORMAT_JSON, big, big_len, &err),
               PEAT_E_TOO_LARGE);
  CHECK(error_has_code(&err, "MESSAGE_TOO_LARGE"));
  peat_buf_free(&err);
  free(big);

  peat_buf_free(&bin);
  peat_buf_free(&json);
  peat_buf_free(&back);
}

static void test_compress(void) {
  peat_buf frame = {NULL, 0}, plain = {NULL, 0}, err = {NULL, 0};
  size_t n = 100000;
  uint8_t* data = (uint8_t*)malloc(n);
  for (size_t i = 0; i < n; i++) data[i] = (uint8_t)(i % 7);
  CHECK_STATUS(peat_compress(data, n, &frame), PEAT_OK);
  CHECK(frame.len > 0 && frame.len < n);
  CHECK_STATUS(peat_decompress(frame.data, frame.len, 0, &plain), PEAT_OK);
  CHECK(plain.len == n && memcmp(plain.data, data, n) == 0);
  peat_buf_free(&plain);
  /* A limit below the real size refuses the frame (bomb protection). */
  CHECK_STATUS(peat_decompress(frame.data, frame.len, 1000, &err), PEAT_E_DECOMPRESS);
  CHECK(error_has_code(&err, "DECOMPRESSED_TOO_LARGE"));
  peat_buf_free(&err);
  static const uint8_t junk[] = "definitely not zstd";
  CHECK_STATUS(peat_decompress(junk, sizeof junk, 0, &err), PEAT_E_DECOMPRESS);
  peat_buf_free(&err);
  CHECK_STATUS(peat_decompress(NULL, 0, 0, &err), PEAT_E_DECOMPRESS);
  peat_buf_free(&err);
  CHECK_STATUS(peat_decompress(NULL, 3, 0, &err), PEAT_E_INVALID_ARGUMENT);
  peat_buf_free(&err);
  CHECK_STATUS(peat_compress(NULL, 3, &err), PEAT_E_INVALID_ARGUMENT);
  peat_buf_free(&err);
  CHECK_STATUS(peat_compress(data, n, NULL), PEAT_E_INVALID_ARGUMENT);
  peat_buf_free(&frame);
  free(data);
}

/* Argument checks shared by every call that takes a type name, byte inputs
 * and an output buffer: they never reach the core. */
static void test_common_argument_checks(void) {
  peat_buf err = {NULL, 0};
  static const uint8_t one[] = {0x0a};
  const uint8_t* msgs[2] = {one, NULL};
  size_t lens[2] = {1, 4};

  CHECK_STATUS(peat_validate(NULL, PEAT_FORMAT_BINARY, one, 1, NULL, 0, &err), PEAT_E_INVALID_ARGUMENT);
  peat_buf_free(&err);
  CHECK_STATUS(peat_validate(NODE_CONFIG, PEAT_FORMAT_BINARY, NULL, 1, NULL, 0, &err), PEAT_E_INVALID_ARGUMENT);
  peat_buf_free(&err);
  CHECK_STATUS(peat_validate(NODE_CONFIG, PEAT_FORMAT_BINARY, one, 1, NULL, 9, &err), PEAT_E_INVALID_ARGUMENT);
  peat_buf_free(&err);
  CHECK_STATUS(peat_validate(NODE_CONFIG, PEAT_FORMAT_BINARY, one, 1, NULL, 0, NULL), PEAT_E_INVALID_ARGUMENT);
  CHECK_STATUS(peat_validate_batch(NODE_CONFIG, PEAT_FORMAT_BINARY, NULL, lens, 2, NULL, 0, &err),
               PEAT_E_INVALID_ARGUMENT);
  peat_buf_free(&err);
  CHECK_STATUS(peat_validate_batch(NODE_CONFIG, PEAT_FORMAT_BINARY, msgs, NULL, 2, NULL, 0, &err),
               PEAT_E_INVALID_ARGUMENT);
  peat_buf_free(&err);
  CHECK_STATUS(peat_validate_batch(NODE_CONFIG, PEAT_FORMAT_BINARY, msgs, lens, 2, NULL, 0, &err),
               PEAT_E_INVALID_ARGUMENT); /* msgs[1] is NULL with length 4 */
  CHECK(error_has_code(&err, "INVALID_ARGUMENT"));
  peat_buf_free(&err);
  CHECK_STATUS(peat_sanitize(NULL, PEAT_FORMAT_BINARY, PEAT_FORMAT_BINARY, one, 1, &err), PEAT_E_INVALID_ARGUMENT);
  peat_buf_free(&err);
  CHECK_STATUS(peat_sanitize(NODE_CONFIG, PEAT_FORMAT_BINARY, PEAT_FORMAT_BINARY, one, 1, NULL),
               PEAT_E_INVALID_ARGUMENT);

  CHECK_STATUS(peat_merge(NULL, PEAT_FORMAT_BINARY, PEAT_FORMAT_BINARY, one, 1, one, 1, &err),
               PEAT_E_INVALID_ARGUMENT);
  peat_buf_free(&err);
  CHECK_STATUS(peat_merge("cap.node.v1.NodeState", PEAT_FORMAT_BINARY, PEAT_FORMAT_BINARY, one, 1, NULL, 2, &err),
               PEAT_E_INVALID_ARGUMENT);
  peat_buf_free(&err);
  CHECK_STATUS(peat_merge("cap.node.v1.NodeState", PEAT_FORMAT_BINARY, PEAT_FORMAT_BINARY, one, 1, one, 1, NULL),
               PEAT_E_INVALID_ARGUMENT);
  CHECK_STATUS(peat_merge_batch("cap.node.v1.NodeState", PEAT_FORMAT_BINARY, PEAT_FORMAT_BINARY, NULL, NULL, 3, &err),
               PEAT_E_INVALID_ARGUMENT);
  peat_buf_free(&err);

  CHECK_STATUS(peat_doc_new(NULL, NULL, 0, &err), PEAT_E_INVALID_ARGUMENT);
  peat_buf_free(&err);
  CHECK_STATUS(peat_doc_new("peat.crdt.v1.CellDoc", NULL, 0, NULL), PEAT_E_INVALID_ARGUMENT);
  CHECK_STATUS(peat_doc_apply("peat.crdt.v1.CellDoc", NULL, 1, one, 1, &err), PEAT_E_INVALID_ARGUMENT);
  peat_buf_free(&err);
  CHECK_STATUS(peat_doc_apply("peat.crdt.v1.CellDoc", one, 1, NULL, 1, &err), PEAT_E_INVALID_ARGUMENT);
  peat_buf_free(&err);
  CHECK_STATUS(peat_doc_merge(NULL, one, 1, one, 1, &err), PEAT_E_INVALID_ARGUMENT);
  peat_buf_free(&err);
  CHECK_STATUS(peat_doc_merge("peat.crdt.v1.CellDoc", one, 1, one, 1, NULL), PEAT_E_INVALID_ARGUMENT);
  CHECK_STATUS(peat_doc_materialize(NULL, PEAT_FORMAT_BINARY, one, 1, &err), PEAT_E_INVALID_ARGUMENT);
  peat_buf_free(&err);
  CHECK_STATUS(peat_doc_materialize("peat.crdt.v1.CellDoc", PEAT_FORMAT_BINARY, NULL, 7, &err),
               PEAT_E_INVALID_ARGUMENT);
  peat_buf_free(&err);

  CHECK_STATUS(peat_directive_target(NULL, 1, &err), PEAT_E_INVALID_ARGUMENT);
  peat_buf_free(&err);
  CHECK_STATUS(peat_directive_target(one, 1, NULL), PEAT_E_INVALID_ARGUMENT);
  CHECK_STATUS(peat_directive_advance(NULL, 1, &err), PEAT_E_INVALID_ARGUMENT);
  peat_buf_free(&err);
  CHECK_STATUS(peat_directive_advance(one, 1, NULL), PEAT_E_INVALID_ARGUMENT);
  CHECK_STATUS(peat_directive_summarize(NULL, 1, &err), PEAT_E_INVALID_ARGUMENT);
  peat_buf_free(&err);
  CHECK_STATUS(peat_directive_summarize(one, 1, NULL), PEAT_E_INVALID_ARGUMENT);
}

/* Only with the test-hooks build: a panic in Go is recovered. */
static void test_panic_recovery(void) {
  peat_buf err = {NULL, 0};
  for (int i = 0; i < 3; i++) {
    CHECK_STATUS(peat_convert("peat.test.Panic", PEAT_FORMAT_BINARY, PEAT_FORMAT_JSON, NULL, 0, &err),
                 PEAT_E_INTERNAL);
    CHECK(error_has_code(&err, "INTERNAL"));
    CHECK(error_has_code(&err, "recovered panic"));
    peat_buf_free(&err);
  }
  /* The library keeps working afterwards. */
  peat_buf out = {NULL, 0};
  CHECK_STATUS(peat_convert(NODE_CONFIG, PEAT_FORMAT_JSON, PEAT_FORMAT_BINARY, (const uint8_t*)NODE_JSON,
                            strlen(NODE_JSON), &out),
               PEAT_OK);
  peat_buf_free(&out);
}

int main(int argc, char** argv) {
  if (argc > 1 && strcmp(argv[1], "--panic") == 0) {
    test_panic_recovery();
    return ctest_finish("test_abi --panic");
  }
  test_info();
  test_buf_free();
  test_types();
  test_convert();
  test_compress();
  test_common_argument_checks();
  return ctest_finish("test_abi");
}
