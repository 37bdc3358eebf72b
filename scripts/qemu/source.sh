#!/usr/bin/env bash
# Fetches Debian bookworm's QEMU 7.2 source (with Debian's own patches applied) into
# $BUILD/qemu/src, once; then, with "patch DIR", makes DIR a fresh copy of that tree
# with scripts/qemu/*.patch applied in order. See docs/qemu.md.
#
#   scripts/qemu/source.sh            install build deps, fetch the source (cached)
#   scripts/qemu/source.sh patch DIR  as above, then DIR = fresh copy + our patches
#
# Works without a terminal (CI=true, no stdin). Uses sudo when not root.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$root/$BUILD ;; esac
src_dir=$BUILD/qemu/src

say() { echo "qemu-source: $*"; }
die() { echo "qemu-source: error: $*" >&2; exit 1; }

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || die "not root and no sudo: run as root or install sudo"
  sudo="sudo -n"
fi
export DEBIAN_FRONTEND=noninteractive

# --- 1. A deb-src entry for bookworm, only if none exists ---------------------------
have_deb_src() {
  # -q: a match wins even if one of the paths does not exist.
  grep -rqsE --include='*.list' --include='*.sources' \
    '^[[:space:]]*(deb-src[[:space:]].*bookworm|Types:.*deb-src)' \
    /etc/apt/sources.list /etc/apt/sources.list.d/
}
added_src=0
if have_deb_src; then
  say "deb-src entry present"
else
  say "adding /etc/apt/sources.list.d/minisvm-deb-src.sources (deb-src for bookworm)"
  printf '%s\n' \
    'Types: deb-src' \
    'URIs: http://deb.debian.org/debian' \
    'Suites: bookworm bookworm-updates' \
    'Components: main' \
    'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg' |
    $sudo tee /etc/apt/sources.list.d/minisvm-deb-src.sources >/dev/null
  added_src=1
fi

# --- 2. Build dependencies ---------------------------------------------------------
# Debian's +dfsg tarball has no bundled meson. dpkg-dev gives dpkg-source for apt-get source.
packages=(meson ninja-build pkg-config libglib2.0-dev libpixman-1-dev libfdt-dev flex bison
          dpkg-dev patch xz-utils gcc make python3)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
updated=0
if [ ${#missing[@]} -gt 0 ] || { [ $added_src = 1 ] || [ ! -d "$src_dir" ]; }; then
  say "apt-get update"
  $sudo apt-get update -qq || die "apt-get update failed (network? apt lock?)"
  updated=1
fi
if [ ${#missing[@]} -gt 0 ]; then
  say "installing (--no-install-recommends): ${missing[*]}"
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
    die "apt-get install ${missing[*]} failed"
else
  say "build dependencies present"
fi

# --- 3. apt-get source qemu (cached) -----------------------------------------------
tree() { find "$src_dir" -maxdepth 1 -mindepth 1 -type d -name 'qemu-*' | head -n1; }
if [ -n "$(tree 2>/dev/null || true)" ] && [ -f "$(tree)/.minisvm-source-ok" ]; then
  say "source cached in $(tree)"
else
  [ $updated = 1 ] || $sudo apt-get update -qq
  rm -rf "$src_dir"; mkdir -p "$src_dir"
  say "apt-get source qemu into $src_dir (about 24 MB)"
  # apt-get source runs dpkg-source -x, which also applies Debian's own patches.
  (cd "$src_dir" && apt-get source -qq qemu >/dev/null) ||
    die "apt-get source qemu failed: is there a deb-src line for bookworm?"
  [ -n "$(tree)" ] || die "apt-get source produced no qemu-* directory"
  touch "$(tree)/.minisvm-source-ok"
  say "unpacked $(basename "$(tree)")"
fi

# --- 4. Optional: fresh copy with our patches ---------------------------------------
if [ "${1:-}" = patch ]; then
  dest=${2:?usage: source.sh patch DIR}
  rm -rf "$dest"; mkdir -p "$(dirname "$dest")"
  cp -a "$(tree)" "$dest"
  rm -f "$dest/.minisvm-source-ok"
  for p in "$here"/[0-9][0-9][0-9][0-9]-*.patch; do
    [ -e "$p" ] || continue
    say "applying $(basename "$p")"
    patch -p1 -s -N --no-backup-if-mismatch -d "$dest" < "$p" ||
      die "$(basename "$p") does not apply to $(basename "$(tree)")"
  done
fi
