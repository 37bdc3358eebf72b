/* Nested page faults through minisvm's expected-fault protocol: each test arms
 * HC_EXPECT_NPF, makes one access in a probe, and checks the exact EXITCODE,
 * EXITINFO1 and EXITINFO2 minisvm copied into the npf_report.
 * See: APM Vol. 2 §15.25.5-15.25.7 (nested access rules, #NPF reporting). */
#include "guest/hypercall.h"
#include "guest/paging.h"
#include "guest/probes.h"
#include "guest/test.h"
#include "guest/tests/npf_check.h"
#include "guest/tests/tests.h"
#include "guest/x86.h"

/* EXITINFO1 bits (APM §15.25.6): P, RW, US, RSV, ID like a #PF error code, and
 * bit 32 (final guest-physical address) or bit 33 (guest page-table access). */
#define NPF_PRESENT     (1ull << 0)
#define NPF_WRITE       (1ull << 1)
#define NPF_USER        (1ull << 2)
#define NPF_FETCH       (1ull << 4)
#define NPF_FINAL       (1ull << 32)
#define NPF_PAGE_TABLE  (1ull << 33)

#define TEST_VALUE 0x0123456789abcdefull

static uint8_t read_only_page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static uint8_t no_execute_page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static uint8_t walk_target_page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static struct npf_report report;

uint64_t npf_exit_info_1_mask(void)
{
    return (boot_info.features & GUEST_FEATURE_GMET_ENABLED) ? ~NPF_USER : ~0ull;
}

bool npf_check_report_masked(int64_t arm_result, uint64_t count_before, uint64_t exit_info_1,
                             uint64_t compare_mask, uint64_t gpa, uint64_t rip, uint64_t cpl)
{
    if (!test_check(arm_result == HC_OK, "HC_EXPECT_NPF returned %ld", arm_result))
        return false;
    if (report.count == count_before) {
        test_check(false, "no #NPF was reported (count stays %lu)", count_before);
        hypercall_cancel_expect();
        return false;
    }
    bool passed = test_check_equal("report count", count_before + 1, report.count);
    passed &= test_check_equal("exit_code", 0x400, report.exit_code);
    if (compare_mask == ~0ull)
        passed &= test_check_equal("exit_info_1", exit_info_1, report.exit_info_1);
    else
        passed &= test_check(!((exit_info_1 ^ report.exit_info_1) & compare_mask),
                             "exit_info_1 & 0x%lx: expected 0x%lx, got 0x%lx (0x%lx as reported)",
                             compare_mask, exit_info_1 & compare_mask,
                             report.exit_info_1 & compare_mask, report.exit_info_1);
    passed &= test_check_equal("exit_info_2", gpa, report.exit_info_2);
    passed &= test_check_equal("guest_rip", rip, report.guest_rip);
    passed &= test_check_equal("guest_cpl", cpl, report.guest_cpl);
    return passed;
}

bool npf_check_report(int64_t arm_result, uint64_t count_before, uint64_t exit_info_1,
                      uint64_t gpa, uint64_t rip)
{
    return npf_check_report_masked(arm_result, count_before, exit_info_1, npf_exit_info_1_mask(),
                                   gpa, rip, 0);
}

struct npf_report *npf_test_report(void)
{
    return &report;
}

void npf_check_no_fault(int64_t arm_result, uint64_t count_before)
{
    if (!test_check(arm_result == HC_OK, "HC_EXPECT_NPF returned %ld", arm_result))
        return;
    test_check(report.count == count_before,
               "unexpected #NPF: exit_info_1 0x%lx, exit_info_2 0x%lx, rip 0x%lx",
               report.exit_info_1, report.exit_info_2, report.guest_rip);
    if (report.count == count_before)
        test_check_equal("HC_CANCEL_EXPECT", HC_OK, (uint64_t)hypercall_cancel_expect());
}

