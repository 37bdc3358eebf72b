/* Unit tests for svm/vmcb_check.c: a flat 64-bit guest VMCB passes, and breaking
 * one field makes exactly the rule for that field fail, while the accepted
 * neighbours of each rule pass. See: APM §15.5.1, §15.20, §15.25.4. */
#include "test.h"

#include "svm/vmcb_check.h"

#define EFER_LME        (UINT64_C(1) << 8)
#define EFER_LMA        (UINT64_C(1) << 10)
#define EFER_SVME       (UINT64_C(1) << 12)
#define CR0_PE          (UINT64_C(1) << 0)
#define CR0_WP          (UINT64_C(1) << 16)
#define CR0_NW          (UINT64_C(1) << 29)
#define CR0_CD          (UINT64_C(1) << 30)
#define CR0_PG          (UINT64_C(1) << 31)
#define CR4_PAE         (UINT64_C(1) << 5)
#define CR4_CET         (UINT64_C(1) << 23)
#define BIT(n)          (UINT64_C(1) << (n))
#define PHYS_BITS       48
#define PHYS_LIMIT      (UINT64_C(1) << PHYS_BITS)

static struct vmcb vmcb;
static struct vmcb_check_env env;

/* The flat 64-bit guest minisvm starts (long mode, CPL 0, flat segments, NP)
 * on a CPU like QEMU's EPYC model: NP, no FlushByAsid, 16 ASIDs, 48 physical
 * address bits. */
static void make_baseline(void)
{
    struct vmcb_control_area *control = &vmcb.control;
    struct vmcb_save_area *save = &vmcb.save;
    struct vmcb_seg data = { 0x10, 0x0c93, 0xffffffff, 0 };

    memset(&vmcb, 0, sizeof vmcb);
    vmcb_set_intercept(control, INTERCEPT_VMRUN);
    vmcb_set_intercept(control, INTERCEPT_VMMCALL);
    vmcb_set_intercept(control, INTERCEPT_HLT);
    vmcb_set_intercept(control, INTERCEPT_SHUTDOWN);
    vmcb_set_intercept(control, INTERCEPT_CPUID);
    vmcb_set_intercept(control, INTERCEPT_INTR);
    vmcb_set_intercept(control, INTERCEPT_NMI);
    vmcb_set_intercept(control, INTERCEPT_IOIO_PROT);
    vmcb_set_intercept(control, INTERCEPT_MSR_PROT);
    control->iopm_base_pa = 0x100000;
    control->msrpm_base_pa = 0x104000;
    control->asid = 1;
    control->tlb_ctl = TLB_CONTROL_FLUSH_ALL_ASID;
    control->int_ctl = V_INTR_MASKING_MASK;
    control->misc_ctl = SVM_MISC_ENABLE_NP;
    control->nested_cr3 = 0x200000;

    save->efer = EFER_SVME | EFER_LMA | EFER_LME;
    save->cr0 = 0x80050033;
    save->cr4 = 0x620;
    save->cr3 = 0x1000;
    save->cs = (struct vmcb_seg){ 0x08, 0x0a9b, 0xffffffff, 0 };
    save->ss = data;
    save->ds = data;
    save->es = data;
    save->cpl = 0;
    save->rflags = 0x2;
    save->rip = 0x100000;
    save->rsp = 0x2000000;
    save->dr7 = 0x400;
    save->dr6 = 0xffff0ff0;
    save->g_pat = 0x0007040600070406;

    env = (struct vmcb_check_env){
        .has_np = true,
        .has_flush_by_asid = false,
        .asid_count = 16,
        .phys_addr_bits = PHYS_BITS,
        .efer_mbz_mask = 0xffffffffffff0200,   /* bit 9 and 63:16, as KVM's tests use */
        .cr4_mbz_mask = 0xfffffffffe08e000,    /* long-mode mask of KVM's tests */
    };
}

