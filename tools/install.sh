#!/usr/bin/env bash
# Installs libpeat under PREFIX (called by `make install PREFIX=...`):
#   lib/libpeat.so.1, lib/libpeat.so -> libpeat.so.1
#   lib/libpeat.a  (the static library, when it was built: `make static`)
#   include/peat.h, include/peat/peat.hpp
#   lib/pkgconfig/peat.pc, lib/pkgconfig/peat-static.pc (with lib/libpeat.a)
#   lib/cmake/Peat/PeatConfig.cmake, PeatConfigVersion.cmake  (Peat::peat, Peat::cpp, Peat::peat_static,
#                        and with COMPONENTS proto Peat::proto)
#   lib/cmake/Peat/PeatProto.cmake  (peat_generate_cpp(): C++ classes of share/peat/proto
#                        built with the consumer's protoc and libprotobuf)
#   share/peat/proto/**  (the product's .proto files: proto/, for generating your
#                        own classes; the demo's schema is not among them)
#   bin/peat             (the CLI, when it was built: `make cli`)
# DESTDIR is honoured for staged installs. PEAT_LIB overrides the library to
# install (default build/lib/libpeat.so.1, which `make lib` builds);
# PEAT_STATIC_LIB the static library (default build/lib/libpeat.a, installed
# only if it exists; `make install` builds it); PEAT_CLI the CLI (default
# build/bin/peat, installed only if it exists). PEAT_RELOCATABLE=1 writes the
# pkg-config files with prefix=${pcfiledir}/../.. instead of PREFIX, so that
# the tree can be moved (the release tarballs of `make dist`; the CMake
# package is always relocatable).
set -euo pipefail
if [ $# -ne 1 ] || [ -z "$1" ]; then echo "usage: tools/install.sh PREFIX" >&2; exit 2; fi
top="$(cd "$(dirname "$0")/.." && pwd)"
prefix="$1"
case "$prefix" in /*) ;; *) prefix="$(pwd)/$prefix" ;; esac
prefix="${prefix%/}"
dest="${DESTDIR:-}$prefix"
soname=libpeat.so.1
lib="${PEAT_LIB:-$top/build/lib/$soname}"
static="${PEAT_STATIC_LIB:-$top/build/lib/libpeat.a}"
cli="${PEAT_CLI:-$top/build/bin/peat}"
if [ ! -f "$lib" ]; then echo "install.sh: $lib not found; run make lib first" >&2; exit 1; fi
for f in "${PEAT_STATIC_LIB:-}" "${PEAT_CLI:-}"; do
  if [ -n "$f" ] && [ ! -f "$f" ]; then echo "install.sh: $f not found" >&2; exit 1; fi
done
version="$(sed -n 's/^const Version = "\([0-9.]*\)".*/\1/p' "$top/core/core.go")"
[ -n "$version" ] || { echo "install.sh: cannot read the version from core/core.go" >&2; exit 1; }

install -d "$dest/lib/pkgconfig" "$dest/lib/cmake/Peat" "$dest/include/peat" "$dest/share/peat/proto"
if [ -f "$cli" ]; then install -d "$dest/bin" && install -m 0755 "$cli" "$dest/bin/peat"; fi
install -m 0755 "$lib" "$dest/lib/$soname"
ln -sfn "$soname" "$dest/lib/libpeat.so"
[ -f "$static" ] && install -m 0644 "$static" "$dest/lib/libpeat.a"
install -m 0644 "$top/include/peat.h" "$dest/include/peat.h"
install -m 0644 "$top/bindings/cpp/include/peat/peat.hpp" "$dest/include/peat/peat.hpp"
(cd "$top/proto" && find . -name '*.proto' -print0 | while IFS= read -r -d '' f; do
  install -D -m 0644 "$f" "$dest/share/peat/proto/${f#./}"
done)

pc_prefix="$prefix"
[ "${PEAT_RELOCATABLE:-0}" = 1 ] && pc_prefix='${pcfiledir}/../..'
subst() { sed -e "s|@PREFIX@|$pc_prefix|g" -e "s|@VERSION@|$version|g" -e "s|@SONAME@|$soname|g" "$1" > "$2"; chmod 0644 "$2"; }
subst "$top/tools/peat.pc.in" "$dest/lib/pkgconfig/peat.pc"
[ -f "$static" ] && subst "$top/tools/peat-static.pc.in" "$dest/lib/pkgconfig/peat-static.pc"
subst "$top/cmake/PeatConfig.cmake.in" "$dest/lib/cmake/Peat/PeatConfig.cmake"
subst "$top/cmake/PeatConfigVersion.cmake.in" "$dest/lib/cmake/Peat/PeatConfigVersion.cmake"
install -m 0644 "$top/cmake/PeatProto.cmake" "$dest/lib/cmake/Peat/PeatProto.cmake"
echo "installed libpeat $version under ${dest}"
