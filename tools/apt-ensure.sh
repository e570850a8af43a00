#!/usr/bin/env bash
# Installs the named Debian packages that are missing, and nothing else:
# idempotent, silent when all are there. As root it runs apt-get directly;
# otherwise through sudo (which may ask for a password; it says so first).
# apt-get update runs only when an install fails on a stale package list.
# Usage: tools/apt-ensure.sh [--why TEXT] PACKAGE...
set -euo pipefail
why=""
if [ "${1:-}" = --why ]; then why=$2; shift 2; fi
missing=()
for p in "$@"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=()
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "apt-ensure: missing Debian packages ${missing[*]}; install them as root: apt-get install ${missing[*]}" >&2; exit 1; }
  sudo=(sudo)
  echo "apt-ensure: installing ${missing[*]} as root through sudo (it may ask for your password)" >&2
fi
echo "apt-ensure: installing ${missing[*]}${why:+ ($why)}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get install -y -q "${missing[@]}" >&2 || {
  "${sudo[@]}" apt-get update -q >&2
  "${sudo[@]}" apt-get install -y -q "${missing[@]}" >&2
}
