/* Tests of the directive-security calls of peat.h (ABI 1.1): keys, signing,
 * verification, signed targeting, and the artifact-verification handle
 * (rule 9: lifetime, use after free, double free, wrong kind, threads).
 * Run under valgrind by `make test-c`, from the repository root (it reads
 * the OpenSSL-made fixtures in core/security/testdata). Requests are built
 * as proto3 JSON and converted with peat_convert, or by a tiny protobuf
 * writer below; results are read with a tiny protobuf reader. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctest.h"
#include "peat.h"

#define FIX "core/security/testdata/"

static int has(const peat_buf* b, const char* s) {
  return b->data != NULL && memmem(b->data, b->len, s, strlen(s)) != NULL;
}

/* ---- a tiny protobuf writer and reader ---------------------------------- */
typedef struct {
  uint8_t* p;
  size_t n, cap;
} wbuf;

static void w_raw(wbuf* w, const void* d, size_t n) {
  if (w->n + n > w->cap) {
    w->cap = (w->n + n) * 2 + 64;
    w->p = (uint8_t*)realloc(w->p, w->cap);
  }
  memcpy(w->p + w->n, d, n);
  w->n += n;
}
static void w_varint(wbuf* w, uint64_t v) {
  uint8_t b[10];
  size_t i = 0;
  do {
    b[i] = (uint8_t)(v & 0x7f);
    v >>= 7;
    if (v) b[i] |= 0x80;
    i++;
  } while (v);
  w_raw(w, b, i);
}
static void w_bytes(wbuf* w, int field, const void* d, size_t n) {
  w_varint(w, (uint64_t)field << 3 | 2);
  w_varint(w, n);
  w_raw(w, d, n);
}
static void w_uint(wbuf* w, int field, uint64_t v) {
  w_varint(w, (uint64_t)field << 3);
  w_varint(w, v);
}

static int r_varint(const uint8_t** p, const uint8_t* end, uint64_t* v) {
  int shift = 0;
  *v = 0;
  while (*p < end && shift < 64) {
    uint8_t b = *(*p)++;
    *v |= (uint64_t)(b & 0x7f) << shift;
    if (!(b & 0x80)) return 1;
    shift += 7;
  }
  return 0;
}
/* Finds top-level field `field` (length-delimited: d and n; varint: v). */
static int pb_get(const uint8_t* buf, size_t len, int field, const uint8_t** d, size_t* n, uint64_t* v) {
  const uint8_t *p = buf, *end = buf + len;
  uint64_t key, x;
  while (p < end && r_varint(&p, end, &key)) {
    int f = (int)(key >> 3), t = (int)(key & 7);
    if (t == 0) {
      if (!r_varint(&p, end, &x)) return 0;
      if (f == field) {
        if (v) *v = x;
        return 1;
      }
    } else if (t == 2) {
      if (!r_varint(&p, end, &x) || x > (uint64_t)(end - p)) return 0;
      if (f == field) {
        if (d) *d = p;
        if (n) *n = (size_t)x;
        return 1;
      }
      p += x;
    } else {
      return 0;
    }
  }
  return 0;
}
static char* pb_str(const peat_buf* b, int field) {
  const uint8_t* d = NULL;
  size_t n = 0;
  char* s;
  if (!pb_get(b->data, b->len, field, &d, &n, NULL)) return NULL;
  s = (char*)malloc(n + 1);
  memcpy(s, d, n);
  s[n] = 0;
  return s;
}
static uint64_t pb_uint(const peat_buf* b, int field) {
  uint64_t v = 0;
  pb_get(b->data, b->len, field, NULL, NULL, &v);
  return v;
}

static char* read_text(const char* path) {
  size_t n = 0;
  unsigned char* b = ctest_read_file(path, &n);
  char* s;
  if (!b) {
    fprintf(stderr, "cannot read %s (run from the repository root)\n", path);
    exit(2);
  }
  s = (char*)realloc(b, n + 1);
  s[n] = 0;
  return s;
}

