/*
 * abi_probe — times peat_abi_version() called directly from C, so the Java
 * benchmark can report the JNI overhead against C in the same run.
 * Prints the nanoseconds per call (best of 5 rounds) on stdout.
 * Usage: abi_probe [calls per round]
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "peat.h"

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

int main(int argc, char** argv) {
  long n = argc > 1 ? atol(argv[1]) : 2000000;
  if (n <= 0) n = 2000000;
  volatile uint32_t sink = 0;
  double best = -1;
  for (int round = 0; round < 6; round++) {
    double t0 = now_ns();
    for (long i = 0; i < n; i++) sink += peat_abi_version();
    double per = (now_ns() - t0) / (double)n;
    if (round > 0 && (best < 0 || per < best)) best = per; /* round 0 warms up */
  }
  if (sink == 0) return 1;
  printf("%.2f\n", best);
  return 0;
}
