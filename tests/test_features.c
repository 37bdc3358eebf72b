/* Unit tests for SVM feature decoding and the support verdict (svm/features.c),
 * on the CPUID values QEMU 7.2 reports for its CPU models.
 * See: APM §15.4, §15.5.1, §15.30.1. */
#include "test.h"

#include "svm/features.h"

#define LM_NX_1G (CPUID_80000001_EDX_LONG_MODE | CPUID_80000001_EDX_NX | \
                  CPUID_80000001_EDX_PAGE_1GB)
#define LM_NX    (CPUID_80000001_EDX_LONG_MODE | CPUID_80000001_EDX_NX)
#define SVM      CPUID_80000001_ECX_SVM

/* The 8000_000A values and the SVM bit are as measured under QEMU 7.2 TCG; the
 * other leaves are typical values (40 physical, 48 virtual address bits). */
static const struct cpu_model {
    const char *name;
    uint32_t max_extended_leaf;
    struct cpuid_regs leaf_80000001, leaf_80000008, leaf_8000000a;
    /* expected */
    bool svm, page_1gb;
    uint32_t revision, asid_count, edx;
    bool has_np, has_vgif, has_svme_addr_chk;
    enum svm_support support;
} models[] = {
    { "EPYC", 0x8000001f, { 0, 0, SVM, LM_NX_1G }, { 0x3028, 0, 0, 0 }, { 1, 16, 0, 0x1 },
      true, true, 1, 16, 0x1, true, false, false, SVM_SUPPORTED },
    { "EPYC-Milan", 0x8000001f, { 0, 0, SVM, LM_NX_1G }, { 0x3028, 0, 0, 0 },
      { 1, 16, 0, 0x10000001 }, true, true, 1, 16, 0x10000001, true, false, true,
      SVM_SUPPORTED },
    { "max", 0x8000001f, { 0, 0, SVM, LM_NX_1G }, { 0x3028, 0, 0, 0 },
      { 1, 16, 0, 0x10010001 }, true, true, 1, 16, 0x10010001, true, true, true,
      SVM_SUPPORTED },
    { "qemu64", 0x8000000a, { 0, 0, SVM, LM_NX }, { 0x3028, 0, 0, 0 }, { 1, 16, 0, 0 },
      true, false, 1, 16, 0, false, false, false, SVM_NO_NESTED_PAGING },
    /* 8000_000A is reserved without SVM: whatever it holds is not decoded. */
    { "qemu64,-svm", 0x8000000a, { 0, 0, 0, LM_NX }, { 0x3028, 0, 0, 0 }, { 1, 16, 0, 1 },
      false, false, 0, 0, 0, false, false, false, SVM_ABSENT },
    /* SVM, but the CPU's extended leaves stop before 8000_000A. */
    { "SVM with max leaf 8000_0008", 0x80000008, { 0, 0, SVM, LM_NX }, { 0x3028, 0, 0, 0 },
      { 1, 16, 0, 1 }, true, false, 0, 0, 0, false, false, false, SVM_NO_NESTED_PAGING },
};

TEST(decode_qemu_cpu_models)
{
    for (size_t i = 0; i < sizeof models / sizeof models[0]; i++) {
        const struct cpu_model *m = &models[i];
        struct svm_features f;

        test_row("decode: -cpu %s", m->name);
        svm_features_decode(&f, &m->leaf_80000001, &m->leaf_80000008, &m->leaf_8000000a,
                            m->max_extended_leaf);
        EXPECT_EQ(f.svm, m->svm);
        EXPECT_EQ(f.long_mode, true);
        EXPECT_EQ(f.nx, true);
        EXPECT_EQ(f.page_1gb, m->page_1gb);
        EXPECT_EQ(f.phys_addr_bits, 40);
        EXPECT_EQ(f.virt_addr_bits, 48);
        EXPECT_EQ(f.revision, m->revision);
        EXPECT_EQ(f.asid_count, m->asid_count);
        EXPECT_EQ(f.edx, m->edx);
        EXPECT_EQ(f.has_np, m->has_np);
        EXPECT_EQ(f.has_vgif, m->has_vgif);
        EXPECT_EQ(f.has_svme_addr_chk, m->has_svme_addr_chk);
        /* None of QEMU 7.2's models advertises these. */
        EXPECT_FALSE(f.has_nrips);
        EXPECT_FALSE(f.has_vmcb_clean);
        EXPECT_FALSE(f.has_flush_by_asid);
        EXPECT_FALSE(f.has_decode_assists);
        EXPECT_FALSE(f.has_pause_filter);
        EXPECT_FALSE(f.has_gmet);
        EXPECT_FALSE(f.has_vnmi);
        EXPECT_EQ(svm_check_support(&f, 0), m->support);
    }
}

