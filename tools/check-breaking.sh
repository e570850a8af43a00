#!/usr/bin/env bash
# The breaking-change gate (ICD §4.2.1). Checks the ICD packages (cap/) of a
# schema tree against the committed baseline proto/baseline/icd.binpb with
# `buf breaking` and the rules in proto/buf.yaml; exits non-zero and lists
# every violation when a change is forbidden.
#
#   tools/check-breaking.sh [DIR]          check DIR (default: proto/);
#       PEAT_BUF_ERROR_FORMAT=json gives one JSON object per violation
#   tools/check-breaking.sh --update-baseline
#       rewrite the baseline from proto/ -- only for a new major version
#       (new packages, ICD §4.3), never to make a breaking change pass.
set -euo pipefail
top="$(cd "$(dirname "$0")/.." && pwd)"
buf="$top/tools/buf.sh"
baseline="$top/proto/baseline/icd.binpb"
if [ "${1:-}" = "--update-baseline" ]; then
  cd "$top/proto"
  exec "$buf" build --path cap --exclude-source-info -o "$baseline"
fi
dir="$(cd "${1:-$top/proto}" && pwd)"
cd "$dir"
if "$buf" breaking --path cap --against "$baseline" --error-format "${PEAT_BUF_ERROR_FORMAT:-text}"; then
  echo "check-breaking: cap/ in ${dir#"$top"/} is compatible with the baseline"
else
  echo "check-breaking: forbidden change to the ICD schema (ICD §4.2.1), see above" >&2
  exit 1
fi
