/* GMET: with it on, nested U/S says who may execute a page (0: every CPL, 1: CPL 3
 * only); without it, U/S=0 blocks every access. See: APM Vol. 2 §15.25.13 (Table
 * 15-21), §15.25.5-15.25.7 (nested access rules, #NPF error code), docs/gmet.md. */
#include "guest/gdt.h"
#include "guest/gmet_code.h"
#include "guest/hypercall.h"
#include "guest/paging.h"
#include "guest/probes.h"
#include "guest/string.h"
#include "guest/test.h"
#include "guest/tests/npf_check.h"
#include "guest/tests/tests.h"
#include "guest/user_mode.h"
#include "guest/x86.h"

#define EXIT_INFO_1_USER   (1ull << 2)
#define EXIT_INFO_1_FETCH  (1ull << 4)
#define TEST_VALUE         0x0123456789abcdefull
#define WINDOW_INDEX       0   /* its entry is the first of the window's page table */

/* From guest.ld: page aligned; the CPL 3 code lives after it, in .user_text. */
extern const uint8_t __kernel_text_start[], __kernel_text_end[];

static uint8_t data_page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static uint8_t copied_code_page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static struct npf_report *report;

static bool gmet_enabled(void)
{
    return (boot_info.features & GUEST_FEATURE_GMET_ENABLED) != 0;
}

static bool host_nxe(void)
{
    return (boot_info.features & GUEST_FEATURE_HOST_NXE) != 0;
}

static bool set_access(uint64_t gpa, uint64_t access)
{
    int64_t result = hypercall_set_npt_access(gpa, PAGE_SIZE, access);

    return test_check_equal("HC_SET_NPT_ACCESS", HC_OK, (uint64_t)result);
}

/* EXITINFO1 with GMET is compared without US: it shows the guest's privilege,
 * and erratum 1218 says hardware may report it wrongly. Without host EFER.NXE
 * the reference does not say whether a fetch sets ID, so ID is left out too. */
static uint64_t gmet_compare_mask(void)
{
    return ~EXIT_INFO_1_USER & (host_nxe() ? ~0ull : ~EXIT_INFO_1_FETCH);
}

/* An expected #NPF with GMET on; the raw EXITINFO1 is printed, to show US. */
static void check_gmet_fault(int64_t armed, uint64_t count, uint64_t exit_info_1, uint64_t gpa,
                             uint64_t rip, uint64_t cpl)
{
    npf_check_report_masked(armed, count, exit_info_1, gmet_compare_mask(), gpa, rip, cpl);
    if (report->count != count)
        test_note("EXITINFO1 as reported: 0x%lx (US=%lu, guest CPL %lu)", report->exit_info_1,
                  (report->exit_info_1 >> 2) & 1, report->guest_cpl);
}

/* Runs entry at CPL 3 with a #NPF expected. minisvm resumes a fault at the
 * recovery RIP with the state of the fault, so at CPL 3 on the user stack: the
 * recovery RIP is therefore a CPL 3 stub (gmet_user_recover) whose int 0x80 comes
 * back to the kernel with GMET_USER_RECOVERED. Returns the arm result. */
static int64_t run_user_armed(void (*entry)(void), struct user_mode_outcome *outcome)
{
    int64_t armed = hypercall_expect_npf(ADDRESS_OF(gmet_user_recover), report);

    *outcome = (struct user_mode_outcome){ 0 };
    if (armed == HC_OK)
        *outcome = user_mode_run(entry);
    return armed;
}

/* The CPL 3 run came back through int 0x80 with value, and the kernel is at CPL 0. */
static void check_user_return(const struct user_mode_outcome *outcome, uint64_t value)
{
    test_check(!outcome->trapped, "the user code raised vector %lu at rip 0x%lx",
               outcome->exception.vector, outcome->exception.rip);
    test_check_equal("value returned through int 0x80", value, outcome->result);
    test_check_equal("CS at int 0x80", USER_CODE_SELECTOR, outcome->trap_cs);
    test_check_equal("CPL after the return", 0, read_cs() & 3);
}