TEST(decode_without_leaves)
{
    static const struct cpuid_regs every_bit = { 0xffffffff, 0xffffffff, 0xffffffff,
                                                 0xffffffff };
    struct svm_features f;

    test_row("decode: leaves not read (NULL)");
    svm_features_decode(&f, NULL, NULL, NULL, 0x8000001f);
    EXPECT_FALSE(f.svm);
    EXPECT_FALSE(f.long_mode);
    EXPECT_EQ(f.phys_addr_bits, 0);
    EXPECT_EQ(svm_check_support(&f, 0), SVM_ABSENT);

    test_row("decode: no extended leaves at all");
    svm_features_decode(&f, &every_bit, &every_bit, &every_bit, 0x00000007);
    EXPECT_FALSE(f.svm);
    EXPECT_EQ(f.asid_count, 0);
    EXPECT_EQ(f.phys_addr_bits, 0);

    test_row("decode: every bit set");
    svm_features_decode(&f, &every_bit, &every_bit, &every_bit, 0x8000000a);
    EXPECT_TRUE(f.svm && f.long_mode && f.nx && f.page_1gb);
    EXPECT_EQ(f.phys_addr_bits, 0xff);
    EXPECT_EQ(f.virt_addr_bits, 0xff);
    EXPECT_EQ(f.revision, 0xff);
    EXPECT_EQ(f.asid_count, 0xffffffff);
    EXPECT_EQ(f.edx, 0xffffffff);
    EXPECT_TRUE(f.has_np && f.has_nrips && f.has_vmcb_clean && f.has_flush_by_asid &&
                f.has_decode_assists && f.has_pause_filter && f.has_vgif && f.has_gmet &&
                f.has_vnmi && f.has_svme_addr_chk);
}

/* The has_ flags of f, as the EDX bits they stand for. */
static uint32_t flags_as_edx(const struct svm_features *f)
{
    return (f->has_np ? SVM_FEATURE_NP : 0) | (f->has_nrips ? SVM_FEATURE_NRIPS : 0) |
           (f->has_vmcb_clean ? SVM_FEATURE_VMCB_CLEAN : 0) |
           (f->has_flush_by_asid ? SVM_FEATURE_FLUSH_BY_ASID : 0) |
           (f->has_decode_assists ? SVM_FEATURE_DECODE_ASSISTS : 0) |
           (f->has_pause_filter ? SVM_FEATURE_PAUSE_FILTER : 0) |
           (f->has_vgif ? SVM_FEATURE_VGIF : 0) | (f->has_gmet ? SVM_FEATURE_GMET : 0) |
           (f->has_vnmi ? SVM_FEATURE_VNMI : 0) |
           (f->has_svme_addr_chk ? SVM_FEATURE_SVME_ADDR_CHK : 0);
}

TEST(individual_feature_bits)
{
    static const struct {
        unsigned bit;
        uint32_t mask;
    } rows[] = {
        { 0, SVM_FEATURE_NP },          { 3, SVM_FEATURE_NRIPS },
        { 5, SVM_FEATURE_VMCB_CLEAN },  { 6, SVM_FEATURE_FLUSH_BY_ASID },
        { 7, SVM_FEATURE_DECODE_ASSISTS }, { 10, SVM_FEATURE_PAUSE_FILTER },
        { 16, SVM_FEATURE_VGIF },       { 17, SVM_FEATURE_GMET },
        { 25, SVM_FEATURE_VNMI },       { 28, SVM_FEATURE_SVME_ADDR_CHK },
    };
    const struct cpuid_regs leaf_80000001 = { 0, 0, SVM, LM_NX_1G };

    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct cpuid_regs leaf_8000000a = { 1, 16, 0, 1u << rows[i].bit };
        struct svm_features f;

        test_row("EDX bit %u alone sets one flag (%s)", rows[i].bit,
                 svm_feature_name(rows[i].bit));
        EXPECT_EQ(rows[i].mask, 1u << rows[i].bit);
        svm_features_decode(&f, &leaf_80000001, NULL, &leaf_8000000a, 0x8000000a);
        EXPECT_EQ(flags_as_edx(&f), rows[i].mask);
    }
}

TEST(feature_names)
{
    static const struct {
        unsigned bit;
        const char *name;
    } rows[] = {
        { 0, "NP" }, { 3, "NRIPS" }, { 17, "GMET" }, { 5, "VmcbClean" },
        { 15, "VMSAVEvirt" }, { 28, "VmcbAddrCheck" }, { 29, "BusLockThreshold" },
    };
    static const unsigned unnamed[] = { 8, 9, 11, 14, 22, 27, 30, 31, 32, 1000 };
    unsigned named = 0;

    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        test_row("name of EDX bit %u", rows[i].bit);
        EXPECT_TRUE(svm_feature_name(rows[i].bit) != NULL);
        if (svm_feature_name(rows[i].bit) != NULL)
            EXPECT_STR_EQ(svm_feature_name(rows[i].bit), rows[i].name);
    }
    test_row("unnamed EDX bits give NULL");
    for (size_t i = 0; i < sizeof unnamed / sizeof unnamed[0]; i++)
        EXPECT_TRUE(svm_feature_name(unnamed[i]) == NULL);
    test_row("24 named EDX bits");
    for (unsigned bit = 0; bit < 32; bit++)
        named += svm_feature_name(bit) != NULL;
    EXPECT_EQ(named, 24);
}

