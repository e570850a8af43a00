#!/usr/bin/env bash
# The release's SBOM (CycloneDX 1.6 JSON), written by `make dist` (tools/dist.mk):
#   tools/dist-sbom.sh VERSION DIST_DIR WORK_DIR OUT
# Each ecosystem's part comes from its maintained generator, pinned:
#   Go      cyclonedx-gomod app -licenses, for the library (./capi, cgo) and
#           the CLI (./cmd/peat) on linux/amd64 and linux/arm64: exactly the
#           modules linked into what ships (no test-only modules)
#   Python  cyclonedx-py environment over a fresh venv holding only the
#           released wheel for this machine's architecture and its runtime
#           dependencies (resolved under bindings/python/requirements-dev.txt
#           as constraints: the versions the package is tested with)
#   Maven   org.cyclonedx:cyclonedx-maven-plugin makeBom on bindings/java
#           (compile and runtime scopes: what the jar's consumers get)
# then tools/sbom-merge.py merges them under one root and validates the result.
# The parts are kept in WORK_DIR/sbom/ for inspection.
set -euo pipefail
if [ $# -ne 4 ]; then echo "usage: tools/dist-sbom.sh VERSION DIST_DIR WORK_DIR OUT" >&2; exit 2; fi
version="$1" dist="$(realpath -m "$2")" work="$(realpath -m "$3/sbom")" out="$(realpath -m "$4")"
top="$(cd "$(dirname "$0")/.." && pwd)"
cd "$top"
: "${SOURCE_DATE_EPOCH:?dist-sbom.sh: SOURCE_DATE_EPOCH must be set}"
: "${DIST_GOMOD_VERSION:?}" "${DIST_CDX_MAVEN_VERSION:?}"
rm -rf "$work"
mkdir -p "$work"

# ---- the tools, installed once under build/tools ----
gomod_dir="$top/build/tools/cyclonedx-gomod-$DIST_GOMOD_VERSION"
gomod="$gomod_dir/cyclonedx-gomod"
if [ ! -x "$gomod" ]; then
  GOBIN="$gomod_dir" GOFLAGS=-buildvcs=false go install "github.com/CycloneDX/cyclonedx-gomod/cmd/cyclonedx-gomod@$DIST_GOMOD_VERSION"
fi
req="$top/tools/requirements-sbom.txt"
venv="$top/build/tools/sbom-$(sha256sum "$req" | cut -c1-12)"
if [ ! -f "$venv/.stamp" ]; then
  rm -rf "$venv"
  "${PYTHON3:-python3}" -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$req"
  touch "$venv/.stamp"
fi

# ---- Go: what is linked into the libraries and the CLI ----
inputs=()
for goarch in amd64 arm64; do
  for target in capi:1 cmd/peat:0; do
    main="${target%%:*}" cgo="${target##*:}"
    f="$work/go-${main//\//-}-linux-$goarch.cdx.json"
    GOOS=linux GOARCH="$goarch" CGO_ENABLED="$cgo" "$gomod" app -json -licenses -assert-licenses \
      -noserial -notimestamp -main "$main" -output "$f" . 2> "$work/gomod.log" \
      || { cat "$work/gomod.log" >&2; exit 1; }
    inputs+=("$f")
  done
done

# ---- Python: the wheel for this machine and its runtime dependencies ----
machine="$(uname -m)"
mapfile -t wheels < <(find "$dist" -maxdepth 1 -name "peat-$version-*manylinux*_$machine.whl" | sort)
[ "${#wheels[@]}" -eq 1 ] || { echo "dist-sbom.sh: expected one peat-$version-*_$machine.whl in $dist (make dist-python), found ${#wheels[@]}" >&2; exit 1; }
"${PYTHON3:-python3}" -m venv --without-pip "$work/pyenv"
"$venv/bin/pip" --python "$work/pyenv/bin/python" install -q --disable-pip-version-check \
  -c bindings/python/requirements-dev.txt "${wheels[0]}"
"$venv/bin/cyclonedx-py" environment --pyproject bindings/python/pyproject.toml --mc-type library \
  --gather-license-texts --output-reproducible -o "$work/python.cdx.json" "$work/pyenv/bin/python"
inputs+=("$work/python.cdx.json")

# ---- Maven: the jar's dependencies ----
mvn -B -ntp -f bindings/java "org.cyclonedx:cyclonedx-maven-plugin:$DIST_CDX_MAVEN_VERSION:makeBom" \
  -DoutputFormat=json -DoutputName=maven -DoutputDirectory="$work" -DincludeBomSerialNumber=false \
  -DincludeTestScope=false -Dproject.build.outputTimestamp="$SOURCE_DATE_EPOCH" > "$work/maven.log" 2>&1 \
  || { cat "$work/maven.log" >&2; exit 1; }
inputs+=("$work/maven.json")

license="$(sed -n 's/^license *= *"\([^"]*\)".*/\1/p' bindings/python/pyproject.toml)"
[ -n "$license" ] || { echo "dist-sbom.sh: no license = \"...\" in bindings/python/pyproject.toml" >&2; exit 1; }
"$venv/bin/python" tools/sbom-merge.py --out "$out" --name libpeat --version "$version" \
  --license "$license" --epoch "$SOURCE_DATE_EPOCH" "${inputs[@]}"
