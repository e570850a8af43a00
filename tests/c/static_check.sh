#!/usr/bin/env bash
# The static library as a consumer sees it: installs libpeat (with
# build/lib/libpeat.a) into a temporary prefix, then builds examples/c/roundtrip.c
# against libpeat.a three ways — pkg-config peat-static, CMake
# find_package(Peat) with Peat::peat_static, and add_subdirectory of the source
# tree — and runs each program, which must not need libpeat.so at run time.
# Usage: static_check.sh SOURCE_DIR LIBPEAT_SO LIBPEAT_A WORK_DIR
set -euo pipefail
src="$1" lib="$2" static="$3" work="$4"
rm -rf "$work" && mkdir -p "$work"
prefix="$work/prefix"
checks=0
ok() { checks=$((checks + 1)); echo "ok: $*"; }
fail() { echo "FAILED: $*" >&2; exit 1; }
check_program() { # BINARY
  local out
  readelf -d "$1" | grep -q 'NEEDED.*libpeat' && fail "$1 needs libpeat.so"
  out="$("$1" 2>&1)" || { echo "$out"; fail "$1 exited non-zero"; }
  grep -q '^validation report: ' <<<"$out" || { echo "$out"; fail "$1: no validation report"; }
}

PEAT_LIB="$lib" PEAT_STATIC_LIB="$static" "$src/tools/install.sh" "$prefix" >/dev/null
for f in lib/libpeat.a lib/pkgconfig/peat-static.pc; do [ -f "$prefix/$f" ] || fail "missing $f"; done
ok "install layout: lib/libpeat.a, peat-static.pc"

export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
libs="$(pkg-config --libs peat-static | xargs)"
[ "$libs" = "$prefix/lib/libpeat.a -lpthread" ] || fail "pkg-config --libs peat-static: $libs"
# shellcheck disable=SC2046
gcc -std=c99 -Wall -Wextra -Werror -pedantic -o "$work/pkg-config-roundtrip" "$src/examples/c/roundtrip.c" \
  $(pkg-config --cflags --libs peat-static)
check_program "$work/pkg-config-roundtrip"
ok "pkg-config peat-static"

cmake_consumer() { # BUILD_DIR CMAKE_ARGS...
  local dir="$1"; shift
  cmake -S "$src/tests/c/static-consumer" -B "$dir" -DCMAKE_BUILD_TYPE=Release "$@" >"$dir.log" 2>&1 || { cat "$dir.log"; fail "configure $dir"; }
  cmake --build "$dir" >>"$dir.log" 2>&1 || { cat "$dir.log"; fail "build $dir"; }
}
cmake_consumer "$work/find-package" -DCMAKE_PREFIX_PATH="$prefix"
check_program "$work/find-package/roundtrip_static"
ok "find_package(Peat) + Peat::peat_static"

cmake_consumer "$work/subdir" -DPEAT_SOURCE_DIR="$src"
check_program "$work/subdir/roundtrip_static"
[ -f "$work/subdir/peat/peat-lib/libpeat.a" ] || fail "add_subdirectory did not build libpeat.a"
ok "add_subdirectory + Peat::peat_static (built with go build -buildmode=c-archive)"
echo "static-check: $checks passed, 0 failed"
