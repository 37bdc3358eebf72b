#!/usr/bin/env bash
# make bench: round trips through minisvm, measured by the benchmark guest (bench/)
# under QEMU TCG with -icount shift=N,sleep=off. There the TSC is QEMU's virtual
# clock, which advances 2^N ns per instruction executed, so a TSC difference read in
# the guest is 2^N times the instructions executed in between: the guest's, minisvm's,
# and the VMRUN and #VMEXIT between them, one instruction each. Exact, and the same on
# every machine and every run. This script divides by 2^N and prints instructions.
#
# Two boots, in parallel, each under a timeout (scripts/run-qemu.sh), of minisvm with
# guest=bench.bin in vm0 and vm1 and schedule=interleaved:
#   $BUILD/bench-esp        watchdog=0: minisvm starts no host timer, nothing but the
#                           cases interrupts the guest; intr is skipped (no timer)
#   $BUILD/bench-esp-timer  watchdog=60: minisvm's 1 ms host timer runs; intr is
#                           measured, and every other exit also pays for the clock
#                           minisvm now keeps (host_time.c, the guests' PIT)
# Prints a table for vm0 with both boots' figures, the yield case's make-up, the
# instructions from efi_main to vm0's first instruction (minisvm's "tsc at" lines and
# the guest's subtracted, first boot) and the size of minisvm.efi, and says whether
# the numbers equal those of the previous run of the same build.
#
# Environment: BUILD (default build), ICOUNT_SHIFT (default 0), TIMEOUT (seconds per
# boot, default 180), QEMU, OVMF; ACCEL=kvm (with CPU=host) boots without -icount, and
# the figures are then TSC cycles, different at every run. The firmware (OVMF) spends
# about 2.3 s of virtual time before minisvm starts, most of it waiting for a TPM that
# QEMU does not have: at shift 0 that is 2.3 G instructions, 30-45 s of TCG.
# ICOUNT_SHIFT=4 boots in about 4 s and gives the same round-trip counts; its boot
# figure differs a little (longer TSC numbers to print, and the firmware's timer may
# tick inside it). Logs: $BUILD/bench-logs/.
# Exit status: 0 when both boots ended with status 0 and vm0 reported every case.
set -euo pipefail

build=${BUILD:-build}
icount_shift=${ICOUNT_SHIFT:-0}
accel=${ACCEL:-tcg}
cpu=${CPU:-EPYC}
export TIMEOUT=${TIMEOUT:-180}
logs="$build/bench-logs"
efi="$build/minisvm.efi"
guest="$build/bench/bench.bin"
# vm0's cases, in the order of the table.
cases=(empty cpuid-0 vmmcall-abi-version out-0x1234 in-0x1234 rdmsr-pat wrmsr-pat npf-write
       com1-scratch yield intr)

for file in "$efi" "$guest"; do
  if [ ! -r "$file" ]; then
    echo "bench: no $file: make bench builds it" >&2
    exit 2
  fi
done
[[ $icount_shift =~ ^[0-9]$ ]] || { echo "bench: ICOUNT_SHIFT must be 0-9" >&2; exit 2; }

qemu_args=()
if [ "$accel" = tcg ]; then
  unit=instructions
  scale=$((1 << icount_shift))
  # The firmware's date fixed and its clock virtual: nothing depends on the time of day.
  qemu_args=(-icount "shift=$icount_shift,sleep=off" -rtc "base=2024-01-01T00:00:00,clock=vm")
  how="QEMU TCG -cpu $cpu, -icount shift=$icount_shift,sleep=off: TSC / $scale = instructions"
else
  unit="TSC cycles"
  scale=1
  how="QEMU $accel -cpu $cpu, no -icount: TSC cycles, different at every run"
fi

# An ESP with minisvm, the benchmark guest and a minisvm.cfg with the watchdog given.
make_esp() {
  local esp=$1 watchdog=$2
  rm -rf "$esp"
  mkdir -p "$esp/EFI/BOOT" "$esp/minisvm"
  cp "$efi" "$esp/EFI/BOOT/BOOTX64.EFI"
  cp "$guest" "$esp/minisvm/bench.bin"
  printf '%s\n' guest=bench.bin schedule=interleaved "watchdog=$watchdog" >"$esp/minisvm/minisvm.cfg"
}

