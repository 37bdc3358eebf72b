#!/usr/bin/env bash
# make bench-linux: how much slower Linux boots under minisvm than on the bare
# (emulated) machine. Boots the same kernel, initramfs and command line
#   plain:   directly in QEMU TCG, on a machine with the devices minisvm gives vm0
#            (isapc: 8259 PIC pair, 8254 PIT, 8250 UART; no local APIC), and
#   minisvm: in vm0 of minisvm, from a copy of make linux's ESP with "vms=1" added
#            (Linux alone: the test guest would take time slices from it),
#            (scripts/run-qemu.sh, TCG),
# each under a timeout, and measures the wall-clock seconds from the kernel's first
# console line ("Linux version") to /init's marker ("minisvm-linux: init reached
# userspace"), timestamping the serial output line by line as it arrives. Prints
# both, their ratio, and the guest's own uptime at the marker (median of RUNS boots).
#   bench-linux.sh [-n RUNS] [-m both|plain|minisvm] [ESP]
# ESP: the directory make linux boots (default build/esp-linux). Both boots take
# minisvm/linux/vmlinuz, minisvm/linux/initrd.gz and the vm0.cmdline line of
# minisvm/minisvm.cfg from it. Each boot is stopped once /init says it powers off.
# Environment: QEMU (binary), TIMEOUT (seconds per boot, default 180).
# Logs, each line with its arrival time: build/bench-linux/{plain,minisvm}-N.log.
# Exit status: 0 when every boot asked for reached the marker.
set -euo pipefail
export LC_ALL=C   # a '.' in $EPOCHREALTIME and in awk's numbers

usage() {
  echo "usage: $0 [-n RUNS] [-m both|plain|minisvm] [ESP]" >&2
  exit 2
}

runs=3 mode=both
while getopts n:m: option; do
  case $option in
    n) runs=$OPTARG ;;
    m) mode=$OPTARG ;;
    *) usage ;;
  esac
done
shift $((OPTIND - 1))
[ $# -le 1 ] || usage
case $mode in both|plain|minisvm) ;; *) usage ;; esac
[[ $runs =~ ^[1-9][0-9]*$ ]] || usage

esp=${1:-build/esp-linux}
kernel=$esp/minisvm/linux/vmlinuz
initrd=$esp/minisvm/linux/initrd.gz
config=$esp/minisvm/minisvm.cfg
logs=$(dirname "$esp")/bench-linux
qemu=${QEMU:-qemu-system-x86_64}
timeout_seconds=${TIMEOUT:-180}
start_pattern="Linux version"
marker_pattern="minisvm-linux: init reached userspace"
uptime_pattern="minisvm-linux: uptime "
end_pattern="minisvm-linux: powering off"

for file in "$kernel" "$initrd" "$config"; do
  if [ ! -r "$file" ]; then
    echo "bench-linux: no $file: make linux-esp builds the ESP" >&2
    exit 2
  fi
done
cmdline=$(sed -n 's/^vm0\.cmdline=//p' "$config")
# minisvm boots Linux alone: the same ESP with vms=1 (only vm0).
mkdir -p "$logs"
rm -rf "$logs/esp"
cp -r "$esp" "$logs/esp"
printf 'vms=1\n' >>"$logs/esp/minisvm/minisvm.cfg"
if [ -z "$cmdline" ]; then
  echo "bench-linux: no vm0.cmdline line in $config" >&2
  exit 2
fi
mkdir -p "$logs"

# Ends a boot and everything it started (run-qemu.sh, timeout, QEMU), children
# first; timeout also passes the signal on to QEMU.
stop_tree() {
  local pid=$1 child
  for child in $(ps -o pid= --ppid "$pid" 2>/dev/null); do
    stop_tree "$child"
  done
  kill -TERM "$pid" 2>/dev/null || true
}

