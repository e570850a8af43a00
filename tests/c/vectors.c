/* Replays every case of tests/vectors/<area>/manifest.json through the C ABI
 * of the libpeat it is linked with — the shipped library itself, so the cross
 * builds (make test-cross) check the arm64 and glibc-2.17 libraries, shared
 * and static, with the same vectors as every binding.
 *
 *   vectors VECTORS_DIR
 *
 * Each case must return the expected status (by name), the expected error
 * code (peat.api.v1.Error field 2) on failure, and exactly the expected bytes
 * on success. Every OK case of the vectors names its output file, and outputs
 * are deterministic, so the byte comparison also covers a validation
 * report's `valid` and violations and a target decision's `targeted`.
 * The manifest format is internal/vectors/vectors.go; the JSON reader below
 * handles exactly standard JSON. Prints "vectors: N passed, M failed". */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctest.h"
#include "peat.h"

/* ---- a small JSON reader ------------------------------------------------ */
enum { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };
typedef struct jv {
  int kind;
  int b;
  double num;
  char* str;        /* J_STR: NUL-terminated UTF-8 */
  size_t n;         /* J_ARR/J_OBJ: element count */
  struct jv* items; /* J_ARR: values; J_OBJ: values, keys in `keys` */
  char** keys;
} jv;

typedef struct {
  const char* p;
  const char* end;
  int err;
} jparser;

static void j_ws(jparser* ps) {
  while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r')) ps->p++;
}

static int j_hex4(jparser* ps, unsigned* out) {
  unsigned v = 0;
  int i;
  if (ps->end - ps->p < 4) return 0;
  for (i = 0; i < 4; i++) {
    char c = *ps->p++;
    v <<= 4;
    if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
    else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
    else return 0;
  }
  *out = v;
  return 1;
}

static char* j_string(jparser* ps) {
  size_t cap = 16, n = 0;
  char* s = (char*)malloc(cap);
  ps->p++; /* opening quote */
  while (s && ps->p < ps->end && *ps->p != '"') {
    unsigned cp;
    char c = *ps->p++;
    if (n + 5 > cap) {
      char* t = (char*)realloc(s, cap *= 2);
      if (!t) break;
      s = t;
    }
    if (c != '\\') {
      s[n++] = c;
      continue;
    }
    if (ps->p >= ps->end) break;
    c = *ps->p++;
    switch (c) {
      case '"': case '\\': case '/': s[n++] = c; continue;
      case 'b': s[n++] = '\b'; continue;
      case 'f': s[n++] = '\f'; continue;
      case 'n': s[n++] = '\n'; continue;
      case 'r': s[n++] = '\r'; continue;
      case 't': s[n++] = '\t'; continue;
      case 'u': break;
      default: ps->err = 1; free(s); return NULL;
    }
    if (!j_hex4(ps, &cp)) { ps->err = 1; free(s); return NULL; }
    if (cp >= 0xD800 && cp < 0xDC00 && ps->end - ps->p >= 6 && ps->p[0] == '\\' && ps->p[1] == 'u') {
      unsigned lo;
      ps->p += 2;
      if (!j_hex4(ps, &lo) || lo < 0xDC00 || lo > 0xDFFF) { ps->err = 1; free(s); return NULL; }
      cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
    }
    if (cp < 0x80) s[n++] = (char)cp;
    else if (cp < 0x800) { s[n++] = (char)(0xC0 | (cp >> 6)); s[n++] = (char)(0x80 | (cp & 0x3F)); }
    else if (cp < 0x10000) {
      s[n++] = (char)(0xE0 | (cp >> 12)); s[n++] = (char)(0x80 | ((cp >> 6) & 0x3F)); s[n++] = (char)(0x80 | (cp & 0x3F));
    } else {
      s[n++] = (char)(0xF0 | (cp >> 18)); s[n++] = (char)(0x80 | ((cp >> 12) & 0x3F));
      s[n++] = (char)(0x80 | ((cp >> 6) & 0x3F)); s[n++] = (char)(0x80 | (cp & 0x3F));
    }
  }
  if (!s || ps->p >= ps->end) { ps->err = 1; free(s); return NULL; }
  ps->p++; /* closing quote */
  s[n] = 0;
  return s;
}

static void j_value(jparser* ps, jv* v, int depth);

