#!/usr/bin/env bash
# The Python release artifacts (make dist-python), from bindings/python.
#
#   dist.sh build OUT STAGE PY EPOCH LIB_AMD64 LIB_ARM64
#       OUT/peat-<v>.tar.gz (sdist, made from the repository by setup.py's sdist
#       command) and, built from that sdist unpacked in STAGE, one wheel per
#       architecture bundling the given libpeat.so.1 (glibc <= 2.17 builds, so
#       tagged py3-none-manylinux2014_<arch>). EPOCH is SOURCE_DATE_EPOCH: the
#       same sources give the same bytes.
#   dist.sh check OUT STAGE PY WHEELHOUSE
#       checkwheel.py (+ auditwheel show) on both wheels; a fresh venv installs
#       the x86_64 wheel with `pip install --no-index --find-links OUT peat` and
#       runs the vector test (the aarch64 wheel is checked from its bytes only:
#       importing it needs an arm64 Python); a fresh venv builds the sdist
#       offline and runs the vector test.
#   dist.sh repro OUT STAGE PY EPOCH LIB_AMD64 LIB_ARM64
#       builds everything twice (STAGE/a, STAGE/b) and compares the bytes with OUT.
#   dist.sh wheel OUT STAGE PY EPOCH LIB
#       one wheel from the repository's sources bundling LIB (make test-python-matrix).
# Builds run in a copy of the package's sources under STAGE (PEAT_SOURCE_ROOT
# names the repository), so bindings/python gets no build/ or egg-info and
# concurrent builds (make -j) do not share a directory.
# PY is the build venv's python (build, setuptools, wheel, auditwheel, pytest);
# WHEELHOUSE holds the pinned wheels the fresh venvs install from (no network).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cmd="$1"; shift
version="$(sed -n 's/^version = "\(.*\)"/\1/p' "$here/pyproject.toml")"
sdist="peat-$version.tar.gz"
whl_amd64="peat-$version-py3-none-manylinux2014_x86_64.whl"
whl_arm64="peat-$version-py3-none-manylinux2014_aarch64.whl"
say() { echo "dist-python: $*"; }

# The files an sdist is made from (setup.py's sdist adds the generated and Go parts).
stage_source() {
  local dest="$1"
  rm -rf "$dest" && mkdir -p "$dest/src"
  cp "$here/pyproject.toml" "$here/setup.py" "$here/buildsupport.py" "$here/MANIFEST.in" "$here/README.md" "$dest/"
  cp -r "$here/src/peat" "$dest/src/peat"
  find "$dest" -name __pycache__ -prune -exec rm -rf {} +
}
export PEAT_SOURCE_ROOT="$(cd "$here/../.." && pwd)"

build() {
  local out="$1" stage="$2" py="$3" epoch="$4" lib_amd64="$5" lib_arm64="$6"
  mkdir -p "$out"
  rm -rf "$stage" && mkdir -p "$stage/sdist" "$stage/wheels"
  rm -f "$out/$sdist" "$out/$whl_amd64" "$out/$whl_arm64"
  stage_source "$stage/source"
  (cd "$stage/source" && SOURCE_DATE_EPOCH="$epoch" "$py" -m build --sdist --no-isolation -o "$stage/sdist" . >"$stage/sdist.log" 2>&1) \
    || { cat "$stage/sdist.log"; exit 1; }
  [ -f "$stage/sdist/$sdist" ] || { say "expected $sdist, got: $(ls "$stage/sdist")"; exit 1; }
  tar -xzf "$stage/sdist/$sdist" -C "$stage"
  local arch lib
  for arch in amd64 arm64; do
    if [ "$arch" = amd64 ]; then lib="$lib_amd64"; else lib="$lib_arm64"; fi
    rm -rf "$stage/peat-$version/build"
    (SOURCE_DATE_EPOCH="$epoch" PEAT_BUNDLE_LIBRARY="$lib" "$py" -m build --wheel --no-isolation -o "$stage/wheels" \
      "$stage/peat-$version" >"$stage/wheel-$arch.log" 2>&1) || { cat "$stage/wheel-$arch.log"; exit 1; }
  done
  rm -rf "$stage/peat-$version/build"
  for f in "$whl_amd64" "$whl_arm64"; do
    [ -f "$stage/wheels/$f" ] || { say "expected $f, got: $(ls "$stage/wheels")"; exit 1; }
  done
  cp "$stage/sdist/$sdist" "$stage/wheels/$whl_amd64" "$stage/wheels/$whl_arm64" "$out/"
  say "built $out/{$sdist,$whl_amd64,$whl_arm64}"
}

# The binding's vector test (tests/test_vectors.py) against the peat installed in venv $1.
vector_test() {
  local venv="$1" log="$2"
  (cd "$here" && env -u PEAT_LIBRARY_PATH -u PYTHONPATH "$venv/bin/python" -m pytest -q -p no:cacheprovider \
    tests/test_vectors.py >"$log" 2>&1) || { cat "$log"; exit 1; }
  tail -1 "$log"
}