/* One change to the baseline: on the save area, the control area or the CPU. */
struct check_case {
    const char *description;
    void (*change)(struct vmcb_control_area *control, struct vmcb_save_area *save,
                   struct vmcb_check_env *env);
    const char *expected_rule;   /* NULL: the VMCB must pass */
};

#define CHANGE(name, body)                                                         \
    static void name(struct vmcb_control_area *control, struct vmcb_save_area *save, \
                     struct vmcb_check_env *env)                                   \
    {                                                                              \
        (void)control;                                                             \
        (void)save;                                                                \
        (void)env;                                                                 \
        body;                                                                      \
    }

CHANGE(nothing, {})
CHANGE(svme_clear, save->efer &= ~EFER_SVME)
CHANGE(nw_without_cd, save->cr0 |= CR0_NW)
CHANGE(cd_without_nw, save->cr0 |= CR0_CD)
CHANGE(cd_and_nw, save->cr0 |= CR0_CD | CR0_NW)
CHANGE(cr0_bit_32, save->cr0 |= BIT(32))
CHANGE(cr0_bit_63, save->cr0 |= BIT(63))
CHANGE(cr3_bit_52, save->cr3 |= BIT(52))
CHANGE(cr3_bit_63, save->cr3 |= BIT(63))
CHANGE(cr3_bit_48, save->cr3 |= BIT(48))
CHANGE(cr3_bit_47, save->cr3 |= BIT(47))
CHANGE(cr3_low_reserved_bits, save->cr3 |= 0xfe7)
CHANGE(cr3_bit_52_legacy_mode, {
    save->efer = EFER_SVME;
    save->cr3 |= BIT(52);
})
CHANGE(cr4_bit_13, save->cr4 |= BIT(13))
CHANGE(cr4_bit_63, save->cr4 |= BIT(63))
CHANGE(cr4_bit_13_allowed, {
    save->cr4 |= BIT(13);
    env->cr4_mbz_mask &= ~BIT(13);
})
CHANGE(cet_without_wp, {
    save->cr4 |= CR4_CET;
    save->cr0 &= ~CR0_WP;
})
CHANGE(cet_with_wp, save->cr4 |= CR4_CET)
CHANGE(dr6_bit_32, save->dr6 |= BIT(32))
CHANGE(dr7_bit_63, save->dr7 |= BIT(63))
CHANGE(efer_bit_9, save->efer |= BIT(9))
CHANGE(efer_bit_16, save->efer |= BIT(16))
CHANGE(efer_nxe, save->efer |= BIT(11))
CHANGE(no_pae, save->cr4 &= ~CR4_PAE)
CHANGE(no_pe, save->cr0 &= ~CR0_PE)
CHANGE(paged_real_mode, {
    save->efer = EFER_SVME;
    save->cr0 &= ~CR0_PE;
})
CHANGE(cs_l_and_d, save->cs.attrib |= SVM_SELECTOR_DB_MASK)
CHANGE(cs_l_and_d_legacy_mode, {
    save->efer = EFER_SVME;
    save->cs.attrib |= SVM_SELECTOR_DB_MASK;
})
CHANGE(cs_compatibility_mode, save->cs.attrib = 0x0c9b)
CHANGE(no_vmrun_intercept, vmcb_clear_intercept(control, INTERCEPT_VMRUN))
CHANGE(msrpm_last_byte_at_limit, control->msrpm_base_pa = PHYS_LIMIT - 0x1000)
CHANGE(msrpm_last_byte_below_limit, control->msrpm_base_pa = PHYS_LIMIT - 0x2000)
CHANGE(msrpm_ignored_low_bits, control->msrpm_base_pa = PHYS_LIMIT - 0x2000 + 0xfff)
CHANGE(msrpm_at_top_of_address_space, control->msrpm_base_pa = UINT64_MAX)
CHANGE(iopm_last_byte_at_limit, control->iopm_base_pa = PHYS_LIMIT - 0x2000)
CHANGE(iopm_last_byte_below_limit, control->iopm_base_pa = PHYS_LIMIT - 0x3000)
CHANGE(event_type_1, control->event_inj = SVM_EVTINJ_VALID | (1u << 8) | 32)
CHANGE(event_type_5, control->event_inj = SVM_EVTINJ_VALID | (5u << 8) | 32)
CHANGE(event_type_7, control->event_inj = SVM_EVTINJ_VALID | (7u << 8) | 32)
CHANGE(event_type_1_not_valid, control->event_inj = (1u << 8) | 32)
CHANGE(event_exception_vector_2, control->event_inj = SVM_EVTINJ_VALID | SVM_EVTINJ_TYPE_EXEPT | 2)
CHANGE(event_exception_vector_32, control->event_inj = SVM_EVTINJ_VALID | SVM_EVTINJ_TYPE_EXEPT | 32)
CHANGE(event_exception_page_fault, {
    control->event_inj = SVM_EVTINJ_VALID | SVM_EVTINJ_VALID_ERR | SVM_EVTINJ_TYPE_EXEPT | 14;
    control->event_inj_err = 2;
})
CHANGE(event_nmi, control->event_inj = SVM_EVTINJ_VALID | SVM_EVTINJ_TYPE_NMI | 2)
CHANGE(event_interrupt_vector_32, control->event_inj = SVM_EVTINJ_VALID | SVM_EVTINJ_TYPE_INTR | 32)
CHANGE(event_software_interrupt, control->event_inj = SVM_EVTINJ_VALID | SVM_EVTINJ_TYPE_SOFT | 0x80)
CHANGE(event_br_64bit, control->event_inj = SVM_EVTINJ_VALID | SVM_EVTINJ_TYPE_EXEPT | 5)
CHANGE(event_br_compatibility_mode, {
    control->event_inj = SVM_EVTINJ_VALID | SVM_EVTINJ_TYPE_EXEPT | 5;
    save->cs.attrib = 0x0c9b;
})
CHANGE(event_bit_12, control->event_inj = SVM_EVTINJ_VALID | SVM_EVTINJ_TYPE_INTR | BIT(12) | 32)
CHANGE(event_bit_30_not_valid, control->event_inj = (uint32_t)BIT(30))
CHANGE(asid_0, control->asid = 0)
CHANGE(asid_16, control->asid = 16)
CHANGE(asid_15, control->asid = 15)
CHANGE(tlb_0, control->tlb_ctl = TLB_CONTROL_DO_NOTHING)
CHANGE(tlb_2, control->tlb_ctl = 2)
CHANGE(tlb_ff, control->tlb_ctl = 0xff)
CHANGE(tlb_3, control->tlb_ctl = TLB_CONTROL_FLUSH_ASID)
CHANGE(tlb_7, control->tlb_ctl = TLB_CONTROL_FLUSH_ASID_LOCAL)
CHANGE(tlb_3_with_flush_by_asid, {
    control->tlb_ctl = TLB_CONTROL_FLUSH_ASID;
    env->has_flush_by_asid = true;
})
CHANGE(tlb_7_with_flush_by_asid, {
    control->tlb_ctl = TLB_CONTROL_FLUSH_ASID_LOCAL;
    env->has_flush_by_asid = true;
})
CHANGE(np_without_feature, env->has_np = false)
CHANGE(no_np_without_feature, {
    control->misc_ctl = 0;
    env->has_np = false;
})
CHANGE(ncr3_bit_48, control->nested_cr3 |= BIT(48))
CHANGE(ncr3_bit_63, control->nested_cr3 |= BIT(63))
CHANGE(ncr3_pwt_pcd, control->nested_cr3 |= 0x18)
CHANGE(ncr3_bit_48_without_np, {
    control->misc_ctl = 0;
    control->nested_cr3 |= BIT(48);
})
CHANGE(g_pat_type_2, save->g_pat = 0x0007040600070402)
CHANGE(g_pat_type_3_top_byte, save->g_pat = 0x0307040600070406)
CHANGE(g_pat_reserved_bit, save->g_pat = 0x0007040600070416)
CHANGE(g_pat_all_wb, save->g_pat = 0x0606060606060606)
CHANGE(g_pat_invalid_without_np, {
    control->misc_ctl = 0;
    save->g_pat = 0x0202020202020202;
})
CHANGE(sss_without_np, control->misc_ctl = SVM_MISC_ENABLE_SSS_CHECK)
CHANGE(sss_with_np, control->misc_ctl |= SVM_MISC_ENABLE_SSS_CHECK)
CHANGE(gmet_with_np, control->misc_ctl |= SVM_MISC_ENABLE_GMET)
CHANGE(vnmi_without_nmi_intercept, {
    control->int_ctl |= V_NMI_ENABLE_MASK;
    vmcb_clear_intercept(control, INTERCEPT_NMI);
})
CHANGE(vnmi_with_nmi_intercept, control->int_ctl |= V_NMI_ENABLE_MASK)
CHANGE(x2avic_without_avic, control->int_ctl |= X2APIC_MODE_MASK)
CHANGE(x2avic_with_avic, control->int_ctl |= X2APIC_MODE_MASK | AVIC_ENABLE_MASK)
CHANGE(cpl_3_dpl_0, save->cpl = 3)
CHANGE(cpl_3_dpl_3, {
    save->cpl = 3;
    save->cs.attrib |= 3u << SVM_SELECTOR_DPL_SHIFT;
})
CHANGE(cpl_0_dpl_3, save->cs.attrib |= 3u << SVM_SELECTOR_DPL_SHIFT)
CHANGE(cpl_3_conforming_dpl_0, {
    save->cpl = 3;
    save->cs.attrib = 0x0a9f;
})
CHANGE(cpl_0_conforming_dpl_3, {
    save->cs.attrib = 0x0a9f | (3u << SVM_SELECTOR_DPL_SHIFT);
})
CHANGE(cpl_3_real_mode, {
    save->efer = EFER_SVME;
    save->cr0 &= ~(CR0_PG | CR0_PE);
    save->cpl = 3;
})

