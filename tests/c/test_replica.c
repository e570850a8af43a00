/* Tests from C of the replica handles of peat.h (ABI 1.2): every call gives
 * the bytes of the matching stateless peat_doc_* call; clones are
 * independent; rule 9 (use after free, double free, 0, wrong kind, NULL
 * arguments, threads). Requests are written as proto3 JSON and turned into
 * binary with peat_convert. Run under valgrind by `make test-c`. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctest.h"
#include "peat.h"

static const char* CELLDOC = "peat.crdt.v1.CellDoc";

static peat_buf bin(const char* type, const char* json) {
  peat_buf b = {NULL, 0};
  int32_t st = peat_convert(type, PEAT_FORMAT_JSON, PEAT_FORMAT_BINARY, (const uint8_t*)json, strlen(json), &b);
  CHECK_STATUS(st, PEAT_OK);
  return b;
}

static int same(const peat_buf* a, const peat_buf* b) {
  return a->len == b->len && (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

/* Field `field` (length-delimited) of a small binary message, or NULL. */
static const uint8_t* field_of(const peat_buf* m, int field, size_t* len) {
  size_t i = 0;
  while (i < m->len) {
    uint64_t key = 0, n = 0;
    int shift = 0;
    while (i < m->len) {
      uint8_t c = m->data[i++];
      key |= (uint64_t)(c & 0x7f) << shift;
      shift += 7;
      if (!(c & 0x80)) break;
    }
    if ((key & 7) != 2) return NULL;
    shift = 0;
    while (i < m->len) {
      uint8_t c = m->data[i++];
      n |= (uint64_t)(c & 0x7f) << shift;
      shift += 7;
      if (!(c & 0x80)) break;
    }
    if (n > m->len - i) return NULL;
    if ((int)(key >> 3) == field) {
      *len = (size_t)n;
      return m->data + i;
    }
    i += (size_t)n;
  }
  *len = 0;
  return m->data + m->len; /* absent: empty */
}

/* Frees what a previous call left in *b, so that it can take the next output. */
static peat_buf* fresh(peat_buf* b) {
  peat_buf_free(b);
  return b;
}

static peat_buf encoded(uint64_t h) {
  peat_buf b = {NULL, 0};
  CHECK_STATUS(peat_replica_encode(h, &b), PEAT_OK);
  return b;
}

