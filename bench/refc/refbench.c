/* libpeat's side of `make bench-reference`: the jobs of the Rust reference's
 * criterion suite (shared/refbench: cap_benchmarks.rs and core_ops.rs), done
 * the way a C user of libpeat does them, through the C ABI, and timed in
 * process CPU time (CLOCK_PROCESS_CPUTIME_ID, which counts the Go runtime's
 * own threads too, as the reference's CPU_TIME measurement counts its
 * process). One run is one round: for each workload a warm-up, then SAMPLES
 * samples of a calibrated iteration count; the round's figure is the median
 * of the samples' ns per iteration. bench/refbench alternates rounds of this
 * program with rounds of the reference and takes medians over rounds.
 *
 * Usage: refbench INPUTS OUT.json [--time SECONDS] [--filter SUBSTRING] [--check]
 *   INPUTS   shared/refbench/inputs (the exact bytes the reference reads); a
 *            missing file leaves its ids at null with a note.
 *   --time   measurement time per workload (default 1 s).
 *   --check  run every workload once and print its result as proto3 JSON
 *            (through peat_convert) instead of timing it.
 *
 * Messages built per iteration (cell formation, leader election, cell split)
 * are encoded with the small protobuf writer below, field numbers from
 * proto/: a C user without a protobuf library does the same. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "peat.h"

#define CELLDOC "peat.crdt.v1.CellDoc"
#define CELLSTATE "cap.cell.v1.CellState"
#define NODECONFIG "cap.node.v1.NodeConfig"
#define DIRECTIVE "peat.directive.v1.DeploymentDirective"
#define SAMPLES 10

/* ---- a minimal protobuf writer ------------------------------------------- */
typedef struct {
  uint8_t* p;
  size_t n, cap;
} pbw;

static void pb_reserve(pbw* w, size_t k) {
  if (w->n + k <= w->cap) return;
  size_t c = w->cap ? w->cap * 2 : 256;
  while (c < w->n + k) c *= 2;
  w->p = realloc(w->p, c);
  if (!w->p) abort();
  w->cap = c;
}
static void pb_varint(pbw* w, uint64_t v) {
  pb_reserve(w, 10);
  while (v >= 0x80) {
    w->p[w->n++] = (uint8_t)(v | 0x80);
    v >>= 7;
  }
  w->p[w->n++] = (uint8_t)v;
}
static void pb_key(pbw* w, uint32_t field, uint32_t wire) { pb_varint(w, (uint64_t)field << 3 | wire); }
static void pb_uint(pbw* w, uint32_t field, uint64_t v) { /* proto3: zero is not written */
  if (!v) return;
  pb_key(w, field, 0);
  pb_varint(w, v);
}
static void pb_bytes(pbw* w, uint32_t field, const void* s, size_t n) {
  pb_key(w, field, 2);
  pb_varint(w, n);
  pb_reserve(w, n);
  memcpy(w->p + w->n, s, n);
  w->n += n;
}
static void pb_str(pbw* w, uint32_t field, const char* s) { pb_bytes(w, field, s, strlen(s)); }
static void pb_float(pbw* w, uint32_t field, float v) { /* fixed32, little-endian hosts */
  if (v == 0) return;
  pb_key(w, field, 5);
  pb_reserve(w, 4);
  memcpy(w->p + w->n, &v, 4);
  w->n += 4;
}
/* Nested message: pb_begin reserves one length byte, pb_end fills it in and
 * moves the body when the length needs more. */
static size_t pb_begin(pbw* w, uint32_t field) {
  pb_key(w, field, 2);
  pb_reserve(w, 1);
  w->p[w->n++] = 0;
  return w->n;
}
static void pb_end(pbw* w, size_t start) {
  size_t len = w->n - start;
  if (len < 0x80) {
    w->p[start - 1] = (uint8_t)len;
    return;
  }
  size_t extra = 0;
  for (size_t l = len >> 7; l; l >>= 7) extra++;
  pb_reserve(w, extra);
  memmove(w->p + start + extra, w->p + start, len);
  size_t at = start - 1;
  uint64_t v = len;
  while (v >= 0x80) {
    w->p[at++] = (uint8_t)(v | 0x80);
    v >>= 7;
  }
  w->p[at] = (uint8_t)v;
  w->n += extra;
}
static void pb_timestamp(pbw* w, uint32_t field, uint64_t seconds) {
  size_t m = pb_begin(w, field);
  pb_uint(w, 1, seconds);
  pb_end(w, m);
}

/* cap.capability.v1.Capability {id=1, name=2, capability_type=3, confidence=4} */
enum { SENSOR = 1, COMPUTE = 2, COMMUNICATION = 3, MOBILITY = 4 };
struct cap {
  const char* id;
  const char* name;
  int type;
  float confidence;
};
static void pb_capability(pbw* w, uint32_t field, const struct cap* c) {
  size_t m = pb_begin(w, field);
  pb_str(w, 1, c->id);
  pb_str(w, 2, c->name);
  pb_uint(w, 3, (uint64_t)c->type);
  pb_float(w, 4, c->confidence);
  pb_end(w, m);
}

