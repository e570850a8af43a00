/* Artifact-verification throughput through the C ABI (make bench-artifact):
 * streams FILE through a peat_artifact handle in 1 MiB chunks (read with
 * fread, as a node would read back a download) and prints MiB/s.
 * usage: artifact_bench FILE BLOB_HASH */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "peat.h"

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Minimal protobuf of ArtifactSpec {blob_hash = 1, size_bytes = 2}. */
static size_t spec(unsigned char* p, const char* hash, unsigned long long size) {
  size_t n = 0, h = strlen(hash);
  p[n++] = 0x0a;
  p[n++] = (unsigned char)h;
  memcpy(p + n, hash, h);
  n += h;
  p[n++] = 0x10;
  do {
    p[n] = (unsigned char)(size & 0x7f);
    size >>= 7;
    if (size) p[n] |= 0x80;
    n++;
  } while (size);
  return n;
}

int main(int argc, char** argv) {
  FILE* f;
  unsigned char sp[128], *buf;
  size_t n, total = 0;
  long size;
  uint64_t h = 0;
  peat_buf out = {NULL, 0};
  double t0, t1;
  int32_t rc;
  if (argc != 3 || strlen(argv[2]) > 100) {
    fprintf(stderr, "usage: artifact_bench FILE BLOB_HASH\n");
    return 2;
  }
  f = fopen(argv[1], "rb");
  if (!f) return 2;
  fseek(f, 0, SEEK_END);
  size = ftell(f);
  fseek(f, 0, SEEK_SET);
  buf = (unsigned char*)malloc(1 << 20);
  t0 = now();
  if (peat_artifact_new(sp, spec(sp, argv[2], (unsigned long long)size), &h, &out) != PEAT_OK) {
    fprintf(stderr, "peat_artifact_new failed\n");
    return 2;
  }
  peat_buf_free(&out);
  while ((n = fread(buf, 1, 1 << 20, f)) > 0) {
    if (peat_artifact_update(h, buf, n, &out) != PEAT_OK) return 2;
    peat_buf_free(&out);
    total += n;
  }
  rc = peat_artifact_finish(h, &out);
  t1 = now();
  peat_buf_free(&out);
  peat_artifact_free(h);
  printf("libpeat %s (C ABI, 1 MiB chunks): %zu MiB in %.2f s = %.0f MiB/s (%s)\n",
         strncmp(argv[2], "blake3", 6) == 0 ? "blake3" : "sha256", total >> 20, t1 - t0,
         (double)(total >> 20) / (t1 - t0), rc == PEAT_OK ? "verified" : peat_status_name(rc));
  fclose(f);
  free(buf);
  return rc == PEAT_OK ? 0 : 1;
}