static const struct check_case check_cases[] = {
    { "baseline flat 64-bit guest", nothing, NULL },
    { "EFER.SVME=0", svme_clear, "EFER.SVME=0" },
    { "CR0.NW=1, CD=0", nw_without_cd, "CR0.NW=1 with CD=0" },
    { "CR0.CD=1, NW=0 is accepted", cd_without_nw, NULL },
    { "CR0.CD=1, NW=1 is accepted", cd_and_nw, NULL },
    { "CR0 bit 32", cr0_bit_32, "CR0[63:32] not zero" },
    { "CR0 bit 63", cr0_bit_63, "CR0[63:32] not zero" },
    { "CR3 bit 52 in long mode", cr3_bit_52, "CR3[63:52] not zero in long mode" },
    { "CR3 bit 63 in long mode", cr3_bit_63, "CR3[63:52] not zero in long mode" },
    { "CR3 bit 48 with MAXPHYADDR 48", cr3_bit_48, "CR3 above MAXPHYADDR in long mode" },
    { "CR3 bit 47 with MAXPHYADDR 48 is accepted", cr3_bit_47, NULL },
    { "CR3 low reserved bits are accepted", cr3_low_reserved_bits, NULL },
    { "CR3 bit 52 outside long mode is accepted", cr3_bit_52_legacy_mode, NULL },
    { "CR4 bit 13", cr4_bit_13, "CR4 reserved bit set" },
    { "CR4 bit 63", cr4_bit_63, "CR4 reserved bit set" },
    { "CR4 bit 13 on a CPU that has it is accepted", cr4_bit_13_allowed, NULL },
    { "CR4.CET=1, CR0.WP=0", cet_without_wp, "CR4.CET=1 with CR0.WP=0" },
    { "CR4.CET=1, CR0.WP=1 is accepted", cet_with_wp, NULL },
    { "DR6 bit 32", dr6_bit_32, "DR6[63:32] not zero" },
    { "DR7 bit 63", dr7_bit_63, "DR7[63:32] not zero" },
    { "EFER bit 9", efer_bit_9, "EFER reserved bit set" },
    { "EFER bit 16", efer_bit_16, "EFER reserved bit set" },
    { "EFER.NXE is accepted", efer_nxe, NULL },
    { "long mode without CR4.PAE", no_pae, "EFER.LME=1 and CR0.PG=1 with CR4.PAE=0" },
    { "long mode without CR0.PE", no_pe, "EFER.LME=1 and CR0.PG=1 with CR0.PE=0" },
    { "paged real mode (PG=1, PE=0, LME=0) is accepted", paged_real_mode, NULL },
    { "64-bit CS with D=1", cs_l_and_d, "EFER.LME, CR0.PG, CR4.PAE, CS.L and CS.D all 1" },
    { "CS L=1 D=1 outside long mode is accepted", cs_l_and_d_legacy_mode, NULL },
    { "32-bit compatibility-mode CS is accepted", cs_compatibility_mode, NULL },
    { "VMRUN intercept clear", no_vmrun_intercept, "VMRUN intercept clear" },
    { "MSRPM last byte at 2^MAXPHYADDR", msrpm_last_byte_at_limit, "MSRPM beyond MAXPHYADDR" },
    { "MSRPM last byte just below 2^MAXPHYADDR", msrpm_last_byte_below_limit, NULL },
    { "MSRPM address bits 11:0 are ignored", msrpm_ignored_low_bits, NULL },
    { "MSRPM at the top of the address space", msrpm_at_top_of_address_space,
      "MSRPM beyond MAXPHYADDR" },
    { "IOPM last byte at 2^MAXPHYADDR", iopm_last_byte_at_limit, "IOPM beyond MAXPHYADDR" },
    { "IOPM last byte just below 2^MAXPHYADDR", iopm_last_byte_below_limit, NULL },
    { "EVENTINJ type 1", event_type_1, "EVENTINJ reserved type" },
    { "EVENTINJ type 5", event_type_5, "EVENTINJ reserved type" },
    { "EVENTINJ type 7", event_type_7, "EVENTINJ reserved type" },
    { "EVENTINJ type 1 with V=0 is accepted", event_type_1_not_valid, NULL },
    { "EVENTINJ exception vector 2", event_exception_vector_2,
      "EVENTINJ exception with vector 2 or above 31" },
    { "EVENTINJ exception vector 32", event_exception_vector_32,
      "EVENTINJ exception with vector 2 or above 31" },
    { "EVENTINJ #PF with error code is accepted", event_exception_page_fault, NULL },
    { "EVENTINJ NMI (type 2) is accepted", event_nmi, NULL },
    { "EVENTINJ external interrupt 32 is accepted", event_interrupt_vector_32, NULL },
    { "EVENTINJ INT 0x80 is accepted", event_software_interrupt, NULL },
    { "EVENTINJ #BR into 64-bit code", event_br_64bit, "EVENTINJ #BR in 64-bit mode" },
    { "EVENTINJ #BR into compatibility mode is accepted", event_br_compatibility_mode, NULL },
    { "EVENTINJ bit 12", event_bit_12, "EVENTINJ bits 30:12 not zero" },
    { "EVENTINJ bit 30 with V=0", event_bit_30_not_valid, "EVENTINJ bits 30:12 not zero" },
    { "ASID 0", asid_0, "ASID=0" },
    { "ASID 16 of 16", asid_16, "ASID not below the CPU's ASID count" },
    { "ASID 15 of 16 is accepted", asid_15, NULL },
    { "TLB_CONTROL 0 is accepted", tlb_0, NULL },
    { "TLB_CONTROL 2", tlb_2, "TLB_CONTROL reserved encoding" },
    { "TLB_CONTROL 0xff", tlb_ff, "TLB_CONTROL reserved encoding" },
    { "TLB_CONTROL 3 without FlushByAsid", tlb_3, "TLB_CONTROL 3 or 7 without FlushByAsid" },
    { "TLB_CONTROL 7 without FlushByAsid", tlb_7, "TLB_CONTROL 3 or 7 without FlushByAsid" },
    { "TLB_CONTROL 3 with FlushByAsid is accepted", tlb_3_with_flush_by_asid, NULL },
    { "TLB_CONTROL 7 with FlushByAsid is accepted", tlb_7_with_flush_by_asid, NULL },
    { "NP on a CPU without NP", np_without_feature, "NP enabled without the NP feature" },
    { "NP off on a CPU without NP is accepted", no_np_without_feature, NULL },
    { "nCR3 bit 48 with MAXPHYADDR 48", ncr3_bit_48, "nCR3 reserved bit set with NP" },
    { "nCR3 bit 63", ncr3_bit_63, "nCR3 reserved bit set with NP" },
    { "nCR3 PWT and PCD are accepted", ncr3_pwt_pcd, NULL },
    { "nCR3 bit 48 with NP off is accepted", ncr3_bit_48_without_np, NULL },
    { "G_PAT with type 2", g_pat_type_2, "G_PAT invalid with NP" },
    { "G_PAT with type 3 in PA7", g_pat_type_3_top_byte, "G_PAT invalid with NP" },
    { "G_PAT with a reserved bit", g_pat_reserved_bit, "G_PAT invalid with NP" },
    { "G_PAT all WB is accepted", g_pat_all_wb, NULL },
    { "invalid G_PAT with NP off is accepted", g_pat_invalid_without_np, NULL },
    { "SSSCheckEn without NP", sss_without_np, "SSSCheckEn without NP" },
    { "SSSCheckEn with NP is accepted", sss_with_np, NULL },
    { "GMET with NP is accepted", gmet_with_np, NULL },
    { "V_NMI_ENABLE without the NMI intercept", vnmi_without_nmi_intercept,
      "V_NMI_ENABLE without the NMI intercept" },
    { "V_NMI_ENABLE with the NMI intercept is accepted", vnmi_with_nmi_intercept, NULL },
    { "x2AVIC without AVIC", x2avic_without_avic, "x2AVIC enabled without AVIC" },
    { "x2AVIC with AVIC is accepted", x2avic_with_avic, NULL },
    { "CPL 3 with CS.DPL 0", cpl_3_dpl_0, "CPL differs from CS.DPL in protected mode" },
    { "CPL 0 with CS.DPL 3", cpl_0_dpl_3, "CPL differs from CS.DPL in protected mode" },
    { "CPL 3 with CS.DPL 3 is accepted", cpl_3_dpl_3, NULL },
    { "CPL 3 with conforming CS.DPL 0 is accepted", cpl_3_conforming_dpl_0, NULL },
    { "CPL 0 with conforming CS.DPL 3", cpl_0_conforming_dpl_3,
      "CPL differs from CS.DPL in protected mode" },
    { "CPL 3 in real mode is not compared", cpl_3_real_mode, NULL },
};

