#!/usr/bin/env bash
# The test suite on several Python x protobuf combinations (make test-python-matrix).
#
#   matrix.sh WHEEL OUTDIR WHEELHOUSE COMBO...
#
# COMBO is PYTHON:PROTOBUF[:python], e.g. 3.9:5.26.1 or 3.11:6.33.5:python (the
# last field selects protobuf's pure-Python implementation instead of upb).
# For each combo: the interpreter comes from pyenv (or python3.X on PATH); the
# venv OUTDIR/py<PYTHON>-pb<PROTOBUF>[-python] gets protobuf==PROTOBUF and
# requirements-matrix.txt from WHEELHOUSE (downloaded there once per
# interpreter and version, so reruns need no network), then WHEEL, installed
# the way a user would: pip refuses it if requires-python excludes the
# interpreter, and `pip check` fails if the protobuf pin is outside the
# declared range. Then the suite runs (all of tests/ but test_wheel.py and
# test_typing.py, which the default run covers: these venvs hold no mypy),
# after checking that the intended protobuf version and implementation are
# the ones imported.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
wheel="$1" out="$2" wh="$3"; shift 3
[ -f "$wheel" ] || { echo "matrix: no wheel $wheel" >&2; exit 2; }
req="$here/requirements-matrix.txt"
mkdir -p "$out" "$wh"

interpreter() {
  local v="$1" root="${PYENV_ROOT:-$HOME/.pyenv}" p
  p="$(ls -d "$root"/versions/"$v".*/bin/python"$v" 2>/dev/null | sort -V | tail -1 || true)"
  [ -n "$p" ] || p="$(command -v "python$v" || true)"
  [ -n "$p" ] && "$p" -c 'pass' 2>/dev/null || { echo "matrix: no Python $v (pyenv install $v, or python$v on PATH)" >&2; exit 2; }
  echo "$p"
}

summary=()
for combo in "$@"; do
  IFS=: read -r pyv pb impl <<<"$combo"
  impl="${impl:-upb}"
  py="$(interpreter "$pyv")"
  name="py$pyv-pb$pb$([ "$impl" = upb ] || echo "-$impl")"
  venv="$out/$name"
  stamp="$wh/.matrix-py$pyv-pb$pb-$(sha256sum <"$req" | cut -c1-12)"
  if [ ! -f "$stamp" ]; then
    "$py" -m pip download -q --disable-pip-version-check --only-binary=:all: -d "$wh" "protobuf==$pb" -r "$req"
    touch "$stamp"
  fi
  if [ ! -f "$venv/.stamp" ] || [ "$venv/.stamp" -ot "$req" ]; then
    rm -rf "$venv"
    "$py" -m venv "$venv"
    "$venv/bin/python" -m pip install -q --disable-pip-version-check --no-index --find-links "$wh" "protobuf==$pb" -r "$req"
    touch "$venv/.stamp"
  fi
  "$venv/bin/python" -m pip install -q --disable-pip-version-check --no-index --force-reinstall --no-deps "$wheel"
  "$venv/bin/python" -m pip check --disable-pip-version-check >/dev/null \
    || { "$venv/bin/python" -m pip check; echo "matrix: $name: peat's declared requirements exclude this combination" >&2; exit 1; }
  envs=(env -u PEAT_LIBRARY_PATH -u PYTHONPATH)
  [ "$impl" = upb ] || envs+=(PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION="$impl")
  "${envs[@]}" "$venv/bin/python" -c "
import sys, google.protobuf as g
from google.protobuf.internal import api_implementation as a
got = (g.__version__, a.Type(), '%d.%d' % sys.version_info[:2])
assert got == ('$pb', '$impl', '$pyv'), got
"
  start=$SECONDS
  log="$out/$name.log"
  if (cd "$here" && "${envs[@]}" "$venv/bin/python" -m pytest -q -p no:cacheprovider tests \
        --ignore=tests/test_wheel.py --ignore=tests/test_typing.py >"$log" 2>&1); then
    line="$(tail -1 "$log")"
    summary+=("$(printf '%-24s %s (%ds)' "$name" "$line" $((SECONDS - start)))")
    echo "matrix: $name: $line"
  else
    cat "$log"
    echo "matrix: $name: FAILED (log: $log)" >&2
    exit 1
  fi
done
echo "test-python-matrix: $(basename "$wheel") passed on:"
printf '  %s\n' "${summary[@]}"