/* JSON -> binary of a registered type. */
static peat_buf to_bin(const char* type, const char* json) {
  peat_buf out = {NULL, 0};
  CHECK_STATUS(peat_convert(type, PEAT_FORMAT_JSON, PEAT_FORMAT_BINARY, (const uint8_t*)json, strlen(json), &out),
               PEAT_OK);
  return out;
}

static const char* DIRECTIVE_JSON =
    "{\"directiveId\":\"d-1\",\"issuedAt\":{\"seconds\":\"1762387000\"},\"issuerNodeId\":\"c2\","
    "\"scope\":{\"nodes\":{\"nodeIds\":[\"uav-1\"]}},\"artifact\":{\"blobHash\":\"sha256:"
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\",\"sizeBytes\":\"3\","
    "\"artifactType\":{\"configPackage\":{\"targetPath\":\"/opt/peat/conf\"}}}}";

/* SignRequest {directive = DIRECTIVE, private_key_pem = pem} or {envelope}. */
static int32_t sign(const char* pem, const peat_buf* envelope, peat_buf* out) {
  wbuf w = {NULL, 0, 0};
  int32_t rc;
  if (envelope) {
    w_bytes(&w, 2, envelope->data, envelope->len);
  } else {
    peat_buf d = to_bin("peat.directive.v1.DeploymentDirective", DIRECTIVE_JSON);
    w_bytes(&w, 1, d.data, d.len);
    peat_buf_free(&d);
  }
  w_bytes(&w, 3, pem, strlen(pem));
  rc = peat_directive_sign(w.p, w.n, out);
  free(w.p);
  return rc;
}

/* VerifyRequest {envelope, trust {keys: pubs, threshold}, now}. */
static void verify_request(wbuf* w, const uint8_t* env, size_t env_len, const char** pubs, int npubs,
                           uint32_t threshold) {
  wbuf ts = {NULL, 0, 0}, now = {NULL, 0, 0};
  int i;
  for (i = 0; i < npubs; i++) {
    wbuf k = {NULL, 0, 0};
    w_bytes(&k, 1, pubs[i], strlen(pubs[i]));
    w_bytes(&ts, 1, k.p, k.n);
    free(k.p);
  }
  if (threshold) w_uint(&ts, 2, threshold);
  w_uint(&now, 1, 1762387200u);
  w_bytes(w, 1, env, env_len);
  if (ts.n) {
    w_bytes(w, 2, ts.p, ts.n);
  } else {
    w_bytes(w, 2, "", 0);
  }
  w_bytes(w, 3, now.p, now.n);
  free(ts.p);
  free(now.p);
}

static int32_t verify(const uint8_t* env, size_t env_len, const char** pubs, int npubs, uint32_t threshold,
                      peat_buf* out) {
  wbuf w = {NULL, 0, 0};
  int32_t rc;
  verify_request(&w, env, env_len, pubs, npubs, threshold);
  rc = peat_directive_verify(w.p, w.n, out);
  free(w.p);
  return rc;
}

