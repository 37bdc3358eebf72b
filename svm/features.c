/* Decoding the CPU's SVM support and turning it into a verdict with a message
 * that names the cause and the fix.
 * See: APM §15.4, §15.5.1, §15.30.1; svm-reference §1.5. */
#include "svm/features.h"

#include <stddef.h>
#include <string.h>

void svm_features_decode(struct svm_features *f, const struct cpuid_regs *leaf_80000001,
                         const struct cpuid_regs *leaf_80000008,
                         const struct cpuid_regs *leaf_8000000a,
                         uint32_t max_extended_leaf)
{
    memset(f, 0, sizeof *f);

    /* Below 8000_0000 the "max leaf" is garbage from a CPU without extended
     * leaves; the comparisons below then fail as they should. */
    if (leaf_80000001 != NULL && max_extended_leaf >= CPUID_EXT_FEATURES) {
        f->svm = (leaf_80000001->ecx & CPUID_80000001_ECX_SVM) != 0;
        f->nx = (leaf_80000001->edx & CPUID_80000001_EDX_NX) != 0;
        f->page_1gb = (leaf_80000001->edx & CPUID_80000001_EDX_PAGE_1GB) != 0;
        f->long_mode = (leaf_80000001->edx & CPUID_80000001_EDX_LONG_MODE) != 0;
    }

    if (leaf_80000008 != NULL && max_extended_leaf >= CPUID_EXT_ADDRESS_SIZES) {
        f->phys_addr_bits = leaf_80000008->eax & 0xff;
        f->virt_addr_bits = (leaf_80000008->eax >> 8) & 0xff;
    }

    /* Fn8000_000A is reserved on a CPU without SVM: its values mean nothing. */
    if (!f->svm || leaf_8000000a == NULL || max_extended_leaf < CPUID_SVM_FEATURES)
        return;
    f->revision = leaf_8000000a->eax & 0xff;
    f->asid_count = leaf_8000000a->ebx;
    f->edx = leaf_8000000a->edx;
    f->has_np = (f->edx & SVM_FEATURE_NP) != 0;
    f->has_nrips = (f->edx & SVM_FEATURE_NRIPS) != 0;
    f->has_vmcb_clean = (f->edx & SVM_FEATURE_VMCB_CLEAN) != 0;
    f->has_flush_by_asid = (f->edx & SVM_FEATURE_FLUSH_BY_ASID) != 0;
    f->has_decode_assists = (f->edx & SVM_FEATURE_DECODE_ASSISTS) != 0;
    f->has_pause_filter = (f->edx & SVM_FEATURE_PAUSE_FILTER) != 0;
    f->has_vgif = (f->edx & SVM_FEATURE_VGIF) != 0;
    f->has_gmet = (f->edx & SVM_FEATURE_GMET) != 0;
    f->has_vnmi = (f->edx & SVM_FEATURE_VNMI) != 0;
    f->has_svme_addr_chk = (f->edx & SVM_FEATURE_SVME_ADDR_CHK) != 0;
}

/* Bits 2 (SVML), 5 (VmcbClean), 6 (FlushByAsid), 7 (DecodeAssists) and
 * 26 (IbsVirt) come from secondary public CPUID decoders, not from APM Vol. 3
 * or Linux (UNVERIFIED, svm-reference §8 item 9); only the names depend on it. */
static const char *const feature_names[32] = {
    [0] = "NP",
    [1] = "LbrVirt",
    [2] = "SVML",
    [3] = "NRIPS",
    [4] = "TscRateMsr",
    [5] = "VmcbClean",
    [6] = "FlushByAsid",
    [7] = "DecodeAssists",
    [10] = "PauseFilter",
    [12] = "PauseFilterThreshold",
    [13] = "AVIC",
    [15] = "VMSAVEvirt",
    [16] = "VGIF",
    [17] = "GMET",
    [18] = "x2AVIC",
    [19] = "SSSCheck",
    [20] = "SpecCtrl",
    [21] = "ROGPT",
    [23] = "HostMceOverride",
    [24] = "TlbiCtl",
    [25] = "VNMI",
    [26] = "IbsVirt",
    [28] = "VmcbAddrCheck",
    [29] = "BusLockThreshold",
};

const char *svm_feature_name(unsigned edx_bit)
{
    if (edx_bit >= 32)
        return NULL;
    return feature_names[edx_bit];
}

enum svm_support svm_check_support(const struct svm_features *f, uint64_t vm_cr)
{
    if (!f->svm)
        return SVM_ABSENT;
    /* With LOCK=1 only the firmware can clear SVMDIS again. With LOCK=0 software
     * could clear it, but the firmware turned SVM off on purpose, so minisvm
     * refuses either way and leaves the decision to the firmware setup.
     * APM §15.30.1. */
    if (vm_cr & VM_CR_SVMDIS)
        return SVM_DISABLED_BY_FIRMWARE;
    /* minisvm keeps guests apart with nested page tables only; it has no
     * shadow paging to fall back to. */
    if (!f->has_np)
        return SVM_NO_NESTED_PAGING;
    return SVM_SUPPORTED;
}

const char *svm_support_message(enum svm_support support)
{
    switch (support) {
    case SVM_SUPPORTED:
        return "SVM with nested paging is available";
    case SVM_ABSENT:
        return "CPU lacks SVM (CPUID 8000_0001 ECX[2]=0): minisvm needs an AMD CPU with "
               "AMD-V; under QEMU use -cpu EPYC";
    case SVM_DISABLED_BY_FIRMWARE:
        return "SVM disabled by firmware (VM_CR.SVMDIS=1): enable SVM (\"SVM Mode\"/"
               "\"AMD-V\") in the firmware setup";
    case SVM_NO_NESTED_PAGING:
        return "CPU lacks nested paging (CPUID 8000_000A EDX[0]=0): minisvm needs NPT; "
               "under QEMU use -cpu EPYC";
    }
    return "unknown SVM support verdict (a bug in minisvm)";
}

/* Using an ASID at or above the count is unverified hardware territory
 * (svm-reference §8 item 6); minisvm never goes there. */
uint32_t svm_guest_asid_count(const struct svm_features *f)
{
    return f->asid_count > 1 ? f->asid_count - 1 : 0;
}

bool svm_asid_is_valid_for_guest(const struct svm_features *f, uint32_t asid)
{
    return asid >= 1 && asid < f->asid_count;
}
