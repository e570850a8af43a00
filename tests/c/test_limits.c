/* Tests of the size limits and the decompression errors of peat.h (issue
 * 13): batch counts and totals, ValidateOptions, and what a refused zstd
 * frame is called. Every refusal here happens before any work, so the test
 * stays quick under valgrind (`make test-c`). */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ctest.h"
#include "peat.h"

/* True if buf holds a peat.api.v1.Error mentioning `code`. */
static int error_has_code(const peat_buf* b, const char* code) {
  return b->data != NULL && b->len > 0 && memmem(b->data, b->len, code, strlen(code)) != NULL;
}

/* Made with the zstd CLI (v1.5.4): printf 'hello world' | zstd --long=27 -c
 * — no content size (stdin), a 128 MiB window, one raw block, a checksum. */
static const uint8_t LONG27[] = {0x28, 0xb5, 0x2f, 0xfd, 0x04, 0x88, 0x59, 0x00, 0x00, 0x68, 0x65, 0x6c,
                                 0x6c, 0x6f, 0x20, 0x77, 0x6f, 0x72, 0x6c, 0x64, 0x68, 0x69, 0x1e, 0xb2};

/* tests/vectors/compress/inputs/wide-window.zst: ~200 KB of text streamed
 * (no content size, two blocks), window descriptor raised to 128 MiB. */
static const uint8_t WIDE[] = {0x28, 0xb5, 0x2f, 0xfd, 0x04, 0x88, 0x3c, 0x01, 0x00, 0xd4, 0x01, 0x70, 0x65, 0x61,
                               0x74, 0x20, 0x6e, 0x6f, 0x64, 0x65, 0x20, 0x6e, 0x31, 0x20, 0x63, 0x65, 0x6c, 0x6c,
                               0x20, 0x63, 0x31, 0x20, 0x7a, 0x6f, 0x6e, 0x65, 0x20, 0x7a, 0x31, 0x20, 0x01, 0x54,
                               0x15, 0x05, 0x34, 0x81, 0xff, 0x83, 0x5d, 0x00, 0x00, 0x00, 0x01, 0x54, 0x00, 0x10,
                               0x34, 0x2d, 0x0d, 0xee, 0xff, 0x01, 0x51, 0x62, 0x61, 0x8e};

static void test_decompress_errors(void) {
  peat_buf out = {NULL, 0}, err = {NULL, 0};

  /* A large window on small content is read (its block bounds the output). */
  CHECK_STATUS(peat_decompress(LONG27, sizeof LONG27, 0, &out), PEAT_OK);
  CHECK(out.len == 11 && memcmp(out.data, "hello world", 11) == 0);
  peat_buf_free(&out);
  /* Content over the ceiling is what DECOMPRESSED_TOO_LARGE means. */
  CHECK_STATUS(peat_decompress(LONG27, sizeof LONG27, 10, &err), PEAT_E_DECOMPRESS);
  CHECK(error_has_code(&err, "DECOMPRESSED_TOO_LARGE"));
  peat_buf_free(&err);

  /* A 128 MiB window whose blocks could pass a 150 KiB ceiling: WINDOW_TOO_LARGE,
   * and read with a larger ceiling. */
  CHECK_STATUS(peat_decompress(WIDE, sizeof WIDE, 150 << 10, &err), PEAT_E_DECOMPRESS);
  CHECK(error_has_code(&err, "WINDOW_TOO_LARGE"));
  peat_buf_free(&err);
  CHECK_STATUS(peat_decompress(WIDE, sizeof WIDE, 1u << 30, &out), PEAT_OK);
  CHECK(out.len > 150 << 10 && memcmp(out.data, "peat node n1 ", 13) == 0);
  peat_buf_free(&out);

  /* A block over zstd's 128 KiB maximum is a corrupt frame, not "too large". */
  uint8_t oversize[sizeof LONG27];
  memcpy(oversize, LONG27, sizeof LONG27);
  oversize[6] = 0xf9, oversize[7] = 0xff, oversize[8] = 0xff;
  CHECK_STATUS(peat_decompress(oversize, sizeof oversize, 0, &err), PEAT_E_DECOMPRESS);
  CHECK(error_has_code(&err, "CORRUPT_FRAME"));
  peat_buf_free(&err);
  /* So is a checksum mismatch. */
  uint8_t bad_sum[sizeof LONG27];
  memcpy(bad_sum, LONG27, sizeof LONG27);
  bad_sum[sizeof bad_sum - 1] ^= 0xff;
  CHECK_STATUS(peat_decompress(bad_sum, sizeof bad_sum, 0, &err), PEAT_E_DECOMPRESS);
  CHECK(error_has_code(&err, "CORRUPT_FRAME"));
  peat_buf_free(&err);

  /* A frame of peat_compress declares its size: one byte over the ceiling is
   * refused from the header, the exact ceiling is read. */
  static const uint8_t data[] = "peat peat peat peat peat";
  peat_buf frame = {NULL, 0};
  CHECK_STATUS(peat_compress(data, sizeof data, &frame), PEAT_OK);
  CHECK_STATUS(peat_decompress(frame.data, frame.len, sizeof data, &out), PEAT_OK);
  CHECK(out.len == sizeof data && memcmp(out.data, data, sizeof data) == 0);
  peat_buf_free(&out);
  CHECK_STATUS(peat_decompress(frame.data, frame.len, sizeof data - 1, &err), PEAT_E_DECOMPRESS);
  CHECK(error_has_code(&err, "DECOMPRESSED_TOO_LARGE"));
  peat_buf_free(&err);
  peat_buf_free(&frame);
}

