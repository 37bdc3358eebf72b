#!/usr/bin/env bash
# QEMU boot tests: each scenario is one boot (run in parallel, each under a timeout);
# each check asserts a line of its serial log or QEMU's exit status, and prints TAP.
# Usage: tests/boot_tests.sh LOG-DIR. Expects build/minisvm.efi and build/minisvm-usb.img.
set -uo pipefail

logs=${1:?usage: boot_tests.sh LOG-DIR}
build=${BUILD:-build}
work="$build/boot-tests"
max_parallel=${BOOT_TEST_JOBS:-3}
rm -rf "$work"
mkdir -p "$work"

# An ESP directory with minisvm and, optionally, a minisvm.cfg.
make_esp() {
  local name=$1 config=${2:-}
  mkdir -p "$work/$name/EFI/BOOT"
  cp "$build/minisvm.efi" "$work/$name/EFI/BOOT/BOOTX64.EFI"
  if [ -n "$config" ]; then
    mkdir -p "$work/$name/minisvm"
    printf '%s\n' "$config" >"$work/$name/minisvm/minisvm.cfg"
  fi
  echo "$work/$name"
}

# boot NAME [VAR=VALUE...] -- run-qemu arguments
boot() {
  local name=$1
  shift
  local vars=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do vars+=("$1"); shift; done
  shift
  while [ "$(jobs -rp | wc -l)" -ge "$max_parallel" ]; do wait -n; done
  (
    env "${vars[@]}" scripts/run-qemu.sh --log "$logs/$name.log" "$@" 2>"$logs/$name.run"
    echo $? >"$logs/$name.status"
  ) &
}

test_number=0 passed=0 failed=0 skipped=0

report() {
  local ok=$1 name=$2 description=$3
  test_number=$((test_number + 1))
  if [ "$ok" = yes ]; then
    passed=$((passed + 1))
    echo "ok $test_number - $name: $description"
  else
    failed=$((failed + 1))
    echo "not ok $test_number - $name: $description (log: $logs/$name.log)"
  fi
}

# expect_line NAME DESCRIPTION EXTENDED-REGEX
expect_line() {
  if grep -qE -- "$3" "$logs/$1.log" 2>/dev/null; then report yes "$1" "$2"; else report no "$1" "$2"; fi
}

# expect_no_line NAME DESCRIPTION EXTENDED-REGEX
expect_no_line() {
  if grep -qE -- "$3" "$logs/$1.log" 2>/dev/null; then report no "$1" "$2"; else report yes "$1" "$2"; fi
}

# expect_status NAME EXPECTED-QEMU-EXIT-STATUS
expect_status() {
  local status
  status=$(cat "$logs/$1.status" 2>/dev/null || echo none)
  if [ "$status" = "$2" ]; then
    report yes "$1" "QEMU exit status $2"
  else
    report no "$1" "QEMU exit status $2 (got $status)"
  fi
}

