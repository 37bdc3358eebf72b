/* Decoding the CPU's SVM support from raw CPUID and VM_CR values, and the
 * verdict minisvm acts on (the caller executes CPUID and RDMSR).
 * See: APM §15.4 (enabling SVM), §15.5.1 (CPUID Fn8000_000A), §15.30.1 (VM_CR). */
#ifndef SVM_FEATURES_H
#define SVM_FEATURES_H

#include <stdbool.h>
#include <stdint.h>

struct cpuid_regs {
    uint32_t eax, ebx, ecx, edx;
};

/* CPUID leaves: 8000_0000 EAX gives the highest extended leaf. */
#define CPUID_EXT_MAX_LEAF        0x80000000u
#define CPUID_EXT_FEATURES        0x80000001u
#define CPUID_EXT_ADDRESS_SIZES   0x80000008u
#define CPUID_SVM_FEATURES        0x8000000au

/* CPUID Fn8000_0001 bits (APM Vol. 3, Appendix E). */
#define CPUID_80000001_ECX_SVM       (1u << 2)
#define CPUID_80000001_EDX_NX        (1u << 20)
#define CPUID_80000001_EDX_PAGE_1GB  (1u << 26)
#define CPUID_80000001_EDX_LONG_MODE (1u << 29)

/* CPUID Fn8000_000A EDX: optional SVM features (svm-reference §1.5). */
#define SVM_FEATURE_NP                   (1u << 0)
#define SVM_FEATURE_LBRV                 (1u << 1)
#define SVM_FEATURE_SVML                 (1u << 2)
#define SVM_FEATURE_NRIPS                (1u << 3)
#define SVM_FEATURE_TSC_RATE_MSR         (1u << 4)
#define SVM_FEATURE_VMCB_CLEAN           (1u << 5)
#define SVM_FEATURE_FLUSH_BY_ASID        (1u << 6)
#define SVM_FEATURE_DECODE_ASSISTS       (1u << 7)
#define SVM_FEATURE_PAUSE_FILTER         (1u << 10)
#define SVM_FEATURE_PAUSE_FILTER_THRESHOLD (1u << 12)
#define SVM_FEATURE_AVIC                 (1u << 13)
#define SVM_FEATURE_V_VMSAVE_VMLOAD      (1u << 15)
#define SVM_FEATURE_VGIF                 (1u << 16)
#define SVM_FEATURE_GMET                 (1u << 17)
#define SVM_FEATURE_X2AVIC               (1u << 18)
#define SVM_FEATURE_SSS_CHECK            (1u << 19)
#define SVM_FEATURE_V_SPEC_CTRL          (1u << 20)
#define SVM_FEATURE_ROGPT                (1u << 21)
#define SVM_FEATURE_HOST_MCE_OVERRIDE    (1u << 23)
#define SVM_FEATURE_TLBICTL              (1u << 24)
#define SVM_FEATURE_VNMI                 (1u << 25)
#define SVM_FEATURE_IBS_VIRT             (1u << 26)
#define SVM_FEATURE_SVME_ADDR_CHK        (1u << 28)
#define SVM_FEATURE_BUS_LOCK_THRESHOLD   (1u << 29)

/* VM_CR MSR: how the firmware can lock SVM away. APM §15.30.1. */
#define MSR_VM_CR          0xc0010114u
#define VM_CR_DPD          (1ull << 0)   /* disable debug port */
#define VM_CR_R_INIT       (1ull << 1)   /* INIT becomes #SX */
#define VM_CR_DIS_A20M     (1ull << 2)   /* A20 masking disabled */
#define VM_CR_LOCK         (1ull << 3)   /* SVMDIS is read-only */
#define VM_CR_SVMDIS       (1ull << 4)   /* EFER.SVME cannot be set */

struct svm_features {
    /* CPUID Fn8000_0001 */
    bool svm;
    bool long_mode;
    bool nx;
    bool page_1gb;
    /* CPUID Fn8000_0008 EAX; 0 when the leaf is absent */
    unsigned phys_addr_bits;
    unsigned virt_addr_bits;
    /* CPUID Fn8000_000A; all 0 when SVM or the leaf is absent */
    uint32_t revision;     /* EAX[7:0] */
    uint32_t asid_count;   /* EBX: ASIDs including ASID 0, the host's */
    uint32_t edx;          /* raw feature bits, for logging */
    bool has_np;
    bool has_nrips;
    bool has_vmcb_clean;
    bool has_flush_by_asid;
    bool has_decode_assists;
    bool has_pause_filter;
    bool has_vgif;
    bool has_gmet;
    bool has_vnmi;
    bool has_svme_addr_chk;
};

/* Any leaf pointer may be NULL when the caller did not read it; leaves above
 * max_extended_leaf (CPUID 8000_0000 EAX) are ignored, their fields left 0. */
void svm_features_decode(struct svm_features *f, const struct cpuid_regs *leaf_80000001,
                         const struct cpuid_regs *leaf_80000008,
                         const struct cpuid_regs *leaf_8000000a,
                         uint32_t max_extended_leaf);

/* Short name of CPUID Fn8000_000A EDX bit edx_bit, or NULL for unnamed bits. */
const char *svm_feature_name(unsigned edx_bit);

enum svm_support {
    SVM_SUPPORTED,
    SVM_ABSENT,
    SVM_DISABLED_BY_FIRMWARE,
    SVM_NO_NESTED_PAGING,
};

/* vm_cr is the value of MSR_VM_CR; it is only looked at when f->svm, so a
 * caller that skipped RDMSR on a CPU without SVM (where it may #GP) passes 0. */
enum svm_support svm_check_support(const struct svm_features *f, uint64_t vm_cr);

/* What is wrong and what to do about it, for the console; never NULL. */
const char *svm_support_message(enum svm_support support);

/* Guest ASIDs are 1 .. asid_count - 1: ASID 0 is the host's. */
uint32_t svm_guest_asid_count(const struct svm_features *f);
bool svm_asid_is_valid_for_guest(const struct svm_features *f, uint32_t asid);

#endif
