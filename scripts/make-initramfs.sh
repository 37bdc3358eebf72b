#!/usr/bin/env bash
# Builds the initramfs of minisvm's Linux guest: a gzip-compressed cpio (newc)
# archive holding /init (guest/linux/init), a static busybox (Debian package
# busybox-static) with the applets /init uses, and /proc /sys /dev /tmp.
#   make-initramfs.sh OUT.gz [INIT]
# No root needed; the output is the same byte for byte from the same inputs
# (sorted names, owner 0:0, mtimes at 0, gzip without name or time stamp).
set -euo pipefail

usage="usage: make-initramfs.sh OUT.gz [INIT]"
out=${1:?$usage}
init=${2:-$(dirname "$0")/../guest/linux/init}
busybox=/bin/busybox
# Every command guest/linux/init runs; sh and echo included.
applets=(sh echo mount cat grep cut uname dmesg poweroff)

if [ ! -r "$init" ]; then
  echo "initramfs: no init script at $init" >&2
  exit 1
fi
if [ ! -x "$busybox" ]; then
  echo "initramfs: no $busybox: install the package busybox-static (scripts/deps.sh)" >&2
  exit 1
fi
# The initramfs has no C library: a dynamically linked busybox (package busybox)
# would not start.
if readelf -l "$busybox" | grep -q INTERP; then
  echo "initramfs: $busybox is dynamically linked: install busybox-static instead of busybox" >&2
  exit 1
fi
for tool in cpio gzip; do
  if ! command -v "$tool" >/dev/null; then
    echo "initramfs: $tool is missing: install the package $tool (scripts/deps.sh)" >&2
    exit 1
  fi
done

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

mkdir -p "$root/bin" "$root/dev" "$root/proc" "$root/sys" "$root/tmp"
chmod 755 "$root" "$root/bin" "$root/dev" "$root/proc" "$root/sys"
chmod 1777 "$root/tmp"
install -m 755 "$init" "$root/init"
install -m 755 "$busybox" "$root/bin/busybox"
for applet in "${applets[@]}"; do
  ln -s busybox "$root/bin/$applet"
done
find "$root" -exec touch -h -d @0 {} +

cpio_options=(-o -H newc --owner=0:0 --quiet)
if cpio --help 2>/dev/null | grep -q -- --reproducible; then
  cpio_options+=(--reproducible)
fi

mkdir -p "$(dirname "$out")"
(cd "$root" && find . -mindepth 1 | LC_ALL=C sort | cpio "${cpio_options[@]}") \
  | gzip -9 -n >"$out.tmp"
mv "$out.tmp" "$out"
echo "initramfs: $out ($(stat -c %s "$out") bytes: /init, /bin/busybox and ${#applets[@]} applets: ${applets[*]})"
