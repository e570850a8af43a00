#!/usr/bin/env bash
# Builds the JNI shim libpeatjni.so against libpeat.so.1 and places both in
# <native out>/<platform>/ (packaged into the jar as io/peat/native/<platform>/).
# The shim records DT_NEEDED libpeat.so.1 and RUNPATH $ORIGIN, so the two load
# from one directory. Also builds the C probe used by the benchmark.
# Usage: build-native.sh <repo top> <libpeat dir or ""> <native out> <work dir>
set -euo pipefail
top="$(cd "$1" && pwd)"
lib="${2:-}"
out="$3"
work="$4"
: "${JAVA_HOME:?JAVA_HOME must point at a JDK}"
if [ -z "$lib" ]; then
  lib="$top/build/lib"
  # A fresh clone has no library yet: build it with the project's Makefile.
  [ -f "$lib/libpeat.so.1" ] || make -C "$top" lib
fi
[ -f "$lib/libpeat.so.1" ] || { echo "build-native.sh: $lib/libpeat.so.1 not found (make lib)" >&2; exit 1; }
case "$(uname -m)" in
  x86_64|amd64) arch=x86_64 ;;
  aarch64|arm64) arch=aarch64 ;;
  *) echo "build-native.sh: unsupported architecture $(uname -m)" >&2; exit 1 ;;
esac
dest="$out/linux-$arch"
src="$(cd "$(dirname "$0")/../main/c" && pwd)"
mkdir -p "$dest" "$work"
CC="${CC:-gcc}"
"$CC" -std=c11 -O2 -fPIC -shared -Wall -Wextra -Werror -fvisibility=hidden \
  -I"$JAVA_HOME/include" -I"$JAVA_HOME/include/linux" -I"$top/include" \
  -o "$work/libpeatjni.so" "$src/peat_jni.c" \
  -L"$lib" -l:libpeat.so.1 -Wl,-rpath,'$ORIGIN' -Wl,--no-undefined -Wl,-z,noexecstack
mv -f "$work/libpeatjni.so" "$dest/libpeatjni.so"
# Replace atomically: a JVM that has the previous copy mapped keeps its inode.
cp -f "$lib/libpeat.so.1" "$dest/.libpeat.so.1.tmp" && mv -f "$dest/.libpeat.so.1.tmp" "$dest/libpeat.so.1"
"$CC" -std=c11 -O2 -Wall -Wextra -Werror -I"$top/include" -o "$work/abi_probe" "$src/abi_probe.c" \
  -L"$lib" -l:libpeat.so.1 -Wl,-rpath,"$dest"
echo "build-native.sh: $dest/libpeatjni.so + libpeat.so.1 (from $lib)"
