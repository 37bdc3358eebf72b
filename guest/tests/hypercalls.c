/* The hypercall interface itself: the ABI version, unknown numbers, the
 * single-expectation rule of HC_EXPECT_NPF, and that a hypercall changes RAX only.
 * See: guest/abi.h; APM Vol. 2 §15.9 (VMMCALL intercept). */
#include "guest/hypercall.h"
#include "guest/probes.h"
#include "guest/test.h"
#include "guest/tests/npf_check.h"
#include "guest/tests/tests.h"

void test_hypercalls(void)
{
    test_begin("hypercall: boot_info.abi_version is MINISVM_ABI_VERSION (%u)", MINISVM_ABI_VERSION);
    test_check_equal("abi_version", MINISVM_ABI_VERSION, boot_info.abi_version);
    test_end();

    test_begin("hypercall: HC_ABI_VERSION returns MINISVM_ABI_VERSION (%u)", MINISVM_ABI_VERSION);
    test_check_equal("HC_ABI_VERSION", MINISVM_ABI_VERSION, (uint64_t)hypercall_abi_version());
    test_end();

    test_begin("hypercall: unknown numbers (HC_COUNT, 0x100000000 + HC_DONE, 2^63) return HC_ENOSYS");
    test_check_equal("HC_COUNT", (uint64_t)HC_ENOSYS, (uint64_t)hypercall3(HC_COUNT, 0, 0, 0));
    /* A hypervisor that looked at EAX only would take this for HC_DONE. */
    test_check_equal("0x100000000 + HC_DONE", (uint64_t)HC_ENOSYS,
                     (uint64_t)hypercall3(0x100000000ull + HC_DONE, 0, 0, 0));
    test_check_equal("2^63", (uint64_t)HC_ENOSYS, (uint64_t)hypercall3(1ull << 63, 0, 0, 0));
    test_end();

    test_begin("hypercall: a second HC_EXPECT_NPF returns HC_EBUSY; HC_CANCEL_EXPECT disarms");
    struct npf_report *report = npf_test_report();
    uint64_t recovery = ADDRESS_OF(npf_probe_read_access);
    test_check_equal("first HC_EXPECT_NPF", HC_OK, (uint64_t)hypercall_expect_npf(recovery, report));
    test_check_equal("second HC_EXPECT_NPF", (uint64_t)HC_EBUSY,
                     (uint64_t)hypercall_expect_npf(recovery, report));
    test_check_equal("HC_CANCEL_EXPECT", HC_OK, (uint64_t)hypercall_cancel_expect());
    test_check_equal("HC_EXPECT_NPF after cancel", HC_OK,
                     (uint64_t)hypercall_expect_npf(recovery, report));
    test_check_equal("HC_CANCEL_EXPECT", HC_OK, (uint64_t)hypercall_cancel_expect());
    test_end();

    test_begin("hypercall: every register but RAX is preserved");
    static const char *const names[NPF_PROBE_REGISTERS] = {
        "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "r8", "r9", "r10",
        "r11", "r12", "r13", "r14", "r15",
    };
    for (unsigned i = 0; i < NPF_PROBE_REGISTERS; i++)
        npf_register_patterns[i] = 0xa5a5a5a500000000ull | (0x01010101u * (i + 1));
    int64_t version = hypercall_probe_registers(HC_ABI_VERSION);
    test_check_equal("rax (HC_ABI_VERSION)", MINISVM_ABI_VERSION, (uint64_t)version);
    for (unsigned i = 1; i < NPF_PROBE_REGISTERS; i++)
        test_check_equal(names[i], npf_register_patterns[i], npf_register_snapshot[i]);
    test_check_equal("rsp", npf_register_rsp_before, npf_register_snapshot[15]);
    test_end();
}
