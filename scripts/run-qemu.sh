#!/usr/bin/env bash
# Boots minisvm in QEMU with OVMF, serial console on stdout, under a timeout.
#   run-qemu.sh --esp DIR | --usb IMAGE  [--log FILE] [-- extra QEMU arguments]
# Environment: QEMU (binary), CPU (model), ACCEL (kvm|tcg), TIMEOUT (seconds), OVMF.
# With no ACCEL, KVM is used when /dev/kvm offers nested SVM (an AMD host with the
# svm flag and kvm_amd's nested=1), with -cpu host; otherwise TCG with -cpu EPYC.
# Exit status: QEMU's. minisvm ends QEMU with 0 on success, otherwise through
# isa-debug-exit with 2*status+1; 124 means the timeout struck.
set -euo pipefail

usage() {
  echo "usage: $0 --esp DIR | --usb IMAGE [--log FILE] [-- QEMU-ARGS...]" >&2
  exit 2
}

esp="" usb="" log=""
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --esp) esp=${2:?}; shift 2 ;;
    --usb) usb=${2:?}; shift 2 ;;
    --log) log=${2:?}; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    *) usage ;;
  esac
done
[ -n "$esp" ] || [ -n "$usb" ] || usage

qemu=${QEMU:-qemu-system-x86_64}
timeout_seconds=${TIMEOUT:-60}
ovmf=${OVMF:-/usr/share/ovmf/OVMF.fd}
accel=${ACCEL:-}
cpu=${CPU:-}

kvm_has_nested_svm() {
  [ -r /dev/kvm ] && [ -w /dev/kvm ] || return 1
  grep -qw svm /proc/cpuinfo || return 1
  local nested
  nested=$(cat /sys/module/kvm_amd/parameters/nested 2>/dev/null) || return 1
  [ "$nested" = 1 ] || [ "$nested" = Y ]
}

if [ -z "$accel" ]; then
  if kvm_has_nested_svm; then accel=kvm; else accel=tcg; fi
fi
if [ -z "$cpu" ]; then
  if [ "$accel" = kvm ]; then cpu=host; else cpu=EPYC; fi
fi
if [ ! -r "$ovmf" ]; then
  echo "run-qemu: no OVMF firmware at $ovmf (install ovmf: scripts/deps.sh)" >&2
  exit 2
fi

args=(-machine q35 -accel "$accel" -cpu "$cpu" -m 512M -smp 1
      -bios "$ovmf" -nodefaults -no-reboot -display none -serial stdio
      -device isa-debug-exit,iobase=0xf4,iosize=0x04)
if [ -n "$esp" ]; then
  args+=(-drive "format=raw,file=fat:rw:$esp")
else
  args+=(-device qemu-xhci -device usb-storage,drive=stick
         -drive "if=none,id=stick,format=raw,snapshot=on,file=$usb")
fi
args+=("${extra[@]}")

echo "run-qemu: $qemu -accel $accel -cpu $cpu (timeout ${timeout_seconds}s)" >&2
status=0
if [ -n "$log" ]; then
  timeout -k 5 "$timeout_seconds" "$qemu" "${args[@]}" </dev/null >"$log" 2>&1 || status=$?
elif [ -t 0 ]; then
  # On a terminal QEMU reads the serial console from it: it must stay in the
  # foreground process group, or the terminal stops it (SIGTTIN).
  timeout --foreground -k 5 "$timeout_seconds" "$qemu" "${args[@]}" || status=$?
else
  timeout -k 5 "$timeout_seconds" "$qemu" "${args[@]}" </dev/null || status=$?
fi
if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
  echo "run-qemu: timed out after ${timeout_seconds}s" >&2
elif [ "$status" -ne 0 ] && [ $((status & 1)) -eq 1 ]; then
  echo "run-qemu: minisvm status $((status >> 1)) (QEMU exit $status)" >&2
fi
exit "$status"