static void test_batch_limits(void) {
  peat_buf err = {NULL, 0};
  /* 65,537 empty messages: one over the limit, refused before any is read. */
  size_t over = 65536 + 1;
  const uint8_t** msgs = (const uint8_t**)calloc(over, sizeof *msgs);
  size_t* lens = (size_t*)calloc(over, sizeof *lens);
  CHECK_STATUS(peat_validate_batch("cap.node.v1.NodeConfig", PEAT_FORMAT_BINARY, msgs, lens, over, NULL, 0, &err),
               PEAT_E_TOO_LARGE);
  CHECK(error_has_code(&err, "BATCH_TOO_LARGE"));
  peat_buf_free(&err);
  CHECK_STATUS(peat_merge_batch("cap.node.v1.NodeState", PEAT_FORMAT_BINARY, PEAT_FORMAT_BINARY, msgs, lens, over,
                                &err),
               PEAT_E_TOO_LARGE);
  CHECK(error_has_code(&err, "BATCH_TOO_LARGE"));
  peat_buf_free(&err);
  /* SIZE_MAX messages: refused before the arrays are read. */
  CHECK_STATUS(peat_validate_batch("cap.node.v1.NodeConfig", PEAT_FORMAT_BINARY, msgs, lens, SIZE_MAX, NULL, 0, &err),
               PEAT_E_TOO_LARGE);
  peat_buf_free(&err);
  free(msgs);
  free(lens);

  /* Two messages of 33 MiB: over the 64 MiB total of a batch. */
  size_t half = (32u << 20) + 1;
  uint8_t* big = (uint8_t*)calloc(half, 1);
  const uint8_t* two[2] = {big, big};
  size_t two_lens[2] = {half, half};
  CHECK_STATUS(peat_validate_batch("cap.node.v1.NodeConfig", PEAT_FORMAT_BINARY, two, two_lens, 2, NULL, 0, &err),
               PEAT_E_TOO_LARGE);
  CHECK(error_has_code(&err, "BATCH_INPUT_TOO_LARGE"));
  peat_buf_free(&err);
  CHECK_STATUS(peat_merge_batch("cap.node.v1.NodeState", PEAT_FORMAT_BINARY, PEAT_FORMAT_BINARY, two, two_lens, 2, &err),
               PEAT_E_TOO_LARGE);
  CHECK(error_has_code(&err, "BATCH_INPUT_TOO_LARGE"));
  peat_buf_free(&err);
  free(big);
}

/* Writes n (130..16389) bytes of serialized ValidateOptions:
 * {allow_unknown_enum_values: true} and an unknown bytes field (number 99,
 * as a later minor version might add) filling the rest. */
static uint8_t* options_of_size(size_t n) {
  uint8_t* b = (uint8_t*)calloc(n, 1);
  size_t payload = n - 6;
  b[0] = 0x18, b[1] = 0x01;                                           /* field 3 = true */
  b[2] = 0x9a, b[3] = 0x06;                                           /* field 99, length-delimited */
  b[4] = (uint8_t)(0x80 | (payload & 0x7f)), b[5] = (uint8_t)(payload >> 7); /* 2-byte length */
  return b;
}

static void test_options_limit(void) {
  peat_buf err = {NULL, 0}, out = {NULL, 0};
  static const uint8_t msg[] = {0x0a, 0x05, 'u', 'a', 'v', '-', '1'}; /* NodeConfig{id: "uav-1"} */
  const uint8_t* one[1] = {msg};
  size_t one_len[1] = {sizeof msg};

  uint8_t* over = options_of_size(4096 + 1);
  CHECK_STATUS(peat_validate("cap.node.v1.NodeConfig", PEAT_FORMAT_BINARY, msg, sizeof msg, over, 4096 + 1, &err),
               PEAT_E_TOO_LARGE);
  CHECK(error_has_code(&err, "OPTIONS_TOO_LARGE"));
  peat_buf_free(&err);
  CHECK_STATUS(
      peat_validate_batch("cap.node.v1.NodeConfig", PEAT_FORMAT_BINARY, one, one_len, 1, over, 4096 + 1, &err),
      PEAT_E_TOO_LARGE);
  CHECK(error_has_code(&err, "OPTIONS_TOO_LARGE"));
  peat_buf_free(&err);
  free(over);

  uint8_t* at = options_of_size(4096);
  CHECK_STATUS(peat_validate("cap.node.v1.NodeConfig", PEAT_FORMAT_BINARY, msg, sizeof msg, at, 4096, &out), PEAT_OK);
  peat_buf_free(&out);
  free(at);
}

int main(void) {
  test_decompress_errors();
  test_batch_limits();
  test_options_limit();
  return ctest_finish("test_limits");
}
