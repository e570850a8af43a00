#!/usr/bin/env bash
# Generates the protobuf-java classes for every .proto under proto/ with the
# project's pinned protoc (tools/protoc.sh), the same compiler as Go and Python.
# Usage: gen-proto.sh <repo top> <output dir>
set -euo pipefail
top="$(cd "$1" && pwd)"
out="$2"
rm -rf "$out"
mkdir -p "$out"
mapfile -t files < <(cd "$top/proto" && find . -name '*.proto' -not -path './baseline/*' | sed 's|^\./||' | sort)
"$top/tools/protoc.sh" -I "$top/proto" --java_out="$out" "${files[@]}"