# ---- the scenarios ---------------------------------------------------------------
# QEMU exit status = 0 for success, otherwise 2*status+1 (isa-debug-exit):
# unsupported CPU 2 -> 5, host fault 3 -> 7.
# First, as they are the longest: Linux beside the test guest, in both schedules
# (docs/linux.md), and the watchdog, which must leave the healthy VMs (about a second
# each, several under load) alone and end the spinning one after 10 s.
linux_esp() {
  local name=$1 schedule=$2 esp
  esp=$(make_esp "$name" "$(printf 'vm0.kernel=linux/vmlinuz\nvm0.initrd=linux/initrd.gz\nvm0.cmdline=%s\nvm0.ram=128\nschedule=%s' "$LINUX_CMDLINE" "$schedule")")
  mkdir -p "$esp/minisvm/linux"
  cp "$build/linux/vmlinuz" "$build/linux/initrd.gz" "$esp/minisvm/linux/"
  echo "$esp"
}
LINUX_CMDLINE=${LINUX_CMDLINE:-console=ttyS0 acpi=off nolapic noapic panic=-1}
boot linux ACCEL=tcg CPU=EPYC TIMEOUT=120 -- --esp "$(linux_esp linux sequential)"
boot linux-interleaved ACCEL=tcg CPU=EPYC TIMEOUT=120 -- --esp "$(linux_esp linux-interleaved interleaved)"
# A kernel that panics (no init in the initramfs by that name, and no root file
# system to fall back on) and, with panic=-1, asks for a reset at once: minisvm ends
# that VM with the reason; the test guest goes on.
boot linux-panic ACCEL=tcg CPU=EPYC TIMEOUT=120 -- --esp "$(LINUX_CMDLINE="$LINUX_CMDLINE rdinit=/nonexistent" linux_esp linux-panic sequential)"
boot hung-guest ACCEL=tcg CPU=EPYC -- --esp "$(make_esp hung-guest "$(printf 'selftest=hung-guest\nwatchdog=10')")"
boot tcg ACCEL=tcg CPU=EPYC -- --esp "$(make_esp tcg)"
boot usb ACCEL=tcg CPU=EPYC -- --usb "$build/minisvm-usb.img"
boot interleaved ACCEL=tcg CPU=EPYC -- --esp "$(make_esp interleaved "schedule=interleaved")"
# The same suite on the project's patched QEMU (make qemu, docs/qemu.md), where
# GMET and G_PAT exist: nothing may be skipped there.
patched_qemu="$build/qemu/qemu-system-x86_64"
if [ -x "$patched_qemu" ]; then
  boot patched ACCEL=tcg CPU=EPYC,+gmet QEMU="$patched_qemu" -- --esp "$(make_esp patched)"
  boot patched-interleaved ACCEL=tcg CPU=EPYC,+gmet QEMU="$patched_qemu" -- \
    --esp "$(make_esp patched-interleaved "schedule=interleaved")"
fi
boot refused-vmcb ACCEL=tcg CPU=EPYC -- --esp "$(make_esp refused-vmcb "selftest=refused-vmcb")"
boot vmexit-invalid ACCEL=tcg CPU=EPYC -- --esp "$(make_esp vmexit-invalid "selftest=vmexit-invalid")"
own_guest_esp=$(make_esp own-guest "guest=own.bin")
cp "$build/guest/guest.bin" "$own_guest_esp/minisvm/own.bin"
boot own-guest ACCEL=tcg CPU=EPYC -- --esp "$own_guest_esp"
# The benchmark guest (make bench, bench/) under -icount, its timings not asserted;
# shift=4 spends 16 times fewer instructions than make bench's shift=0 on the
# firmware's 2 s wait for a TPM, and measures the same round trips.
bench_esp=$(make_esp bench "$(printf 'guest=bench.bin\nschedule=interleaved')")
cp "$build/bench/bench.bin" "$bench_esp/minisvm/bench.bin"
boot bench ACCEL=tcg CPU=EPYC -- --esp "$bench_esp" -- -icount shift=4,sleep=off
boot framebuffer ACCEL=tcg CPU=EPYC -- \
  --esp "$(make_esp framebuffer "$(printf 'guest=missing.bin\nvm0.gmet=off\nvm1.pat=passthrough')")" -- -device VGA
boot no-npt ACCEL=tcg CPU=qemu64 -- --esp "$(make_esp no-npt)"
boot no-svm ACCEL=tcg CPU=qemu64,-svm -- --esp "$(make_esp no-svm)"
# Kernels refused by name, each VM left out alone: a missing file, a file that is
# not a bzImage, too little RAM; the test guest in vm1 runs regardless.
refused_esp=$(make_esp linux-refused "$(printf 'vm0.kernel=linux/missing\nvm2.kernel=linux/guest.bin\nvm3.kernel=linux/vmlinuz\nvm3.initrd=linux/initrd.gz\nvm3.ram=16')")
mkdir -p "$refused_esp/minisvm/linux"
cp "$build/linux/vmlinuz" "$build/linux/initrd.gz" "$build/guest/guest.bin" "$refused_esp/minisvm/linux/"
boot linux-refused ACCEL=tcg CPU=EPYC -- --esp "$refused_esp"
boot host-exception ACCEL=tcg CPU=EPYC -- \
  --esp "$(make_esp host-exception "$(printf 'selftest=host-exception\ncolour=blue')")"