static void test_outside_ram(void)
{
    uint64_t gpa = boot_info.ram_bytes + 0x5000;
    uint64_t address = paging_map_window(1, gpa);
    uint64_t value, count;
    int64_t armed;

    test_begin("npf: read beyond RAM (GPA ram_bytes + 0x5000): EXITINFO1 0x100000004");
    count = report.count;
    armed = npf_probe_read(address, &report, &value);
    npf_check_report(armed, count, NPF_FINAL | NPF_USER, gpa, ADDRESS_OF(npf_probe_read_access));
    test_check_equal("destination register (untouched)", PROBE_SENTINEL, value);
    test_end();

    test_begin("npf: write beyond RAM (GPA ram_bytes + 0x5000): EXITINFO1 0x100000006");
    count = report.count;
    armed = npf_probe_write(address, &report, TEST_VALUE);
    npf_check_report(armed, count, NPF_FINAL | NPF_USER | NPF_WRITE, gpa,
                     ADDRESS_OF(npf_probe_write_access));
    test_end();

    /* "All other state as at the faulting instruction": every GPR, RSP and the
     * arithmetic flags plus DF must be what they were at the access. */
    test_begin("npf: the guest resumes at the recovery RIP with registers as at the fault");
    for (unsigned i = 0; i < NPF_PROBE_REGISTERS; i++)
        npf_register_patterns[i] = 0x1111111111111111ull * (i + 1) ^ 0x8040201008040201ull;
    count = report.count;
    armed = npf_probe_registers(address + 0x18, &report);
    if (npf_check_report(armed, count, NPF_FINAL | NPF_USER, gpa + 0x18,
                         ADDRESS_OF(npf_probe_registers_access))) {
        static const char *const names[NPF_PROBE_REGISTERS] = {
            "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "r8", "r9", "r10",
            "r11", "r12", "r13", "r14", "r15",
        };
        test_check_equal("rax (the address)", address + 0x18, npf_register_snapshot[0]);
        for (unsigned i = 1; i < NPF_PROBE_REGISTERS; i++)
            test_check_equal(names[i], npf_register_patterns[i], npf_register_snapshot[i]);
        test_check_equal("rsp", npf_register_rsp_before, npf_register_snapshot[15]);
        /* CF PF AF ZF SF DF OF: the flags the probe set up; RF may legitimately differ. */
        test_check_equal("rflags & 0xcd5", npf_register_flags_before & 0xcd5,
                         npf_register_flags_after & 0xcd5);
    }
    test_end();
    paging_unmap_window(1);

    test_begin("npf: an armed access that does not fault reports nothing; cancel disarms");
    uint64_t *variable = (uint64_t *)walk_target_page;
    *variable = TEST_VALUE;
    count = report.count;
    armed = npf_probe_read((uint64_t)(uintptr_t)variable, &report, &value);
    npf_check_no_fault(armed, count);
    test_check_equal("value read", TEST_VALUE, value);
    /* Disarmed means a new arm is accepted, not refused with HC_EBUSY. */
    test_check_equal("HC_EXPECT_NPF after cancel", HC_OK,
                     (uint64_t)hypercall_expect_npf(ADDRESS_OF(npf_probe_read_access), &report));
    test_check_equal("HC_CANCEL_EXPECT", HC_OK, (uint64_t)hypercall_cancel_expect());
    test_end();
}

static void test_read_only(void)
{
    uint64_t gpa = (uint64_t)(uintptr_t)read_only_page;
    uint64_t value, count;
    int64_t armed;

    test_begin("npf: write to a nested read-only page: EXITINFO1 0x100000007");
    *(volatile uint64_t *)(read_only_page + 0x38) = TEST_VALUE;
    int64_t result = hypercall_set_npt_access(gpa, PAGE_SIZE, NPT_ACCESS_PRESENT | NPT_ACCESS_USER);
    if (test_check_equal("HC_SET_NPT_ACCESS(read-only)", HC_OK, (uint64_t)result)) {
        count = report.count;
        armed = npf_probe_read(gpa + 0x38, &report, &value);
        npf_check_no_fault(armed, count);
        test_check_equal("read of the read-only page", TEST_VALUE, value);

        count = report.count;
        armed = npf_probe_write(gpa + 0x38, &report, ~TEST_VALUE);
        npf_check_report(armed, count, NPF_FINAL | NPF_USER | NPF_WRITE | NPF_PRESENT, gpa + 0x38,
                         ADDRESS_OF(npf_probe_write_access));
        test_check_equal("page content after the refused write", TEST_VALUE,
                         *(volatile uint64_t *)(read_only_page + 0x38));
    }
    test_end();

    test_begin("npf: after NPT_ACCESS_DEFAULT the page is writable again");
    result = hypercall_set_npt_access(gpa, PAGE_SIZE, NPT_ACCESS_DEFAULT);
    test_check_equal("HC_SET_NPT_ACCESS(default)", HC_OK, (uint64_t)result);
    count = report.count;
    armed = npf_probe_write(gpa + 0x38, &report, ~TEST_VALUE);
    npf_check_no_fault(armed, count);
    test_check_equal("page content after the write", ~TEST_VALUE,
                     *(volatile uint64_t *)(read_only_page + 0x38));
    test_end();
}

