/* The benchmark guest's kernel (make bench): round trips through minisvm, measured
 * from inside a guest. A round trip is the TSC difference from just before one
 * instruction minisvm intercepts to just after it, so the #VMEXIT, minisvm's
 * handling and the VMRUN back lie inside it (bench/spans.asm). Per case it prints
 *     bench: <case> min <n> median <n> max <n> (<count> samples)
 * or "bench: <case> skipped: <reason>", then "bench: done", and reports with HC_DONE
 * (passed = cases measured, skipped = cases that could not be). The unit is the
 * TSC's: 2^N per instruction under QEMU with -icount shift=N, cycles on hardware or
 * KVM; the guest cannot tell which, scripts/bench.sh says it.
 * vm0 measures every case. vm1, the same image, is the other VM of the yield case
 * and finishes after it. See: bench/README.md. */
#include "bench/samples.h"
#include "bench/spans.h"
#include "guest/abi.h"
#include "guest/console.h"
#include "guest/gdt.h"
#include "guest/hypercall.h"
#include "guest/idt.h"
#include "guest/test.h"
#include "guest/x86.h"

#define WARMUP_ROUNDS 100     /* run first, not recorded: caches, TLBs, QEMU's translations */
#define ROUNDS        1000    /* recorded per case */

/* No device of minisvm's VM platform claims it (hv/vm_platform.c): reads give all
 * ones, writes are ignored. */
#define UNCLAIMED_PORT      0x1234
/* COM1's scratch register: the same exit and the same device as a byte to the
 * transmit register, without adding a byte to the log. */
#define COM1_SCRATCH_PORT   (COM1_PORT + 7)
#define COM1_SCRATCH_VALUE  0x55
#define NPF_EXIT_CODE       0x400

/* The host-timer case: the smallest difference between two TSC reads of the loop
 * in tsc_scan() is its own cost; a difference of more than EXIT_FACTOR times that
 * means an exit happened in between. Under -icount the loop is 13 instructions, an
 * exit's round trip hundreds, and nothing else disturbs the loop; on hardware a
 * #VMEXIT alone costs far more than a few hundred cycles. */
#define EXIT_FACTOR          8
#define INTR_SAMPLES         100
#define INTR_BASELINE_READS  10000
#define INTR_CHUNK_READS     1000000  /* a first chunk without an exit: no host timer */
#define INTR_MAX_READS       20000000

_Static_assert(WARMUP_ROUNDS >= 1, "the first yield round trip holds vm1's start");

static uint64_t samples[ROUNDS];
static uint64_t yield_gaps[ROUNDS];
static uint64_t pat_value;
static uint8_t npf_page[4096] __attribute__((aligned(4096)));
static struct npf_report npf_report;
static struct test_totals results;

static void print_summary(const char *name, struct sample_summary s)
{
    console_print("bench: %s min %lu median %lu max %lu (%u samples)\n", name, s.min, s.median,
                  s.max, s.count);
}

static void report_failure(const char *name, const char *reason)
{
    console_print("bench: %s FAILED: %s\n", name, reason);
    results.failed++;
}

/* WARMUP_ROUNDS round trips, then ROUNDS recorded ones; prints their summary. */
static void measure(const char *name, uint64_t (*round_trip)(void))
{
    for (unsigned round = 0; round < WARMUP_ROUNDS; round++)
        round_trip();
    for (unsigned round = 0; round < ROUNDS; round++)
        samples[round] = round_trip();
    print_summary(name, samples_summarize(samples, ROUNDS));
    results.passed++;
}

static uint64_t round_trip_empty(void) { return span_empty(); }
static uint64_t round_trip_cpuid(void) { return span_cpuid_leaf0(); }
static uint64_t round_trip_out(void) { return span_out8(UNCLAIMED_PORT, 0); }
static uint64_t round_trip_in(void) { return span_in8(UNCLAIMED_PORT); }
static uint64_t round_trip_rdmsr_pat(void) { return span_rdmsr(MSR_PAT); }
static uint64_t round_trip_wrmsr_pat(void) { return span_wrmsr(MSR_PAT, pat_value); }
static uint64_t round_trip_vmmcall(void) { return span_vmmcall(HC_ABI_VERSION); }

static uint64_t round_trip_com1(void)
{
    return span_out8(COM1_SCRATCH_PORT, COM1_SCRATCH_VALUE);
}

/* Announced each time: minisvm disarms the expectation at the fault. The
 * hypercall lies outside the span. */
static uint64_t round_trip_npf(void)
{
    if (hypercall_expect_npf((uint64_t)(uintptr_t)span_npf_recovery, &npf_report) != HC_OK)
        test_bail_out("npf-write: HC_EXPECT_NPF refused");
    return span_npf_write((uint64_t)(uintptr_t)npf_page);
}

/* The PAT is intercepted (pat=intercept, vm0's and vm1's default): minisvm keeps the
 * guest's value in the VMCB's G_PAT. Writing back the value just read changes
 * nothing. */
static void measure_pat(void)
{
    pat_value = rdmsr(MSR_PAT);
    measure("rdmsr-pat", round_trip_rdmsr_pat);
    measure("wrmsr-pat", round_trip_wrmsr_pat);
    if (rdmsr(MSR_PAT) != pat_value)
        report_failure("wrmsr-pat", "the PAT changed although the value written was the one read");
}

/* A write to a page the nested page tables make read-only; minisvm reports the
 * #NPF into npf_report and resumes the guest at span_npf_recovery. */