wait

# ---- the checks ------------------------------------------------------------------
# The guests' own TAP results: every "[vmN] vmN: P passed, F failed, S skipped"
# summary minisvm prints counts, and every guest "not ok" line is shown.
guest_results() {
  local name=$1 line vm p f s
  grep -E '^\[vm[0-9]+\] not ok' "$logs/$name.log" 2>/dev/null | sed "s/^/# $name: /"
  while read -r line; do
    vm=$(sed -E 's/^\[hv\] (vm[0-9]+):.*/\1/' <<<"$line")
    p=$(sed -E 's/.* ([0-9]+) passed.*/\1/' <<<"$line")
    f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
    s=$(sed -E 's/.* ([0-9]+) skipped.*/\1/' <<<"$line")
    echo "# $name: $vm reported $p passed, $f failed, $s skipped"
    passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
  done < <(grep -E '^\[hv\] vm[0-9]+: [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped' "$logs/$name.log" 2>/dev/null)
}

# expect_at_least NAME DESCRIPTION EXTENDED-REGEX-WITH-ONE-NUMBER-GROUP MINIMUM
expect_at_least() {
  local n
  n=$(sed -nE "s/$3/\1/p" "$logs/$1.log" 2>/dev/null | head -n 1)
  if [ -n "$n" ] && [ "$n" -ge "$4" ]; then
    report yes "$1" "$2 ($n)"
  else
    report no "$1" "$2 (got ${n:-nothing}, need at least $4)"
  fi
}

for name in tcg usb; do
  expect_line "$name" "banner" '^\[boot\] minisvm [0-9.]+: a minimal type-1 hypervisor for AMD SVM'
  expect_line "$name" "SVM present in the feature table" '^\[svm\] SVM \(CPUID 8000_0001 ECX\[2\]\): +yes'
  expect_line "$name" "revision and ASID count (EPYC under TCG: 1, 16)" '^\[svm\] revision 1, 16 ASIDs'
  expect_line "$name" "NP decoded as present" '^\[svm\]   NP +bit  0  yes'
  expect_line "$name" "GMET decoded as absent (QEMU 7.2 TCG)" '^\[svm\]   GMET +bit 17  no'
  expect_line "$name" "VM_CR read: SVMDIS=0" '^\[svm\] VM_CR = 0x[0-9a-f]+ \(SVMDIS=0'
  expect_line "$name" "boot services exited" '^\[hv\] boot services exited'
  expect_line "$name" "hPAT programmed to minisvm's layout" '^\[hv\] hPAT = 0x0007050100070406 \[WB WT UC- UC WC WP UC- UC\]'
  expect_line "$name" "own page tables" '^\[hv\] host page tables: identity map'
  expect_line "$name" "clean end" '^\[hv\] minisvm finished: status 0'
  expect_status "$name" 0
done

for name in tcg interleaved; do
  expect_line "$name" "SVM enabled" '^\[svm\] SVM enabled: EFER.SVME=1'
  for vm in vm0 vm1; do
    expect_line "$name" "$vm finished its tests" "^\\[hv\\] $vm: [0-9]+ passed, 0 failed"
    expect_at_least "$name" "$vm ran at least 25 guest tests" \
      "^\\[hv\\] $vm: ([0-9]+) passed, 0 failed.*" 25
  done
  expect_no_line "$name" "no guest test skipped without a reason" '^\[vm[0-9]+\] ok [0-9]+ # SKIP[[:space:]]*$'
  expect_line "$name" "the broken VM ends by triple fault, alone" '^\[hv\] vm2: ended \(triple fault \(SHUTDOWN intercept\)\), as this VM was built to'
  expect_line "$name" "exit counters printed" '^\[vm0\] [0-9]+ exits: .*VMMCALL [0-9]+'
  guest_results "$name"
