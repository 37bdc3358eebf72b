/* Isolation: nothing but the VM's own RAM is mapped in its nested page tables.
 * The guest points a page of its own tables at guest-physical addresses beyond
 * its RAM, up to 4 GiB, and every read must end in a not-present #NPF.
 * See: APM Vol. 2 §15.25.6 (#NPF, EXITINFO1 P = 0), design.md §3 (guest memory map). */
#include "guest/hypercall.h"
#include "guest/paging.h"
#include "guest/probes.h"
#include "guest/test.h"
#include "guest/tests/npf_check.h"
#include "guest/tests/tests.h"

#define SWEEP_STEP_BYTES   (16ull << 20)
#define SWEEP_END          (4ull << 30)
#define NPF_NOT_PRESENT_READ 0x100000004ull   /* final GPA, US, P = 0, read */
#define WINDOW_INDEX       2

/* Returns whether the read of gpa faulted exactly as a not-present final GPA;
 * otherwise describes the first difference. */
static bool probe_outside(uint64_t gpa, struct npf_report *report)
{
    uint64_t address = paging_map_window(WINDOW_INDEX, gpa);
    uint64_t count = report->count, value;
    int64_t armed = npf_probe_read(address, report, &value);

    if (armed != HC_OK) {
        test_check(false, "GPA 0x%lx: HC_EXPECT_NPF returned %ld", gpa, armed);
        return false;
    }
    if (report->count == count) {
        hypercall_cancel_expect();
        test_check(false, "GPA 0x%lx: read without a fault, value 0x%lx", gpa, value);
        return false;
    }
    /* With GMET the US bit is not compared (npf_exit_info_1_mask(): erratum 1218). */
    uint64_t mask = npf_exit_info_1_mask();
    if (report->exit_code != 0x400 ||
        (report->exit_info_1 & mask) != (NPF_NOT_PRESENT_READ & mask) ||
        report->exit_info_2 != gpa || report->guest_rip != ADDRESS_OF(npf_probe_read_access)) {
        test_check(false, "GPA 0x%lx: exit_code 0x%lx, exit_info_1 0x%lx, exit_info_2 0x%lx, rip 0x%lx",
                   gpa, report->exit_code, report->exit_info_1, report->exit_info_2,
                   report->guest_rip);
        return false;
    }
    return true;
}

void test_isolation(void)
{
    struct npf_report *report = npf_test_report();
    unsigned probed = 0, faulted = 0;
    uint64_t ram = boot_info.ram_bytes;

    test_begin("isolation: reads of GPAs beyond RAM up to 4 GiB all fault with #NPF P=0");
    uint64_t first = (ram + SWEEP_STEP_BYTES - 1) & ~(SWEEP_STEP_BYTES - 1);
    for (uint64_t gpa = first; gpa < SWEEP_END; gpa += SWEEP_STEP_BYTES) {
        probed++;
        faulted += probe_outside(gpa, report);
    }
    /* The two edges: the first byte past RAM and the last page below 4 GiB. */
    probed += 2;
    faulted += probe_outside(ram, report);
    faulted += probe_outside(0xfffff000ull, report);
    paging_unmap_window(WINDOW_INDEX);
    test_check_equal("reads that faulted as expected", probed, faulted);
    test_note("%u GPAs probed from 0x%lx to 0xfffff000, %u faulted as expected", probed, ram, faulted);
    test_end();
}
