#!/usr/bin/env bash
# Builds the JNI shim libpeatjni.so against libpeat.so.1 and places both in
# <native out>/linux-<arch>/ (packaged into the jar as io/peat/native/linux-<arch>/).
# The shim records DT_NEEDED libpeat.so.1 and RUNPATH $ORIGIN, so the two load
# from one directory.
#   - host mode (no cross dir): this machine's platform, from <libpeat dir>
#     (default build/lib, built with `make lib` if missing), compiled by $CC (gcc);
#   - cross mode (<cross dir>, e.g. build/cross of `make cross`): linux-x86_64
#     from <cross>/linux-amd64/lib and linux-aarch64 from <cross>/linux-arm64/lib,
#     each shim compiled by zig cc (tools/zig.sh) for glibc 2.17 and checked
#     with tools/check-elf.sh, as the libraries themselves are.
# Also builds the C probe used by the benchmark (host platform).
# Usage: build-native.sh <repo top> <libpeat dir or ""> <native out> <work dir> [<cross dir>]
set -euo pipefail
top="$(cd "$1" && pwd)"
lib="${2:-}"
out="$3"
work="$4"
cross="${5:-}"
: "${JAVA_HOME:?JAVA_HOME must point at a JDK}"
src="$(cd "$(dirname "$0")/../main/c" && pwd)"
mkdir -p "$work"
case "$(uname -m)" in
  x86_64|amd64) host=x86_64 ;;
  aarch64|arm64) host=aarch64 ;;
  *) host="" ;;
esac
# The JNI headers of the building JDK: jni_md.h is the same for every Linux platform.
jni=(-I"$JAVA_HOME/include" -I"$JAVA_HOME/include/linux")
shim_flags=(-std=c11 -O2 -fPIC -shared -Wall -Wextra -Werror -fvisibility=hidden "${jni[@]}" -I"$top/include")
link_flags=(-Wl,-rpath,'$ORIGIN' -Wl,--no-undefined -Wl,-z,noexecstack)

# place <platform> <libpeat.so.1> <built shim>: replace atomically, since a JVM
# that has the previous copies mapped keeps their inodes.
place() {
  local dest="$out/$1"
  mkdir -p "$dest"
  rm -f "$dest"/.*.tmp
  cp -f "$2" "$dest/.libpeat.so.1.tmp" && mv -f "$dest/.libpeat.so.1.tmp" "$dest/libpeat.so.1"
  mv -f "$3" "$dest/libpeatjni.so"
}

if [ -n "$cross" ]; then
  cross="$(cd "$cross" && pwd)"
  rm -rf "$out"
  for goarch in amd64 arm64; do
    case $goarch in amd64) arch=x86_64 ;; arm64) arch=aarch64 ;; esac
    peat="$cross/linux-$goarch/lib/libpeat.so.1"
    [ -f "$peat" ] || { echo "build-native.sh: $peat not found (make cross)" >&2; exit 1; }
    obj="$work/linux-$arch"
    mkdir -p "$obj"
    # The library by path: DT_NEEDED is its SONAME, libpeat.so.1. zig's linker strips only when told.
    "$top/tools/zig.sh" cc "$arch-linux-gnu.2.17" "${shim_flags[@]}" -o "$obj/libpeatjni.so" "$src/peat_jni.c" \
      "$peat" "${link_flags[@]}" -Wl,--strip-all
    GLIBC_MAX=2.17 "$top/tools/check-elf.sh" "$obj/libpeatjni.so" >/dev/null
    readelf -d "$obj/libpeatjni.so" | grep -q 'NEEDED.*\[libpeat\.so\.1\]' \
      || { echo "build-native.sh: $obj/libpeatjni.so does not need libpeat.so.1" >&2; exit 1; }
    place "linux-$arch" "$peat" "$obj/libpeatjni.so"
    echo "build-native.sh: $out/linux-$arch/libpeatjni.so (zig cc, glibc <= 2.17) + libpeat.so.1 (from $cross/linux-$goarch/lib)"
  done
  [ -n "$host" ] && lib="$out/linux-$host"
else
  [ -n "$host" ] || { echo "build-native.sh: unsupported architecture $(uname -m)" >&2; exit 1; }
  if [ -z "$lib" ]; then
    lib="$top/build/lib"
    # A fresh clone has no library yet: build it with the project's Makefile.
    [ -f "$lib/libpeat.so.1" ] || make -C "$top" lib
  fi
  [ -f "$lib/libpeat.so.1" ] || { echo "build-native.sh: $lib/libpeat.so.1 not found (make lib)" >&2; exit 1; }
  # Only this platform: no stale directory of an earlier cross build stays behind.
  [ -d "$out" ] && find "$out" -mindepth 1 -maxdepth 1 ! -name "linux-$host" -exec rm -rf {} +
  CC="${CC:-gcc}"
  "$CC" "${shim_flags[@]}" -o "$work/libpeatjni.so" "$src/peat_jni.c" \
    -L"$lib" -l:libpeat.so.1 "${link_flags[@]}"
  place "linux-$host" "$lib/libpeat.so.1" "$work/libpeatjni.so"
  echo "build-native.sh: $out/linux-$host/libpeatjni.so + libpeat.so.1 (from $lib)"
fi
if [ -n "$host" ]; then
  "${CC:-gcc}" -std=c11 -O2 -Wall -Wextra -Werror -I"$top/include" -o "$work/abi_probe" "$src/abi_probe.c" \
    -L"$lib" -l:libpeat.so.1 -Wl,-rpath,"$out/linux-$host"
fi
