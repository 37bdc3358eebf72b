#!/usr/bin/env bash
# Builds newlib (from Debian's newlib-source tarball) for freestanding x86_64 with the
# same ABI flags as minisvm (PIC, no red zone, no stack protector), once, into $1.
# Result: $1/x86_64-elf/lib/libc.a, libm.a and $1/x86_64-elf/include.
set -euo pipefail

prefix=$(realpath -m "${1:?usage: build-newlib.sh PREFIX}")
tarball=$(ls /usr/src/newlib/newlib-*.tar.xz 2>/dev/null | head -n 1)
if [ -z "$tarball" ]; then
  echo "build-newlib: no newlib tarball in /usr/src/newlib (install newlib-source: scripts/deps.sh)" >&2
  exit 1
fi
if [ -f "$prefix/x86_64-elf/lib/libc.a" ]; then
  exit 0
fi

work="$prefix.work"
rm -rf "$work"
mkdir -p "$work"
echo "newlib: unpacking $(basename "$tarball")"
tar -xf "$tarball" -C "$work"
src=$(ls -d "$work"/newlib-*/ | head -n 1)

abi_flags="-O2 -g -ffreestanding -fpic -fno-stack-protector -mno-red-zone -fno-builtin"
mkdir -p "$work/build"
cd "$work/build"
echo "newlib: configuring for x86_64-elf (log: $work/build/newlib.log)"
"$src/configure" \
  --target=x86_64-elf --prefix="$prefix" \
  --disable-multilib --disable-nls \
  --disable-newlib-supplied-syscalls \
  --enable-newlib-io-c99-formats --enable-newlib-io-long-long \
  --disable-newlib-multithread --enable-newlib-global-atexit \
  CC_FOR_TARGET=gcc AR_FOR_TARGET=ar RANLIB_FOR_TARGET=ranlib \
  AS_FOR_TARGET=as LD_FOR_TARGET=ld NM_FOR_TARGET=nm \
  CFLAGS_FOR_TARGET="$abi_flags" >newlib.log 2>&1
echo "newlib: building libc.a and libm.a (about a minute)"
make -j"$(nproc)" all-target-newlib >>newlib.log 2>&1
make install-target-newlib >>newlib.log 2>&1
cd /
rm -rf "$work"
echo "newlib: installed in $prefix"
