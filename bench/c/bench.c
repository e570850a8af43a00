/* The C side of the benchmark report: the same operations as bench/gobench,
 * called through libpeat.so, timed with CLOCK_MONOTONIC.
 * Usage: bench INPUTS OUT.json */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "peat.h"

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static uint8_t* slurp(const char* dir, const char* name, size_t* len) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE* f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "bench: cannot open %s\n", path);
    exit(1);
  }
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  uint8_t* b = malloc(n > 0 ? (size_t)n : 1);
  if (n > 0 && fread(b, 1, (size_t)n, f) != (size_t)n) exit(1);
  fclose(f);
  *len = (size_t)n;
  return b;
}

typedef int32_t (*op_fn)(void* ctx, peat_buf* out);

struct result {
  const char* name;
  double ns;
  int32_t status;
};
static struct result results[32];
static int nresults = 0;

/* Runs op for at least ~0.5 s (after a warm-up) and records ns per op / per. */
static void measure(const char* name, op_fn op, void* ctx, int per) {
  peat_buf out = {NULL, 0};
  int32_t st = op(ctx, &out);
  peat_buf_free(&out);
  if (st != PEAT_OK) {
    results[nresults++] = (struct result){name, -1, st};
    fprintf(stderr, "c   %-32s %s\n", name, peat_status_name(st));
    return;
  }
  long iters = 1;
  double elapsed = 0;
  for (;;) {
    double t0 = now_ns();
    for (long i = 0; i < iters; i++) {
      op(ctx, &out);
      peat_buf_free(&out);
    }
    elapsed = now_ns() - t0;
    if (elapsed > 5e8 || iters > (1L << 30)) break;
    iters *= (elapsed < 1e7) ? 10 : 2;
  }
  double ns = elapsed / (double)iters / per;
  results[nresults++] = (struct result){name, ns, PEAT_OK};
  fprintf(stderr, "c   %-32s %12.1f ns/op\n", name, ns);
}

struct bytes2 {
  const char* type;
  const uint8_t* a;
  size_t alen;
  const uint8_t* b;
  size_t blen;
};
struct batch {
  const uint8_t** msgs;
  size_t* lens;
  size_t count;
};

static volatile uint32_t sink;
static int32_t op_abi(void* ctx, peat_buf* out) {
  (void)ctx;
  (void)out;
  sink = peat_abi_version();
  return PEAT_OK;
}
static int32_t op_convert(void* ctx, peat_buf* out) {
  struct bytes2* c = ctx;
  return peat_convert(c->type, PEAT_FORMAT_BINARY, PEAT_FORMAT_JSON, c->a, c->alen, out);
}
static int32_t op_convert_bin(void* ctx, peat_buf* out) {
  struct bytes2* c = ctx;
  return peat_convert(c->type, PEAT_FORMAT_BINARY, PEAT_FORMAT_BINARY, c->a, c->alen, out);
}
static int32_t op_validate(void* ctx, peat_buf* out) {
  struct bytes2* c = ctx;
  return peat_validate(c->type, PEAT_FORMAT_BINARY, c->a, c->alen, NULL, 0, out);
}
static int32_t op_batch(void* ctx, peat_buf* out) {
  struct batch* c = ctx;
  return peat_validate_batch("cap.node.v1.NodeState", PEAT_FORMAT_BINARY, c->msgs, c->lens, c->count, NULL, 0, out);
}
static int32_t op_merge(void* ctx, peat_buf* out) {
  struct bytes2* c = ctx;
  return peat_merge(c->type, PEAT_FORMAT_BINARY, PEAT_FORMAT_BINARY, c->a, c->alen, c->b, c->blen, out);
}
static int32_t op_doc_merge(void* ctx, peat_buf* out) {
  struct bytes2* c = ctx;
  return peat_doc_merge(c->type, c->a, c->alen, c->b, c->blen, out);
}

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: bench INPUTS OUT.json\n");
    return 2;
  }
  const char* dir = argv[1];
  size_t sl, bl, al, bbl, nl;
  uint8_t* small = slurp(dir, "nodeconfig_small.bin", &sl);
  uint8_t* big = slurp(dir, "nodeconfig_50kb.bin", &bl);
  uint8_t* csa = slurp(dir, "cellstate8_a.bin", &al);
  uint8_t* csb = slurp(dir, "cellstate8_b.bin", &bbl);
  uint8_t* ns = slurp(dir, "nodestate_small.bin", &nl);

  struct bytes2 nc_small = {"cap.node.v1.NodeConfig", small, sl, NULL, 0};
  struct bytes2 nc_big = {"cap.node.v1.NodeConfig", big, bl, NULL, 0};
  struct bytes2 cs = {"cap.cell.v1.CellState", csa, al, csb, bbl};
  struct batch batch = {malloc(1000 * sizeof(uint8_t*)), malloc(1000 * sizeof(size_t)), 1000};
  for (int i = 0; i < 1000; i++) {
    batch.msgs[i] = ns;
    batch.lens[i] = nl;
  }

  measure("abi_version", op_abi, NULL, 1);
  struct bytes2 empty = {"cap.node.v1.NodeConfig", NULL, 0, NULL, 0};
  measure("convert_empty_bin_to_bin", op_convert_bin, &empty, 1);
  measure("convert_nodeconfig_bin_to_json", op_convert, &nc_small, 1);
  measure("validate_nodeconfig_small", op_validate, &nc_small, 1);
  measure("validate_nodeconfig_50kb", op_validate, &nc_big, 1);
  struct bytes2 cs_only = {"cap.cell.v1.CellState", csa, al, NULL, 0};
  measure("validate_cellstate8", op_validate, &cs_only, 1);
  measure("validate_batch_1000", op_batch, &batch, 1000);
  measure("merge_cellstate8", op_merge, &cs, 1);
  const char* sizes[] = {"10k", "100k"};
  for (int i = 0; i < 2; i++) {
    char an[64], bn[64], name[64];
    size_t la, lb;
    snprintf(an, sizeof an, "celldoc_%s_a.bin", sizes[i]);
    snprintf(bn, sizeof bn, "celldoc_%s_b.bin", sizes[i]);
    snprintf(name, sizeof name, "doc_merge_cell_%s", sizes[i]);
    struct bytes2 d = {"peat.crdt.v1.CellDoc", slurp(dir, an, &la), 0, NULL, 0};
    d.alen = la;
    d.b = slurp(dir, bn, &lb);
    d.blen = lb;
    char* kept = strdup(name);
    measure(kept, op_doc_merge, &d, 1);
    free((void*)d.a);
    free((void*)d.b);
  }

  FILE* f = fopen(argv[2], "w");
  if (!f) return 1;
  fprintf(f, "{\"language\": \"c\", \"results\": [");
  for (int i = 0; i < nresults; i++) {
    fprintf(f, "%s{\"name\": \"%s\", \"ns_per_op\": %.2f%s%s%s}", i ? ", " : "", results[i].name, results[i].ns,
            results[i].status ? ", \"note\": \"" : "", results[i].status ? peat_status_name(results[i].status) : "",
            results[i].status ? "\"" : "");
  }
  fprintf(f, "]}\n");
  fclose(f);
  free(small);
  free(big);
  free(csa);
  free(csb);
  free(ns);
  free(batch.msgs);
  free(batch.lens);
  return 0;
}
