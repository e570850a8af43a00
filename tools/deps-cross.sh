#!/usr/bin/env bash
# Debian packages that run the arm64 builds on an x86_64 machine (make
# test-cross): qemu-user (qemu-aarch64) and libc6-arm64-cross (the arm64
# glibc and loader under /usr/aarch64-linux-gnu). On an arm64 machine nothing
# is needed.
set -euo pipefail
[ "$(uname -m)" = aarch64 ] && exit 0
exec "$(dirname "$0")/apt-ensure.sh" --why "arm64 tests under qemu" qemu-user libc6-arm64-cross
