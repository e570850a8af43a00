#!/usr/bin/env bash
# Checks a shipped ELF file of the cross builds (tools/cross.mk):
#   tools/check-elf.sh [--shared] FILE...
# Every file may need at most GLIBC_$GLIBC_MAX (default 2.17) in its dynamic
# symbol versions (objdump -T). With --shared each file is a libpeat.so: it
# must export only peat_* and carry the SONAME libpeat.so.1.
# Prints "FILE: max GLIBC_x.y" per file; exits 1 on any violation.
set -euo pipefail
max="${GLIBC_MAX:-2.17}"
shared=0
if [ "${1:-}" = --shared ]; then shared=1; shift; fi
[ $# -ge 1 ] || { echo "usage: tools/check-elf.sh [--shared] FILE..." >&2; exit 2; }
rc=0
for f in "$@"; do
  vers="$(objdump -T "$f" | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/^GLIBC_//' | sort -uV)"
  top="$(printf '%s\n' "$vers" | tail -1)"
  if [ -z "$top" ]; then echo "$f: no GLIBC symbol versions (objdump -T)" >&2; rc=1; continue; fi
  if [ "$(printf '%s\n%s\n' "$max" "$top" | sort -V | tail -1)" != "$max" ]; then
    echo "$f: needs GLIBC_$top, more than GLIBC_$max allows; symbols:" >&2
    objdump -T "$f" | awk 'match($0, /GLIBC_[0-9.]+/) { print substr($0, RSTART + 6, RLENGTH - 6), $NF }' | while read -r v sym; do
      [ "$(printf '%s\n%s\n' "$max" "$v" | sort -V | tail -1)" = "$max" ] || echo "  $sym@GLIBC_$v" >&2
    done
    rc=1
  fi
  if [ $shared = 1 ]; then
    bad="$(nm -D --defined-only "$f" | awk '{print $3}' | grep -v '^peat_' || true)"
    if [ -n "$bad" ]; then echo "$f: exports non-peat symbols:" >&2; echo "$bad" | sed 's/^/  /' >&2; rc=1; fi
    readelf -d "$f" | grep -q 'SONAME.*\[libpeat\.so\.1\]' || { echo "$f: SONAME is not libpeat.so.1" >&2; rc=1; }
  fi
  echo "$f: max GLIBC_$top"
done
exit $rc