static void measure_npf(void)
{
    uint64_t gpa = (uint64_t)(uintptr_t)npf_page;

    if (hypercall_set_npt_access(gpa, sizeof npf_page, NPT_ACCESS_PRESENT | NPT_ACCESS_USER)) {
        report_failure("npf-write", "HC_SET_NPT_ACCESS (read-only) refused");
        return;
    }
    measure("npf-write", round_trip_npf);
    if (npf_report.count != WARMUP_ROUNDS + ROUNDS || npf_report.exit_code != NPF_EXIT_CODE ||
        npf_report.exit_info_2 != gpa)
        report_failure("npf-write", "minisvm did not report one #NPF at the page per round");
    if (hypercall_set_npt_access(gpa, sizeof npf_page, NPT_ACCESS_DEFAULT))
        report_failure("npf-write", "HC_SET_NPT_ACCESS (default) refused");
}

/* HC_YIELD, with vm0 and vm1 both here, in the interleaved schedule (every
 * hypercall ends the VM's turn). Seen from one VM a round trip holds: its VMMCALL
 * exit and minisvm's hypercall handling, the end of its turn and the switch to the
 * other VM (VMRUN of the other VMCB), the other VM's own loop from its last yield
 * to its next one, that VM's VMMCALL exit, and the switch back. The other VM's loop
 * is this same code: its cost, the time this VM runs between two of its yields, is
 * printed as a note. Both VMs make the same number of yields, in lockstep. */
static void measure_yield(void)
{
    uint64_t previous_end = 0;

    for (unsigned round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
        uint64_t span = span_vmmcall(HC_YIELD);
        uint64_t start = span_end_tsc - span;
        if (round >= WARMUP_ROUNDS) {
            samples[round - WARMUP_ROUNDS] = span;
            if (round > WARMUP_ROUNDS)
                yield_gaps[round - WARMUP_ROUNDS - 1] = start - previous_end;
        }
        previous_end = span_end_tsc;
    }
    /* vm0's last yield resumed vm1 at its second-to-last one; vm1 now waits at its
     * last. One more hypercall lets it go on and finish, so that the cases after
     * this one have the machine to themselves. */
    if (boot_info.vm_id == 0)
        hypercall_yield();
    print_summary("yield", samples_summarize(samples, ROUNDS));
    results.passed++;
    struct sample_summary gap = samples_summarize(yield_gaps, ROUNDS - 1);
    console_print("bench: note: yield: this VM's own loop between two yields: min %lu median "
                  "%lu max %lu; the other VM's share of a round trip is the same loop\n",
                  gap.min, gap.median, gap.max);
}

/* The host timer's interrupt, #VMEXIT(INTR): it does not come at an instruction of
 * the guest's choosing, so it is found as a gap in a tight loop of TSC reads. */
static void measure_host_interrupts(void)
{
    static uint64_t deltas[INTR_SAMPLES];
    uint64_t loop_cost, smallest, found = 0;

    tsc_scan(INTR_BASELINE_READS, UINT64_MAX, deltas, 1, &loop_cost);
    for (uint64_t reads = 0; found < INTR_SAMPLES && reads < INTR_MAX_READS;
         reads += INTR_CHUNK_READS) {
        found += tsc_scan(INTR_CHUNK_READS, loop_cost * EXIT_FACTOR, deltas + found,
                          INTR_SAMPLES - found, &smallest);
        if (found == 0) {
            console_print("bench: intr skipped: no exit interrupted %u back-to-back TSC "
                          "reads: minisvm's host timer runs only with watchdog= or a Linux VM\n",
                          INTR_CHUNK_READS);
            results.skipped++;
            return;
        }
    }
    for (uint64_t i = 0; i < found; i++)
        deltas[i] -= loop_cost;
    print_summary("intr", samples_summarize(deltas, (unsigned)found));
    console_print("bench: note: intr: the loop's own cost between two TSC reads, %lu, is "
                  "subtracted\n", loop_cost);
    results.passed++;
}

static _Noreturn void finish(void)
{
    console_print("bench: done\n");
    hypercall_done(results.passed, results.failed, results.skipped);
    halt_forever();
}

_Noreturn void bench_main(const struct guest_boot_info *info, uint64_t tsc_at_entry);
_Noreturn void bench_main(const struct guest_boot_info *info, uint64_t tsc_at_entry)
{
    /* Copy the boot information first: the page holding it is not the guest's. */
    boot_info = *info;
    boot_info.vm_name[sizeof boot_info.vm_name - 1] = '\0';
    console_print("bench: tsc at entry: %lu\n", tsc_at_entry);
    gdt_init();
    idt_init();
    /* An unexpected exception bails out through test.c: inside a test it counts as
     * a failure. */
    test_begin("bench");

    if (boot_info.vm_id != 0) {
        console_print("bench: %s is the other VM of the yield case and measures only that\n",
                      boot_info.vm_name);
        measure_yield();
        finish();
    }
    console_print("bench: round trips through minisvm on %s, %u per case after %u warm-up "
                  "rounds, in TSC ticks\n", boot_info.vm_name, ROUNDS, WARMUP_ROUNDS);

    /* No hypercall before the yield case: in the interleaved schedule vm1 starts at
     * vm0's first hypercall, and its yields must pair with vm0's. */
    measure("empty", round_trip_empty);
    measure("cpuid-0", round_trip_cpuid);
    measure("out-0x1234", round_trip_out);
    if (inb(UNCLAIMED_PORT) == 0xff)
        measure("in-0x1234", round_trip_in);
    else
        report_failure("in-0x1234", "an unclaimed port did not read as 0xff");
    measure_pat();
    measure("com1-scratch", round_trip_com1);
    measure_host_interrupts();
    measure_yield();

    if (hypercall_abi_version() == MINISVM_ABI_VERSION)
        measure("vmmcall-abi-version", round_trip_vmmcall);
    else
        report_failure("vmmcall-abi-version", "HC_ABI_VERSION did not return MINISVM_ABI_VERSION");
    measure_npf();
    finish();
}
