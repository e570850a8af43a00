/* A C host's own signal handler next to libpeat (peat.h rule 7).
 *
 * libpeat contains the Go runtime, which runs Go code on small goroutine
 * stacks and gives every thread that runs Go code an alternate signal stack.
 * A handler the host installs after loading libpeat must therefore use
 * SA_ONSTACK: a signal that lands on a thread while it executes Go code then
 * runs the handler on that alternate stack instead of the goroutine's stack.
 *
 * This test installs a SIGALRM handler WITH SA_ONSTACK (as rule 7 says), fires
 * it every 200 us with setitimer while 8 threads call libpeat for a while, and
 * checks that every call still gives the right status and bytes, that the
 * handler ran many times, and that some of those runs interrupted a thread in
 * Go code (the handler found itself on an alternate signal stack) -- the case
 * the rule is about. The main thread blocks SIGALRM so the kernel delivers it
 * to the workers and to the Go runtime's own threads.
 *
 * `test_signals --no-onstack` installs the handler without SA_ONSTACK; it is a
 * demonstration, not part of make test: the process then typically dies (heap
 * corruption, "fatal error: unexpected signal", a segfault) within a second.
 * PEAT_SIGNALS_SECONDS overrides the run time (default 1.5 s; make test-c,
 * which runs this under valgrind, where threads are serialized, uses the
 * default and still gets thousands of calls and signals). */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "ctest.h"
#include "peat.h"

#define WORKERS 8
#define TIMER_US 200

static const char* TYPE = "cap.node.v1.NodeConfig";
static const char* JSON =
    "{\"id\":\"uav-1\",\"platformType\":\"quadrotor\",\"capabilities\":[{\"id\":\"c1\",\"name\":\"EO camera\","
    "\"capabilityType\":\"CAPABILITY_TYPE_SENSOR\",\"confidence\":0.5}],\"commRangeM\":100,\"maxSpeedMps\":10}";

static peat_buf want_bin = {NULL, 0};  /* JSON -> binary, computed before the signals start */
static peat_buf want_json = {NULL, 0}; /* binary -> JSON */

static unsigned long signals_seen = 0;    /* handler runs */
static unsigned long signals_onstack = 0; /* ... that ran on an alternate signal stack */

/* Uses some stack, as a real handler (logging, a profiler's unwinder) would,
 * and records where it ran. sigaltstack() only reads the thread's settings. */
static void on_alarm(int sig) {
  int saved = errno;
  volatile char scratch[4096];
  stack_t ss;
  size_t i;
  for (i = 0; i < sizeof scratch; i += 64) scratch[i] = (char)(sig + (int)i);
  __atomic_fetch_add(&signals_seen, 1, __ATOMIC_RELAXED);
  if (sigaltstack(NULL, &ss) == 0 && (ss.ss_flags & SS_ONSTACK))
    __atomic_fetch_add(&signals_onstack, 1, __ATOMIC_RELAXED);
  errno = saved;
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int same(const peat_buf* a, const peat_buf* b) {
  return a->len == b->len && (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

struct worker {
  pthread_t thread;
  double deadline;
  unsigned long calls;
  unsigned long failures;
};

/* Each round: JSON -> binary, validate, binary -> JSON; each result must be
 * exactly what it was before any signal. */
static void* work(void* arg) {
  struct worker* w = (struct worker*)arg;
  while (now_s() < w->deadline) {
    peat_buf out = {NULL, 0};
    if (peat_convert(TYPE, PEAT_FORMAT_JSON, PEAT_FORMAT_BINARY, (const uint8_t*)JSON, strlen(JSON), &out) != PEAT_OK ||
        !same(&out, &want_bin))
      w->failures++;
    peat_buf_free(&out);
    if (peat_validate(TYPE, PEAT_FORMAT_BINARY, want_bin.data, want_bin.len, NULL, 0, &out) != PEAT_OK ||
        out.len == 0)
      w->failures++;
    peat_buf_free(&out);
    if (peat_convert(TYPE, PEAT_FORMAT_BINARY, PEAT_FORMAT_JSON, want_bin.data, want_bin.len, &out) != PEAT_OK ||
        !same(&out, &want_json))
      w->failures++;
    peat_buf_free(&out);
    w->calls += 3;
  }
  return NULL;
}

int main(int argc, char** argv) {
  int onstack = !(argc > 1 && strcmp(argv[1], "--no-onstack") == 0);
  double seconds = 1.5;
  const char* env = getenv("PEAT_SIGNALS_SECONDS");
  struct worker workers[WORKERS];
  struct sigaction sa;
  struct itimerval timer;
  sigset_t alrm;
  unsigned long calls = 0, failures = 0;
  int i;

  if (env != NULL && atof(env) > 0) seconds = atof(env);
  CHECK_STATUS(peat_convert(TYPE, PEAT_FORMAT_JSON, PEAT_FORMAT_BINARY, (const uint8_t*)JSON, strlen(JSON), &want_bin),
               PEAT_OK);
  CHECK_STATUS(peat_convert(TYPE, PEAT_FORMAT_BINARY, PEAT_FORMAT_JSON, want_bin.data, want_bin.len, &want_json),
               PEAT_OK);

  /* The host's handler, installed after libpeat was loaded (it is linked, so
   * it was loaded before main). */
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART | (onstack ? SA_ONSTACK : 0);
  CHECK(sigaction(SIGALRM, &sa, NULL) == 0);

  for (i = 0; i < WORKERS; i++) {
    workers[i].deadline = now_s() + seconds;
    workers[i].calls = 0;
    workers[i].failures = 0;
    CHECK(pthread_create(&workers[i].thread, NULL, work, &workers[i]) == 0);
  }
  /* The workers inherited an unblocked SIGALRM; from now on the main thread
   * blocks it, so every signal goes to a worker or a Go runtime thread. */
  sigemptyset(&alrm);
  sigaddset(&alrm, SIGALRM);
  CHECK(pthread_sigmask(SIG_BLOCK, &alrm, NULL) == 0);
  memset(&timer, 0, sizeof timer);
  timer.it_interval.tv_usec = TIMER_US;
  timer.it_value.tv_usec = TIMER_US;
  CHECK(setitimer(ITIMER_REAL, &timer, NULL) == 0);

  for (i = 0; i < WORKERS; i++) {
    CHECK(pthread_join(workers[i].thread, NULL) == 0);
    calls += workers[i].calls;
    failures += workers[i].failures;
    CHECK(workers[i].calls > 0);
  }
  memset(&timer, 0, sizeof timer);
  CHECK(setitimer(ITIMER_REAL, &timer, NULL) == 0);

  printf("test_signals: %d threads, %lu calls, %lu SIGALRM every %d us (%lu on a Go signal stack), %lu wrong results\n",
         WORKERS, calls, signals_seen, TIMER_US, signals_onstack, failures);
  CHECK(failures == 0);
  /* Enough signals reached threads running libpeat for the test to mean
   * something (200 us for 1.5 s is 7500; valgrind delivers fewer). */
  CHECK(signals_seen >= 100);
  CHECK(signals_onstack > 0);

  peat_buf_free(&want_bin);
  peat_buf_free(&want_json);
  return ctest_finish("test_signals");
}
