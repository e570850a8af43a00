#!/usr/bin/env bash
# Runs the Java demo player built by `make demo-java`:
#   run.sh PHASE [ROUND] --dir DIR
set -euo pipefail
top="$(cd "$(dirname "$0")/../../.." && pwd)"
out="$top/build/demo-bin/java"
[ -f "$out/classes/.stamp" ] || { echo "run.sh: build the Java player first: make demo-java" >&2; exit 2; }
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
home="$(dirname "$(dirname "$(readlink -f "$(command -v "$java")")")")"
# libjsig lets the JVM and the Go runtime inside libpeat chain their signal
# handlers (see the Java binding's README).
if [ -f "$home/lib/libjsig.so" ]; then
  export LD_PRELOAD="$home/lib/libjsig.so${LD_PRELOAD:+:$LD_PRELOAD}"
fi
# A short-lived process: skip the optimising JIT tiers.
exec "$java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
  -cp "$out/classes:$out/peat.jar:$(cat "$out/classpath.txt")" io.peat.demo.DemoPlayer "$@"
