/* MSRs as minisvm presents them: the SVM MSRs and unknown MSRs raise #GP(0);
 * EFER reads back what the guest wrote, with SVME hidden and not settable.
 * See: APM Vol. 2 §15.11 (MSR intercepts), §15.30 (SVM MSRs), §3.1.7 (EFER). */
#include "guest/idt.h"
#include "guest/probes.h"
#include "guest/test.h"
#include "guest/tests/tests.h"
#include "guest/x86.h"

#define MSR_UNKNOWN 0xc0012345u   /* outside every MSRPM range: always intercepted */

struct msr_case {
    const char *name;
    uint32_t msr;
};

static const struct msr_case forbidden_msrs[] = {
    { "VM_HSAVE_PA", MSR_VM_HSAVE_PA },
    { "VM_CR", MSR_VM_CR },
    { "an unknown MSR", MSR_UNKNOWN },
};

static void check_general_protection(const struct exception_record *record, const uint8_t *rip)
{
    if (!test_check(record->happened, "no exception happened"))
        return;
    test_check_equal("vector", VECTOR_GENERAL_PROTECTION, record->vector);
    test_check_equal("error code", 0, record->error_code);
    test_check_equal("rip", ADDRESS_OF(rip), record->rip);
}

static void test_forbidden_msrs(void)
{
    struct exception_record record;

    for (unsigned i = 0; i < sizeof forbidden_msrs / sizeof forbidden_msrs[0]; i++) {
        const struct msr_case *c = &forbidden_msrs[i];

        test_begin("msr: wrmsr to %s (0x%x) raises #GP(0)", c->name, c->msr);
        exception_expect(ADDRESS_OF(probe_wrmsr_resume));
        probe_wrmsr(c->msr, 0);
        record = exception_outcome();
        check_general_protection(&record, probe_wrmsr_instruction);
        test_end();

        test_begin("msr: rdmsr of %s (0x%x) raises #GP(0)", c->name, c->msr);
        exception_expect(ADDRESS_OF(probe_rdmsr_resume));
        uint64_t value = probe_rdmsr(c->msr);
        record = exception_outcome();
        check_general_protection(&record, probe_rdmsr_instruction);
        test_check_equal("value (unchanged registers)", PROBE_SENTINEL, value);
        test_end();
    }
}

static void test_efer(void)
{
    struct exception_record record;
    uint64_t original = rdmsr(MSR_EFER);

    test_begin("efer: reads with SVME = 0 (SVM hidden) and LME = LMA = 1");
    test_check_equal("EFER.SVME", 0, original & EFER_SVME);
    test_check_equal("EFER.LME|LMA", EFER_LME | EFER_LMA, original & (EFER_LME | EFER_LMA));
    test_end();

    test_begin("efer: setting SCE reads back SCE set, the other bits unchanged");
    wrmsr(MSR_EFER, original | EFER_SCE);
    uint64_t with_system_call = rdmsr(MSR_EFER);
    test_check_equal("EFER after setting SCE", original | EFER_SCE, with_system_call);
    wrmsr(MSR_EFER, original & ~EFER_SCE);
    test_check_equal("EFER after clearing SCE", original & ~EFER_SCE, rdmsr(MSR_EFER));
    wrmsr(MSR_EFER, original);
    test_end();

    test_begin("efer: writing SVME = 1 raises #GP(0) and changes nothing");
    exception_expect(ADDRESS_OF(probe_wrmsr_resume));
    probe_wrmsr(MSR_EFER, original | EFER_SVME);
    record = exception_outcome();
    check_general_protection(&record, probe_wrmsr_instruction);
    test_check_equal("EFER afterwards", original, rdmsr(MSR_EFER));
    test_end();
}

void test_msr(void)
{
    test_forbidden_msrs();
    test_efer();
}
