#!/usr/bin/env bash
# Debian packages that run the arm64 builds on an x86_64 machine (make
# test-cross): qemu-user (qemu-aarch64) and libc6-arm64-cross (the arm64
# glibc and loader under /usr/aarch64-linux-gnu). Idempotent: apt-get runs
# only when a package is missing. On an arm64 machine nothing is needed.
set -euo pipefail
[ "$(uname -m)" = aarch64 ] && exit 0
missing=()
for p in qemu-user libc6-arm64-cross; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "deps-cross.sh: missing Debian packages ${missing[*]}; install them as root: apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "deps-cross.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 || {
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}