/* cap.cell.v1.CellState {config=1 {id=1, max_size=2, min_size=3, created_at=4},
 * members=3, capabilities=4, timestamp=6} */
static void pb_cellstate_body(pbw* w, const char* id, uint32_t max_size, uint32_t min_size, uint64_t seconds,
                              const char* const* members, int nmembers, const struct cap* caps, int ncaps) {
  size_t c = pb_begin(w, 1);
  pb_str(w, 1, id);
  pb_uint(w, 2, max_size);
  pb_uint(w, 3, min_size);
  pb_timestamp(w, 4, seconds);
  pb_end(w, c);
  for (int i = 0; i < nmembers; i++) pb_str(w, 3, members[i]);
  for (int i = 0; i < ncaps; i++) pb_capability(w, 4, &caps[i]);
  pb_timestamp(w, 6, seconds);
}

/* peat.crdt.v1.DocInit {replica=1, timestamp=2, id=3, cell_state=13} */
static void pb_docinit_cell(pbw* w, const char* replica, const char* id, uint32_t max_size, uint32_t min_size,
                            uint64_t seconds, const char* const* members, int nmembers, const struct cap* caps,
                            int ncaps) {
  pb_str(w, 1, replica);
  pb_timestamp(w, 2, seconds);
  pb_str(w, 3, id);
  size_t s = pb_begin(w, 13);
  pb_cellstate_body(w, id, max_size, min_size, seconds, members, nmembers, caps, ncaps);
  pb_end(w, s);
}

/* ---- helpers ------------------------------------------------------------- */
static double cpu_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}
static uint64_t wall_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (uint64_t)ts.tv_sec;
}

static const char* current = "setup";
static void must(int32_t st, peat_buf* out, const char* call) {
  if (st == PEAT_OK) return;
  peat_error_info e;
  peat_error_view(out, &e);
  fprintf(stderr, "refbench: %s: %s failed: %s %.*s at %.*s: %.*s\n", current, call, peat_status_name(st),
          (int)e.code_len, e.code, (int)e.path_len, e.path, (int)e.message_len, e.message);
  exit(1);
}

static uint8_t* slurp(const char* dir, const char* name, size_t* len) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE* f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  uint8_t* b = malloc(n > 0 ? (size_t)n : 1);
  if (n > 0 && fread(b, 1, (size_t)n, f) != (size_t)n) exit(1);
  fclose(f);
  *len = (size_t)n;
  return b;
}

/* Random-ish RFC 4122 v4 ids, as the reference's Uuid::new_v4, from xorshift64*. */
static uint64_t rng = 0x9E3779B97F4A7C15u;
static uint64_t next64(void) {
  rng ^= rng >> 12;
  rng ^= rng << 25;
  rng ^= rng >> 27;
  return rng * 0x2545F4914F6CDD1Du;
}
static void uuid4(char out[37]) {
  static const char hex[] = "0123456789abcdef";
  uint8_t b[16];
  uint64_t a = next64(), c = next64();
  memcpy(b, &a, 8);
  memcpy(b + 8, &c, 8);
  b[6] = (uint8_t)((b[6] & 0x0f) | 0x40);
  b[8] = (uint8_t)((b[8] & 0x3f) | 0x80);
  int o = 0;
  for (int i = 0; i < 16; i++) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out[o++] = '-';
    out[o++] = hex[b[i] >> 4];
    out[o++] = hex[b[i] & 15];
  }
  out[o] = 0;
}

/* --check: print a binary message as proto3 JSON. */
static int check_mode = 0;
static int shown = 0; /* lines printed for the current workload */
static void show(const char* what, const char* type, const uint8_t* b, size_t n) {
  if (!check_mode || shown++ >= 6) return;
  peat_buf j = {NULL, 0};
  int32_t st = peat_convert(type, PEAT_FORMAT_BINARY, PEAT_FORMAT_JSON, b, n, &j);
  must(st, &j, "peat_convert (check)");
  printf("%s (%s, %zu bytes): %.*s\n", what, type, n, (int)j.len, (const char*)j.data);
  peat_buf_free(&j);
}

/* ---- workloads ----------------------------------------------------------- */
typedef void (*op_fn)(void* ctx);

