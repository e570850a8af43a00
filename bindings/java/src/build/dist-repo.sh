#!/usr/bin/env bash
# Makes the file-based Maven repository of make dist-java reproducible: the
# deploy writes the time of the build into maven-metadata.xml (<lastUpdated>);
# set it to the build's epoch instead and rewrite the .md5/.sha1 beside it.
# Checks that the jar, -sources, -javadoc (with the API's pages) and POM are there,
# then lists what the repository holds for io.peat:peat.
# Usage: dist-repo.sh <repository dir> <version> <epoch seconds>
set -euo pipefail
repo="$1"
version="$2"
epoch="$3"
dir="$repo/io/peat/peat"
stamp="$(date -u -d "@$epoch" +%Y%m%d%H%M%S)"
for m in "$dir/maven-metadata.xml"; do
  [ -f "$m" ] || { echo "dist-repo.sh: $m missing (did the deploy run?)" >&2; exit 1; }
  sed -i "s|<lastUpdated>[0-9]*</lastUpdated>|<lastUpdated>$stamp</lastUpdated>|" "$m"
  md5sum "$m" | cut -d' ' -f1 | tr -d '\n' > "$m.md5"
  sha1sum "$m" | cut -d' ' -f1 | tr -d '\n' > "$m.sha1"
done
for f in peat-$version.jar peat-$version-sources.jar peat-$version-javadoc.jar peat-$version.pom; do
  [ -f "$dir/$version/$f" ] || { echo "dist-repo.sh: $dir/$version/$f missing" >&2; exit 1; }
done
# The -javadoc.jar documents the API: the overview, io.peat's package page and its classes.
# javadoc lays pages out by module (io.peat/io/peat/...) when it sees the
# automatic module name, and by package otherwise: accept either.
javadoc_entries="$(unzip -Z1 "$dir/$version/peat-$version-javadoc.jar" | sed 's|^io\.peat/||')"
for e in index.html io/peat/package-summary.html io/peat/Peat.html io/peat/Document.html io/peat/PeatException.html \
    io/peat/proto/cap/node/v1/NodeConfig.html; do
  grep -qx "$e" <<<"$javadoc_entries" || { echo "dist-repo.sh: peat-$version-javadoc.jar has no $e" >&2; exit 1; }
done
(cd "$repo" && find . -type f ! -name '*.md5' ! -name '*.sha1' | LC_ALL=C sort | sed 's|^\./|  |')
