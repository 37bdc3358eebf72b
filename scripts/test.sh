#!/usr/bin/env bash
# make test: the host unit tests, then the QEMU boot tests (in parallel), then one
# line "N passed, N failed, N skipped". Exit status 0 only when nothing failed.
# Full logs are kept in build/test-logs/.
set -uo pipefail

build=${BUILD:-build}
logs="$build/test-logs"
rm -rf "$logs"
mkdir -p "$logs"

passed=0 failed=0 skipped=0

# Adds the counts of a "name: N passed, N failed[, N skipped]" line from a log;
# a log without one counts as a failure (the runner crashed or hung).
add_counts() {
  local label=$1 log=$2 line
  line=$(grep -E "^$label: [0-9]+ passed, [0-9]+ failed" "$log" | tail -n 1)
  if [ -z "$line" ]; then
    echo "not ok - $label: no summary line (see $log)"
    failed=$((failed + 1))
    return
  fi
  local p f s
  p=$(sed -E 's/.* ([0-9]+) passed.*/\1/' <<<"$line")
  f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
  s=0
  if grep -q skipped <<<"$line"; then s=$(sed -E 's/.* ([0-9]+) skipped.*/\1/' <<<"$line"); fi
  passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
}

echo "== host unit tests (AddressSanitizer + UBSan)"
"$build/tests/unit" >"$logs/unit.log" 2>&1
grep -E '^(not ok|#)' "$logs/unit.log"
tail -n 1 "$logs/unit.log"
add_counts unit "$logs/unit.log"

echo "== L1 tests of QEMU's SVM emulation (tests/qemu-l1, docs/qemu.md)"
l1_elf="$build/qemu-l1/l1.elf"
patched_qemu="$build/qemu/qemu-system-x86_64"
run_l1() {
  local label=$1 qemu=$2
  if tests/qemu-l1/run.sh "$label" "$qemu" "$l1_elf" max >"$logs/l1-$label.log" 2>&1; then
    tail -n 1 "$logs/l1-$label.log"
  else
    cat "$logs/l1-$label.log"
    failed=$((failed + 1))
  fi
  # The L1 program's own counts (its "l1: ..." line, indented by run.sh).
  sed -nE 's/^ *(l1: [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped).*/\1/p' \
    "$logs/l1-$label.log" | tail -n 1 >"$logs/l1-$label.summary"
  add_counts l1 "$logs/l1-$label.summary"
}
run_l1 stock "${QEMU:-qemu-system-x86_64}"
if [ -x "$patched_qemu" ]; then
  run_l1 patched "$patched_qemu"
else
  echo "ok # SKIP L1 tests on the patched QEMU: not built (make qemu)"
  skipped=$((skipped + 1))
fi

echo "== QEMU boot tests"
tests/boot_tests.sh "$logs" | tee "$logs/boot.log"
add_counts boot "$logs/boot.log"

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
