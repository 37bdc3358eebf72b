/* CPL 3 inside the guest: user code entered with IRETQ returns through int 0x80,
 * and privileged instructions or supervisor pages fault into the guest's own IDT,
 * not into minisvm. See: APM Vol. 2 §4.12 (privilege checks), §8.9.3 (stack
 * switch via TSS.RSP0), §5.6.1 (U/S), §15.11 (CPL checks come before MSR intercepts). */
#include "guest/gdt.h"
#include "guest/probes.h"
#include "guest/test.h"
#include "guest/tests/tests.h"
#include "guest/user_mode.h"
#include "guest/x86.h"

static void check_user_trap(const struct user_mode_outcome *outcome, uint64_t vector,
                            uint64_t error_code, const uint8_t *rip)
{
    if (!test_check(outcome->trapped, "the user code finished without an exception (result 0x%lx)",
                    outcome->result))
        return;
    test_check_equal("vector", vector, outcome->exception.vector);
    test_check_equal("error code", error_code, outcome->exception.error_code);
    test_check_equal("rip", ADDRESS_OF(rip), outcome->exception.rip);
    test_check_equal("CS of the interrupted code", USER_CODE_SELECTOR, outcome->trap_cs);
}

void test_user_mode(void)
{
    struct user_mode_outcome outcome;

    test_begin("cpl3: user code runs and returns its value through int 0x80");
    outcome = user_mode_run(user_return_value);
    test_check(!outcome.trapped, "user code raised vector %lu at rip 0x%lx",
               outcome.exception.vector, outcome.exception.rip);
    test_check_equal("returned value", USER_MODE_RETURN_VALUE, outcome.result);
    test_check_equal("CS at int 0x80", USER_CODE_SELECTOR, outcome.trap_cs);
    test_check_equal("CPL after the return", 0, read_cs() & 3);
    test_end();

    test_begin("cpl3: hlt at CPL 3 raises #GP(0) in the guest");
    outcome = user_mode_run(user_halt);
    check_user_trap(&outcome, VECTOR_GENERAL_PROTECTION, 0, user_halt_instruction);
    test_end();

    test_begin("cpl3: wrmsr at CPL 3 raises #GP(0) in the guest");
    outcome = user_mode_run(user_write_msr);
    check_user_trap(&outcome, VECTOR_GENERAL_PROTECTION, 0, user_write_msr_instruction);
    test_end();

    test_begin("cpl3: read of a supervisor page raises #PF with error code 0x5 (P, U)");
    outcome = user_mode_run(user_read_kernel_data);
    check_user_trap(&outcome, VECTOR_PAGE_FAULT, PAGE_FAULT_PRESENT | PAGE_FAULT_USER,
                    user_read_kernel_data_instruction);
    test_check_equal("cr2", ADDRESS_OF(&user_mode_kernel_only_data), outcome.exception.cr2);
    test_end();
}