static void j_push(jv* v, size_t* cap, jparser* ps, int depth, char* key) {
  if (v->n == *cap) {
    size_t nc = *cap ? *cap * 2 : 8;
    jv* it = (jv*)realloc(v->items, nc * sizeof(jv));
    char** ks = (char**)realloc(v->keys, nc * sizeof(char*));
    if (it) v->items = it;
    if (ks) v->keys = ks;
    if (!it || !ks) { ps->err = 1; free(key); return; }
    *cap = nc;
  }
  v->keys[v->n] = key;
  j_value(ps, &v->items[v->n], depth + 1);
  v->n++;
}

static void j_value(jparser* ps, jv* v, int depth) {
  memset(v, 0, sizeof(*v));
  j_ws(ps);
  if (ps->err || ps->p >= ps->end || depth > 64) { ps->err = 1; return; }
  if (*ps->p == '{' || *ps->p == '[') {
    const char close = *ps->p == '{' ? '}' : ']';
    size_t cap = 0;
    v->kind = close == '}' ? J_OBJ : J_ARR;
    ps->p++;
    j_ws(ps);
    if (ps->p < ps->end && *ps->p == close) { ps->p++; return; }
    for (;;) {
      char* key = NULL;
      j_ws(ps);
      if (v->kind == J_OBJ) {
        if (ps->p >= ps->end || *ps->p != '"' || !(key = j_string(ps))) { ps->err = 1; return; }
        j_ws(ps);
        if (ps->p >= ps->end || *ps->p != ':') { ps->err = 1; free(key); return; }
        ps->p++;
      }
      j_push(v, &cap, ps, depth, key);
      if (ps->err) return;
      j_ws(ps);
      if (ps->p < ps->end && *ps->p == ',') { ps->p++; continue; }
      if (ps->p < ps->end && *ps->p == close) { ps->p++; return; }
      ps->err = 1;
      return;
    }
  }
  if (*ps->p == '"') {
    v->kind = J_STR;
    v->str = j_string(ps);
    return;
  }
  if (ps->end - ps->p >= 4 && !memcmp(ps->p, "true", 4)) { v->kind = J_BOOL; v->b = 1; ps->p += 4; return; }
  if (ps->end - ps->p >= 5 && !memcmp(ps->p, "false", 5)) { v->kind = J_BOOL; ps->p += 5; return; }
  if (ps->end - ps->p >= 4 && !memcmp(ps->p, "null", 4)) { v->kind = J_NULL; ps->p += 4; return; }
  {
    char buf[64];
    size_t n = 0;
    while (ps->p < ps->end && n < sizeof buf - 1 && strchr("+-0123456789.eE", *ps->p)) buf[n++] = *ps->p++;
    buf[n] = 0;
    if (n == 0) { ps->err = 1; return; }
    v->kind = J_NUM;
    v->num = strtod(buf, NULL);
    v->str = (char*)malloc(n + 1); /* exact digits, for 64-bit integers */
    if (v->str) memcpy(v->str, buf, n + 1);
  }
}

static void j_free(jv* v) {
  size_t i;
  for (i = 0; i < v->n; i++) {
    j_free(&v->items[i]);
    if (v->keys) free(v->keys[i]);
  }
  free(v->items);
  free(v->keys);
  free(v->str);
}

static const jv* j_get(const jv* obj, const char* key) {
  size_t i;
  if (!obj || obj->kind != J_OBJ) return NULL;
  for (i = 0; i < obj->n; i++)
    if (strcmp(obj->keys[i], key) == 0) return &obj->items[i];
  return NULL;
}

static const char* j_str(const jv* obj, const char* key) {
  const jv* v = j_get(obj, key);
  return v && v->kind == J_STR ? v->str : NULL;
}

/* ---- peat.api.v1.Error: field 2 (code) ----------------------------------- */
static int pb_varint(const uint8_t** p, const uint8_t* end, uint64_t* out) {
  uint64_t v = 0;
  int shift;
  for (shift = 0; shift < 64 && *p < end; shift += 7) {
    uint8_t b = *(*p)++;
    v |= (uint64_t)(b & 0x7F) << shift;
    if (!(b & 0x80)) { *out = v; return 1; }
  }
  return 0;
}

