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

echo "== QEMU boot tests"
tests/boot_tests.sh "$logs" | tee "$logs/boot.log"
add_counts boot "$logs/boot.log"

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