/* Plain calls on fixed inputs. */
struct call {
  const char* type;
  const uint8_t *a, *b;
  size_t alen, blen;
  const uint8_t* opts;
  size_t optslen;
};
static void op_validate(void* ctx) {
  struct call* c = ctx;
  peat_buf out = {NULL, 0};
  must(peat_validate(c->type, PEAT_FORMAT_BINARY, c->a, c->alen, c->opts, c->optslen, &out), &out, "peat_validate");
  /* ValidationReport starts with valid = true (08 01) when nothing is wrong. */
  if (out.len < 2 || out.data[0] != 0x08 || out.data[1] != 0x01) {
    fprintf(stderr, "refbench: %s: the input is not valid for libpeat\n", current);
    exit(1);
  }
  peat_buf_free(&out);
}
static void op_convert_bin(void* ctx) {
  struct call* c = ctx;
  peat_buf out = {NULL, 0};
  must(peat_convert(c->type, PEAT_FORMAT_BINARY, PEAT_FORMAT_BINARY, c->a, c->alen, &out), &out, "peat_convert");
  if (check_mode) show("  re-encoded", c->type, out.data, out.len);
  peat_buf_free(&out);
}
static void op_convert_rustjson(void* ctx) {
  struct call* c = ctx;
  peat_buf out = {NULL, 0};
  must(peat_convert(c->type, PEAT_FORMAT_RUST_JSON, PEAT_FORMAT_RUST_JSON, c->a, c->alen, &out), &out,
       "peat_convert");
  if (check_mode) printf("  rust-json out (%zu bytes): %.*s\n", out.len, (int)out.len, (const char*)out.data);
  peat_buf_free(&out);
}
static void op_merge(void* ctx) {
  struct call* c = ctx;
  peat_buf out = {NULL, 0};
  must(peat_merge(c->type, PEAT_FORMAT_BINARY, PEAT_FORMAT_BINARY, c->a, c->alen, c->b, c->blen, &out), &out,
       "peat_merge");
  if (check_mode) show("  merged", c->type, out.data, out.len);
  peat_buf_free(&out);
}

/* A batch of messages of one type. */
struct batch {
  const char* type;
  const uint8_t** msgs;
  size_t* lens;
  size_t count;
};
static void op_merge_batch(void* ctx) {
  struct batch* c = ctx;
  peat_buf out = {NULL, 0};
  must(peat_merge_batch(c->type, PEAT_FORMAT_BINARY, PEAT_FORMAT_BINARY, c->msgs, c->lens, c->count, &out), &out,
       "peat_merge_batch");
  if (check_mode) show("  merged", c->type, out.data, out.len);
  peat_buf_free(&out);
}
static void op_target_each(void* ctx) {
  struct batch* c = ctx;
  for (size_t i = 0; i < c->count; i++) {
    peat_buf out = {NULL, 0};
    must(peat_directive_target(c->msgs[i], c->lens[i], &out), &out, "peat_directive_target");
    /* TargetDecision starts with targeted = true (08 01) for a match. */
    if (out.len < 2 || out.data[0] != 0x08 || out.data[1] != 0x01) {
      fprintf(stderr, "refbench: %s: node %zu not targeted\n", current, i);
      exit(1);
    }
    if (check_mode && i == 0) show("  decision[0]", "peat.directive.v1.TargetDecision", out.data, out.len);
    peat_buf_free(&out);
  }
}

/* Forms a cell replica from a DocInit and materialises it (cell formation, split). */
static void form_cell(pbw* w) {
  uint64_t h = 0;
  peat_buf out = {NULL, 0};
  if (check_mode) show("  DocInit", "peat.crdt.v1.DocInit", w->p, w->n);
  must(peat_replica_new(CELLDOC, w->p, w->n, &h, &out), &out, "peat_replica_new");
  must(peat_replica_materialize(h, PEAT_FORMAT_BINARY, &out), &out, "peat_replica_materialize");
  if (check_mode) show("  materialised", CELLSTATE, out.data, out.len);
  peat_buf_free(&out);
  peat_replica_free(h);
}

/* cell_formation_throughput/n: n nodes (id node_i, capability cap_i "Test Cap"
 * Sensor 0.9), chunked into cells of 5, each a new replica with a fresh id. */
struct formation {
  int n;
  char (*node_ids)[24];
  char (*cap_ids)[24];
  const char** members;
  struct cap* caps;
  pbw w;
};
static void op_cell_formation(void* ctx) {
  struct formation* f = ctx;
  for (int i = 0; i < f->n; i++) {
    snprintf(f->node_ids[i], sizeof f->node_ids[i], "node_%d", i);
    snprintf(f->cap_ids[i], sizeof f->cap_ids[i], "cap_%d", i);
    f->members[i] = f->node_ids[i];
    f->caps[i] = (struct cap){f->cap_ids[i], "Test Cap", SENSOR, 0.9f};
  }
  for (int c = 0; c < f->n; c += 5) {
    int k = f->n - c < 5 ? f->n - c : 5;
    char id[37];
    uuid4(id);
    f->w.n = 0;
    pb_docinit_cell(&f->w, "bench", id, 5, 2, wall_seconds(), f->members + c, k, f->caps + c, k);
    form_cell(&f->w);
  }
}

/* rebalancing_operations/cell_split: a cell of 10 members and 10 capabilities
 * split into two new cells (fresh ids) of the first and second halves. */