/* ---- GMET on ---------------------------------------------------------------- */

/* Table 15-21, U/S=0 row: executable at every CPL. */
static const char *kernel_text_fetch(void)
{
    uint64_t count = report->count;
    int64_t armed = npf_probe_fetch(ADDRESS_OF(gmet_kernel_routine), report);

    npf_check_no_fault(armed, count);
    return NULL;
}

/* Table 15-21, U/S=1 row: a CPL 0-2 fetch is #VMEXIT(NPF) with P | ID | final GPA
 * (APM §15.25.6): 0x1_0000_0011 once US is masked. */
static const char *supervisor_fetch_user_page(void)
{
    uint64_t target = ADDRESS_OF(gmet_user_text_ret);
    uint64_t count = report->count;
    int64_t armed = npf_probe_fetch(target, report);

    check_gmet_fault(armed, count, 0x100000011ull, target, target, 0);
    return NULL;
}

/* Table 15-21, U/S=1 row: CPL 3 may execute. */
static const char *user_fetch_user_page(void)
{
    struct user_mode_outcome outcome;
    uint64_t count = report->count;
    int64_t armed = run_user_armed(user_return_value, &outcome);

    npf_check_no_fault(armed, count);
    check_user_return(&outcome, USER_MODE_RETURN_VALUE);
    return NULL;
}

/* Table 15-21, U/S=0 row, at both privileges: the page is still U/S=1 in the
 * guest's own tables, so CPL 3 may use it; at the nested level nothing stops
 * either fetch, nor the CPL 3 read (data accesses ignore U/S with GMET, §5.4). */
static const char *fetches_from_supervisor_page(void)
{
    uint64_t page = ADDRESS_OF(gmet_user_page);
    struct user_mode_outcome outcome;

    test_check_equal("the page's size", PAGE_SIZE,
                     ADDRESS_OF(gmet_user_page_end) - ADDRESS_OF(gmet_user_page));
    if (!set_access(page, NPT_ACCESS_PRESENT | NPT_ACCESS_WRITE))
        return NULL;
    uint64_t count = report->count;
    int64_t armed = run_user_armed(gmet_user_page_entry, &outcome);
    npf_check_no_fault(armed, count);
    check_user_return(&outcome, GMET_USER_PAGE_VALUE);

    count = report->count;
    armed = npf_probe_fetch(ADDRESS_OF(gmet_user_page_ret), report);
    npf_check_no_fault(armed, count);
    set_access(page, NPT_ACCESS_DEFAULT);
    return NULL;
}

/* With GMET the U/S bit restricts execution only (svm-reference §5.4, UNVERIFIED
 * by AMD): a U/S=0 page is readable and writable at CPL 0, and so is the
 * (read-only) kernel text for reading. */
static const char *supervisor_data_access(void)
{
    uint64_t gpa = ADDRESS_OF(data_page);
    uint64_t value, count;
    int64_t armed;

    if (!set_access(gpa, NPT_ACCESS_PRESENT | NPT_ACCESS_WRITE))
        return NULL;
    count = report->count;
    armed = npf_probe_write(gpa + 0x40, report, TEST_VALUE);
    npf_check_no_fault(armed, count);
    count = report->count;
    armed = npf_probe_read(gpa + 0x40, report, &value);
    npf_check_no_fault(armed, count);
    test_check_equal("value read back", TEST_VALUE, value);
    set_access(gpa, NPT_ACCESS_DEFAULT);

    count = report->count;
    armed = npf_probe_read(ADDRESS_OF(&gmet_kernel_text_word), report, &value);
    npf_check_no_fault(armed, count);
    test_check_equal("word read from the kernel text", GMET_KERNEL_TEXT_VALUE, value);
    return NULL;
}

/* Guest page-table walks ignore U/S with GMET (kvm-unit-tests npt_gmet_null;
 * svm-reference §5.4): without GMET this same walk faults (gmet off test). */