/* The replica matches the stateless calls, step by step. */
static void test_matches_stateless(void) {
  peat_buf init = bin("peat.crdt.v1.DocInit",
                      "{\"replica\":\"r1\",\"id\":\"cell-1\",\"cellState\":{\"config\":{\"id\":\"cell-1\",\"maxSize\":8,"
                      "\"minSize\":1},\"members\":[\"n0\"]}}");
  peat_buf doc = {NULL, 0}, out = {NULL, 0};
  uint64_t h = 0, g = 0;
  CHECK_STATUS(peat_doc_new(CELLDOC, init.data, init.len, &doc), PEAT_OK);
  CHECK_STATUS(peat_replica_new(CELLDOC, init.data, init.len, &h, fresh(&out)), PEAT_OK);
  CHECK(h != 0 && out.len == 0);
  CHECK_STATUS(peat_replica_open(CELLDOC, doc.data, doc.len, &g, fresh(&out)), PEAT_OK);
  CHECK(g != 0 && g != h);
  peat_buf e = encoded(h), f = encoded(g);
  CHECK(same(&e, &doc) && same(&f, &doc));
  peat_buf_free(&e);
  peat_buf_free(&f);

  const char* ops[] = {
      "{\"replica\":\"r1\",\"timestamp\":{\"seconds\":\"10\"},\"addMember\":{\"nodeId\":\"n1\"}}",
      "{\"replica\":\"r1\",\"timestamp\":{\"seconds\":\"11\"},\"setLeader\":{\"nodeId\":\"n1\"}}",
      "{\"replica\":\"r1\",\"timestamp\":{\"seconds\":\"12\"},\"removeMember\":{\"nodeId\":\"n0\"}}",
      ("{\"replica\":\"r1\",\"timestamp\":{\"seconds\":\"13\"},\"addCapability\":{\"capability\":{\"id\":\"c1\","
       "\"confidence\":-0.0}}}"),
  };
  for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
    peat_buf op = bin("peat.crdt.v1.Operation", ops[i]), res = {NULL, 0}, delta = {NULL, 0};
    CHECK_STATUS(peat_doc_apply(CELLDOC, doc.data, doc.len, op.data, op.len, &res), PEAT_OK);
    CHECK_STATUS(peat_replica_apply(h, op.data, op.len, &delta), PEAT_OK);
    size_t dl = 0, ml = 0;
    const uint8_t* d = field_of(&res, 1, &dl);
    const uint8_t* m = field_of(&res, 2, &ml);
    CHECK(d != NULL && m != NULL);
    if (d && m) {
      CHECK(delta.len == ml && memcmp(delta.data, m, ml) == 0);
      /* the other replica receives the delta */
      peat_buf ok = {NULL, 0};
      CHECK_STATUS(peat_replica_merge(g, delta.data, delta.len, fresh(&ok)), PEAT_OK);
      CHECK(ok.len == 0);
      peat_buf_free(&ok);
      peat_buf next = {NULL, 0};
      next.data = (uint8_t*)malloc(dl ? dl : 1);
      memcpy(next.data, d, dl);
      next.len = dl;
      free(doc.data);
      doc = next;
    }
    peat_buf eh = encoded(h), eg = encoded(g);
    CHECK(same(&eh, &doc));
    CHECK(same(&eg, &doc));
    peat_buf_free(&eh);
    peat_buf_free(&eg);
    peat_buf_free(&op);
    peat_buf_free(&res);
    peat_buf_free(&delta);
  }
  peat_buf s1 = {NULL, 0}, s2 = {NULL, 0};
  CHECK_STATUS(peat_doc_materialize(CELLDOC, PEAT_FORMAT_JSON, doc.data, doc.len, &s1), PEAT_OK);
  CHECK_STATUS(peat_replica_materialize(h, PEAT_FORMAT_JSON, &s2), PEAT_OK);
  CHECK(same(&s1, &s2));
  CHECK(memmem(s2.data, s2.len, "\"leaderId\":\"n1\"", 15) != NULL);
  peat_buf_free(&s1);
  peat_buf_free(&s2);
  CHECK_STATUS(peat_replica_merge_replica(h, g, fresh(&out)), PEAT_OK);
  CHECK_STATUS(peat_replica_merge_replica(h, h, fresh(&out)), PEAT_OK);
  peat_buf eh = encoded(h);
  CHECK(same(&eh, &doc));
  peat_buf_free(&eh);
  peat_replica_free(h);
  peat_replica_free(g);
  peat_buf_free(&out);
  peat_buf_free(&doc);
  peat_buf_free(&init);
}

static void test_clone(void) {
  uint64_t a = 0, b = 0;
  peat_buf out = {NULL, 0}, delta = {NULL, 0};
  CHECK_STATUS(peat_replica_new(CELLDOC, NULL, 0, &a, fresh(&out)), PEAT_OK);
  CHECK_STATUS(peat_replica_clone(a, &b, fresh(&out)), PEAT_OK);
  peat_buf op = bin("peat.crdt.v1.Operation",
                    "{\"replica\":\"r2\",\"timestamp\":{\"seconds\":\"5\"},\"addMember\":{\"nodeId\":\"x\"}}");
  CHECK_STATUS(peat_replica_apply(b, op.data, op.len, &delta), PEAT_OK);
  peat_buf ea = encoded(a), eb = encoded(b);
  CHECK(ea.len == 0);  /* the original is still the empty document */
  CHECK(eb.len > 0);
  peat_buf_free(&ea);
  peat_buf_free(&eb);
  peat_buf_free(&delta);
  peat_buf_free(&op);
  peat_replica_free(a);
  peat_replica_free(b);
  peat_buf_free(&out);
}