struct split {
  const char* members[10];
  struct cap caps[10];
  pbw w;
};
static void op_cell_split(void* ctx) {
  struct split* s = ctx;
  uint64_t now = wall_seconds();
  for (int half = 0; half < 2; half++) {
    char id[37];
    uuid4(id);
    s->w.n = 0;
    pb_docinit_cell(&s->w, "bench", id, 10, 2, now, s->members + 5 * half, 5, s->caps + 5 * half, 5);
    form_cell(&s->w);
  }
}

/* leader_election/n: the user picks the lowest member id, encodes a
 * set_leader Operation and applies it to the cell's replica. */
struct election {
  int n;
  const char** members;
  const char** sorted;
  uint64_t replica;
  uint64_t seconds;
  pbw w;
};
static int cmp_str(const void* a, const void* b) { return strcmp(*(const char* const*)a, *(const char* const*)b); }
static void op_leader_election(void* ctx) {
  struct election* e = ctx;
  memcpy(e->sorted, e->members, (size_t)e->n * sizeof *e->sorted);
  qsort(e->sorted, (size_t)e->n, sizeof *e->sorted, cmp_str);
  /* peat.crdt.v1.Operation {replica=1, timestamp=2, set_leader=33 {node_id=1}} */
  e->w.n = 0;
  pb_str(&e->w, 1, "bench");
  pb_timestamp(&e->w, 2, ++e->seconds);
  size_t m = pb_begin(&e->w, 33);
  pb_str(&e->w, 1, e->sorted[0]);
  pb_end(&e->w, m);
  if (check_mode) show("  Operation", "peat.crdt.v1.Operation", e->w.p, e->w.n);
  peat_buf delta = {NULL, 0};
  must(peat_replica_apply(e->replica, e->w.p, e->w.n, &delta), &delta, "peat_replica_apply");
  if (check_mode) {
    show("  delta", CELLDOC, delta.data, delta.len);
    peat_buf st = {NULL, 0};
    must(peat_replica_materialize(e->replica, PEAT_FORMAT_BINARY, &st), &st, "peat_replica_materialize");
    show("  state", CELLSTATE, st.data, st.len);
    peat_buf_free(&st);
  }
  peat_buf_free(&delta);
}

/* crdt_sync_latency/p: p peers' replicas; one peer takes a copy of its
 * replica, merges every other peer's replica in and materialises the cell. */
struct sync {
  int p;
  uint64_t* peers;
};
static void op_crdt_sync(void* ctx) {
  struct sync* s = ctx;
  uint64_t acc = 0;
  peat_buf out = {NULL, 0};
  must(peat_replica_clone(s->peers[0], &acc, &out), &out, "peat_replica_clone");
  for (int i = 1; i < s->p; i++) must(peat_replica_merge_replica(acc, s->peers[i], &out), &out,
                                      "peat_replica_merge_replica");
  must(peat_replica_materialize(acc, PEAT_FORMAT_BINARY, &out), &out, "peat_replica_materialize");
  if (check_mode) show("  synced", CELLSTATE, out.data, out.len);
  peat_buf_free(&out);
  peat_replica_free(acc);
}

/* ---- the ids ------------------------------------------------------------- */
struct workload {
  const char* key; /* measured once per round, shared by the ids naming it */
  op_fn fn;
  void* ctx;
  const char* calls;
  const char* missing; /* non-NULL: not run, why */
  double ns;
};
struct id {
  const char* id;
  const char* workload; /* NULL: no libpeat equivalent */
  const char* note;
};

#define MAXW 64
static struct workload workloads[MAXW];
static int nworkloads;
static struct workload* add(const char* key, op_fn fn, void* ctx, const char* calls, const char* missing) {
  workloads[nworkloads] = (struct workload){key, fn, ctx, calls, missing, -1};
  return &workloads[nworkloads++];
}
static struct workload* find(const char* key) {
  for (int i = 0; i < nworkloads; i++)
    if (!strcmp(workloads[i].key, key)) return &workloads[i];
  return NULL;
}

static void measure(struct workload* w, double seconds) {
  current = w->key;
  if (check_mode) {
    printf("== %s: %s\n", w->key, w->calls);
    shown = 0;
    w->fn(w->ctx);
    w->fn(w->ctx);
    w->ns = 0;
    return;
  }
  /* Warm-up (a tenth of the time) gives the cost of one iteration. */
  long iters = 0;
  double t0 = cpu_ns(), el = 0;
  do {
    w->fn(w->ctx);
    iters++;
    el = cpu_ns() - t0;
  } while (el < seconds * 1e8);
  double per = el / (double)iters;
  long n = (long)(seconds * 0.9e9 / SAMPLES / per);
  if (n < 1) n = 1;
  double s[SAMPLES];
  for (int k = 0; k < SAMPLES; k++) {
    double a = cpu_ns();
    for (long i = 0; i < n; i++) w->fn(w->ctx);
    s[k] = (cpu_ns() - a) / (double)n;
  }
  for (int i = 1; i < SAMPLES; i++) /* insertion sort: median of SAMPLES */
    for (int j = i; j > 0 && s[j - 1] > s[j]; j--) {
      double t = s[j];
      s[j] = s[j - 1];
      s[j - 1] = t;
    }
  w->ns = (s[SAMPLES / 2 - 1] + s[SAMPLES / 2]) / 2;
  fprintf(stderr, "libpeat  %-36s %12.1f ns  (%ld iterations x %d samples)\n", w->key, w->ns, n, SAMPLES);
}