static const char *page_table_walk(void)
{
    uint64_t table = paging_window_table_gpa();
    uint64_t address = paging_map_window(WINDOW_INDEX, ADDRESS_OF(data_page));
    uint64_t value;

    *(volatile uint64_t *)data_page = TEST_VALUE;
    if (set_access(table, NPT_ACCESS_PRESENT | NPT_ACCESS_WRITE)) {
        invlpg(address);   /* force a walk through the U/S=0 table */
        uint64_t count = report->count;
        int64_t armed = npf_probe_read(address, report, &value);
        npf_check_no_fault(armed, count);
        test_check_equal("value read through the window", TEST_VALUE, value);
        set_access(table, NPT_ACCESS_DEFAULT);
    }
    paging_unmap_window(WINDOW_INDEX);
    return NULL;
}

/* minisvm maps the declared text read-only: a write is P | RW | final GPA
 * (APM §15.25.5: writable only if writable at both levels) = 0x1_0000_0003
 * with US masked. The write stores the value already there. */
static const char *kernel_text_write(void)
{
    uint64_t target = ADDRESS_OF(&gmet_kernel_text_word);
    uint64_t count = report->count;
    int64_t armed = npf_probe_write(target, report, GMET_KERNEL_TEXT_VALUE);

    check_gmet_fault(armed, count, 0x100000003ull, target, ADDRESS_OF(npf_probe_write_access), 0);
    test_check_equal("kernel text word after the write", GMET_KERNEL_TEXT_VALUE,
                     *(volatile const uint64_t *)&gmet_kernel_text_word);
    return NULL;
}

/* What kernel code integrity is for: bytes that are not declared kernel text do
 * not run at CPL 0, even a faithful copy of kernel code (Table 15-21, U/S=1). */
static const char *copied_code(void)
{
    uint64_t bytes = ADDRESS_OF(gmet_kernel_routine_end) - ADDRESS_OF(gmet_kernel_routine);
    uint64_t target = ADDRESS_OF(copied_code_page);

    memcpy(copied_code_page, gmet_kernel_routine, bytes);
    test_check_equal("bytes copied that match", 0,
                     (uint64_t)memcmp(copied_code_page, gmet_kernel_routine, bytes));
    uint64_t count = report->count;
    int64_t armed = npf_probe_fetch(target, report);
    check_gmet_fault(armed, count, 0x100000011ull, target, target, 0);
    return NULL;
}

/* Table 15-21, NX row: not executable at any CPL. The page is U/S=0, so without
 * NX both fetches would run (fetches_from_supervisor_page); the error code is
 * the one of a GMET violation (kvm-unit-tests npt_gmet_nx): P | ID | final GPA. */
static const char *no_execute_supervisor(void)
{
    uint64_t target = ADDRESS_OF(gmet_user_page_ret);

    if (!host_nxe())
        return "gmet: nested NX not honoured (host EFER.NXE = 0)";
    if (set_access(ADDRESS_OF(gmet_user_page),
                   NPT_ACCESS_PRESENT | NPT_ACCESS_WRITE | NPT_ACCESS_NO_EXEC)) {
        uint64_t count = report->count;
        int64_t armed = npf_probe_fetch(target, report);
        check_gmet_fault(armed, count, 0x100000011ull, target, target, 0);
        set_access(ADDRESS_OF(gmet_user_page), NPT_ACCESS_DEFAULT);
    }
    return NULL;
}

static const char *no_execute_user(void)
{
    uint64_t target = ADDRESS_OF(gmet_user_page_entry);
    struct user_mode_outcome outcome;

    if (!host_nxe())
        return "gmet: nested NX not honoured (host EFER.NXE = 0)";
    if (set_access(ADDRESS_OF(gmet_user_page),
                   NPT_ACCESS_PRESENT | NPT_ACCESS_WRITE | NPT_ACCESS_NO_EXEC)) {
        uint64_t count = report->count;
        int64_t armed = run_user_armed(gmet_user_page_entry, &outcome);
        check_gmet_fault(armed, count, 0x100000011ull, target, target, 3);
        check_user_return(&outcome, GMET_USER_RECOVERED);
        set_access(ADDRESS_OF(gmet_user_page), NPT_ACCESS_DEFAULT);
    }
    return NULL;
}