/* Copies the `code` field of a serialized Error into out ("" if absent). */
static void error_code(const peat_buf* b, char* out, size_t cap) {
  const uint8_t* p = b->data;
  const uint8_t* end = b->data ? b->data + b->len : NULL;
  out[0] = 0;
  while (p && p < end) {
    uint64_t tag, len, skip;
    if (!pb_varint(&p, end, &tag)) return;
    switch (tag & 7) {
      case 0: if (!pb_varint(&p, end, &skip)) return; break;
      case 1: if (end - p < 8) return; p += 8; break;
      case 5: if (end - p < 4) return; p += 4; break;
      case 2:
        if (!pb_varint(&p, end, &len) || len > (uint64_t)(end - p)) return;
        if ((tag >> 3) == 2) {
          size_t n = len < cap - 1 ? (size_t)len : cap - 1;
          memcpy(out, p, n);
          out[n] = 0;
        }
        p += len;
        break;
      default: return;
    }
  }
}

/* ---- the replay ------------------------------------------------------------ */
static int32_t format_of(const char* s) {
  if (!s) return 0;
  if (!strcmp(s, "binary")) return PEAT_FORMAT_BINARY;
  if (!strcmp(s, "json")) return PEAT_FORMAT_JSON;
  if (!strcmp(s, "rust-json")) return PEAT_FORMAT_RUST_JSON;
  return -1;
}

static unsigned char* read_rel(const char* dir, const char* name, size_t* len) {
  char path[4096];
  unsigned char* b;
  snprintf(path, sizeof path, "%s/%s", dir, name);
  b = ctest_read_file(path, len);
  if (!b) fprintf(stderr, "vectors: cannot read %s\n", path);
  return b;
}

#define MAX_INPUTS 4096

/* Runs one case; returns 1 if it passed. */
static int run_case(const char* dir, const jv* c) {
  static const uint8_t* ins[MAX_INPUTS];
  static size_t lens[MAX_INPUTS];
  const char* name = j_str(c, "name");
  const char* op = j_str(c, "op");
  const char* type = j_str(c, "type") ? j_str(c, "type") : ""; /* omitted when empty */
  const int32_t from = format_of(j_str(c, "from")), to = format_of(j_str(c, "to"));
  const jv* inputs = j_get(c, "inputs");
  const jv* expect = j_get(c, "expect");
  const jv* max_out_v = j_get(c, "max_out");
  const char* opts_name = j_str(c, "options");
  const char* want_status = j_str(expect, "status");
  const char* want_code = j_str(expect, "code");
  const char* want_output = j_str(expect, "output");
  uint64_t max_out = max_out_v && max_out_v->str ? strtoull(max_out_v->str, NULL, 10) : 0;
  unsigned char* opts = NULL;
  size_t opts_len = 0, n = 0, i;
  peat_buf out = {NULL, 0};
  int32_t st = -1;
  int ok = 1;
  char code[256];

  if (!name || !op || !want_status || from < 0 || to < 0 || (inputs && inputs->kind != J_ARR && inputs->kind != J_NULL)) {
    fprintf(stderr, "vectors: %s: malformed case\n", name ? name : "?");
    return 0;
  }
  if (inputs && inputs->kind == J_ARR) {
    if (inputs->n > MAX_INPUTS) { fprintf(stderr, "vectors: %s: too many inputs\n", name); return 0; }
    for (n = 0; n < inputs->n; n++) {
      if (inputs->items[n].kind != J_STR || !(ins[n] = read_rel(dir, inputs->items[n].str, &lens[n]))) { ok = 0; break; }
    }
  }
  if (ok && opts_name && !(opts = read_rel(dir, opts_name, &opts_len))) ok = 0;
#define ARG(k) ((k) < n ? ins[k] : NULL), ((k) < n ? lens[k] : 0)
  if (ok) {
    if (!strcmp(op, "convert")) st = peat_convert(type, from, to, ARG(0), &out);
    else if (!strcmp(op, "compress")) st = peat_compress(ARG(0), &out);
    else if (!strcmp(op, "decompress")) st = peat_decompress(ARG(0), max_out, &out);
    else if (!strcmp(op, "validate")) st = peat_validate(type, from, ARG(0), opts, opts_len, &out);
    else if (!strcmp(op, "validate_batch")) st = peat_validate_batch(type, from, ins, lens, n, opts, opts_len, &out);
    else if (!strcmp(op, "sanitize")) st = peat_sanitize(type, from, to, ARG(0), &out);
    else if (!strcmp(op, "merge")) st = peat_merge(type, from, to, ARG(0), ARG(1), &out);
    else if (!strcmp(op, "merge_batch")) st = peat_merge_batch(type, from, to, ins, lens, n, &out);
    else if (!strcmp(op, "doc_new")) st = peat_doc_new(type, ARG(0), &out);
    else if (!strcmp(op, "doc_apply")) st = peat_doc_apply(type, ARG(0), ARG(1), &out);
    else if (!strcmp(op, "doc_merge")) st = peat_doc_merge(type, ARG(0), ARG(1), &out);
    else if (!strcmp(op, "doc_materialize")) st = peat_doc_materialize(type, to, ARG(0), &out);
    else if (!strcmp(op, "directive_target")) st = peat_directive_target(ARG(0), &out);
    else if (!strcmp(op, "directive_advance")) st = peat_directive_advance(ARG(0), &out);
    else if (!strcmp(op, "directive_summarize")) st = peat_directive_summarize(ARG(0), &out);
    else { fprintf(stderr, "vectors: %s: unknown op %s (this driver must learn it)\n", name, op); ok = 0; }
  }
#undef ARG
  if (ok && strcmp(peat_status_name(st), want_status) != 0) {
    error_code(&out, code, sizeof code);
    fprintf(stderr, "vectors: %s (%s): status %s (code %s), want %s\n", name, op, peat_status_name(st), code, want_status);
    ok = 0;
  } else if (ok && st != PEAT_OK && want_code) {
    error_code(&out, code, sizeof code);
    if (strcmp(code, want_code) != 0) {
      fprintf(stderr, "vectors: %s (%s): code %s, want %s\n", name, op, code, want_code);
      ok = 0;
    }
  } else if (ok && st == PEAT_OK && want_output) {
    size_t wlen = 0;
    unsigned char* want = read_rel(dir, want_output, &wlen);
    if (!want || wlen != out.len || (wlen && memcmp(want, out.data, wlen) != 0)) {
      fprintf(stderr, "vectors: %s (%s): output differs from %s (%zu bytes, want %zu)\n", name, op, want_output, out.len,
              wlen);
      ok = 0;
    }
    free(want);
  }
  peat_buf_free(&out);
  for (i = 0; i < n; i++) free((void*)ins[i]);
  free(opts);
  return ok;
}

