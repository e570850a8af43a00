#!/usr/bin/env bash
# Writes one native release tarball of `make dist` (tools/dist.mk):
#   tools/dist-native.sh VERSION ARCH SO A CLI OUT
# ARCH is the tarball's architecture name (x86_64, aarch64); SO and A that
# architecture's libpeat.so.1 and libpeat.a (make cross), CLI its bin/peat.
# The tree is laid out by tools/install.sh (the same as `make install`, with
# relocatable pkg-config files) under libpeat-VERSION-linux-ARCH/, then
# archived reproducibly: entries sorted by name, owner/group 0, modes
# normalised, every mtime = SOURCE_DATE_EPOCH, gzip without name or time.
set -euo pipefail
if [ $# -ne 6 ]; then echo "usage: tools/dist-native.sh VERSION ARCH SO A CLI OUT" >&2; exit 2; fi
version="$1" arch="$2" so="$3" static="$4" cli="$5" out="$6"
top="$(cd "$(dirname "$0")/.." && pwd)"
: "${SOURCE_DATE_EPOCH:?dist-native.sh: SOURCE_DATE_EPOCH must be set (tools/dist.mk sets it from the commit time)}"
case "$arch" in
  x86_64) machine='X86-64' ;;
  aarch64) machine='AArch64' ;;
  *) echo "dist-native.sh: unknown architecture $arch" >&2; exit 2 ;;
esac
# The binaries must be this architecture's (a mix-up would ship silently).
for f in "$so" "$cli"; do
  readelf -h "$f" | grep -q "Machine:.*$machine" || { echo "dist-native.sh: $f is not a $arch binary" >&2; exit 1; }
done

name="libpeat-$version-linux-$arch"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
PEAT_LIB="$so" PEAT_STATIC_LIB="$static" PEAT_CLI="$cli" PEAT_RELOCATABLE=1 \
  "$top/tools/install.sh" "$stage/$name" >/dev/null
mkdir -p "$(dirname "$out")"
tar --sort=name --format=gnu --mtime="@$SOURCE_DATE_EPOCH" --owner=0 --group=0 --numeric-owner \
  --mode='u=rwX,go=rX' -C "$stage" -cf - "$name" | gzip -n -9 > "$out.tmp"
mv "$out.tmp" "$out"
echo "dist: $(basename "$out") ($(du -k "$out" | cut -f1) KiB)"