struct gmet_test {
    const char *name;
    const char *(*run)(void);   /* NULL when it ran, else why it skipped */
};

static const struct gmet_test gmet_on_tests[] = {
    { "gmet: supervisor fetch from the declared kernel text (U/S=0) runs", kernel_text_fetch },
    { "gmet: supervisor fetch from U=1 page is trapped: EXITINFO1 & ~US 0x100000011",
      supervisor_fetch_user_page },
    { "gmet: CPL 3 fetch from a U/S=1 page runs", user_fetch_user_page },
    { "gmet: CPL 3 fetch and read, and CPL 0 fetch, from a U/S=0 page run",
      fetches_from_supervisor_page },
    { "gmet: CPL 0 read and write of a U/S=0 data page, and read of the kernel text, succeed",
      supervisor_data_access },
    { "gmet: a guest page-table walk through a U/S=0 page runs", page_table_walk },
    { "gmet: write to the declared kernel text is trapped: EXITINFO1 & ~US 0x100000003",
      kernel_text_write },
    { "gmet: kernel code copied to a data page is trapped at CPL 0: EXITINFO1 & ~US 0x100000011",
      copied_code },
    { "gmet: CPL 0 fetch from a nested NX page is trapped: EXITINFO1 & ~US 0x100000011",
      no_execute_supervisor },
    { "gmet: CPL 3 fetch from a nested NX page is trapped, back to CPL 0: EXITINFO1 & ~US 0x100000011",
      no_execute_user },
};

/* ---- GMET off: every nested access is a user access (APM §15.25.5) ------------ */

/* P | US | final GPA: U/S=0 blocks a read (kvm-unit-tests npt_us). */
static const char *off_read(void)
{
    uint64_t gpa = ADDRESS_OF(data_page);
    uint64_t value;

    if (set_access(gpa, NPT_ACCESS_PRESENT | NPT_ACCESS_WRITE)) {
        uint64_t count = report->count;
        int64_t armed = npf_probe_read(gpa + 0x40, report, &value);
        npf_check_report_masked(armed, count, 0x100000005ull, ~0ull, gpa + 0x40,
                                ADDRESS_OF(npf_probe_read_access), 0);
        test_check_equal("destination register (untouched)", PROBE_SENTINEL, value);
        set_access(gpa, NPT_ACCESS_DEFAULT);
    }
    return NULL;
}

/* P | RW | US | final GPA. */
static const char *off_write(void)
{
    uint64_t gpa = ADDRESS_OF(data_page);

    *(volatile uint64_t *)(data_page + 0x40) = TEST_VALUE;
    if (set_access(gpa, NPT_ACCESS_PRESENT | NPT_ACCESS_WRITE)) {
        uint64_t count = report->count;
        int64_t armed = npf_probe_write(gpa + 0x40, report, ~TEST_VALUE);
        npf_check_report_masked(armed, count, 0x100000007ull, ~0ull, gpa + 0x40,
                                ADDRESS_OF(npf_probe_write_access), 0);
        set_access(gpa, NPT_ACCESS_DEFAULT);
    }
    test_check_equal("page content after the refused write", TEST_VALUE,
                     *(volatile uint64_t *)(data_page + 0x40));
    return NULL;
}

/* P | US | ID | final GPA; ID is reported for a fetch when the host has EFER.NXE
 * (or CR4.SMEP) set, as in a #PF error code (svm-reference §4.3). */