done
# Stock QEMU 7.2 TCG has no GMET and shares one PAT between host and guest.
for name in tcg interleaved; do
  expect_line "$name" "vm0 runs without GMET, saying why" '^\[vm0\] GMET requested, but the CPU lacks it \(CPUID 8000_000A EDX\[17\]=0\)'
  expect_line "$name" "PAT conformance: this platform shares the PAT" '^\[hv\] platform finding \(vm3, pat=passthrough\): the platform SHARES one PAT'
  expect_line "$name" "hPAT intact at the end" '^\[hv\] hPAT at the end = 0x0007050100070406 .*\(intact\)'
done

if [ -x "$patched_qemu" ]; then
  for name in patched patched-interleaved; do
    expect_line "$name" "GMET advertised (CPUID 8000_000A EDX[17])" '^\[svm\]   GMET +bit 17  yes'
    expect_line "$name" "vm0 runs with GMET on" '^\[vm0\] created: .*GMET on'
    expect_line "$name" "kernel text declared: the GMET policy is on" '^\[vm0\] kernel text declared: GPA 0x[0-9a-f]+-0x[0-9a-f]+ is now the only supervisor-executable memory'
    expect_line "$name" "the #NPF handler names a GMET violation" '^\[vm0\] GMET violation: supervisor fetch from a user page at GPA 0x[0-9a-f]+ .*handed to the guest'
    expect_line "$name" "the #NPF handler names a write to kernel text" '^\[vm0\] write to protected kernel text at GPA 0x[0-9a-f]+ .*handed to the guest'
    for vm in vm0 vm1 vm3; do
      expect_line "$name" "$vm finished with nothing skipped" "^\\[hv\\] $vm: [0-9]+ passed, 0 failed, 0 skipped"
    done
    expect_line "$name" "the broken VM ends by triple fault, alone" '^\[hv\] vm2: ended \(triple fault \(SHUTDOWN intercept\)\), as this VM was built to'
    expect_line "$name" "PAT conformance: hPAT and gPAT kept apart" '^\[hv\] platform finding \(vm3, pat=passthrough\): the platform keeps hPAT and gPAT apart'
    expect_line "$name" "hPAT intact at the end" '^\[hv\] hPAT at the end = 0x0007050100070406 .*\(intact\)'
    expect_status "$name" 0
    guest_results "$name"
  done
else
  test_number=$((test_number + 1)) skipped=$((skipped + 1))
  echo "ok $test_number # SKIP patched-QEMU boot scenarios: build/qemu/qemu-system-x86_64 not built (make qemu)"
fi

expect_line interleaved "VMs switched at every hypercall" '^\[hv\] running [0-9]+ VMs interleaved'

# A broken VMCB ends that VM alone, with the rule named; status 1 (QEMU 3).
expect_line refused-vmcb "vmcb_check names the rule before VMRUN" '^\[vm1\] VMCB refused before VMRUN: CR0.NW=1 with CD=0'
expect_line refused-vmcb "the other VMs finish" '^\[hv\] vm3: [0-9]+ passed, 0 failed'
expect_status refused-vmcb 3
# QEMU 7.2 TCG writes VMEXIT_INVALID as 0xffffffff, hardware as -1: both are recognised.
expect_line vmexit-invalid "VMEXIT_INVALID recognised" '^\[vm1\] VMRUN failed: VMEXIT_INVALID \(exit code 0x(ffffffff|ffffffffffffffff)\)'
expect_line vmexit-invalid "the violated rule is named after the failure" '^\[vm1\]   VMCB check failed: CR0.NW=1 with CD=0'
expect_line vmexit-invalid "the other VMs finish" '^\[hv\] vm0: [0-9]+ passed, 0 failed'
expect_status vmexit-invalid 3

