#!/usr/bin/env bash
# Checks what make dist-java published, as its users get it (make dist-check-java):
#  1. consumer: a scratch Maven project (src/consumer, copied to build/java-consumer)
#     that names the file repository as its repository, depends on io.peat:peat
#     and runs a validation, once per protobuf-java version given;
#  2. arm64: the binding's unit suite (vectors, API, conversions, bad input;
#     not the stress test) in an arm64 JVM (jre-aarch64.sh) under qemu-aarch64,
#     loading the jar's linux-aarch64 natives, once per protobuf-java version.
# Maven runs offline (-o) once the dependencies are in the local repository.
# Usage: dist-check.sh <repo top> <repository dir> <version> <dist build dir> <protobuf version>...
set -euo pipefail
top="$(cd "$1" && pwd)"
repo="$(cd "$2" && pwd)"
version="$3"
dist="$(cd "$4" && pwd)"
shift 4
[ $# -ge 1 ] || { echo "usage: dist-check.sh TOP REPO VERSION DISTDIR PROTOBUF_VERSION..." >&2; exit 2; }
jar="$repo/io/peat/peat/$version/peat-$version.jar"
[ -f "$jar" ] || { echo "dist-check.sh: $jar missing (make dist-java)" >&2; exit 1; }
[ -d "$dist/test-classes" ] || { echo "dist-check.sh: $dist/test-classes missing (make dist-java)" >&2; exit 1; }
mvn=(mvn -B -ntp -Dstyle.color=never)
# Offline when everything is cached; online once otherwise (first run on a machine).
mvn_cached() {
  "${mvn[@]}" -o "$@" || { echo "dist-check.sh: retrying online (dependencies not cached yet)"; "${mvn[@]}" "$@"; }
}

# ---- 1. the consumer project -------------------------------------------------
work="$top/build/java-consumer"
rm -rf "$work"
mkdir -p "$work"
cp -r "$top/bindings/java/src/consumer/." "$work/"
consumer=(-f "$work/pom.xml" -Dpeat.repo.url="file://$repo" -Dpeat.version="$version" -Dpeat.dist.jar="$jar")
# A copy of io.peat:peat:$version cached by an earlier run is stale: drop it, so
# that the consumer resolves the jar from $repo (the test checks the checksum).
"${mvn[@]}" -o -q "${consumer[@]}" -Dprotobuf.version="$1" dependency:purge-local-repository \
  -DmanualInclude=io.peat:peat -DactTransitively=false -DreResolve=false -DskipDependencies=true \
  || "${mvn[@]}" -q "${consumer[@]}" -Dprotobuf.version="$1" dependency:purge-local-repository \
    -DmanualInclude=io.peat:peat -DactTransitively=false -DreResolve=false -DskipDependencies=true
for pb in "$@"; do
  echo "== consumer of $repo: io.peat:peat:$version with protobuf-java $pb"
  mvn_cached -q "${consumer[@]}" -Dprotobuf.version="$pb" -Daether.offline.protocols=file test
  grep -ho 'tests="[0-9]*"' "$work"/target/surefire-reports-pb-"$pb"/TEST-*.xml | head -1 | sed "s/^/   consumer ($pb): /"
done

# ---- 2. the arm64 natives in an arm64 JVM -------------------------------------
case "$(uname -m)" in
  aarch64|arm64) run=() ;;
  *) command -v qemu-aarch64 >/dev/null && [ -d /usr/aarch64-linux-gnu ] \
       || { echo "dist-check.sh: qemu-aarch64 and /usr/aarch64-linux-gnu needed (tools/deps-cross.sh)" >&2; exit 1; }
     run=(qemu-aarch64 -L /usr/aarch64-linux-gnu) ;;
esac
java="$("$top/bindings/java/src/build/jre-aarch64.sh")"
console="$(find "${HOME}/.m2/repository/org/junit/platform/junit-platform-console-standalone" -name 'junit-platform-console-standalone-*.jar' 2>/dev/null | sort | tail -1)"
if [ -z "$console" ]; then
  "${mvn[@]}" -q dependency:get -Dartifact=org.junit.platform:junit-platform-console-standalone:1.11.4 -Dtransitive=false
  console="$(find "${HOME}/.m2/repository/org/junit/platform/junit-platform-console-standalone" -name '*.jar' | sort | tail -1)"
fi
for pb in "$@"; do
  echo "== linux/arm64 JVM ($("${run[@]}" "$java" -version 2>&1 | head -1))$([ ${#run[@]} -gt 0 ] && echo ' under qemu'): the suite on the jar's aarch64 natives, protobuf-java $pb"
  cpfile="$dist/arm64-classpath-$pb.txt"
  mvn_cached -q -f "$top/bindings/java/pom.xml" -Pdist -Dprotobuf.version="$pb" dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="$cpfile" -Dmdep.excludeGroupIds=org.junit.jupiter,org.junit.platform,org.opentest4j,org.apiguardian
  cp="$jar:$dist/test-classes:$(cat "$cpfile"):$console"
  out="$dist/arm64-$pb.log"
  if ! "${run[@]}" "$java" --enable-native-access=ALL-UNNAMED -Dpeat.vectors="$top/tests/vectors" -Dpeat.protobuf.expected="$pb" \
      -Djava.io.tmpdir="$dist" -cp "$cp" org.junit.platform.console.ConsoleLauncher execute --disable-banner \
      --details=summary --fail-if-no-tests --select-package io.peat --exclude-classname '.*(Stress|IT).*' >"$out" 2>&1; then
    cat "$out"; echo "dist-check.sh: the arm64 run failed (protobuf-java $pb)" >&2; exit 1
  fi
  sed -n 's/^\[ *\([0-9]*\) tests successful.*/   arm64 ('"$pb"'): \1 tests successful/p; s/^\[ *\([0-9]*\) tests failed.*/   arm64 ('"$pb"'): \1 tests failed/p' "$out"
done
echo "dist-check-java: io.peat:peat:$version from $repo passed: consumer on protobuf-java $*, arm64 JVM on protobuf-java $*"
