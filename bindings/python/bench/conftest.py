"""Benchmark fixtures: the shared inputs (make bench-inputs), the C reference
timing of the trivial call, and the writer of build/bench/python.json."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path

import pytest

import peat

INPUTS = Path(os.environ.get("PEAT_BENCH_INPUTS", Path(__file__).resolve().parents[3] / "build/bench/inputs"))
OUT = os.environ.get("PEAT_BENCH_OUT")
RESULTS: list[dict[str, object]] = []

# The same loop as the Python benchmark of the trivial call, in C, against the
# very library the binding loaded (best of 7 runs of 5M calls).
C_ABI_LOOP = r"""
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1e9 + t.tv_nsec; }
int main(int argc, char **argv) {
  void *h = dlopen(argv[1], RTLD_NOW);
  if (!h) { fprintf(stderr, "%s\n", dlerror()); return 1; }
  uint32_t (*abi)(void) = (uint32_t (*)(void))dlsym(h, "peat_abi_version");
  volatile uint32_t sink = 0; double best = 1e30; const long n = 5000000;
  for (int r = 0; r < 7; r++) {
    double t0 = now();
    for (long i = 0; i < n; i++) sink = abi();
    double d = (now() - t0) / n; if (d < best) best = d;
  }
  printf("%.2f\n", best); return (int)(sink == 0);
}
"""


def read_input(name: str) -> bytes:
    path = INPUTS / name
    assert path.is_file(), f"missing {path}: run `make bench-inputs`"
    return path.read_bytes()


@pytest.fixture
def record(benchmark):  # type: ignore[no-untyped-def]
    """record(name, per=1, note=""): stores the benchmark's median per operation."""

    def store(name: str, per: int = 1, note: str = "") -> None:
        median = benchmark.stats.stats.median
        RESULTS.append({"name": name, "ns_per_op": round(median * 1e9 / per, 1), "note": note})

    return store


def abi_version_c() -> float:
    with tempfile.TemporaryDirectory() as tmp:
        src, exe = Path(tmp) / "abi.c", Path(tmp) / "abi"
        src.write_text(C_ABI_LOOP)
        subprocess.run(["gcc", "-O2", "-o", str(exe), str(src), "-ldl"], check=True)
        out = subprocess.run([str(exe), peat.library_path()], check=True, capture_output=True, text=True)
        return float(out.stdout)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if not OUT or not RESULTS:
        return
    results = list(RESULTS)
    if any(r["name"] == "abi_version" for r in results):
        results.append({"name": "abi_version_c", "ns_per_op": round(abi_version_c(), 1),
                        "note": "the same call from C (dlopen), measured in this run"})
    Path(OUT).write_text(json.dumps({"language": "python", "results": results}, indent=2) + "\n")
    print(f"\nwrote {OUT}")