# A guest that spins without exits is ended by the watchdog (APIC timer, INTR exits).
expect_line hung-guest "host timer calibrated against the PIT" '^\[hv\] host timer: (xAPIC|x2APIC) timer, [0-9]+ counts per 1 ms \(divide by 16\); TSC [0-9]+ kHz'
expect_line hung-guest "the spinning VM is ended by the watchdog, alone" '^\[hv\] vm2: ended \(watchdog: still running when its time ran out\), as this VM was built to'
expect_line hung-guest "the other VMs finish" '^\[hv\] vm3: [0-9]+ passed, 0 failed'
expect_status hung-guest 0

expect_line own-guest "guest image read from the ESP" '^\[cfg\] guest image \\minisvm\\own.bin \([0-9]+ bytes\)'
expect_line own-guest "a user's guest runs in vm0 and vm1 only" '^\[hv\] running 2 VMs'
expect_line own-guest "vm1 finished its tests" '^\[hv\] vm1: [0-9]+ passed, 0 failed'
expect_status own-guest 0
for case in empty cpuid-0 vmmcall-abi-version out-0x1234 in-0x1234 rdmsr-pat wrmsr-pat \
    npf-write com1-scratch yield intr; do
  expect_line bench "$case measured, or skipped with a reason" \
    "^\\[vm0\\] bench: $case (min [0-9]+ median [0-9]+ max [0-9]+ \\([0-9]+ samples\\)|skipped: .+)"
done
expect_line bench "vm0 measured every case" '^\[vm0\] bench: done'
expect_line bench "vm0 reported them with HC_DONE, none failed" '^\[hv\] vm0: [0-9]+ passed, 0 failed'
expect_line bench "vm1, the other VM of the yield case, finished too" '^\[hv\] vm1: 1 passed, 0 failed'
expect_status bench 0
expect_line framebuffer "a missing guest image is reported" '^\[cfg\] cannot read the guest image \\minisvm\\missing.bin .*using the built-in test guest'

expect_line framebuffer "vm0.gmet=off: GMET not requested" '^\[vm0\] created: .*GMET off'
expect_no_line framebuffer "vm0.gmet=off: no GMET message" '^\[vm0\] GMET requested'
expect_line framebuffer "vm1.pat=passthrough: vm1 runs the conformance check" '^\[hv\] platform finding \(vm1, pat=passthrough\): the platform SHARES one PAT'
expect_line framebuffer "vm1 finished its tests in passthrough mode" '^\[hv\] vm1: [0-9]+ passed, 0 failed'
expect_line framebuffer "GOP framebuffer found" '^\[boot\] framebuffer [0-9]+x[0-9]+ at 0x'
expect_line framebuffer "clean end with the framebuffer console" '^\[hv\] minisvm finished: status 0'
expect_status framebuffer 0

expect_line no-npt "refusal names nested paging" '^\[boot\] REFUSED: .*nested paging'
expect_no_line no-npt "never exits boot services" 'boot services exited'
expect_status no-npt 5

expect_line no-svm "refusal names SVM" '^\[boot\] REFUSED: .*SVM'
expect_line no-svm "feature table says SVM absent" '^\[svm\] SVM \(CPUID 8000_0001 ECX\[2\]\): +no'
expect_status no-svm 5

expect_line host-exception "unknown configuration key reported" '^\[cfg\] unknown setting "colour" ignored'
expect_line host-exception "host #UD reported with its vector" '^\[fault\] host exception 6 \(#UD invalid opcode\)'
expect_line host-exception "register dump" '^\[fault\] rax [0-9a-f]{16} rbx'
expect_status host-exception 7

