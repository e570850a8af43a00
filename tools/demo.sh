#!/usr/bin/env bash
# Runs the main job (see examples/demo/README.md): the plan is written by Go,
# played by C++, Python and Java processes, and every replica's digest must
# agree with the Go reference run.
set -euo pipefail
top="$(cd "$(dirname "$0")/.." && pwd)"
cd "$top"
dir="$top/build/demo"
rm -rf "$dir"
mkdir -p "$dir"
start=$SECONDS
mark=$SECONDS
# took: the time of the phase just finished (players start a process per
# phase and language: the JVM and Python's protobuf import dominate).
took() { echo "   ($((SECONDS - mark)) s)"; mark=$SECONDS; }
# mkplan is built once (go build caches it) rather than go run twice.
mkdir -p "$top/build/demo-bin"
go build -o "$top/build/demo-bin/mkplan" ./examples/demo/mkplan
"$top/build/demo-bin/mkplan" "$dir" >/dev/null

# Players (each built by its binding's make fragment: demo-<lang>).
declare -A player
player[cpp]="$top/build/demo-bin/cpp/demo_player"
player[python]="$top/build/venv-python/bin/python $top/examples/demo/python/demo_player.py"
player[java]="$top/examples/demo/java/run.sh"
langs=(cpp python java)

run() { # lang phase [round]
  local lang=$1
  shift
  # shellcheck disable=SC2086
  ${player[$lang]} "$@" --dir "$dir"
}

echo "== libpeat demo: cell-alpha, 5 nodes in C++ (n1 n2), Python (n3 n4), Java (n5, C2)"
for l in "${langs[@]}"; do run "$l" init; done
took
rounds=$("$top/build/demo-bin/mkplan" --rounds 2>/dev/null || echo 2)
for ((r = 0; r < rounds; r++)); do
  echo "-- round $r: local mutations"
  for l in "${langs[@]}"; do run "$l" act "$r"; done
  took
  if [ "$r" -eq 1 ]; then
    # A tampered delta on the mesh: a cell document whose id carries a
    # control character. Every replica must refuse it (INVALID_STRING).
    echo '{"id":"cell-alpha\u0007"}' | build/bin/peat convert --type peat.crdt.v1.CellDoc --from json --to binary \
      > "$dir/mesh/$r/999__cell.delta"
    echo "[mesh] a tampered delta (cell id with a control character) is injected"
  fi
  echo "-- round $r: every delta to every replica, shuffled, with duplicates"
  for l in "${langs[@]}"; do run "$l" sync "$r"; done
  took
done
echo "-- deployment"
mkdir -p "$dir/mesh/deploy"
run java issue
for l in "${langs[@]}"; do run "$l" deploy; done
run java summarize
took
echo "-- digests"
for l in "${langs[@]}"; do run "$l" digest; done | tee "$dir/digests.txt"
expected=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["expected"]["digest"])' "$dir/plan.json")
n=$(grep -c '^DIGEST ' "$dir/digests.txt" || true)
bad=$(grep '^DIGEST ' "$dir/digests.txt" | awk -v e="$expected" '$4 != e' || true)
if [ "$n" -ne 5 ] || [ -n "$bad" ]; then
  echo "demo: FAILED: expected 5 replicas with digest $expected"
  [ -n "$bad" ] && echo "$bad"
  exit 1
fi
echo "demo: all 5 replicas in 3 languages agree on $expected (the Go reference run's digest; scenario $((SECONDS - start)) s)"
