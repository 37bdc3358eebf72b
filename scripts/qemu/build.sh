#!/usr/bin/env bash
# Builds QEMU 7.2 (Debian bookworm's source) with scripts/qemu/*.patch applied:
# x86_64-softmmu only, TCG only, no optional features except vvfat and qcow1 (the
# project boots ESP directories with -drive file=fat:rw:DIR, and vvfat's write support
# needs the qcow driver). Result: $BUILD/qemu/qemu-system-x86_64.
# Cached: rebuilds only when the sha256 of the patches and of these scripts changes.
# See docs/qemu.md. Works without a terminal (CI=true, no stdin).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$root/$BUILD ;; esac
out=$BUILD/qemu
tree=$out/tree
binary=$out/qemu-system-x86_64
stamp=$out/qemu-system-x86_64.sha256
JOBS=${JOBS:-2}

say() { echo "qemu-build: $*"; }
die() { echo "qemu-build: error: $*" >&2; exit 1; }

# The cache key: our patches, in order, and this script.
key=$(cd "$here" && cat [0-9][0-9][0-9][0-9]-*.patch build.sh | sha256sum | cut -d' ' -f1)
if [ -x "$binary" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$key" ]; then
  say "up to date: $binary (patches sha256 ${key:0:12})"
  exit 0
fi
say "building (patches sha256 ${key:0:12}); $JOBS jobs"
start=$(date +%s)

"$here/source.sh" patch "$tree"

mkdir -p "$tree/build"
cd "$tree/build"
# Debian installs the ROMs this binary needs (SeaBIOS, option ROMs for -kernel,
# VGA BIOS) in these directories; the +dfsg source tree carries none.
firmware=/usr/share/qemu:/usr/share/seabios:/usr/lib/ipxe/qemu
say "configure (x86_64-softmmu, TCG only, log: $tree/build/configure.log)"
../configure --target-list=x86_64-softmmu --without-default-features \
  --enable-tcg --enable-fdt=system --disable-docs --disable-tools --disable-user \
  --disable-werror --enable-vvfat --enable-qcow1 --firmwarepath="$firmware" > configure.log 2>&1 ||
  { tail -n 30 configure.log >&2; die "configure failed (see $tree/build/configure.log)"; }

say "ninja -j$JOBS qemu-system-x86_64 (log: $tree/build/ninja.log)"
ninja -j"$JOBS" qemu-system-x86_64 > ninja.log 2>&1 ||
  { grep -B2 -A12 -m3 'error' ninja.log >&2 || tail -n 30 ninja.log >&2
    die "compilation failed (see $tree/build/ninja.log)"; }

cp qemu-system-x86_64 "$binary.tmp" && mv "$binary.tmp" "$binary"
timeout -k 5 60 "$binary" --version | head -n1 | sed 's/^/qemu-build: built: /'
# Check that the binary finds SeaBIOS and its option ROMs without -L, and has GMET.
timeout -k 5 60 "$binary" -L help | grep -qx /usr/share/seabios ||
  die "the built binary does not search /usr/share/seabios for its ROMs"
timeout -k 5 60 "$binary" -cpu help | grep -qw gmet ||
  die "the built binary has no 'gmet' CPU flag: were the patches applied?"
echo "$key" > "$stamp"
say "done in $(( $(date +%s) - start )) s: $binary"
