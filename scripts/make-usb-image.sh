#!/usr/bin/env bash
# Makes a GPT disk image with one FAT32 EFI System Partition holding
# EFI/BOOT/BOOTX64.EFI, and any further files (the Linux guest's kernel and
# initramfs) in minisvm/linux/, without root or loop devices (sgdisk, mkfs.fat, mtools).
#   make-usb-image.sh MINISVM.EFI IMAGE [FILE...]    e.g. FILE = vmlinuz initrd.gz
# Write it to a stick with: dd if=IMAGE of=/dev/sdX bs=4M conv=fsync
set -euo pipefail

usage="usage: make-usb-image.sh MINISVM.EFI IMAGE [FILE...]"
efi=${1:?$usage}
image=${2:?$usage}
shift 2
linux_files=("$@")
image_mib=64
first_sector=2048       # 1 MiB alignment, as partitioning tools do
sector=512

for file in "$efi" "${linux_files[@]}"; do
  if [ ! -r "$file" ]; then
    echo "usb: cannot read $file" >&2
    exit 1
  fi
done

export PATH="$PATH:/sbin:/usr/sbin"   # mkfs.fat and sgdisk live there
tmp="$image.tmp"
esp="$image.esp"
rm -f "$tmp" "$esp"
truncate -s "${image_mib}M" "$tmp"
sgdisk --clear --new=1:${first_sector}:0 --typecode=1:EF00 --change-name=1:"EFI System" \
  "$tmp" >/dev/null
last_sector=$(sgdisk --info=1 "$tmp" | sed -n 's/^Last sector: \([0-9]*\).*/\1/p')
esp_sectors=$((last_sector - first_sector + 1))

truncate -s $((esp_sectors * sector)) "$esp"
mkfs.fat -F 32 -n MINISVM "$esp" >/dev/null

# The files must fit in the file system's free space (a full disk would make
# mcopy fail half-way).
needed=$(du -cb --apparent-size "$efi" "${linux_files[@]}" | tail -n 1 | cut -f1)
info=$(minfo -i "$esp" ::)
free_clusters=$(sed -n 's/^free clusters=\([0-9]*\).*/\1/p' <<<"$info")
cluster_sectors=$(sed -n 's/^cluster size: \([0-9]*\) sectors.*/\1/p' <<<"$info")
free=$((free_clusters * cluster_sectors * sector))
if [ "$needed" -gt "$free" ]; then
  echo "usb: $needed bytes do not fit in the ESP's $free free bytes: raise image_mib in $0" >&2
  rm -f "$tmp" "$esp"
  exit 1
fi

mmd -i "$esp" ::/EFI ::/EFI/BOOT
mcopy -i "$esp" "$efi" ::/EFI/BOOT/BOOTX64.EFI
contents="EFI/BOOT/BOOTX64.EFI ($(stat -c %s "$efi") bytes)"
if [ ${#linux_files[@]} -gt 0 ]; then
  mmd -i "$esp" ::/minisvm ::/minisvm/linux
  for file in "${linux_files[@]}"; do
    name=$(basename "$file")
    mcopy -i "$esp" "$file" "::/minisvm/linux/$name"
    contents+=", minisvm/linux/$name ($(stat -c %s "$file") bytes)"
  done
fi
free_clusters=$(minfo -i "$esp" :: | sed -n 's/^free clusters=\([0-9]*\).*/\1/p')
dd if="$esp" of="$tmp" bs=$sector seek=$first_sector conv=notrunc status=none
rm -f "$esp"
mv "$tmp" "$image"
echo "usb: $image (GPT, FAT32 ESP of $((esp_sectors / 2048)) MiB at sector $first_sector," \
  "$((free_clusters * cluster_sectors * sector)) bytes free)"
echo "usb: the ESP holds $contents"