# Linux in vm0 beside the test guest in vm1 (docs/linux.md).
for name in linux linux-interleaved; do
  expect_line "$name" "the kernel is loaded by the 64-bit boot protocol" '^\[vm0\] Linux boot protocol 2\.[0-9]+: kernel [0-9]+ KiB at GPA 0x[0-9a-f]+'
  expect_line "$name" "the kernel's version line" '^\[vm0\] (\[ *[0-9.]+\] )?Linux version 6\.[0-9]+\.[0-9]+-[0-9]+-cloud-amd64 '
  expect_line "$name" "the kernel finds the 8259 PIC (no local APIC)" '^\[vm0\] (\[ *[0-9.]+\] )?APIC: (Keep in PIC mode\(8259\)|disable apic facility)'
  expect_line "$name" "Linux programs its own PAT" '^\[vm0\] (\[ *[0-9.]+\] )?x86/PAT: Configuration \[0-7\]: WB  WC  UC- UC  WB  WP  UC- WT'
  expect_line "$name" "init reached userspace" '^\[vm0\] minisvm-linux: init reached userspace'
  expect_line "$name" "init sees the hypervisor flag" '^\[vm0\] minisvm-linux: hypervisor flag present'
  expect_line "$name" "init sees the PAT line in dmesg" '^\[vm0\] minisvm-linux: .*x86/PAT: Configuration \[0-7\]: WB  WC  UC- UC  WB  WP  UC- WT'
  expect_line "$name" "minisvm saw the guest reach CPL 3" '^\[hv\] vm0: Linux reached userspace [0-9]+\.[0-9]{3} s after its first VMRUN'
  expect_line "$name" "poweroff -f halts with interrupts off: a clean end" '^\[vm0\] ended: halted by the guest \(HLT with interrupts disabled\)[[:space:]]*$'
  expect_line "$name" "gPAT in the VMCB is Linux's value" '^\[hv\] vm0: gPAT = 0x0407050600070106 \[WB WC UC- UC WB WP UC- WT\] \(the VMCB.s G_PAT\)[[:space:]]*$'
  expect_line "$name" "hPAT intact at the end" '^\[hv\] hPAT at the end = 0x0007050100070406 .*\(intact\)'
  expect_line "$name" "vm1's suite passes while Linux runs" '^\[hv\] vm1: [0-9]+ passed, 0 failed'
  expect_at_least "$name" "vm1 ran at least 25 guest tests" '^\[hv\] vm1: ([0-9]+) passed, 0 failed.*' 25
  expect_line "$name" "time slices on the host timer" '^\[hv\] running 2 VMs .*time slices of the host timer'
  expect_no_line "$name" "no MSR access Linux did not expect" 'unchecked MSR access error'
  expect_status "$name" 0
  guest_results "$name"
done
expect_line linux-interleaved "interleaved schedule" '^\[hv\] running 2 VMs interleaved'

expect_line linux-panic "the kernel panics" '^\[vm0\] (\[ *[0-9.]+\] )?Kernel panic - not syncing: VFS: Unable to mount root fs'
expect_line linux-panic "its reset request ends the VM, named as a panic" '^\[vm0\] ended: kernel panic, then a reset request'
expect_line linux-panic "the summary says it was expected to halt" '^\[hv\] vm0: FAILED: it was expected to halt with interrupts disabled'
expect_line linux-panic "the test guest finishes regardless" '^\[hv\] vm1: [0-9]+ passed, 0 failed'
expect_status linux-panic 3

expect_line linux-refused "a missing kernel file is refused by name" '^\[hv\] vm0 left out: no file \\minisvm\\linux\\missing on the boot volume'
expect_line linux-refused "a file that is not a bzImage is refused by name" '^\[hv\] vm2 left out: kernel refused: not a Linux kernel: boot_flag at 0x1fe is 0x[0-9a-f]+, not 0xaa55'
expect_line linux-refused "too little RAM for kernel and initrd is refused" '^\[hv\] vm3 left out: kernel refused: 16 MiB of RAM is too small'
expect_line linux-refused "the test guest runs regardless" '^\[hv\] vm1: [0-9]+ passed, 0 failed'
expect_line linux-refused "left-out VMs make the run fail" '^\[hv\] FAILED: 3 configured VMs were left out'
expect_status linux-refused 3

echo "boot: $passed passed, $failed failed, $skipped skipped"