static void test_no_execute(void)
{
    uint64_t gpa = (uint64_t)(uintptr_t)no_execute_page;

    test_begin("npf: fetch from a nested NX page: EXITINFO1 0x100000015");
    if (!(boot_info.features & GUEST_FEATURE_HOST_NXE)) {
        test_skip("npf: nested NX not honoured (host EFER.NXE = 0, GUEST_FEATURE_HOST_NXE clear)");
        return;
    }
    for (unsigned i = 0; i < PAGE_SIZE; i++)
        no_execute_page[i] = 0xc3;   /* ret */
    int64_t result = hypercall_set_npt_access(gpa, PAGE_SIZE, NPT_ACCESS_DEFAULT | NPT_ACCESS_NO_EXEC);
    if (test_check_equal("HC_SET_NPT_ACCESS(no-exec)", HC_OK, (uint64_t)result)) {
        uint64_t count = report.count;
        int64_t armed = npf_probe_fetch(gpa, &report);
        npf_check_report(armed, count, NPF_FINAL | NPF_USER | NPF_FETCH | NPF_PRESENT, gpa, gpa);
    }
    test_end();

    /* With GMET, RAM starts U/S = 0 (hv/vm.c): a U/S = 1 page, as NPT_ACCESS_DEFAULT
     * makes it, is not executable at CPL 0 (APM Table 15-21). This suite runs
     * before the GMET suite declares the kernel text, so U/S = 0 is RAM's access. */
    uint64_t ram_access = (boot_info.features & GUEST_FEATURE_GMET_ENABLED)
                              ? NPT_ACCESS_PRESENT | NPT_ACCESS_WRITE : NPT_ACCESS_DEFAULT;
    test_begin("npf: with RAM's nested access back the page is executable again");
    result = hypercall_set_npt_access(gpa, PAGE_SIZE, ram_access);
    test_check_equal("HC_SET_NPT_ACCESS(RAM's access)", HC_OK, (uint64_t)result);
    uint64_t count = report.count;
    int64_t armed = npf_probe_fetch(gpa + 0x10, &report);
    npf_check_no_fault(armed, count);
    test_end();
}

/* The guest's own page table is guest memory like any other: make the nested page
 * holding the window's page table read-only and the walk itself faults. The walk
 * counts as a user write at the nested level (APM §15.25.5), so EXITINFO1 has P,
 * RW, US and bit 33. EXITINFO2 is the faulting guest-physical address, that of the
 * page-table entry read; the test uses window page 0, whose entry is the first of
 * the table, so the entry address and the table's page address are the same. */
static void test_page_table_walk(void)
{
    uint64_t table_gpa = paging_window_table_gpa();
    uint64_t address = paging_map_window(0, (uint64_t)(uintptr_t)walk_target_page);
    uint64_t value, count;
    int64_t armed;

    *(volatile uint64_t *)walk_target_page = TEST_VALUE;
    test_begin("npf: guest page-table walk through a nested read-only page: EXITINFO1 0x200000007");
    int64_t result = hypercall_set_npt_access(table_gpa, PAGE_SIZE,
                                              NPT_ACCESS_PRESENT | NPT_ACCESS_USER);
    if (test_check_equal("HC_SET_NPT_ACCESS(read-only page table)", HC_OK, (uint64_t)result)) {
        invlpg(address);   /* force a walk: drop the TLB entry of the window page */
        count = report.count;
        armed = npf_probe_read(address, &report, &value);
        npf_check_report(armed, count, NPF_PAGE_TABLE | NPF_USER | NPF_WRITE | NPF_PRESENT,
                         table_gpa, ADDRESS_OF(npf_probe_read_access));
    }
    test_end();

    test_begin("npf: after the walk fault the page table is usable again and the read works");
    result = hypercall_set_npt_access(table_gpa, PAGE_SIZE, NPT_ACCESS_DEFAULT);
    test_check_equal("HC_SET_NPT_ACCESS(default)", HC_OK, (uint64_t)result);
    invlpg(address);
    count = report.count;
    armed = npf_probe_read(address, &report, &value);
    npf_check_no_fault(armed, count);
    test_check_equal("value read through the window", TEST_VALUE, value);
    test_end();
    paging_unmap_window(0);
}

void test_npf(void)
{
    test_outside_ram();
    test_read_only();
    test_no_execute();
    test_page_table_walk();
}
