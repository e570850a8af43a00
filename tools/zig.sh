#!/usr/bin/env bash
# Zig's C compiler, pinned (tools/requirements-cross.txt) and installed once
# from PyPI into build/tools/ziglang-<version>/, used as cgo's CC by the cross
# builds (tools/cross.mk):
#   tools/zig.sh --install          install if missing, print nothing
#   tools/zig.sh cc TARGET ARGS...  zig cc -target TARGET ARGS...
# TARGET is a zig triple with a glibc version, e.g. aarch64-linux-gnu.2.17.
# Zig's caches live under build/zig-cache (never in $HOME), so `make clean`
# removes them and concurrent builds of this tree share one cache.
set -euo pipefail
top="$(cd "$(dirname "$0")/.." && pwd)"
req="$top/tools/requirements-cross.txt"
version="$(sed -n 's/^ziglang==\([0-9.a-z]*\).*/\1/p' "$req")"
[ -n "$version" ] || { echo "zig.sh: no ziglang== pin in $req" >&2; exit 2; }
dir="$top/build/tools/ziglang-$version"
if [ ! -f "$dir/.stamp" ]; then
  rm -rf "$dir"
  mkdir -p "$dir"
  "${PYTHON3:-python3}" -m pip install -q --disable-pip-version-check --root-user-action=ignore --no-deps --target "$dir" -r "$req" >&2
  touch "$dir/.stamp"
fi
[ "${1:-}" = "--install" ] && exit 0
if [ "${1:-}" != cc ] || [ $# -lt 2 ]; then echo "usage: tools/zig.sh --install | cc TARGET [ARGS...]" >&2; exit 2; fi
target="$2"; shift 2
export ZIG_GLOBAL_CACHE_DIR="$top/build/zig-cache" ZIG_LOCAL_CACHE_DIR="$top/build/zig-cache"
exec "$dir/ziglang/zig" cc -target "$target" "$@"