static void test_errors(void) {
  uint64_t h = 0, other = 0, art = 1234;
  peat_buf err = {NULL, 0};
  static const uint8_t garbage[] = {0x0a, 0xff};
  CHECK_STATUS(peat_replica_new(CELLDOC, NULL, 0, NULL, fresh(&err)), PEAT_E_INVALID_ARGUMENT);
  peat_buf_free(&err);
  CHECK_STATUS(peat_replica_new("cap.cell.v1.CellState", NULL, 0, &h, fresh(&err)), PEAT_E_UNKNOWN_TYPE);
  CHECK(h == 0);
  peat_buf_free(&err);
  CHECK_STATUS(peat_replica_new(NULL, NULL, 0, &h, fresh(&err)), PEAT_E_INVALID_ARGUMENT);
  peat_buf_free(&err);
  CHECK_STATUS(peat_replica_open(CELLDOC, garbage, sizeof garbage, &h, fresh(&err)), PEAT_E_DECODE);
  CHECK(h == 0);
  peat_buf_free(&err);
  CHECK_STATUS(peat_replica_open(CELLDOC, NULL, 5, &h, fresh(&err)), PEAT_E_INVALID_ARGUMENT);
  peat_buf_free(&err);

  CHECK_STATUS(peat_replica_new(CELLDOC, NULL, 0, &h, fresh(&err)), PEAT_OK);
  CHECK_STATUS(peat_replica_new("peat.crdt.v1.ZoneDoc", NULL, 0, &other, fresh(&err)), PEAT_OK);
  CHECK_STATUS(peat_replica_merge_replica(h, other, fresh(&err)), PEAT_E_MISMATCH);
  CHECK(memmem(err.data, err.len, "DOC_TYPE_MISMATCH", 17) != NULL);
  peat_buf_free(&err);
  CHECK_STATUS(peat_replica_merge(h, garbage, sizeof garbage, fresh(&err)), PEAT_E_DECODE);
  peat_buf_free(&err);
  CHECK_STATUS(peat_replica_apply(h, garbage, sizeof garbage, fresh(&err)), PEAT_E_DECODE);
  peat_buf_free(&err);
  CHECK_STATUS(peat_replica_apply(h, NULL, 3, fresh(&err)), PEAT_E_INVALID_ARGUMENT);
  peat_buf_free(&err);
  CHECK_STATUS(peat_replica_materialize(h, 42, fresh(&err)), PEAT_E_INVALID_ARGUMENT);
  peat_buf_free(&err);
  CHECK_STATUS(peat_replica_clone(h, NULL, fresh(&err)), PEAT_E_INVALID_ARGUMENT);
  peat_buf_free(&err);

  /* wrong kind: an artifact handle */
  peat_buf spec = bin("peat.directive.v1.ArtifactSpec",
                      "{\"blobHash\":\"sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\","
                      "\"sizeBytes\":\"4\"}");
  CHECK_STATUS(peat_artifact_new(spec.data, spec.len, &art, fresh(&err)), PEAT_OK);
  CHECK_STATUS(peat_replica_encode(art, fresh(&err)), PEAT_E_INVALID_ARGUMENT);
  CHECK(memmem(err.data, err.len, "WRONG_HANDLE_KIND", 17) != NULL);
  peat_buf_free(&err);
  peat_replica_free(art); /* a no-op on another kind */
  CHECK_STATUS(peat_artifact_update(art, (const uint8_t*)"test", 4, fresh(&err)), PEAT_OK);
  CHECK_STATUS(peat_artifact_finish(art, fresh(&err)), PEAT_OK);
  peat_buf_free(&err);
  peat_artifact_free(art);
  CHECK_STATUS(peat_artifact_finish(h, fresh(&err)), PEAT_E_INVALID_ARGUMENT); /* a replica is not an artifact */
  peat_buf_free(&err);

  /* use after free, double free, 0 */
  peat_replica_free(other);
  CHECK_STATUS(peat_replica_merge_replica(h, other, fresh(&err)), PEAT_E_INVALID_ARGUMENT);
  CHECK(memmem(err.data, err.len, "INVALID_HANDLE", 14) != NULL);
  peat_buf_free(&err);
  peat_replica_free(h);
  peat_replica_free(h);
  peat_replica_free(0);
  uint64_t c = 99;
  CHECK_STATUS(peat_replica_clone(h, &c, fresh(&err)), PEAT_E_INVALID_ARGUMENT);
  CHECK(c == 0);
  peat_buf_free(&err);
  CHECK_STATUS(peat_replica_encode(h, fresh(&err)), PEAT_E_INVALID_ARGUMENT);
  peat_buf_free(&err);
  CHECK_STATUS(peat_replica_encode(0, fresh(&err)), PEAT_E_INVALID_ARGUMENT);
  peat_buf_free(&err);
  CHECK_STATUS(peat_replica_materialize(h, PEAT_FORMAT_BINARY, fresh(&err)), PEAT_E_INVALID_ARGUMENT);
  peat_buf_free(&err);
  CHECK_STATUS(peat_replica_merge(h, NULL, 0, fresh(&err)), PEAT_E_INVALID_ARGUMENT);
  peat_buf_free(&err);
  peat_buf_free(&spec);
  peat_buf_free(&err);
}