boot() {
  local name=$1 esp=$2 status=0
  ACCEL=$accel CPU=$cpu scripts/run-qemu.sh --esp "$esp" --log "$logs/$name.log" -- \
    "${qemu_args[@]}" 2>"$logs/$name.run" || status=$?
  echo "$status" >"$logs/$name.status"
}

mkdir -p "$logs"
rm -f "$logs"/*.log "$logs"/*.status
make_esp "$build/bench-esp" 0
make_esp "$build/bench-esp-timer" 60
echo "bench: $how"
echo "bench: two boots in parallel (timeout ${TIMEOUT}s each), logs in $logs/"
started=$SECONDS
boot quiet "$build/bench-esp" &
boot timer "$build/bench-esp-timer" &
wait
echo "bench: the boots took $((SECONDS - started)) s"

failed=0
for name in quiet timer; do
  status=$(cat "$logs/$name.status")
  if [ "$status" != 0 ]; then
    echo "bench: the $name boot ended with QEMU status $status (see $logs/$name.log)" >&2
    failed=1
  fi
  grep -q '^\[vm0\] bench: done' "$logs/$name.log" || failed=1
done

# to_units NAME TSC-DIFFERENCE: sets NAME to the difference in the unit, divided by
# 2^shift, which must divide it (it does unless the virtual clock jumped, which it
# does only while the CPU sleeps).
to_units() {
  if [ $(($2 % scale)) -ne 0 ]; then
    echo "bench: $2 is not a multiple of $scale: the virtual clock jumped" >&2
    failed=1
  fi
  printf -v "$1" '%s' $(($2 / scale))
}

# figures LOG CASE: vm0's line for the case in LOG. Sets kind (measured, skipped,
# FAILED or missing), cell ("min / median / max" in the unit, or the kind), samples
# and, for a line without figures, reason.
figures() {
  local line
  line=$(grep -E "^\[vm0\] bench: $2 (min|skipped:|FAILED:)" "$1" 2>/dev/null | tail -n 1 || true)
  line=${line%$'\r'}
  samples=- reason=""
  if [[ $line =~ \ min\ ([0-9]+)\ median\ ([0-9]+)\ max\ ([0-9]+)\ \(([0-9]+)\ samples\) ]]; then
    samples=${BASH_REMATCH[4]}
    to_units min "${BASH_REMATCH[1]}"
    to_units median "${BASH_REMATCH[2]}"
    to_units max "${BASH_REMATCH[3]}"
    kind=measured cell="$min / $median / $max"
  elif [[ $line =~ \ (skipped|FAILED):\ (.*) ]]; then
    kind=${BASH_REMATCH[1]} cell=${BASH_REMATCH[1]} reason=${BASH_REMATCH[2]}
  else
    kind=missing cell="no line in the log"
  fi
}

row() {
  table+=$(printf '| %-19s | %-24s | %-27s | %-7s |' "$@")$'\n'
}
table="" numbers="" reasons=""
row case "watchdog=0: no timer" "watchdog=60: 1 ms timer on" samples
table+="|$(printf -- '-%.0s' {1..21})|$(printf -- '-%.0s' {1..26})|$(printf -- '-%.0s' {1..29})|$(printf -- '-%.0s' {1..9})|"$'\n'
for name in "${cases[@]}"; do
  figures "$logs/quiet.log" "$name"
  quiet_cell=$cell quiet_samples=$samples
  numbers+="$name $cell;"
  # Only intr may be missing from the first boot, skipped for want of timer interrupts.
  if [ "$kind" != measured ]; then
    reasons+="  $name, watchdog=0: $kind${reason:+: $reason}"$'\n'
    [ "$name" = intr ] && [ "$kind" = skipped ] || failed=1
  fi
  figures "$logs/timer.log" "$name"
  numbers+=" $cell"$'\n'
  if [ "$kind" != measured ]; then
    reasons+="  $name, watchdog=60: $kind${reason:+: $reason}"$'\n'
    failed=1
  fi
  [ "$quiet_samples" = - ] || samples=$quiet_samples
  row "$name" "$quiet_cell" "$cell" "$samples"
done
echo
echo "vm0, $unit per round trip: min / median / max"
printf '%s' "$table"
[ -z "$reasons" ] || printf '%s' "$reasons"

# What a yield round trip holds besides minisvm's work: the other VM's own loop.
note=$(grep -E '^\[vm0\] bench: note: yield: ' "$logs/quiet.log" | head -n 1 || true)
yield_line=$(grep -E '^\[vm0\] bench: yield min ' "$logs/quiet.log" | head -n 1 || true)
if [[ $note =~ median\ ([0-9]+) ]]; then
  to_units loop "${BASH_REMATCH[1]}"
  yield_median=0
  [[ ! $yield_line =~ median\ ([0-9]+) ]] || to_units yield_median "${BASH_REMATCH[1]}"
  echo
  echo "yield: vm0's VMMCALL exit and HC_YIELD, the end of vm0's turn, VMRUN of vm1, vm1's own"
  echo "  loop from its last yield to its next ($loop $unit, median), vm1's VMMCALL exit, the"
  echo "  end of its turn, VMRUN of vm0. One way, from one VM's yield to the other VM's next"
  echo "  instruction: ($yield_median - $loop) / 2 = $(((yield_median - loop) / 2)) $unit (median)."
fi
intr_note=$(grep -E '^\[vm0\] bench: note: intr: ' "$logs/timer.log" | head -n 1 || true)
if [[ $intr_note =~ reads,\ ([0-9]+), ]]; then
  to_units loop "${BASH_REMATCH[1]}"
  echo "intr: #VMEXIT(INTR) round trips, found as gaps in a loop of TSC reads; the loop's"
  echo "  own $loop $unit between two reads are subtracted."
fi

# efi_main to the guest's first instruction, in phases (first boot): minisvm's "tsc at"
# lines and the guest's TSC at its entry, read before anything else.
tsc_of() {
  sed -nE "s/^$1: ([0-9]+)\r?$/\1/p" "$logs/quiet.log" | head -n 1
}
efi_main=$(tsc_of '\[boot\] tsc at efi_main')
hv_main=$(tsc_of '\[hv\] tsc at hv_main')
first_vmrun=$(tsc_of '\[hv\] tsc before first VMRUN')
guest_entry=$(tsc_of '\[vm0\] bench: tsc at entry')
if [ -n "$efi_main" ] && [ -n "$hv_main" ] && [ -n "$first_vmrun" ] && [ -n "$guest_entry" ]; then
  to_units total $((guest_entry - efi_main))
  to_units firmware $((hv_main - efi_main))
  to_units host $((first_vmrun - hv_main))
  to_units entry $((guest_entry - first_vmrun))
  numbers+="boot $total = $firmware + $host + $entry"$'\n'
  echo
  printf '%-58s %10s %s\n' "efi_main to vm0's first instruction (watchdog=0)" "$total" "$unit"
  printf '%-58s %10s\n' "  efi_main to hv_main: firmware calls, ExitBootServices" "$firmware" \
    "  hv_main to the first VMRUN: host, SVM, two VMs of 32 MiB" "$host" \
    "  the first VMRUN to vm0's first instruction" "$entry"
else
  echo "bench: the \"tsc at\" lines are missing from $logs/quiet.log" >&2
  failed=1
fi
echo
echo "minisvm.efi: $(stat -c %s "$efi") bytes"

# The same build, shift and accelerator must give the same numbers as last time:
# every case's figures in both boots, and the boot figure with its phases.
result="$logs/result.txt"
{
  echo "minisvm.efi $(sha256sum "$efi" | cut -d' ' -f1), bench.bin $(sha256sum "$guest" | cut -d' ' -f1)"
  echo "$how"
  printf '%s' "$numbers"
} >"$result.new"
if [ -r "$result" ] && [ "$(head -n 2 "$result")" = "$(head -n 2 "$result.new")" ]; then
  if cmp -s "$result" "$result.new"; then
    echo "bench: every number equals the previous run's ($result)"
  else
    echo "bench: numbers differ from the previous run of the same build:"
    diff "$result" "$result.new" | sed 's/^/  /' || true
  fi
else
  echo "bench: no previous run of this build to compare with ($result)"
fi
mv "$result.new" "$result"
exit "$failed"
