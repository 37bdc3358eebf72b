#!/usr/bin/env bash
# Installs the Debian packages minisvm needs to build, run and test.
# Idempotent: installs only what is missing, says what it installs, uses sudo when not root.
set -euo pipefail

packages=(
  gcc make binutils           # host compiler and linker (also builds newlib)
  gnu-efi                     # crt0, libefi, libgnuefi, elf_x86_64_efi.lds
  nasm                        # world switch and guest entry code
  newlib-source               # newlib tarball, built for freestanding x86_64 in build/
  xz-utils                    # to unpack the newlib tarball
  qemu-system-x86 ovmf        # the emulator and its UEFI firmware
  mtools dosfstools gdisk     # FAT32 ESP and GPT disk image without root
  psf-unifont                 # PSF console font for the framebuffer
  libasan8 libubsan1          # host unit tests under AddressSanitizer and UBSan
  linux-image-cloud-amd64     # the Linux kernel minisvm runs as a guest (make linux)
  busybox-static              # the guest's userspace: one static binary in the initramfs
  cpio                        # packs the guest's initramfs (gzip is Essential in Debian)
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "deps: all packages present"
  exit 0
fi

echo "deps: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
# A new machine may have no (or stale) package lists.
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "deps: done"
