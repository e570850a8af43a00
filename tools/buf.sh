#!/usr/bin/env bash
# Installs (once) and runs the pinned buf CLI. buf comes from the npm registry
# (@bufbuild/buf, whose platform package ships the prebuilt binary), installed
# into build/tools/buf-<version>/ -- nothing global, nothing downloaded from
# elsewhere. `tools/buf.sh --path` prints the binary's path.
set -euo pipefail
BUF_VERSION="${BUF_VERSION:-1.75.0}"
top="$(cd "$(dirname "$0")/.." && pwd)"
dir="$top/build/tools/buf-$BUF_VERSION"
wrapper="$dir/node_modules/.bin/buf"
if [ ! -x "$wrapper" ]; then
  mkdir -p "$dir"
  npm install --silent --no-audit --no-fund --no-save --prefix "$dir" "@bufbuild/buf@$BUF_VERSION" >&2
fi
# Prefer the native binary of the platform package over the Node.js wrapper
# (saves starting node on every call).
bin="$wrapper"
for native in "$dir"/node_modules/@bufbuild/buf-*/bin/buf; do
  if [ -x "$native" ]; then bin="$native"; break; fi
done
if [ "${1:-}" = "--path" ]; then echo "$bin"; exit 0; fi
exec "$bin" "$@"