# boot KIND LOG: boots once and reads its serial output as it comes. On success
# sets boot_seconds (start line to marker) and boot_uptime (the guest's), on
# failure returns 1 with the reason in boot_failure.
boot() {
  local kind=$1 log=$2 command=() line now start="" marker="" pid fd status=0
  boot_seconds="" boot_uptime="" boot_failure=""
  if [ "$kind" = plain ]; then
    command=(timeout -k 5 "$timeout_seconds" "$qemu" -M isapc -accel tcg -cpu "EPYC,-apic"
             -m 256M -nodefaults -display none -serial stdio -no-reboot
             -kernel "$kernel" -initrd "$initrd" -append "$cmdline")
  else
    command=(env ACCEL=tcg CPU="${CPU:-EPYC}" TIMEOUT="$timeout_seconds" QEMU="$qemu"
             "$(dirname "$0")/run-qemu.sh" --esp "$logs/esp")
  fi
  : >"$log"
  exec {fd}< <(exec "${command[@]}" </dev/null 2>&1)
  pid=$!
  while IFS= read -r -u "$fd" line || [ -n "$line" ]; do
    now=${EPOCHREALTIME:-$(date +%s.%N)}
    line=${line%$'\r'}
    printf '%s %s\n' "$now" "$line" >>"$log"
    case $line in
      *"$start_pattern"*) [ -n "$start" ] || start=$now ;;
      *"$marker_pattern"*) marker=$now ;;
      *"$uptime_pattern"*) boot_uptime=${line##*"$uptime_pattern"}; boot_uptime=${boot_uptime%% *} ;;
      *"$end_pattern"*) break ;;
    esac
  done
  stop_tree "$pid"
  wait "$pid" || status=$?
  exec {fd}<&-

  if [ -z "$marker" ]; then
    if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
      boot_failure="the marker never appeared: timed out after ${timeout_seconds}s"
    else
      boot_failure="the marker never appeared: QEMU exited with status $status"
    fi
    [ -n "$start" ] || boot_failure+=", and the kernel printed no \"$start_pattern\" line"
    boot_failure+=" (see $log)"
    return 1
  fi
  if [ -z "$start" ]; then
    boot_failure="the marker came without a \"$start_pattern\" line before it (see $log)"
    return 1
  fi
  boot_seconds=$(awk -v a="$start" -v b="$marker" 'BEGIN { printf "%.3f", b - a }')
}

# The median of the arguments (the mean of the middle two for an even count).
median() {
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 }
    END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

kinds=(plain minisvm)
[ "$mode" = both ] || kinds=("$mode")
echo "bench-linux: $runs boot(s) each of ${kinds[*]}, timeout ${timeout_seconds}s per boot"
echo "bench-linux: kernel $kernel ($(stat -c %s "$kernel") bytes), initramfs $initrd ($(stat -c %s "$initrd") bytes)"
echo "bench-linux: command line \"$cmdline\""

declare -A result_seconds result_uptime
failed=0
for kind in "${kinds[@]}"; do
  seconds=() uptimes=()
  for run in $(seq 1 "$runs"); do
    if boot "$kind" "$logs/$kind-$run.log"; then
      echo "bench-linux: $kind boot $run: ${boot_seconds} s to /init (guest uptime ${boot_uptime:-?} s)"
      seconds+=("$boot_seconds")
      [ -z "$boot_uptime" ] || uptimes+=("$boot_uptime")
    else
      echo "bench-linux: $kind boot $run: $boot_failure" >&2
      failed=1
      # The next boots would fail the same way.
      break
    fi
  done
  if [ ${#seconds[@]} -eq "$runs" ]; then
    result_seconds[$kind]=$(median "${seconds[@]}")
    [ ${#uptimes[@]} -eq 0 ] || result_uptime[$kind]=$(median "${uptimes[@]}")
  fi
done

ratio=""
if [ -n "${result_seconds[plain]:-}" ] && [ -n "${result_seconds[minisvm]:-}" ]; then
  ratio=$(awk -v m="${result_seconds[minisvm]}" -v p="${result_seconds[plain]}" \
    'BEGIN { if (p > 0) printf "%.2f", m / p }')
fi

echo
printf '%-22s %-28s %s\n' "boot (median of $runs)" '"Linux version" to /init' 'guest uptime at /init'
for kind in "${kinds[@]}"; do
  if [ "$kind" = plain ]; then label="plain QEMU (TCG)"; else label="minisvm (TCG)"; fi
  if [ -n "${result_seconds[$kind]:-}" ]; then
    printf '%-22s %-28s %s\n' "$label" "${result_seconds[$kind]} s" "${result_uptime[$kind]:-?} s"
  else
    printf '%-22s %-28s %s\n' "$label" "no result" "-"
  fi
done
if [ "$mode" = both ]; then
  printf '%-22s %s\n' "ratio minisvm / plain" "${ratio:-no result}"
fi
exit "$failed"