TEST(support_verdicts)
{
    static const struct {
        const char *name;
        size_t model;
        uint64_t vm_cr;
        enum svm_support expected;
    } rows[] = {
        { "EPYC, VM_CR 0", 0, 0, SVM_SUPPORTED },
        { "EPYC, SVMDIS without LOCK", 0, VM_CR_SVMDIS, SVM_DISABLED_BY_FIRMWARE },
        { "EPYC, SVMDIS with LOCK", 0, VM_CR_SVMDIS | VM_CR_LOCK, SVM_DISABLED_BY_FIRMWARE },
        { "EPYC, LOCK alone", 0, VM_CR_LOCK, SVM_SUPPORTED },
        { "EPYC, DPD, R_INIT, DIS_A20M", 0, VM_CR_DPD | VM_CR_R_INIT | VM_CR_DIS_A20M,
          SVM_SUPPORTED },
        { "EPYC-Milan, VM_CR 0", 1, 0, SVM_SUPPORTED },
        { "max, VM_CR 0", 2, 0, SVM_SUPPORTED },
        { "qemu64, VM_CR 0", 3, 0, SVM_NO_NESTED_PAGING },
        { "qemu64, SVMDIS: the firmware setting comes first", 3, VM_CR_SVMDIS,
          SVM_DISABLED_BY_FIRMWARE },
        { "qemu64,-svm, VM_CR 0", 4, 0, SVM_ABSENT },
        { "qemu64,-svm, VM_CR not read", 4, ~0ull, SVM_ABSENT },
    };

    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const struct cpu_model *m = &models[rows[i].model];
        struct svm_features f;

        test_row("verdict: %s", rows[i].name);
        svm_features_decode(&f, &m->leaf_80000001, &m->leaf_80000008, &m->leaf_8000000a,
                            m->max_extended_leaf);
        EXPECT_EQ(svm_check_support(&f, rows[i].vm_cr), rows[i].expected);
    }
    test_row("VM_CR bit values");
    EXPECT_EQ(MSR_VM_CR, 0xc0010114);
    EXPECT_EQ(VM_CR_DPD | VM_CR_R_INIT | VM_CR_DIS_A20M | VM_CR_LOCK | VM_CR_SVMDIS, 0x1f);
    EXPECT_EQ(VM_CR_LOCK, 0x8);
    EXPECT_EQ(VM_CR_SVMDIS, 0x10);
}

TEST(support_messages)
{
    test_row("message: SVM absent");
    EXPECT_STR_EQ(svm_support_message(SVM_ABSENT),
                  "CPU lacks SVM (CPUID 8000_0001 ECX[2]=0): minisvm needs an AMD CPU "
                  "with AMD-V; under QEMU use -cpu EPYC");
    test_row("message: SVM disabled by firmware");
    EXPECT_STR_EQ(svm_support_message(SVM_DISABLED_BY_FIRMWARE),
                  "SVM disabled by firmware (VM_CR.SVMDIS=1): enable SVM (\"SVM Mode\"/"
                  "\"AMD-V\") in the firmware setup");
    test_row("message: no nested paging");
    EXPECT_STR_EQ(svm_support_message(SVM_NO_NESTED_PAGING),
                  "CPU lacks nested paging (CPUID 8000_000A EDX[0]=0): minisvm needs NPT; "
                  "under QEMU use -cpu EPYC");
    test_row("message: key words");
    EXPECT_TRUE(strstr(svm_support_message(SVM_ABSENT), "SVM") != NULL);
    EXPECT_TRUE(strstr(svm_support_message(SVM_DISABLED_BY_FIRMWARE), "SVM") != NULL);
    EXPECT_TRUE(strstr(svm_support_message(SVM_NO_NESTED_PAGING), "nested paging") != NULL);
    EXPECT_TRUE(strstr(svm_support_message(SVM_SUPPORTED), "SVM") != NULL);
    EXPECT_TRUE(svm_support_message((enum svm_support)42) != NULL);
}

TEST(guest_asids)
{
    static const struct {
        uint32_t asid_count, guest_asids;
    } rows[] = { { 16, 15 }, { 32768, 32767 }, { 2, 1 }, { 1, 0 }, { 0, 0 } };

    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct svm_features f = { .svm = true, .asid_count = rows[i].asid_count };

        test_row("ASIDs: count %u", (unsigned)rows[i].asid_count);
        EXPECT_EQ(svm_guest_asid_count(&f), rows[i].guest_asids);
        EXPECT_FALSE(svm_asid_is_valid_for_guest(&f, 0));
        EXPECT_FALSE(svm_asid_is_valid_for_guest(&f, rows[i].asid_count));
        EXPECT_EQ(svm_asid_is_valid_for_guest(&f, 1), rows[i].asid_count >= 2);
        if (rows[i].asid_count >= 2)
            EXPECT_TRUE(svm_asid_is_valid_for_guest(&f, rows[i].asid_count - 1));
    }
}