static void test_keys(void) {
  char *priv = read_text(FIX "ed25519.pem"), *pub = read_text(FIX "ed25519.pub.pem");
  char *keyid = read_text(FIX "ed25519.keyid"), *rsa = read_text(FIX "rsa.pem");
  peat_buf out = {NULL, 0};
  char* s;
  keyid[64] = 0;

  CHECK_STATUS(peat_key_inspect((const uint8_t*)priv, strlen(priv), &out), PEAT_OK);
  s = pb_str(&out, 1);
  CHECK(s && strcmp(s, keyid) == 0);
  free(s);
  s = pb_str(&out, 2);
  CHECK(s && strcmp(s, pub) == 0); /* the public key openssl pkey -pubout wrote */
  free(s);
  CHECK(pb_uint(&out, 3) == 1);
  peat_buf_free(&out);

  CHECK_STATUS(peat_key_inspect((const uint8_t*)rsa, strlen(rsa), &out), PEAT_E_INVALID_ARGUMENT);
  CHECK(has(&out, "KEY_WRONG_TYPE"));
  CHECK(!has(&out, "MII")); /* no base64 of the RSA key */
  peat_buf_free(&out);
  CHECK_STATUS(peat_key_inspect((const uint8_t*)"junk", 4, &out), PEAT_E_INVALID_ARGUMENT);
  CHECK(has(&out, "KEY_NOT_PEM"));
  peat_buf_free(&out);
  CHECK_STATUS(peat_key_inspect(NULL, 5, &out), PEAT_E_INVALID_ARGUMENT);
  peat_buf_free(&out);

  /* A generated pair: its private key inspects to its public key and id. */
  CHECK_STATUS(peat_key_generate(&out), PEAT_OK);
  {
    char *gpriv = pb_str(&out, 1), *gpub = pb_str(&out, 2), *gid = pb_str(&out, 3);
    peat_buf info = {NULL, 0};
    CHECK(gpriv && strncmp(gpriv, "-----BEGIN PRIVATE KEY-----\n", 28) == 0);
    CHECK(gpub && strncmp(gpub, "-----BEGIN PUBLIC KEY-----\n", 27) == 0);
    CHECK(gid && strlen(gid) == 64);
    CHECK_STATUS(peat_key_inspect((const uint8_t*)gpriv, strlen(gpriv), &info), PEAT_OK);
    s = pb_str(&info, 1);
    CHECK(s && gid && strcmp(s, gid) == 0);
    free(s);
    peat_buf_free(&info);
    free(gpriv);
    free(gpub);
    free(gid);
  }
  peat_buf_free(&out);
  CHECK_STATUS(peat_key_generate(NULL), PEAT_E_INVALID_ARGUMENT);
  free(priv);
  free(pub);
  free(keyid);
  free(rsa);
}

