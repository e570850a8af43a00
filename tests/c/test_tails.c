/* Inputs that end exactly at the end of their malloc'd block, at every
 * alignment. libpeat reads the caller's input in place; Go's word-wide
 * assembly (memeqbody, indexbytebody, ...) reads a few bytes past the end of a
 * short tail, inside the same page, and discards them. Under valgrind (make
 * test-c) that is reported unless tests/c/go-runtime.supp suppresses it: this
 * test makes those reads happen (a JSON literal `true`/`null` in the last
 * bytes, map keys to hash and sort) and checks the answers are right. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ctest.h"
#include "peat.h"

struct tail_case {
  const char* type;
  const char* json;   /* proto3 JSON input, placed at the end of its block */
  const char* needle; /* must appear in the rust-json conversion */
};

static const struct tail_case CASES[] = {
    {"cap.cell.v1.CellFormationResponse", "{\"success\":true}", "\"success\":true"},
    {"cap.zone.v1.ZoneStats", "{\"zoneId\":\"z\",\"isValid\":true,\"isFull\":true}", "\"is_full\":true"},
    {"cap.node.v1.NodeState", "{\"fuelMinutes\":7,\"cellId\":null}", "\"fuel_minutes\":7"},
    {"cap.common.v1.Metadata", "{\"fields\":{\"k2\":\"v\",\"k10\":\"w\",\"a\":\"\",\"longer-key-than-a-word\":\"x\"}}",
     "\"k10\":\"w\""},
    {"cap.role.v1.RoleAssignmentRequest", "{\"cellId\":\"c\",\"preferredRoles\":{\"n2\":\"CELL_ROLE_LEADER\",\"n1\":3}}",
     "\"n2\":1"},
};

int main(void) {
  size_t i;
  int off;
  for (i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
    const struct tail_case* c = &CASES[i];
    size_t n = strlen(c->json);
    for (off = 0; off < 8; off++) {
      uint8_t* block = (uint8_t*)malloc(n + (size_t)off);
      peat_buf bin = {NULL, 0}, rust = {NULL, 0}, report = {NULL, 0};
      if (block == NULL) return 2;
      memcpy(block + off, c->json, n); /* the input's last byte is the block's last byte */
      CHECK_STATUS(peat_convert(c->type, PEAT_FORMAT_JSON, PEAT_FORMAT_BINARY, block + off, n, &bin), PEAT_OK);
      CHECK_STATUS(peat_convert(c->type, PEAT_FORMAT_JSON, PEAT_FORMAT_RUST_JSON, block + off, n, &rust), PEAT_OK);
      CHECK(rust.data != NULL && memmem(rust.data, rust.len, c->needle, strlen(c->needle)) != NULL);
      CHECK_STATUS(peat_validate(c->type, PEAT_FORMAT_JSON, block + off, n, NULL, 0, &report), PEAT_OK);
      free(block);
      peat_buf_free(&bin);
      peat_buf_free(&rust);
      peat_buf_free(&report);
    }
  }
  return ctest_finish("test_tails");
}
