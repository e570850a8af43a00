#!/usr/bin/env bash
# Runs the C++ section of docs/QUICKSTART.md as a reader would, so that it
# cannot rot: installs libpeat into a temporary prefix with tools/install.sh
# (what the page's `make install PREFIX=...` runs), writes the section's
# ```cmake block as CMakeLists.txt and its ```cpp block as quickstart.cc, runs
# its second ```sh block (the build commands) with /opt/peat replaced by that
# prefix and CXXFLAGS="-Wall -Wextra -Werror", and compares what the program
# prints with the section's ```text block.
# Usage: quickstart_check.sh SOURCE_DIR LIBPEAT_SO WORK_DIR
set -euo pipefail
src="$1" lib="$2" work="$3"
doc="$src/docs/QUICKSTART.md"
rm -rf "$work" && mkdir -p "$work/project"
fail() { echo "FAILED: $*" >&2; exit 1; }

block() { # LANG N: the N-th ```LANG fenced block of the "## C++" section
  awk -v lang="$1" -v want="$2" '
    fence && /^```[ \t]*$/ { fence = 0; next }
    fence { if (section && cur == lang && n == want) print; next }
    /^## / { section = ($0 == "## C++"); next }
    /^```/ { fence = 1; cur = substr($0, 4); sub(/[ \t]+$/, "", cur); if (section && cur == lang) n++; next }
  ' "$doc"
}
cmakelists="$(block cmake 1)" program="$(block cpp 1)" build="$(block sh 2)" expected="$(block text 1)"
[ -n "$cmakelists" ] || fail "docs/QUICKSTART.md: the C++ section has no \`\`\`cmake block"
[ -n "$program" ] || fail "docs/QUICKSTART.md: the C++ section has no \`\`\`cpp block"
[ -n "$build" ] || fail "docs/QUICKSTART.md: the C++ section has no second \`\`\`sh block (the build commands)"
[ -n "$expected" ] || fail "docs/QUICKSTART.md: the C++ section has no \`\`\`text block (the output)"
grep -q '/opt/peat' <<<"$build" || fail "the build commands do not name the prefix /opt/peat"
grep -q 'Peat::proto' <<<"$cmakelists" || fail "the CMakeLists.txt block does not use Peat::proto"

prefix="$work/prefix"
PEAT_LIB="$lib" "$src/tools/install.sh" "$prefix" >/dev/null
printf '%s\n' "$cmakelists" > "$work/project/CMakeLists.txt"
printf '%s\n' "$program" > "$work/project/quickstart.cc"
printf '%s\n' "${build//\/opt\/peat/$prefix}" > "$work/build.sh"

if ! (cd "$work/project" && CXXFLAGS="-Wall -Wextra -Werror" CMAKE_BUILD_PARALLEL_LEVEL="$(nproc 2>/dev/null || echo 2)" \
        bash -euo pipefail "$work/build.sh") > "$work/build.log" 2>&1; then
  cat "$work/build.log"; fail "the build commands of docs/QUICKSTART.md's C++ section failed"
fi
# The commands end by running the program: its output closes the log.
n="$(wc -l <<<"$expected")"
[ "$(tail -n "$n" "$work/build.log")" = "$expected" ] || { cat "$work/build.log"; fail "the build commands' output does not end with the page's"; }

got="$(cd "$work/project" && ./build/quickstart)" || fail "quickstart exited non-zero"
if [ "$got" != "$expected" ]; then
  diff <(echo "$expected") <(echo "$got") || true
  fail "quickstart prints something else than docs/QUICKSTART.md says (diff: page < > program)"
fi
echo "quickstart_check: docs/QUICKSTART.md's C++ program builds against $prefix and prints what the page says"