/* Threads: four threads add members to one replica at once (calls on one
 * handle are serialised) while four others work on their own clones. */
typedef struct {
  uint64_t h;
  int id;
  int failures;
} job;

static void* worker(void* p) {
  job* j = (job*)p;
  for (int i = 0; i < 25; i++) {
    char json[160];
    snprintf(json, sizeof json,
             "{\"replica\":\"t%d\",\"timestamp\":{\"seconds\":\"%d\"},\"addMember\":{\"nodeId\":\"t%d-%d\"}}", j->id,
             100 + i, j->id, i);
    peat_buf op = {NULL, 0}, delta = {NULL, 0};
    if (peat_convert("peat.crdt.v1.Operation", PEAT_FORMAT_JSON, PEAT_FORMAT_BINARY, (const uint8_t*)json,
                     strlen(json), &op) != PEAT_OK ||
        peat_replica_apply(j->h, op.data, op.len, &delta) != PEAT_OK)
      j->failures++;
    peat_buf_free(&op);
    peat_buf_free(&delta);
  }
  return NULL;
}

static void test_threads(void) {
  uint64_t shared = 0;
  peat_buf out = {NULL, 0};
  CHECK_STATUS(peat_replica_new(CELLDOC, NULL, 0, &shared, fresh(&out)), PEAT_OK);
  pthread_t th[8];
  job jobs[8];
  for (int i = 0; i < 8; i++) {
    jobs[i].id = i;
    jobs[i].failures = 0;
    jobs[i].h = shared;
    if (i >= 4) CHECK_STATUS(peat_replica_clone(shared, &jobs[i].h, fresh(&out)), PEAT_OK);
    pthread_create(&th[i], NULL, worker, &jobs[i]);
  }
  for (int i = 0; i < 8; i++) {
    pthread_join(th[i], NULL);
    CHECK(jobs[i].failures == 0);
  }
  for (int i = 4; i < 8; i++) {
    CHECK_STATUS(peat_replica_merge_replica(shared, jobs[i].h, fresh(&out)), PEAT_OK);
    peat_replica_free(jobs[i].h);
  }
  peat_buf st = {NULL, 0};
  CHECK_STATUS(peat_replica_materialize(shared, PEAT_FORMAT_JSON, &st), PEAT_OK);
  int members = 0;
  for (size_t i = 0; st.data && i + 1 < st.len; i++)
    if (st.data[i] == '"' && st.data[i + 1] == 't' && i + 2 < st.len && st.data[i + 2] >= '0' && st.data[i + 2] <= '9')
      members++;
  CHECK(members == 200);
  peat_buf_free(&st);
  peat_buf_free(&out);
  peat_replica_free(shared);
}

int main(void) {
  test_matches_stateless();
  test_clone();
  test_errors();
  test_threads();
  return ctest_finish("test_replica");
}
