#!/usr/bin/env bash
# Regenerates the independent oracle fixtures in tests/vectors/protoc/: every
# hand-written <name>.txtpb is encoded by the pinned official protoc
# (tools/protoc.sh, C++ protobuf) into <name>.bin. libpeat takes no part in
# making them; internal/oracle's test checks libpeat against them.
#
#   tools/oracle-fixtures.sh           rewrite every .bin
#   tools/oracle-fixtures.sh --check   fail if a committed .bin differs
#
# Each .txtpb names its schema in the standard text-format header comments:
#   # proto-file: cap/node/v1/node.proto
#   # proto-message: cap.node.v1.Node
# --deterministic_output sorts map entries by key (see tests/vectors/README.md).
set -euo pipefail
top="$(cd "$(dirname "$0")/.." && pwd)"
dir="$top/tests/vectors/protoc"
check=0
if [ "${1:-}" = "--check" ]; then check=1; fi
protoc="$("$top/tools/protoc.sh" --path)"
header() { sed -n "s/^# *$1: *\\([^ ]*\\) *\$/\\1/p" "$2" | head -n1; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
status=0
shopt -s nullglob
files=("$dir"/*.txtpb)
if [ ${#files[@]} -eq 0 ]; then echo "oracle-fixtures: no .txtpb in $dir" >&2; exit 1; fi
for txt in "${files[@]}"; do
  base="${txt%.txtpb}"
  file="$(header proto-file "$txt")"
  msg="$(header proto-message "$txt")"
  if [ -z "$file" ] || [ -z "$msg" ]; then
    echo "oracle-fixtures: $txt lacks a '# proto-file:' or '# proto-message:' header" >&2; exit 1
  fi
  "$protoc" -I "$top/proto" --encode="$msg" --deterministic_output "$file" <"$txt" >"$tmp/out.bin"
  # The bytes must decode again (protoc --decode) before they are kept.
  "$protoc" -I "$top/proto" --decode="$msg" "$file" <"$tmp/out.bin" >/dev/null
  if [ "$check" = 1 ]; then
    if ! cmp -s "$tmp/out.bin" "$base.bin"; then
      echo "oracle-fixtures: ${base#"$top"/}.bin is stale (run tools/oracle-fixtures.sh)" >&2; status=1
    fi
  else
    cp "$tmp/out.bin" "$base.bin"
    echo "${base#"$top"/}.bin ($msg, $(wc -c <"$base.bin") bytes)"
  fi
done
exit $status
