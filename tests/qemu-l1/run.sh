#!/usr/bin/env bash
# Runs the L1 test program under one QEMU binary and checks its verdict.
#   run.sh LABEL QEMU L1_ELF [CPU]
# stock:   passes if nothing fails (GMET and G_PAT tests skip, known defects are TODO)
# patched: passes only if nothing fails and nothing is skipped or TODO
set -uo pipefail
label=$1 qemu=$2 elf=$3 cpu=${4:-max}
log=$(dirname "$elf")/l1-$label.log

echo "qemu-l1 [$label]: $qemu -cpu $cpu"
timeout -k 5 60 "$qemu" -machine pc -cpu "$cpu" -m 128M -nodefaults -display none \
  -no-reboot -serial stdio -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
  -kernel "$elf" < /dev/null > "$log" 2>&1
status=$?
tr -d '\r' < "$log" | sed "s/^/  /"
# isa-debug-exit: status = (code << 1) | 1; the program writes 0 on success.
if [ $status -ne 1 ]; then
  echo "qemu-l1 [$label]: FAIL (QEMU exit status $status; 124 = timeout)"
  exit 1
fi
summary=$(tr -d '\r' < "$log" | grep '^l1: ' | tail -n1)
if [ "$label" = patched ] && ! echo "$summary" | grep -q ' 0 skipped'; then
  echo "qemu-l1 [$label]: FAIL (tests skipped under the patched QEMU)"
  exit 1
fi
if [ "$label" = patched ] && grep -q '# TODO' "$log"; then
  echo "qemu-l1 [$label]: FAIL (known-defect TODO under the patched QEMU)"
  exit 1
fi
echo "qemu-l1 [$label]: PASS ($summary)"
