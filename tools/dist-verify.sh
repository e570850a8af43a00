#!/usr/bin/env bash
# Checks the artifacts of `make dist` (tools/dist.mk) before they are summed:
#   tools/dist-verify.sh VERSION DIST_DIR
# - each native tarball holds the whole install tree (shared library with its
#   SONAME symlink, static library, peat.h, the C++ header, both pkg-config
#   files with a relocatable prefix, the CMake package with its PeatProto.cmake
#   helper, the CLI) and exactly
#   the product's .proto files (those under proto/);
# - no artifact (tarball, wheel, sdist, jar) carries the demo's schema
#   (peat.demo.v1, examples/demo only): neither a file of it nor its name
#   inside any file (a linked descriptor would hold it).
set -euo pipefail
if [ $# -ne 2 ]; then echo "usage: tools/dist-verify.sh VERSION DIST_DIR" >&2; exit 2; fi
version="$1" dist="$2"
top="$(cd "$(dirname "$0")/.." && pwd)"
fail() { echo "dist-verify: $*" >&2; exit 1; }

mapfile -t protos < <(cd "$top/proto" && find . -name '*.proto' | sed 's|^\./|share/peat/proto/|' | LC_ALL=C sort)
for arch in x86_64 aarch64; do
  t="$dist/libpeat-$version-linux-$arch.tar.gz"
  [ -f "$t" ] || fail "$t is missing"
  root="libpeat-$version-linux-$arch"
  list="$(tar -tzvf "$t")"
  names="$(tar -tzf "$t" | sed "s|^$root/||" | LC_ALL=C sort)"
  for f in lib/libpeat.so.1 lib/libpeat.a include/peat.h include/peat/peat.hpp lib/pkgconfig/peat.pc \
           lib/pkgconfig/peat-static.pc lib/cmake/Peat/PeatConfig.cmake lib/cmake/Peat/PeatConfigVersion.cmake \
           lib/cmake/Peat/PeatProto.cmake bin/peat; do
    grep -qx "$f" <<< "$names" || fail "$t has no $f"
  done
  grep -q " $root/lib/libpeat.so -> libpeat.so.1\$" <<< "$list" || fail "$t: lib/libpeat.so is not a symlink to libpeat.so.1"
  got="$(grep '\.proto$' <<< "$names" || true)"
  [ "$got" = "$(printf '%s\n' "${protos[@]}")" ] || fail "$t: its .proto files are not exactly proto/'s: $(diff <(echo "$got") <(printf '%s\n' "${protos[@]}") | head -5)"
  for pc in peat peat-static; do
    tar -xzOf "$t" "$root/lib/pkgconfig/$pc.pc" | grep -qx 'prefix=${pcfiledir}/../..' || fail "$t: $pc.pc is not relocatable"
  done
done

# Each tarball from a consumer's side, unpacked somewhere else (relocatable):
# examples/c/roundtrip.c linked through pkg-config (peat, then peat-static)
# and through CMake (Peat::peat_static), and run: natively on this machine's
# architecture; the other one linked by zig cc and run under qemu.
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
host="$(uname -m)"
for arch in x86_64 aarch64; do
  tar -xzf "$dist/libpeat-$version-linux-$arch.tar.gz" -C "$tmp"
  p="$tmp/libpeat-$version-linux-$arch"
  pc() { PKG_CONFIG_PATH="$p/lib/pkgconfig" pkg-config "$@"; }
  if [ "$arch" = "$host" ]; then
    # shellcheck disable=SC2046
    cc -o "$tmp/rt-shared" "$top/examples/c/roundtrip.c" $(pc --cflags --libs peat) -Wl,-rpath,"$p/lib"
    # shellcheck disable=SC2046
    cc -o "$tmp/rt-static" "$top/examples/c/roundtrip.c" $(pc --cflags --libs peat-static)
    mkdir -p "$tmp/cmake"
    printf '%s\n' 'cmake_minimum_required(VERSION 3.16)' 'project(consumer LANGUAGES C)' \
      'find_package(Peat CONFIG REQUIRED)' "add_executable(rt \"$top/examples/c/roundtrip.c\")" \
      'target_link_libraries(rt PRIVATE Peat::peat_static)' > "$tmp/cmake/CMakeLists.txt"
    cmake -S "$tmp/cmake" -B "$tmp/cmake/b" -DCMAKE_PREFIX_PATH="$p" >/dev/null
    cmake --build "$tmp/cmake/b" >/dev/null
    for b in "$tmp/rt-shared" "$tmp/rt-static" "$tmp/cmake/b/rt"; do
      "$b" >/dev/null 2>&1 || fail "$arch: $(basename "$b") built against the tarball fails"
    done
    { "$p/bin/peat" types > "$tmp/types" && grep -qx 'cap.node.v1.NodeConfig' "$tmp/types"; } || fail "$arch: bin/peat types fails"
  elif [ "$arch" = aarch64 ] && command -v qemu-aarch64 >/dev/null && [ -d /usr/aarch64-linux-gnu ]; then
    # shellcheck disable=SC2046
    "$top/tools/zig.sh" cc aarch64-linux-gnu.2.17 -o "$tmp/rt-arm64" "$top/examples/c/roundtrip.c" $(pc --cflags --libs peat-static)
    qemu-aarch64 -L /usr/aarch64-linux-gnu "$tmp/rt-arm64" >/dev/null 2>&1 || fail "$arch: a static program built against the tarball fails under qemu"
    { qemu-aarch64 -L /usr/aarch64-linux-gnu "$p/bin/peat" types > "$tmp/types" && grep -qx 'cap.node.v1.NodeConfig' "$tmp/types"; } \
      || fail "$arch: bin/peat types fails under qemu"
  else
    echo "dist-verify: $arch: no way to run it here (qemu-user, make cross-deps); contents checked only"
  fi
done

# The demo's schema is in no artifact: no file name, no content.
shopt -s nullglob
n=0
for a in "$dist"/*.tar.gz "$dist"/*.whl $(find "$dist" -name '*.jar' | sort); do
  case "$a" in
    *.tar.gz) names="$(tar -tzf "$a")"; content() { tar -xzOf "$a"; } ;;
    *) names="$(unzip -Z1 "$a")"; content() { unzip -p "$a"; } ;;
  esac
  if grep -Eq 'peat/demo|demo_pb2|demo\.proto|proto/demo' <<< "$names"; then fail "$a carries the demo schema: $(grep -E 'peat/demo|demo_pb2|demo\.proto|proto/demo' <<< "$names" | head -3)"; fi
  hits="$(content | grep -ac 'peat\.demo\.v1' || true)"  # -c reads it all: no SIGPIPE under pipefail
  [ "${hits:-0}" -eq 0 ] || fail "$a carries the name peat.demo.v1 in its contents"
  n=$((n + 1))
done
[ "$n" -ge 2 ] || fail "no artifacts in $dist"
echo "dist-verify: $n archives: install trees complete and usable from elsewhere (pkg-config, CMake), protos = proto/, no demo schema"
