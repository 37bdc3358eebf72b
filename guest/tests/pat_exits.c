/* gPAT across many world switches (pat=intercept): more than a thousand exits of
 * mixed kinds (CPUID, IN, OUT, MSR, hypercalls, expected #NPFs), after which
 * the guest's PAT and the VMCB's G_PAT must still hold exactly what it wrote.
 * See: APM Vol. 2 §15.5 (VMRUN/#VMEXIT), §15.25.4 (G_PAT), §15.15 (clean bits). */
#include "guest/hypercall.h"
#include "guest/paging.h"
#include "guest/probes.h"
#include "guest/test.h"
#include "guest/tests/pat.h"
#include "guest/x86.h"

#define ROUNDS            240
#define NPF_EVERY_ROUNDS  8
#define UNEMULATED_PORT   0x1234
#define POST_CODE_PORT    0x80
#define POST_CODE         0x50          /* 'P' */
#define HYPERVISOR_LEAF   0x40000000u
#define SIGNATURE_MINI    0x696e696du   /* "mini" in EBX */
/* A write to a nested read-only page (APM §15.25.6): final GPA, write, present. The
 * US bit is left out of the comparison: with GMET on it may report the guest's
 * privilege, and hardware may report it wrongly (erratum 1218); this test is about
 * gPAT, not about that bit. */
#define NPF_WRITE_READ_ONLY 0x100000003ull
#define NPF_USER            (1ull << 2)
#define SCRATCH_VALUE       0x5041545041545041ull

static uint8_t read_only_page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static struct npf_report report;

struct exit_tally {
    unsigned exits, wrong;
};

static void note_wrong(struct exit_tally *tally, bool wrong, const char *what, uint64_t got)
{
    if (!wrong)
        return;
    if (tally->wrong++ < 4)
        test_check(false, "%s: unexpected 0x%lx", what, got);
}

/* One expected #NPF: HC_EXPECT_NPF, then the faulting write (two exits). */
static void provoke_npf(struct exit_tally *tally)
{
    uint64_t gpa = (uint64_t)(uintptr_t)read_only_page;
    uint64_t count = report.count;
    int64_t armed = npf_probe_write(gpa, &report, ~SCRATCH_VALUE);

    tally->exits += 2;
    if (armed != HC_OK || report.count != count + 1) {
        if (armed == HC_OK && report.count == count)
            hypercall_cancel_expect();
        note_wrong(tally, true, "#NPF report count", report.count - count);
        return;
    }
    note_wrong(tally, report.exit_code != 0x400, "#NPF exit code", report.exit_code);
    note_wrong(tally, (report.exit_info_1 & ~NPF_USER) != NPF_WRITE_READ_ONLY,
               "#NPF EXITINFO1", report.exit_info_1);
    note_wrong(tally, report.exit_info_2 != gpa, "#NPF EXITINFO2", report.exit_info_2);
    note_wrong(tally, report.guest_rip != ADDRESS_OF(npf_probe_write_access), "#NPF RIP",
               report.guest_rip);
}

static void one_round(struct exit_tally *tally, uint64_t efer)
{
    struct cpuid_result leaf = cpuid(HYPERVISOR_LEAF, 0);
    note_wrong(tally, leaf.ebx != SIGNATURE_MINI, "CPUID 0x40000000 EBX", leaf.ebx);

    uint8_t port = inb(UNEMULATED_PORT);
    note_wrong(tally, port != 0xff, "inb 0x1234", port);

    uint64_t efer_now = rdmsr(MSR_EFER);
    note_wrong(tally, efer_now != efer, "RDMSR EFER", efer_now);

    /* Port 0x80 (POST codes) ignores writes: an exit whose only result is that
     * the guest goes on. */
    outb(POST_CODE_PORT, POST_CODE);

    int64_t version = hypercall_abi_version();
    note_wrong(tally, version != MINISVM_ABI_VERSION, "HC_ABI_VERSION", (uint64_t)version);
    tally->exits += 5;
}

void test_pat_across_exits(uint64_t layout)
{
    struct exit_tally tally = { 0, 0 };
    uint64_t gpa = (uint64_t)(uintptr_t)read_only_page;
    uint64_t efer = rdmsr(MSR_EFER);

    test_begin("pat: gPAT 0x%016lx survives %u exits (CPUID, IN, OUT, MSR, VMMCALL, #NPF)",
               layout, ROUNDS * 5 + ROUNDS / NPF_EVERY_ROUNDS * 2);
    *(volatile uint64_t *)read_only_page = SCRATCH_VALUE;
    int64_t result = hypercall_set_npt_access(gpa, PAGE_SIZE,
                                              NPT_ACCESS_PRESENT | NPT_ACCESS_USER);
    if (test_check_equal("HC_SET_NPT_ACCESS(read-only)", HC_OK, (uint64_t)result)) {
        for (unsigned round = 0; round < ROUNDS; round++) {
            one_round(&tally, efer);
            if (round % NPF_EVERY_ROUNDS == 0)
                provoke_npf(&tally);
        }
        test_check_equal("HC_SET_NPT_ACCESS(default)", HC_OK,
                         (uint64_t)hypercall_set_npt_access(gpa, PAGE_SIZE, NPT_ACCESS_DEFAULT));
    }
    test_check_equal("exits whose result was wrong", 0, tally.wrong);
    test_check_equal("page content after the refused writes", SCRATCH_VALUE,
                     *(volatile uint64_t *)read_only_page);
    test_check_equal("RDMSR PAT afterwards", layout, rdmsr(MSR_PAT));
    test_check_equal("G_PAT afterwards", layout, hypercall_read_vmcb_gpat());
    pat_check_host_pat();
    test_note("%u exits made, %u expected #NPFs", tally.exits, ROUNDS / NPF_EVERY_ROUNDS);
    test_end();
}
