#!/usr/bin/env bash
# Installs libpeat into a temporary prefix with tools/install.sh, then builds
# and runs examples/cpp three ways: find_package(Peat) against the prefix (and
# against a moved copy: the package is relocatable), pkg-config (with
# exceptions and RTTI off), and add_subdirectory of the source tree (which
# builds libpeat with go build).
# Usage: install_check.sh SOURCE_DIR LIBPEAT_SO WORK_DIR
set -euo pipefail
src="$1" lib="$2" work="$3"
rm -rf "$work" && mkdir -p "$work"
prefix="$work/prefix"
checks=0
ok() { checks=$((checks + 1)); echo "ok: $*"; }
fail() { echo "FAILED: $*" >&2; exit 1; }
run_example() { # BINARY: runs it and checks it did all three jobs
  local out
  out="$("$@")" || fail "$1 exited non-zero"
  for want in "libpeat " "validation report: " '"INVALID_CONFIDENCE"' "merged cell: " '"cell-alpha"' "target decision: " '"targeted":true'; do
    grep -qF -- "$want" <<<"$out" || { echo "$out"; fail "$1: output lacks $want"; }
  done
}

PEAT_LIB="$lib" "$src/tools/install.sh" "$prefix" >/dev/null
for f in lib/libpeat.so.1 include/peat.h include/peat/peat.hpp lib/pkgconfig/peat.pc \
         lib/cmake/Peat/PeatConfig.cmake lib/cmake/Peat/PeatConfigVersion.cmake \
         share/peat/proto/cap/node/v1/node.proto share/peat/proto/peat/api/v1/api.proto; do
  [ -f "$prefix/$f" ] || fail "missing $f"
done
[ "$(readlink "$prefix/lib/libpeat.so")" = libpeat.so.1 ] || fail "lib/libpeat.so is not a symlink to libpeat.so.1"
readelf -d "$prefix/lib/libpeat.so.1" | grep -q 'SONAME.*\[libpeat.so.1\]' || fail "SONAME"
[ "$(find "$src/proto" -name '*.proto' | wc -l)" = "$(find "$prefix/share/peat/proto" -name '*.proto' | wc -l)" ] \
  || fail "not every .proto installed"
ok "install layout under $prefix"

DESTDIR="$work/stage" PEAT_LIB="$lib" "$src/tools/install.sh" /opt/peat >/dev/null
[ -f "$work/stage/opt/peat/lib/libpeat.so.1" ] && grep -q '^prefix=/opt/peat$' "$work/stage/opt/peat/lib/pkgconfig/peat.pc" \
  || fail "DESTDIR install"
ok "DESTDIR staging keeps prefix=/opt/peat"

cmake_example() { # BUILD_DIR CMAKE_ARGS...
  local dir="$1"; shift
  cmake -S "$src/examples/cpp" -B "$dir" -DCMAKE_BUILD_TYPE=Release "$@" >"$dir.log" 2>&1 || { cat "$dir.log"; fail "configure $dir"; }
  cmake --build "$dir" >>"$dir.log" 2>&1 || { cat "$dir.log"; fail "build $dir"; }
}

cmake_example "$work/find-package" -DCMAKE_PREFIX_PATH="$prefix"
grep -q "Peat_DIR:PATH=$prefix/lib/cmake/Peat" "$work/find-package/CMakeCache.txt" || fail "find_package did not use $prefix"
run_example "$work/find-package/peat_example"
ok "find_package(Peat CONFIG REQUIRED) against the prefix"

cp -a "$prefix" "$work/moved"
cmake_example "$work/find-moved" -DCMAKE_PREFIX_PATH="$work/moved"
run_example "$work/find-moved/peat_example"
ldd "$work/find-moved/peat_example" | grep -q "$work/moved/lib/libpeat.so.1" || fail "moved package links the moved library"
ok "find_package against a moved copy of the prefix (relocatable)"

mkdir -p "$work/version"
cat > "$work/version/CMakeLists.txt" <<'CMK'
cmake_minimum_required(VERSION 3.16)
project(peat_version_check NONE)
find_package(Peat 99.0 CONFIG QUIET)
if(Peat_FOUND)
  message(FATAL_ERROR "Peat 99.0 accepted")
endif()
find_package(Peat 0.1 CONFIG REQUIRED)
message(STATUS "Peat_VERSION=${Peat_VERSION}")
CMK
out="$(cmake -S "$work/version" -B "$work/version/build" -DCMAKE_PREFIX_PATH="$prefix" 2>&1)" || { echo "$out"; fail "PeatConfigVersion.cmake"; }
grep -q 'Peat_VERSION=0\.' <<<"$out" || fail "PeatConfigVersion.cmake: no version"
ok "PeatConfigVersion.cmake accepts 0.1 and refuses 99.0"

export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
cflags="$(pkg-config --cflags peat | xargs)" libs="$(pkg-config --libs peat | xargs)"
[ "$cflags" = "-I$prefix/include" ] || fail "pkg-config --cflags: $cflags"
[ "$libs" = "-L$prefix/lib -lpeat" ] || fail "pkg-config --libs: $libs"
[ "$(pkg-config --modversion peat)" = "$(sed -n 's/^const Version = "\([0-9.]*\)".*/\1/p' "$src/core/core.go")" ] \
  || fail "pkg-config --modversion"
# shellcheck disable=SC2046
g++ -std=c++17 -Wall -Wextra -Werror -fno-exceptions -fno-rtti -o "$work/pkg-config-example" \
  "$src/examples/cpp/main.cc" $(pkg-config --cflags --libs peat)
LD_LIBRARY_PATH="$prefix/lib" run_example "$work/pkg-config-example"
ok "pkg-config --cflags --libs peat (built with -fno-exceptions -fno-rtti)"

cmake_example "$work/add-subdirectory" -DPEAT_SOURCE_DIR="$src"
built="$work/add-subdirectory/peat/peat-lib/libpeat.so.1"
[ -f "$built" ] || fail "add_subdirectory did not build $built"
bad="$(nm -D --defined-only "$built" | awk '{print $3}' | grep -v '^peat_' || true)"
[ -z "$bad" ] || fail "CMake-built library exports non-peat symbols: $bad"
run_example "$work/add-subdirectory/peat_example"
ok "add_subdirectory(libpeat) builds libpeat with go build and links Peat::cpp"

echo "install_check: $checks passed, 0 failed"
