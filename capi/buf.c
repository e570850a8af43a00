/* Plain C parts of the ABI: they need no Go, so they never enter the Go
 * runtime (a cgo call costs ~60 ns).
 *
 * peat_buf_free only releases malloc'ed memory.
 *
 * peat_error_view reads a serialized peat.api.v1.Error with a minimal
 * protobuf wire reader: four fields (1 status: varint int32; 2 code,
 * 3 message, 4 field_path: length-delimited strings). It follows protobuf's
 * rules for what it reads (the last occurrence of a field wins, unknown
 * fields of wire types varint, 64-bit, length-delimited and 32-bit are
 * skipped, so an Error from a newer minor version still reads) and refuses
 * everything else: a field number 0, groups, wire types 6 and 7, a varint
 * over 10 bytes, a length or fixed field that runs past the end, or a known
 * field with the wrong wire type. It never reads outside [data, data+len)
 * and never allocates. */
#include <stdlib.h>

#include "peat.h"

void peat_buf_free(peat_buf* buf) {
  if (buf == NULL) return;
  free(buf->data);
  buf->data = NULL;
  buf->len = 0;
}

/* Reads a base-128 varint at *p (before end); 0 on malformed input. */
static int read_varint(const uint8_t** p, const uint8_t* end, uint64_t* v) {
  uint64_t x = 0;
  int shift;
  for (shift = 0; shift < 70; shift += 7) {
    uint8_t b;
    if (*p >= end) return 0;
    b = *(*p)++;
    x |= (uint64_t)(b & 0x7f) << shift;
    if ((b & 0x80) == 0) {
      *v = x;
      return 1;
    }
  }
  return 0; /* more than 10 bytes */
}

static void set_empty(peat_error_info* e) {
  e->status = 0;
  e->code = "";
  e->code_len = 0;
  e->message = "";
  e->message_len = 0;
  e->path = "";
  e->path_len = 0;
}

int32_t peat_error_view(const peat_buf* err, peat_error_info* out) {
  const uint8_t *p, *end;
  peat_error_info e;
  if (out == NULL) return PEAT_E_INVALID_ARGUMENT;
  set_empty(out);
  if (err == NULL || (err->data == NULL && err->len != 0)) return PEAT_E_INVALID_ARGUMENT;
  if (err->len == 0) return PEAT_E_DECODE; /* no Error was written */
  set_empty(&e);
  p = err->data;
  end = p + err->len;
  while (p < end) {
    uint64_t key, v;
    uint32_t wire;
    uint64_t field;
    if (!read_varint(&p, end, &key)) return PEAT_E_DECODE;
    wire = (uint32_t)(key & 7);
    field = key >> 3;
    if (field == 0 || field > 536870911u) return PEAT_E_DECODE;
    switch (wire) {
      case 0: /* varint */
        if (!read_varint(&p, end, &v)) return PEAT_E_DECODE;
        if (field == 1) {
          e.status = (int32_t)(uint32_t)v; /* int32: the low 32 bits */
        } else if (field <= 4) {
          return PEAT_E_DECODE;
        }
        break;
      case 2: /* length-delimited */
        if (!read_varint(&p, end, &v)) return PEAT_E_DECODE;
        if (v > (uint64_t)(end - p)) return PEAT_E_DECODE;
        if (field == 2) {
          e.code = (const char*)p;
          e.code_len = (size_t)v;
        } else if (field == 3) {
          e.message = (const char*)p;
          e.message_len = (size_t)v;
        } else if (field == 4) {
          e.path = (const char*)p;
          e.path_len = (size_t)v;
        } else if (field == 1) {
          return PEAT_E_DECODE;
        }
        p += v;
        break;
      case 1: /* 64-bit */
        if (field <= 4 || end - p < 8) return PEAT_E_DECODE;
        p += 8;
        break;
      case 5: /* 32-bit */
        if (field <= 4 || end - p < 4) return PEAT_E_DECODE;
        p += 4;
        break;
      default: /* groups (3, 4) and the undefined 6, 7 */
        return PEAT_E_DECODE;
    }
  }
  if (e.code_len == 0) return PEAT_E_DECODE; /* libpeat always writes a code */
  *out = e;
  return PEAT_OK;
}
