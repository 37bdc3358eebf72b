/* CPUID as minisvm presents it: SVM hidden, the hypervisor leaf 0x40000000 saying
 * "minisvm", the host's vendor string passed through.
 * See: APM Vol. 3 Appendix E (CPUID Fn0000_0000, Fn8000_0001 ECX[2] SVM), design.md §3. */
#include "guest/string.h"
#include "guest/test.h"
#include "guest/tests/tests.h"
#include "guest/x86.h"

#define CPUID_SVM_BIT (1u << 2)            /* Fn8000_0001 ECX[2] */
#define HYPERVISOR_LEAF 0x40000000u

static void copy_register(char *destination, uint32_t value)
{
    memcpy(destination, &value, 4);
}

void test_cpuid(void)
{
    struct cpuid_result result;

    test_begin("cpuid: SVM is hidden (Fn8000_0001 ECX[2] = 0)");
    result = cpuid(0x80000001u, 0);
    test_check_equal("ECX & SVM", 0, result.ecx & CPUID_SVM_BIT);
    test_end();

    test_begin("cpuid: leaf 0x40000000 says \"minisvm\" and EAX >= 0x40000000");
    result = cpuid(HYPERVISOR_LEAF, 0);
    char signature[12];
    copy_register(signature + 0, result.ebx);
    copy_register(signature + 4, result.ecx);
    copy_register(signature + 8, result.edx);
    static const char expected_signature[12] = "minisvm\0\0\0\0";
    test_check(memcmp(signature, expected_signature, sizeof signature) == 0,
               "signature EBX,ECX,EDX = 0x%08x 0x%08x 0x%08x, expected \"minisvm\" + 5 NULs",
               result.ebx, result.ecx, result.edx);
    test_check(result.eax >= HYPERVISOR_LEAF, "EAX (highest hypervisor leaf) = 0x%x < 0x40000000",
               result.eax);
    test_end();

    /* The vendor is the host's (under QEMU EPYC "AuthenticAMD"): not hard-coded,
     * only checked to be twelve printable characters, not all blank. */
    test_begin("cpuid: leaf 0 vendor string is twelve printable characters");
    result = cpuid(0, 0);
    char vendor[13];
    copy_register(vendor + 0, result.ebx);
    copy_register(vendor + 4, result.edx);
    copy_register(vendor + 8, result.ecx);
    vendor[12] = '\0';
    bool printable = true, blank = true;
    for (int i = 0; i < 12; i++) {
        if (vendor[i] < 0x20 || vendor[i] > 0x7e)
            printable = false;
        if (vendor[i] != ' ')
            blank = false;
    }
    printable = printable && !blank;
    test_check(printable, "vendor EBX,EDX,ECX = 0x%08x 0x%08x 0x%08x is not printable",
               result.ebx, result.edx, result.ecx);
    test_check(result.eax >= 1, "highest standard leaf 0x%x < 1", result.eax);
    if (printable)
        test_note("vendor \"%s\", highest standard leaf 0x%x", vendor, result.eax);
    test_end();
}