static void test_sign_verify(void) {
  char *priv = read_text(FIX "ed25519.pem"), *pub = read_text(FIX "ed25519.pub.pem");
  char *privb = read_text(FIX "ed25519-b.pem"), *pubb = read_text(FIX "ed25519-b.pub.pem");
  char* keyid = read_text(FIX "ed25519.keyid");
  const char* one[] = {pub};
  const char* other[] = {pubb};
  const char* both[] = {pub, pubb};
  const char* twice[] = {pub, pub};
  peat_buf env = {NULL, 0}, env2 = {NULL, 0}, res = {NULL, 0};
  size_t i;
  int flips_failed = 0;
  keyid[64] = 0;

  CHECK_STATUS(sign(priv, NULL, &env), PEAT_OK);
  CHECK_STATUS(verify(env.data, env.len, one, 1, 0, &res), PEAT_OK);
  CHECK(pb_uint(&res, 1) == 1);
  CHECK(has(&res, "VERIFIED") && has(&res, keyid));
  peat_buf_free(&res);

  /* Every flipped byte fails (verified = false, status still OK). */
  for (i = 0; i < env.len; i++) {
    env.data[i] ^= 0x01;
    if (verify(env.data, env.len, one, 1, 0, &res) == PEAT_OK && pb_uint(&res, 1) == 0) flips_failed++;
    peat_buf_free(&res);
    env.data[i] ^= 0x01;
  }
  CHECK(flips_failed == (int)env.len);

  /* A key outside the trust set. */
  CHECK_STATUS(verify(env.data, env.len, other, 1, 0, &res), PEAT_OK);
  CHECK(pb_uint(&res, 1) == 0 && has(&res, "UNKNOWN_KEY"));
  peat_buf_free(&res);

  /* Threshold 2: one signature is not enough, two are. */
  CHECK_STATUS(verify(env.data, env.len, both, 2, 2, &res), PEAT_OK);
  CHECK(pb_uint(&res, 1) == 0 && has(&res, "THRESHOLD_NOT_MET"));
  peat_buf_free(&res);
  CHECK_STATUS(sign(privb, &env, &env2), PEAT_OK);
  CHECK_STATUS(verify(env2.data, env2.len, both, 2, 2, &res), PEAT_OK);
  CHECK(pb_uint(&res, 1) == 1);
  peat_buf_free(&res);
  CHECK_STATUS(sign(priv, &env2, &res), PEAT_E_INVALID_ARGUMENT);
  CHECK(has(&res, "DUPLICATE_SIGNER"));
  peat_buf_free(&res);

  /* Bad input: truncated envelope, bad trust sets, wrong key kinds. */
  CHECK_STATUS(verify(env.data, env.len / 2, one, 1, 0, &res), PEAT_OK);
  CHECK(pb_uint(&res, 1) == 0);
  peat_buf_free(&res);
  CHECK_STATUS(verify(env.data, env.len, NULL, 0, 0, &res), PEAT_E_INVALID_ARGUMENT);
  CHECK(has(&res, "EMPTY_TRUST_SET"));
  peat_buf_free(&res);
  CHECK_STATUS(verify(env.data, env.len, one, 1, 2, &res), PEAT_E_INVALID_ARGUMENT);
  CHECK(has(&res, "THRESHOLD_UNREACHABLE"));
  peat_buf_free(&res);
  CHECK_STATUS(verify(env.data, env.len, twice, 2, 0, &res), PEAT_E_INVALID_ARGUMENT);
  CHECK(has(&res, "DUPLICATE_KEY_ID"));
  peat_buf_free(&res);
  {
    const char* privs[] = {priv};
    CHECK_STATUS(verify(env.data, env.len, privs, 1, 0, &res), PEAT_E_INVALID_ARGUMENT);
    CHECK(has(&res, "KEY_NOT_PUBLIC") && !has(&res, priv + 28));
    peat_buf_free(&res);
  }
  CHECK_STATUS(sign(pub, NULL, &res), PEAT_E_INVALID_ARGUMENT);
  CHECK(has(&res, "KEY_NOT_PRIVATE"));
  peat_buf_free(&res);
  CHECK_STATUS(peat_directive_verify((const uint8_t*)"\xff", 1, &res), PEAT_E_DECODE);
  peat_buf_free(&res);
  CHECK_STATUS(peat_directive_verify(NULL, 0, &res), PEAT_E_INVALID_ARGUMENT); /* empty request: no trust set */
  peat_buf_free(&res);

  /* Targeting from the envelope: verified -> decided; unverified -> refused. */
  {
    peat_buf node = to_bin("cap.node.v1.NodeConfig", "{\"id\":\"uav-1\",\"platformType\":\"quadrotor\"}");
    wbuf v = {NULL, 0, 0}, req = {NULL, 0, 0};
    verify_request(&v, env.data, env.len, one, 1, 0);
    w_bytes(&req, 1, v.p, v.n);
    w_bytes(&req, 2, node.data, node.len);
    CHECK_STATUS(peat_directive_target_signed(req.p, req.n, &res), PEAT_OK);
    CHECK(has(&res, "uav-1") && has(&res, keyid));
    peat_buf_free(&res);
    free(v.p);
    free(req.p);
    v.p = req.p = NULL;
    v.n = v.cap = req.n = req.cap = 0;
    verify_request(&v, env.data, env.len, other, 1, 0);
    w_bytes(&req, 1, v.p, v.n);
    w_bytes(&req, 2, node.data, node.len);
    CHECK_STATUS(peat_directive_target_signed(req.p, req.n, &res), PEAT_E_NOT_VERIFIED);
    CHECK(has(&res, "UNKNOWN_KEY"));
    CHECK(strcmp(peat_status_name(PEAT_E_NOT_VERIFIED), "NOT_VERIFIED") == 0);
    peat_buf_free(&res);
    free(v.p);
    free(req.p);
    peat_buf_free(&node);
  }
  peat_buf_free(&env);
  peat_buf_free(&env2);
  free(priv);
  free(pub);
  free(privb);
  free(pubb);
  free(keyid);
}

/* ---- artifacts ------------------------------------------------------------ */
#define SHA256_ABC "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define BLAKE3_ABC "blake3:6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85"
/* NIST: SHA-256 of one million 'a'. */
#define SHA256_MILLION_A "sha256:cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"

