/* Unit tests for svm/exit_names.c: names of exit codes across every range of
 * the exit-code table, and of codes it does not define.
 * See: APM Appendix C. */
#include "test.h"

#include "svm/vmcb.h"

static const struct {
    uint64_t exit_code;
    const char *name;
} names[] = {
    { SVM_EXIT_READ_CR0, "CR0 read" },
    { SVM_EXIT_WRITE_CR3, "CR3 write" },
    { SVM_EXIT_READ_DR7, "DR7 read" },
    { SVM_EXIT_WRITE_DR0 + 15, "DR15 write" },
    { SVM_EXIT_EXCP_BASE + 0, "#DE exception" },
    { 0x04e, "#PF exception" },
    { 0x052, "#MC exception" },
    { SVM_EXIT_LAST_EXCP, "vector 31 exception" },
    { SVM_EXIT_INTR, "INTR" },
    { SVM_EXIT_NMI, "NMI" },
    { SVM_EXIT_CPUID, "CPUID" },
    { SVM_EXIT_HLT, "HLT" },
    { SVM_EXIT_IOIO, "IOIO" },
    { SVM_EXIT_MSR, "MSR" },
    { SVM_EXIT_SHUTDOWN, "SHUTDOWN" },
    { SVM_EXIT_VMRUN, "VMRUN" },
    { SVM_EXIT_VMMCALL, "VMMCALL" },
    { SVM_EXIT_XSETBV, "XSETBV" },
    { SVM_EXIT_EFER_WRITE_TRAP, "EFER write trap" },
    { SVM_EXIT_CR0_WRITE_TRAP + 4, "CR4 write trap" },
    { SVM_EXIT_CR15_WRITE_TRAP, "CR15 write trap" },
    { SVM_EXIT_INVPCID, "INVPCID" },
    { SVM_EXIT_IDLE_HLT, "idle HLT" },
    { SVM_EXIT_NPF, "NPF" },
    { SVM_EXIT_VMGEXIT, "VMGEXIT" },
    { SVM_EXIT_ERR, "VMEXIT_INVALID" },
    { UINT64_C(0x00000000ffffffff), "VMEXIT_INVALID" },
    { 0x0a7, "unknown" },
    { 0x3ff, "unknown" },
    { 0x404, "unknown" },
    { UINT64_C(0x100000072), "unknown" },
};

TEST(exit_code_names)
{
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        test_row("exit 0x%llx is \"%s\"", (unsigned long long)names[i].exit_code,
                 names[i].name);
        EXPECT_STR_EQ(svm_exit_name(names[i].exit_code), names[i].name);
    }
}

TEST(every_code_up_to_idle_hlt_has_a_name)
{
    for (uint64_t code = 0; code <= SVM_EXIT_IDLE_HLT; code++) {
        if (svm_exit_name(code) == NULL)
            test_fail(__FILE__, __LINE__, "svm_exit_name returned NULL");
    }
}