#define CHECK_CASE_COUNT (sizeof check_cases / sizeof check_cases[0])

TEST(each_rule_fails_alone_and_its_neighbours_pass)
{
    for (size_t i = 0; i < CHECK_CASE_COUNT; i++) {
        const struct check_case *c = &check_cases[i];
        const char *failed_rule = "(not set)";
        int result;

        test_row("%s", c->description);
        make_baseline();
        c->change(&vmcb.control, &vmcb.save, &env);
        result = vmcb_check(&vmcb, &env, &failed_rule);
        if (c->expected_rule) {
            EXPECT_EQ(result, VMCB_CHECK_ERROR_INCONSISTENT);
            EXPECT_STR_EQ(failed_rule ? failed_rule : "(none)", c->expected_rule);
            /* Exactly this rule: the change must not trip a second one. */
            EXPECT_EQ(vmcb_check_for_each_violation(&vmcb, &env, NULL, NULL), 1);
        } else {
            EXPECT_EQ(result, 0);
            EXPECT_TRUE(failed_rule == NULL);
            EXPECT_EQ(vmcb_check_for_each_violation(&vmcb, &env, NULL, NULL), 0);
        }
    }
}

TEST(every_rule_has_a_failing_case)
{
    for (unsigned r = 0; r < vmcb_check_rule_count; r++) {
        bool covered = false;

        test_row("rule \"%s\" is tested", vmcb_check_rules[r].name);
        for (size_t i = 0; i < CHECK_CASE_COUNT; i++) {
            if (check_cases[i].expected_rule &&
                strcmp(check_cases[i].expected_rule, vmcb_check_rules[r].name) == 0)
                covered = true;
        }
        EXPECT_TRUE(covered);
        EXPECT_TRUE(vmcb_check_rules[r].apm_ref != NULL && vmcb_check_rules[r].apm_ref[0]);
    }
}