static uint64_t new_artifact(const char* hash, uint64_t size) {
  char json[256];
  peat_buf spec, out = {NULL, 0};
  uint64_t h = 99;
  snprintf(json, sizeof json, "{\"blobHash\":\"%s\",\"sizeBytes\":\"%llu\"}", hash, (unsigned long long)size);
  spec = to_bin("peat.directive.v1.ArtifactSpec", json);
  CHECK_STATUS(peat_artifact_new(spec.data, spec.len, &h, &out), PEAT_OK);
  CHECK(h != 0);
  peat_buf_free(&out);
  peat_buf_free(&spec);
  return h;
}

static int32_t update(uint64_t h, const void* d, size_t n) {
  peat_buf out = {NULL, 0};
  int32_t rc = peat_artifact_update(h, (const uint8_t*)d, n, &out);
  peat_buf_free(&out);
  return rc;
}

static void test_artifact(void) {
  peat_buf out = {NULL, 0};
  uint64_t h;
  char* a = (char*)malloc(1000000);
  size_t i;
  memset(a, 'a', 1000000);

  h = new_artifact(SHA256_ABC, 3);
  CHECK_STATUS(update(h, "a", 1), PEAT_OK);
  CHECK_STATUS(update(h, NULL, 0), PEAT_OK);
  CHECK_STATUS(update(h, "bc", 2), PEAT_OK);
  CHECK_STATUS(peat_artifact_finish(h, &out), PEAT_OK);
  CHECK(has(&out, SHA256_ABC));
  peat_buf_free(&out);
  CHECK_STATUS(peat_artifact_finish(h, &out), PEAT_OK); /* same outcome again */
  peat_buf_free(&out);
  CHECK_STATUS(update(h, "x", 1), PEAT_E_INVALID_ARGUMENT); /* ARTIFACT_FINISHED */
  peat_artifact_free(h);
  /* Use after free, double free, 0, wrong kind: errors or no-ops. */
  CHECK_STATUS(update(h, "a", 1), PEAT_E_INVALID_ARGUMENT);
  CHECK_STATUS(peat_artifact_finish(h, &out), PEAT_E_INVALID_ARGUMENT);
  CHECK(has(&out, "INVALID_HANDLE"));
  peat_buf_free(&out);
  peat_artifact_free(h);
  peat_artifact_free(0);
  peat_artifact_free(~(uint64_t)0);
  CHECK_STATUS(peat_artifact_finish(0, &out), PEAT_E_INVALID_ARGUMENT);
  peat_buf_free(&out);
  CHECK_STATUS(peat_artifact_finish(h & ~(uint64_t)0xff, &out), PEAT_E_INVALID_ARGUMENT);
  CHECK(has(&out, "WRONG_HANDLE_KIND"));
  peat_buf_free(&out);

  h = new_artifact(BLAKE3_ABC, 3);
  CHECK_STATUS(update(h, "abc", 3), PEAT_OK);
  CHECK_STATUS(peat_artifact_finish(h, &out), PEAT_OK);
  peat_buf_free(&out);
  peat_artifact_free(h);

  /* One byte short, one byte long, one bit flipped. */
  h = new_artifact(SHA256_ABC, 3);
  CHECK_STATUS(update(h, "ab", 2), PEAT_OK);
  CHECK_STATUS(peat_artifact_finish(h, &out), PEAT_E_NOT_VERIFIED);
  CHECK(has(&out, "ARTIFACT_TRUNCATED"));
  peat_buf_free(&out);
  peat_artifact_free(h);
  h = new_artifact(SHA256_ABC, 3);
  CHECK_STATUS(update(h, "abc", 3), PEAT_OK);
  CHECK_STATUS(peat_artifact_update(h, (const uint8_t*)"d", 1, &out), PEAT_E_NOT_VERIFIED);
  CHECK(has(&out, "ARTIFACT_EXCESS"));
  peat_buf_free(&out);
  CHECK_STATUS(peat_artifact_finish(h, &out), PEAT_E_NOT_VERIFIED);
  CHECK(has(&out, "ARTIFACT_EXCESS"));
  peat_buf_free(&out);
  peat_artifact_free(h);
  h = new_artifact(SHA256_ABC, 3);
  CHECK_STATUS(update(h, "abd", 3), PEAT_OK);
  CHECK_STATUS(peat_artifact_finish(h, &out), PEAT_E_NOT_VERIFIED);
  CHECK(has(&out, "ARTIFACT_DIGEST_MISMATCH"));
  peat_buf_free(&out);
  peat_artifact_free(h);

  /* A million bytes in uneven chunks. */
  h = new_artifact(SHA256_MILLION_A, 1000000);
  for (i = 0; i < 1000000;) {
    size_t n = 1 + (i * 7919) % 65536;
    if (n > 1000000 - i) n = 1000000 - i;
    CHECK_STATUS(update(h, a + i, n), PEAT_OK);
    i += n;
  }
  CHECK_STATUS(peat_artifact_finish(h, &out), PEAT_OK);
  peat_buf_free(&out);
  peat_artifact_free(h);

  /* Bad arguments. */
  {
    peat_buf spec = to_bin("peat.directive.v1.ArtifactSpec", "{\"blobHash\":\"sha256:abc\",\"sizeBytes\":\"3\"}");
    uint64_t hh = 7;
    CHECK_STATUS(peat_artifact_new(spec.data, spec.len, &hh, &out), PEAT_E_INVALID_ARGUMENT);
    CHECK(hh == 0 && has(&out, "INVALID_HASH"));
    peat_buf_free(&out);
    CHECK_STATUS(peat_artifact_new(spec.data, spec.len, NULL, &out), PEAT_E_INVALID_ARGUMENT);
    peat_buf_free(&out);
    CHECK_STATUS(peat_artifact_new(spec.data, spec.len, &hh, NULL), PEAT_E_INVALID_ARGUMENT);
    CHECK_STATUS(peat_artifact_new((const uint8_t*)"\xff", 1, &hh, &out), PEAT_E_DECODE);
    peat_buf_free(&out);
    peat_buf_free(&spec);
  }
  free(a);
}

