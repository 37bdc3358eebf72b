#!/usr/bin/env bash
# Makes a GPT disk image with one FAT32 EFI System Partition holding
# EFI/BOOT/BOOTX64.EFI, without root or loop devices (sgdisk, mkfs.fat, mtools).
#   make-usb-image.sh MINISVM.EFI IMAGE
# Write it to a stick with: dd if=IMAGE of=/dev/sdX bs=4M conv=fsync
set -euo pipefail

efi=${1:?usage: make-usb-image.sh MINISVM.EFI IMAGE}
image=${2:?usage: make-usb-image.sh MINISVM.EFI IMAGE}
image_mib=64
first_sector=2048       # 1 MiB alignment, as partitioning tools do
sector=512

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
mmd -i "$esp" ::/EFI ::/EFI/BOOT
mcopy -i "$esp" "$efi" ::/EFI/BOOT/BOOTX64.EFI
dd if="$esp" of="$tmp" bs=$sector seek=$first_sector conv=notrunc status=none
rm -f "$esp"
mv "$tmp" "$image"
echo "usb: $image (GPT, FAT32 ESP of $((esp_sectors / 2048)) MiB with EFI/BOOT/BOOTX64.EFI)"