static const char *off_fetch(void)
{
    uint64_t gpa = ADDRESS_OF(data_page);

    if (!host_nxe())
        return "gmet off: ID on a fetch fault depends on host EFER.NXE/CR4.SMEP (NXE = 0 here)";
    memset(data_page, 0xc3, PAGE_SIZE);   /* ret */
    if (set_access(gpa, NPT_ACCESS_PRESENT | NPT_ACCESS_WRITE)) {
        uint64_t count = report->count;
        int64_t armed = npf_probe_fetch(gpa, report);
        npf_check_report_masked(armed, count, 0x100000015ull, ~0ull, gpa, gpa, 0);
        set_access(gpa, NPT_ACCESS_DEFAULT);
    }
    return NULL;
}

/* A guest page-table walk is a user write at the nested level (APM §15.25.5):
 * P | RW | US | guest page-table access, EXITINFO2 = the entry's GPA, here the
 * first entry of the window's table. */
static const char *off_page_table_walk(void)
{
    uint64_t table = paging_window_table_gpa();
    uint64_t address = paging_map_window(WINDOW_INDEX, ADDRESS_OF(data_page));
    uint64_t value;

    if (set_access(table, NPT_ACCESS_PRESENT | NPT_ACCESS_WRITE)) {
        invlpg(address);
        uint64_t count = report->count;
        int64_t armed = npf_probe_read(address, report, &value);
        npf_check_report_masked(armed, count, 0x200000007ull, ~0ull, table,
                                ADDRESS_OF(npf_probe_read_access), 0);
        set_access(table, NPT_ACCESS_DEFAULT);
    }
    paging_unmap_window(WINDOW_INDEX);
    return NULL;
}

static const struct gmet_test gmet_off_tests[] = {
    { "gmet off: read of a nested U/S=0 page: EXITINFO1 0x100000005", off_read },
    { "gmet off: write to a nested U/S=0 page: EXITINFO1 0x100000007", off_write },
    { "gmet off: fetch from a nested U/S=0 page: EXITINFO1 0x100000015", off_fetch },
    { "gmet off: guest page-table walk through a nested U/S=0 page: EXITINFO1 0x200000007",
      off_page_table_walk },
};

/* ---- The suite ---------------------------------------------------------------- */

static void run_tests(const struct gmet_test *tests, unsigned count, const char *skip_reason)
{
    for (unsigned i = 0; i < count; i++) {
        test_begin("%s", tests[i].name);
        const char *reason = skip_reason ? skip_reason : tests[i].run();
        if (reason)
            test_skip("%s", reason);
        else
            test_end();
    }
}

/* Turns the policy on (design.md §4): from the first declaration on, only the
 * declared pages are U/S=0 and read-only; all other RAM is U/S=1. Without GMET
 * minisvm records the declaration but cannot enforce it, and says so with 1. */
static void declare_kernel_text(void)
{
    uint64_t start = ADDRESS_OF(__kernel_text_start);
    uint64_t bytes = ADDRESS_OF(__kernel_text_end) - start;

    test_begin("gmet: HC_DECLARE_KERNEL_TEXT(0x%lx, 0x%lx) returns %u", start, bytes,
               gmet_enabled() ? 0u : 1u);
    test_check_equal("result", gmet_enabled() ? HC_OK : 1,
                     (uint64_t)hypercall_declare_kernel_text(start, bytes));
    test_end();
}

void test_gmet(void)
{
    report = npf_test_report();
    declare_kernel_text();
    if (gmet_enabled()) {
        run_tests(gmet_on_tests, sizeof gmet_on_tests / sizeof gmet_on_tests[0], NULL);
        return;
    }
    if (boot_info.features & GUEST_FEATURE_GMET_REQUESTED)
        run_tests(gmet_on_tests, sizeof gmet_on_tests / sizeof gmet_on_tests[0],
                  "gmet: CPU lacks GMET (CPUID 8000000A EDX[17]=0)");
    else
        test_comment("gmet: GMET off for this VM: the GMET-on tests do not apply");
    run_tests(gmet_off_tests, sizeof gmet_off_tests / sizeof gmet_off_tests[0], NULL);
}