static void json_str(FILE* f, const char* s) {
  fputc('"', f);
  for (; *s; s++) {
    if (*s == '"' || *s == '\\') fputc('\\', f);
    fputc(*s, f);
  }
  fputc('"', f);
}

int main(int argc, char** argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: refbench INPUTS OUT.json [--time SECONDS] [--filter SUBSTRING] [--check]\n");
    return 2;
  }
  const char* dir = argv[1];
  const char* outpath = argv[2];
  double seconds = 1;
  const char* filter = NULL;
  for (int i = 3; i < argc; i++) {
    if (!strcmp(argv[i], "--time") && i + 1 < argc)
      seconds = atof(argv[++i]);
    else if (!strcmp(argv[i], "--filter") && i + 1 < argc)
      filter = argv[++i];
    else if (!strcmp(argv[i], "--check"))
      check_mode = 1;
    else {
      fprintf(stderr, "refbench: unknown argument %s\n", argv[i]);
      return 2;
    }
  }
  if (seconds <= 0) seconds = 1;
  rng ^= (uint64_t)time(NULL);

  /* -- core operations on the reference's input bytes -- */
  size_t optslen = 0;
  uint8_t* opts = slurp(dir, "validate_opts.pb", &optslen);
  static char missing[8][256];
  int nmissing = 0;
  struct {
    const char* file;
    uint8_t* b;
    size_t n;
  } in[] = {{"nodeconfig_1.pb", 0, 0}, {"nodeconfig_100.pb", 0, 0}, {"cellstate_8.pb", 0, 0},
            {"merge8_a.pb", 0, 0},     {"merge8_b.pb", 0, 0},       {"merge1000_a.pb", 0, 0},
            {"merge1000_b.pb", 0, 0},  {"directive.json", 0, 0}};
  const char* why[8];
  for (int i = 0; i < 8; i++) {
    in[i].b = slurp(dir, in[i].file, &in[i].n);
    why[i] = NULL;
    if (!in[i].b) {
      snprintf(missing[nmissing], sizeof missing[0], "input %s/%s not found", dir, in[i].file);
      why[i] = missing[nmissing++];
    }
  }
  const char* optnote = opts ? " with inputs/validate_opts.pb (a fixed now)" : "";
  static char vcalls[256];
  snprintf(vcalls, sizeof vcalls, "peat_validate(binary%s); report must be valid", optnote);
  struct call nc1 = {NODECONFIG, in[0].b, NULL, in[0].n, 0, opts, optslen};
  struct call nc100 = {NODECONFIG, in[1].b, NULL, in[1].n, 0, opts, optslen};
  struct call cs8 = {CELLSTATE, in[2].b, NULL, in[2].n, 0, opts, optslen};
  struct call m8 = {CELLSTATE, in[3].b, in[4].b, in[3].n, in[4].n, NULL, 0};
  struct call m1000 = {CELLSTATE, in[5].b, in[6].b, in[5].n, in[6].n, NULL, 0};
  struct call dj = {DIRECTIVE, in[7].b, NULL, in[7].n, 0, NULL, 0};
  add("validate/NodeConfig1", op_validate, &nc1, vcalls, why[0]);
  add("validate/NodeConfig100", op_validate, &nc100, vcalls, why[1]);
  add("validate/CellState8", op_validate, &cs8, vcalls, why[2]);
  const char* conv = "peat_convert(cap.node.v1.NodeConfig, binary -> binary)";
  add("convert/NodeConfig1", op_convert_bin, &nc1, conv, why[0]);
  add("convert/NodeConfig100", op_convert_bin, &nc100, conv, why[1]);
  const char* merge = "peat_merge(cap.cell.v1.CellState, binary, binary)";
  add("merge/8", op_merge, &m8, merge, why[3] ? why[3] : why[4]);
  add("merge/1000", op_merge, &m1000, merge, why[5] ? why[5] : why[6]);
  add("directive_json", op_convert_rustjson, &dj,
      "peat_convert(peat.directive.v1.DeploymentDirective, rust-json -> rust-json)", why[7]);

  /* -- cell formation -- */
  static struct formation form[3];
  int sizes[3] = {10, 50, 100};
  static char keys[4][3][48];
  for (int i = 0; i < 3; i++) {
    int n = sizes[i];
    form[i] = (struct formation){n, calloc((size_t)n, 24), calloc((size_t)n, 24), calloc((size_t)n, sizeof(char*)),
                                 calloc((size_t)n, sizeof(struct cap)), {0}};
    snprintf(keys[0][i], sizeof keys[0][i], "cell_formation/%d", n);
    add(keys[0][i], op_cell_formation, &form[i],
        "C: node ids and capabilities, per cell of 5 a uuid and a DocInit{cell_state} encoded; "
        "peat_replica_new + peat_replica_materialize(binary) + peat_replica_free per cell",
        NULL);
  }

  /* -- leader election -- */
  static struct election el[3];
  int esizes[3] = {5, 10, 20};
  for (int i = 0; i < 3; i++) {
    int n = esizes[i];
    struct election* e = &el[i];
    e->n = n;
    e->members = calloc((size_t)n, sizeof(char*));
    e->sorted = calloc((size_t)n, sizeof(char*));
    for (int j = 0; j < n; j++) {
      char* s = malloc(24);
      snprintf(s, 24, "node_%d", j);
      e->members[j] = s;
    }
    e->seconds = 1700000000;
    pbw w = {0};
    pb_docinit_cell(&w, "bench", "cell-election", (uint32_t)n, 2, e->seconds, e->members, n, NULL, 0);
    peat_buf out = {NULL, 0};
    current = "leader_election setup";
    must(peat_replica_new(CELLDOC, w.p, w.n, &e->replica, &out), &out, "peat_replica_new");
    free(w.p);
    snprintf(keys[1][i], sizeof keys[1][i], "leader_election/%d", n);
    add(keys[1][i], op_leader_election, e,
        "C: qsort member ids, encode Operation{set_leader lowest id}; peat_replica_apply on the cell's "
        "replica (n members), delta freed",
        NULL);
  }

  /* -- capability aggregation: n CellStates of one cell, node i with (i%3)+3 capabilities -- */
  static struct batch agg[3];
  int types[4] = {SENSOR, COMMUNICATION, COMPUTE, MOBILITY};
  for (int i = 0; i < 3; i++) {
    int n = sizes[i];
    agg[i] = (struct batch){CELLSTATE, calloc((size_t)n, sizeof(uint8_t*)), calloc((size_t)n, sizeof(size_t)),
                            (size_t)n};
    for (int k = 0; k < n; k++) {
      char node[24], capid[5][24], capname[5][24];
      const char* members[1] = {node};
      struct cap caps[5];
      snprintf(node, sizeof node, "node_%d", k);
      int nc = k % 3 + 3;
      for (int j = 0; j < nc; j++) {
        snprintf(capid[j], sizeof capid[j], "cap_%d_%d", k, j);
        snprintf(capname[j], sizeof capname[j], "Capability %d", j);
        caps[j] = (struct cap){capid[j], capname[j], types[j % 4], 0.8f + 0.02f * (float)j};
      }
      pbw w = {0};
      pb_cellstate_body(&w, "cell-agg", 200, 2, 1700000000, members, 1, caps, nc);
      agg[i].msgs[k] = w.p;
      agg[i].lens[k] = w.n;
      if (check_mode && k == 0 && i == 0) show("capability_aggregation input[0]", CELLSTATE, w.p, w.n);
    }
    snprintf(keys[2][i], sizeof keys[2][i], "capability_aggregation/%d", n);
    add(keys[2][i], op_merge_batch, &agg[i],
        "peat_merge_batch(cap.cell.v1.CellState, binary) of the n nodes' CellStates (capabilities: G-Set by id)",
        NULL);
  }

  /* -- rebalancing: cell_merge (two cells of 3 members and 3 capabilities), cell_split -- */
  static uint8_t* cm[2];
  static size_t cmlen[2];
  for (int c = 0; c < 2; c++) {
    char node[3][24], capid[3][24];
    const char* members[3];
    struct cap caps[3];
    for (int i = 0; i < 3; i++) {
      snprintf(node[i], sizeof node[i], "node_%d_%d", c + 1, i);
      snprintf(capid[i], sizeof capid[i], "cap_%d_%d", c + 1, i);
      members[i] = node[i];
      caps[i] = (struct cap){capid[i], "Cap", c ? COMMUNICATION : SENSOR, c ? 0.85f : 0.9f};
    }
    pbw w = {0};
    pb_cellstate_body(&w, "cell-rebalance", 10, 2, 1700000000 + (uint64_t)c, members, 3, caps, 3);
    cm[c] = w.p;
    cmlen[c] = w.n;
  }
  static struct call cellmerge;
  cellmerge = (struct call){CELLSTATE, cm[0], cm[1], cmlen[0], cmlen[1], NULL, 0};
  add("cell_merge", op_merge, &cellmerge,
      "peat_merge(cap.cell.v1.CellState, binary, binary) of two cells of 3 members and 3 capabilities", NULL);
  static struct split sp;
  for (int i = 0; i < 10; i++) {
    char* m = malloc(24);
    char* c = malloc(24);
    snprintf(m, 24, "node_%d", i);
    snprintf(c, 24, "cap_%d", i);
    sp.members[i] = m;
    sp.caps[i] = (struct cap){c, "Cap", SENSOR, 0.9f};
  }
  add("cell_split", op_cell_split, &sp,
      "C: per half a uuid and a DocInit{cell_state of 5 members, 5 capabilities} encoded; peat_replica_new + "
      "peat_replica_materialize(binary) + peat_replica_free, twice",
      NULL);

  /* -- CRDT sync: peer i's replica holds member node_i at time i -- */
  static struct sync sy[3];
  int psizes[3] = {2, 5, 10};
  for (int i = 0; i < 3; i++) {
    int p = psizes[i];
    sy[i] = (struct sync){p, calloc((size_t)p, sizeof(uint64_t))};
    for (int k = 0; k < p; k++) {
      char node[24], replica[24];
      const char* members[1] = {node};
      snprintf(node, sizeof node, "node_%d", k);
      snprintf(replica, sizeof replica, "peer-%d", k);
      pbw w = {0};
      pb_docinit_cell(&w, replica, "cell-sync", 20, 1, (uint64_t)k, members, 1, NULL, 0);
      peat_buf out = {NULL, 0};
      current = "crdt_sync setup";
      must(peat_replica_new(CELLDOC, w.p, w.n, &sy[i].peers[k], &out), &out, "peat_replica_new");
      free(w.p);
    }
    snprintf(keys[3][i], sizeof keys[3][i], "crdt_sync/%d", p);
    add(keys[3][i], op_crdt_sync, &sy[i],
        "peat_replica_clone(peer 0) + peat_replica_merge_replica of each other peer + "
        "peat_replica_materialize(binary) + peat_replica_free",
        NULL);
  }

  /* -- capability query: node i has sensor_i (Sensor) and, when i is even, comms_i;
   *    a directive whose capability scope requires "Sensor" is targeted at each node -- */
  static struct batch cq[3];
  for (int i = 0; i < 3; i++) {
    int n = sizes[i];
    cq[i] = (struct batch){"", calloc((size_t)n, sizeof(uint8_t*)), calloc((size_t)n, sizeof(size_t)), (size_t)n};
    for (int k = 0; k < n; k++) {
      char node[24], sensor[24], comms[24];
      snprintf(node, sizeof node, "node_%d", k);
      snprintf(sensor, sizeof sensor, "sensor_%d", k);
      snprintf(comms, sizeof comms, "comms_%d", k);
      struct cap s = {sensor, "Sensor", SENSOR, 0.7f + 0.1f * (float)(k % 3)};
      struct cap c = {comms, "Comms", COMMUNICATION, 0.8f};
      pbw w = {0};
      /* TargetRequest {directive=1 {directive_id=1, issued_at=2, issuer_node_id=3,
       *   scope=5 {capability=4 {required_capabilities=4}}}, node_config=2 {id=1,
       *   platform_type=2, capabilities=3, comm_range_m=4, max_speed_mps=5}} */
      size_t d = pb_begin(&w, 1);
      pb_str(&w, 1, "capability-query");
      pb_timestamp(&w, 2, 1700000000);
      pb_str(&w, 3, "observer");
      size_t sc = pb_begin(&w, 5);
      size_t cf = pb_begin(&w, 4);
      pb_str(&w, 4, "Sensor");
      pb_end(&w, cf);
      pb_end(&w, sc);
      pb_end(&w, d);
      size_t nc = pb_begin(&w, 2);
      pb_str(&w, 1, node);
      pb_str(&w, 2, "UAV");
      pb_capability(&w, 3, &s);
      if (k % 2 == 0) pb_capability(&w, 3, &c);
      pb_float(&w, 4, 1000);
      pb_float(&w, 5, 10);
      pb_end(&w, nc);
      cq[i].msgs[k] = w.p;
      cq[i].lens[k] = w.n;
      if (check_mode && k == 0 && i == 0) show("capability_query request[0]", "peat.directive.v1.TargetRequest", w.p,
                                               w.n);
    }
    static char qk[3][32];
    snprintf(qk[i], sizeof qk[i], "capability_query/%d", n);
    add(qk[i], op_target_each, &cq[i],
        "peat_directive_target per node (capability scope requiring \"Sensor\"): a yes/no filter, no scoring, "
        "ranking or limit",
        NULL);
  }

  /* Every criterion id of the reference and the workload that answers it. */
  static const struct id ids[] = {
      {"cell_formation_throughput/10", "cell_formation/10", NULL},
      {"cell_formation_throughput/50", "cell_formation/50", NULL},
      {"cell_formation_throughput/100", "cell_formation/100", NULL},
      {"leader_election/5", "leader_election/5", NULL},
      {"leader_election/10", "leader_election/10", NULL},
      {"leader_election/20", "leader_election/20", NULL},
      {"capability_aggregation/10", "capability_aggregation/10", NULL},
      {"capability_aggregation/50", "capability_aggregation/50", NULL},
      {"capability_aggregation/100", "capability_aggregation/100", NULL},
      {"rebalancing_operations/cell_merge", "cell_merge", NULL},
      {"rebalancing_operations/cell_split", "cell_split", NULL},
      {"crdt_sync_latency/2", "crdt_sync/2", NULL},
      {"crdt_sync_latency/5", "crdt_sync/5", NULL},
      {"crdt_sync_latency/10", "crdt_sync/10", NULL},
      {"geographic_discovery/10", NULL, "no libpeat equivalent (no geohash or beacon processing)"},
      {"geographic_discovery/50", NULL, "no libpeat equivalent (no geohash or beacon processing)"},
      {"geographic_discovery/100", NULL, "no libpeat equivalent (no geohash or beacon processing)"},
      {"capability_query/10", "capability_query/10", NULL},
      {"capability_query/50", "capability_query/50", NULL},
      {"capability_query/100", "capability_query/100", NULL},
      {"proto_roundtrip/decode_encode/NodeConfig1", "convert/NodeConfig1", NULL},
      {"proto_roundtrip/decode_encode/NodeConfig100", "convert/NodeConfig100", NULL},
      {"proto_roundtrip/decode/NodeConfig1", "convert/NodeConfig1",
       "libpeat never hands out a decoded message: decode and encode happen inside one call"},
      {"proto_roundtrip/decode/NodeConfig100", "convert/NodeConfig100",
       "libpeat never hands out a decoded message: decode and encode happen inside one call"},
      {"proto_roundtrip/encode/NodeConfig1", "convert/NodeConfig1",
       "libpeat never hands out a decoded message: decode and encode happen inside one call"},
      {"proto_roundtrip/encode/NodeConfig100", "convert/NodeConfig100",
       "libpeat never hands out a decoded message: decode and encode happen inside one call"},
      {"validate/bytes/NodeConfig1", "validate/NodeConfig1", NULL},
      {"validate/bytes/NodeConfig100", "validate/NodeConfig100", NULL},
      {"validate/bytes/CellState8", "validate/CellState8", NULL},
      {"validate/struct/NodeConfig1", "validate/NodeConfig1", "libpeat's ABI always takes bytes: same call as bytes"},
      {"validate/struct/NodeConfig100", "validate/NodeConfig100",
       "libpeat's ABI always takes bytes: same call as bytes"},
      {"validate/struct/CellState8", "validate/CellState8", "libpeat's ABI always takes bytes: same call as bytes"},
      {"merge/bytes/8", "merge/8", NULL},
      {"merge/bytes/1000", "merge/1000", NULL},
      {"merge/struct/8", "merge/8", "libpeat's ABI always takes bytes: same call as bytes"},
      {"merge/struct/1000", "merge/1000", "libpeat's ABI always takes bytes: same call as bytes"},
      {"directive_json/parse_serialize", "directive_json", NULL},
  };
  size_t nids = sizeof ids / sizeof ids[0];

  for (int i = 0; i < nworkloads; i++) {
    struct workload* w = &workloads[i];
    if (w->missing) continue;
    if (filter) { /* run a workload when it or one of its ids matches */
      int hit = strstr(w->key, filter) != NULL;
      for (size_t k = 0; k < nids && !hit; k++)
        hit = ids[k].workload && !strcmp(ids[k].workload, w->key) && strstr(ids[k].id, filter);
      if (!hit) continue;
    }
    measure(w, seconds);
  }

  FILE* f = fopen(outpath, "w");
  if (!f) {
    fprintf(stderr, "refbench: cannot write %s\n", outpath);
    return 1;
  }
  fprintf(f, "{\n \"seconds_per_workload\": %g,\n \"samples\": %d,\n \"results\": {", seconds, SAMPLES);
  for (size_t k = 0; k < nids; k++) {
    struct workload* w = ids[k].workload ? find(ids[k].workload) : NULL;
    fprintf(f, "%s\n  ", k ? "," : "");
    json_str(f, ids[k].id);
    fprintf(f, ": {\"ns\": ");
    if (w && w->ns >= 0 && !check_mode)
      fprintf(f, "%.1f", w->ns);
    else
      fprintf(f, "null");
    fprintf(f, ", \"calls\": ");
    json_str(f, w ? w->calls : "");
    const char* note = ids[k].note;
    if (w && w->missing) note = w->missing;
    if (note) {
      fprintf(f, ", \"note\": ");
      json_str(f, note);
    }
    fprintf(f, "}");
  }
  fprintf(f, "\n }\n}\n");
  fclose(f);
  return 0;
}