/* Threads: each worker streams its own handle; two more share one handle
 * (a misuse the per-object lock makes safe: every chunk is the same 'a's,
 * so any interleaving gives the same digest). */
typedef struct {
  uint64_t h;
  int chunks;
  int ok;
} worker;

static void* stream(void* arg) {
  worker* w = (worker*)arg;
  char chunk[4000];
  int i;
  memset(chunk, 'a', sizeof chunk);
  w->ok = 1;
  for (i = 0; i < w->chunks; i++) {
    if (update(w->h, chunk, sizeof chunk) != PEAT_OK) w->ok = 0;
  }
  return NULL;
}

static void test_artifact_threads(void) {
  worker ws[6];
  pthread_t th[6];
  peat_buf out = {NULL, 0};
  uint64_t shared = new_artifact(SHA256_MILLION_A, 1000000);
  int i;
  for (i = 0; i < 4; i++) {
    ws[i].h = new_artifact(SHA256_MILLION_A, 1000000);
    ws[i].chunks = 250;
  }
  ws[4].h = ws[5].h = shared;
  ws[4].chunks = ws[5].chunks = 125;
  for (i = 0; i < 6; i++) CHECK(pthread_create(&th[i], NULL, stream, &ws[i]) == 0);
  for (i = 0; i < 6; i++) pthread_join(th[i], NULL);
  for (i = 0; i < 5; i++) {
    CHECK(ws[i].ok);
    CHECK_STATUS(peat_artifact_finish(ws[i].h, &out), PEAT_OK);
    peat_buf_free(&out);
    peat_artifact_free(ws[i].h);
  }
}

int main(void) {
  test_keys();
  test_sign_verify();
  test_artifact();
  test_artifact_threads();
  return ctest_finish("test_security");
}
