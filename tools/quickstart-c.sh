#!/usr/bin/env bash
# Builds and runs the C program of docs/QUICKSTART.md ("## C": its ```c block)
# against the library in LIBDIR, and compares what it prints with the
# section's ```text block. RUN prefixes the program (e.g. valgrind).
# Usage: tools/quickstart-c.sh LIBDIR WORKDIR [RUN...]
set -euo pipefail
libdir=$1 work=$2; shift 2
mkdir -p "$work"
section() { awk '/^## /{on = ($0 == "## C")} on' docs/QUICKSTART.md; }
block() { section | awk -v fence="$1" '$0 == "```" fence {on = 1; next} on && $0 == "```" {exit} on'; }
block c > "$work/quickstart.c"
block text > "$work/expected.txt"
[ -s "$work/quickstart.c" ] && [ -s "$work/expected.txt" ] || { echo "quickstart-c: no c or text block under ## C"; exit 1; }
${CC:-cc} -std=c99 -Wall -Wextra -Werror -pedantic -Iinclude -o "$work/quickstart" "$work/quickstart.c" \
  -L"$libdir" -lpeat -Wl,-rpath,"$libdir"
"$@" "$work/quickstart" > "$work/actual.txt"
if ! diff -u "$work/expected.txt" "$work/actual.txt"; then
  echo "quickstart-c: docs/QUICKSTART.md's C program prints something else (diff above)"; exit 1
fi
echo "quickstart-c: docs/QUICKSTART.md's C program builds, runs and prints what the doc says"