check() {
  local out="$1" stage="$2" py="$3" wh="$4"
  "$py" "$here/checkwheel.py" --auditwheel "$out/$whl_amd64" "$out/$whl_arm64"

  # x86_64: installed by name from OUT, then the vector test and where it loaded the library from.
  local venv="$stage/venv-wheel"
  rm -rf "$venv"
  "$(python_of "$py")" -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check --no-index --find-links "$out" --find-links "$wh" peat pytest
  local got
  got="$(cd "$stage" && env -u PEAT_LIBRARY_PATH -u PYTHONPATH "$venv/bin/python" -c '
import peat, sys
from importlib.metadata import distribution
tags = [l for l in distribution("peat").read_text("WHEEL").splitlines() if l.startswith("Tag:")]
print(tags[0][5:], peat.library_path().startswith(sys.prefix))')"
  [ "$got" = "py3-none-manylinux2014_x86_64 True" ] || { say "installed wheel: $got"; exit 1; }
  say "fresh venv: pip install --no-index --find-links $out peat -> $whl_amd64, library from the venv"
  say "  vector test (x86_64 wheel): $(vector_test "$venv" "$stage/vectors-wheel.log")"
  say "aarch64 wheel: checked from its bytes (tag, ELF machine, glibc, exports, auditwheel); not imported here (needs an arm64 Python)"

  # The sdist, built with Go and nothing else: no network (a network namespace
  # without interfaces when unshare works, else a dead proxy), an empty Go module
  # cache, and mvn/protoc on PATH replaced by programs that fail.
  venv="$stage/venv-sdist"
  rm -rf "$venv" "$stage/gomodcache" "$stage/deny"
  mkdir -p "$stage/gomodcache" "$stage/deny"
  for t in mvn protoc; do printf '#!/bin/sh\necho "%s must not be needed to build the sdist" >&2; exit 1\n' "$t" >"$stage/deny/$t"; chmod +x "$stage/deny/$t"; done
  "$(python_of "$py")" -m venv "$venv"
  local setuptools wheel
  setuptools="$(grep '^setuptools==' "$here/requirements-dev.txt")"
  wheel="$(grep '^wheel==' "$here/requirements-dev.txt")"
  "$venv/bin/pip" install -q --disable-pip-version-check --no-index --find-links "$wh" "$setuptools" "$wheel" pytest
  local isolate=()
  if unshare -n true 2>/dev/null; then isolate=(unshare -n); fi
  (cd "$stage" && "${isolate[@]}" env -u PEAT_SOURCE_ROOT PATH="$stage/deny:$PATH" PIP_NO_INDEX=1 GOPROXY=off GOFLAGS= GOTOOLCHAIN=local \
     GOMODCACHE="$stage/gomodcache" PEAT_BUNDLE_LIBRARY= \
     "$venv/bin/pip" install --disable-pip-version-check --no-build-isolation --find-links "$wh" "$out/$sdist" \
     >"$stage/sdist-install.log" 2>&1) || { cat "$stage/sdist-install.log"; exit 1; }
  if [ -n "$(ls -A "$stage/gomodcache")" ]; then say "the sdist build used the Go module cache"; exit 1; fi
  say "sdist: built offline (${isolate[*]:-GOPROXY=off}, empty GOMODCACHE, no mvn/protoc) and installed"
  say "  vector test (sdist build): $(vector_test "$venv" "$stage/vectors-sdist.log")"
}

# The interpreter a venv's python was made from (fresh venvs use the same Python).
python_of() { "$1" -c 'import sys; print(sys._base_executable)'; }

wheel() {
  local out="$1" stage="$2" py="$3" epoch="$4" lib="$5"
  stage_source "$stage/source"
  (cd "$stage/source" && SOURCE_DATE_EPOCH="$epoch" PEAT_BUNDLE_LIBRARY="$lib" "$py" -m build --wheel --no-isolation \
    -o "$out" . >"$stage/wheel.log" 2>&1) || { cat "$stage/wheel.log"; exit 1; }
}

repro() {
  local out="$1" stage="$2"; shift 2
  local py="$1" epoch="$2" lib_amd64="$3" lib_arm64="$4"
  build "$stage/a" "$stage/a-stage" "$py" "$epoch" "$lib_amd64" "$lib_arm64" >/dev/null
  build "$stage/b" "$stage/b-stage" "$py" "$epoch" "$lib_amd64" "$lib_arm64" >/dev/null
  local f bad=0
  for f in "$sdist" "$whl_amd64" "$whl_arm64"; do
    if cmp -s "$stage/a/$f" "$stage/b/$f" && { [ ! -f "$out/$f" ] || cmp -s "$stage/a/$f" "$out/$f"; }; then
      say "reproducible: $f $(sha256sum <"$stage/a/$f" | cut -c1-16)"
    else
      say "NOT reproducible: $f"; bad=1
    fi
  done
  return $bad
}

case "$cmd" in
  build) build "$@" ;;
  check) check "$@" ;;
  repro) repro "$@" ;;
  wheel) wheel "$@" ;;
  *) echo "usage: dist.sh build|check|repro|wheel ..." >&2; exit 2 ;;
esac