static int cmp_str(const void* a, const void* b) { return strcmp(*(char* const*)a, *(char* const*)b); }

int main(int argc, char** argv) {
  char* areas[256];
  size_t n_areas = 0, a;
  int passed = 0, failed = 0;
  DIR* d;
  struct dirent* e;
  if (argc != 2) {
    fprintf(stderr, "usage: vectors VECTORS_DIR\n");
    return 2;
  }
  if (!(d = opendir(argv[1]))) {
    fprintf(stderr, "vectors: cannot open %s\n", argv[1]);
    return 2;
  }
  while ((e = readdir(d)) != NULL && n_areas < 256) {
    if (e->d_name[0] == '.') continue;
    areas[n_areas] = (char*)malloc(strlen(e->d_name) + 1);
    if (areas[n_areas]) strcpy(areas[n_areas++], e->d_name);
  }
  closedir(d);
  qsort(areas, n_areas, sizeof areas[0], cmp_str);
  for (a = 0; a < n_areas; a++) {
    char dir[4096], mpath[4200];
    size_t mlen = 0, i;
    unsigned char* text;
    jparser ps;
    jv m;
    int ap = 0, af = 0;
    snprintf(dir, sizeof dir, "%s/%s", argv[1], areas[a]);
    snprintf(mpath, sizeof mpath, "%s/manifest.json", dir);
    free(areas[a]);
    if (!(text = ctest_read_file(mpath, &mlen))) continue; /* not an area */
    ps.p = (const char*)text;
    ps.end = ps.p + mlen;
    ps.err = 0;
    j_value(&ps, &m, 0);
    if (ps.err || !j_get(&m, "cases") || j_get(&m, "cases")->kind != J_ARR || j_get(&m, "cases")->n == 0) {
      fprintf(stderr, "vectors: %s: unreadable or empty manifest\n", mpath);
      failed++;
    } else {
      const jv* cases = j_get(&m, "cases");
      for (i = 0; i < cases->n; i++) {
        if (run_case(dir, &cases->items[i])) ap++;
        else af++;
      }
      printf("vectors/%s: %d cases, %d failed\n", j_str(&m, "area") ? j_str(&m, "area") : "?", ap + af, af);
      passed += ap;
      failed += af;
    }
    j_free(&m);
    free(text);
  }
  if (passed + failed == 0) {
    fprintf(stderr, "vectors: no manifest under %s\n", argv[1]);
    return 1;
  }
  printf("vectors: %d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