struct collected {
    unsigned count;
    const char *names[8];
};

static void collect(const struct vmcb_check_rule *rule, void *context)
{
    struct collected *collected = context;

    if (collected->count < 8)
        collected->names[collected->count] = rule->name;
    collected->count++;
}

TEST(report_lists_every_violation_in_table_order)
{
    struct collected collected = { 0 };
    const char *failed_rule = NULL;

    make_baseline();
    vmcb.save.efer &= ~EFER_SVME;
    vmcb.control.asid = 0;
    vmcb.save.g_pat = 0x0202020202020202;
    EXPECT_EQ(vmcb_check_for_each_violation(&vmcb, &env, collect, &collected), 3);
    EXPECT_EQ(collected.count, 3);
    EXPECT_STR_EQ(collected.names[0], "EFER.SVME=0");
    EXPECT_STR_EQ(collected.names[1], "ASID=0");
    EXPECT_STR_EQ(collected.names[2], "G_PAT invalid with NP");
    EXPECT_EQ(vmcb_check(&vmcb, &env, &failed_rule), VMCB_CHECK_ERROR_INCONSISTENT);
    EXPECT_STR_EQ(failed_rule, "EFER.SVME=0");
    /* The caller may not want the name. */
    EXPECT_EQ(vmcb_check(&vmcb, &env, NULL), VMCB_CHECK_ERROR_INCONSISTENT);
}

/* vmcb_check_copy_inputs copies every field a rule reads: on a snapshot laid over a
 * VMCB that agrees with nothing (all bytes 0xa5), every case gives the same verdict
 * as on the original. */
TEST(a_snapshot_of_the_inputs_gets_the_same_verdict)
{
    static struct vmcb snapshot;

    for (size_t i = 0; i < CHECK_CASE_COUNT; i++) {
        const struct check_case *c = &check_cases[i];
        const char *on_original = NULL, *on_snapshot = NULL;

        test_row("snapshot: %s", c->description);
        make_baseline();
        c->change(&vmcb.control, &vmcb.save, &env);
        memset(&snapshot, 0xa5, sizeof snapshot);
        vmcb_check_copy_inputs(&snapshot, &vmcb);
        EXPECT_EQ(vmcb_check(&snapshot, &env, &on_snapshot), vmcb_check(&vmcb, &env, &on_original));
        EXPECT_STR_EQ(on_snapshot ? on_snapshot : "(none)", on_original ? on_original : "(none)");
        EXPECT_EQ(vmcb_check_for_each_violation(&snapshot, &env, NULL, NULL),
                  vmcb_check_for_each_violation(&vmcb, &env, NULL, NULL));
    }
}
