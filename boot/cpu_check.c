/* Reads the CPU's identity and SVM features, prints them as a table and returns
 * whether SVM can be used. See: APM §15.4 (enabling SVM), §15.30.1 (VM_CR). */
#include "boot/cpu_check.h"

#include <string.h>

#include "hv/console.h"
#include "hv/x86.h"

static void read_leaf(uint32_t leaf, uint32_t max_extended, struct cpuid_regs *out)
{
    memset(out, 0, sizeof *out);
    if (leaf > max_extended)
        return;
    struct cpuid_result r = cpuid(leaf, 0);
    *out = (struct cpuid_regs){ r.eax, r.ebx, r.ecx, r.edx };
}

static void log_cpu_identity(void)
{
    struct cpuid_result r = cpuid(0, 0);
    char vendor[13];

    memcpy(vendor + 0, &r.ebx, 4);
    memcpy(vendor + 4, &r.edx, 4);
    memcpy(vendor + 8, &r.ecx, 4);
    vendor[12] = '\0';

    char brand[49] = "";
    if (cpuid(0x80000000u, 0).eax >= 0x80000004u) {
        for (uint32_t i = 0; i < 3; i++) {
            struct cpuid_result b = cpuid(0x80000002u + i, 0);
            memcpy(brand + 16 * i + 0, &b.eax, 4);
            memcpy(brand + 16 * i + 4, &b.ebx, 4);
            memcpy(brand + 16 * i + 8, &b.ecx, 4);
            memcpy(brand + 16 * i + 12, &b.edx, 4);
        }
        brand[48] = '\0';
    }
    const char *trimmed = brand;
    while (*trimmed == ' ')
        trimmed++;
    log_line("cpu", "%s, %s", vendor, *trimmed ? trimmed : "(no brand string)");
}

static void log_feature_table(const struct svm_features *f)
{
    log_line("svm", "SVM (CPUID 8000_0001 ECX[2]):  %s", f->svm ? "yes" : "no");
    if (!f->svm)
        return;
    log_line("svm", "revision %u, %u ASIDs, %u-bit physical addresses",
             (unsigned)f->revision, (unsigned)f->asid_count, f->phys_addr_bits);
    log_line("svm", "CPUID 8000_000A EDX = 0x%08x:", (unsigned)f->edx);
    for (unsigned bit = 0; bit < 32; bit++) {
        const char *name = svm_feature_name(bit);
        if (!name)
            continue;
        log_line("svm", "  %-22s bit %2u  %s", name, bit,
                 (f->edx >> bit) & 1 ? "yes" : "no");
    }
}

enum svm_support cpu_check(struct svm_features *features)
{
    struct cpuid_regs leaf_80000001, leaf_80000008, leaf_8000000a;
    uint32_t max_extended = cpuid(0x80000000u, 0).eax;

    log_cpu_identity();
    read_leaf(0x80000001u, max_extended, &leaf_80000001);
    read_leaf(0x80000008u, max_extended, &leaf_80000008);
    read_leaf(0x8000000au, max_extended, &leaf_8000000a);
    svm_features_decode(features, &leaf_80000001, &leaf_80000008, &leaf_8000000a,
                        max_extended);
    log_feature_table(features);

    /* VM_CR exists only on CPUs with SVM: reading it elsewhere raises #GP. */
    uint64_t vm_cr = 0;
    if (features->svm) {
        vm_cr = rdmsr(MSR_VM_CR);
        log_line("svm", "VM_CR = 0x%llx (SVMDIS=%u, LOCK=%u)", (unsigned long long)vm_cr,
                 (unsigned)((vm_cr & VM_CR_SVMDIS) != 0), (unsigned)((vm_cr & VM_CR_LOCK) != 0));
    }
    return svm_check_support(features, vm_cr);
}
