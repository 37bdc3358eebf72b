/* The consistency rules VMRUN applies to a VMCB, one small named predicate per
 * rule, gathered in a table that vmcb_check() walks in order.
 * See: APM §15.5.1 (Canonicalization and Consistency Checks), §15.20, §15.25.4. */
#include "svm/vmcb_check.h"

#include <stddef.h>
#include <string.h>

#include "hv/x86.h"
#include "mm/pat_valid.h"
#include "svm/iopm.h"
#include "svm/msrpm.h"

/* Masks and limits the rules use; the CR0/CR4/EFER bits are hv/x86.h's (APM §3.1). */
#define UPPER_32_BITS       UINT64_C(0xffffffff00000000)
#define CR3_LONG_MODE_MBZ   UINT64_C(0xfff0000000000000)   /* bits 63:52 */
#define PAGE_OFFSET_MASK    UINT64_C(0xfff)
#define ARCH_MAX_PHYS_BITS  52
#define VECTOR_NMI          2
#define VECTOR_BR           5
#define LAST_EXCEPTION_VECTOR 31

/* Bits at and above MAXPHYADDR, which no physical address may use. */
static uint64_t bits_from(unsigned first_bit)
{
    return first_bit >= 64 ? 0 : ~UINT64_C(0) << first_bit;
}

/* Long mode as VMRUN sees it: EFER.LME and CR0.PG. SVM does not cross-check
 * EFER.LMA, so the rules do not rely on it. */
static bool long_mode(const struct vmcb_save_area *save)
{
    return (save->efer & EFER_LME) && (save->cr0 & CR0_PG);
}

/* A table that starts at base (bits 11:0 ignored) must end below MAXPHYADDR.
 * KVM's tests expect a failure one page earlier for the MSRPM, so a map that
 * ends just below the limit may still be refused; keep both maps in low RAM. */
static bool table_beyond_max_phys(uint64_t base, uint64_t size_bytes, unsigned phys_addr_bits)
{
    uint64_t first = base & ~PAGE_OFFSET_MASK;

    if (first > UINT64_MAX - (size_bytes - 1))
        return true;
    return ((first + size_bytes - 1) & bits_from(phys_addr_bits)) != 0;
}

static uint32_t event_type(uint32_t event)
{
    return event & SVM_EVTINJ_TYPE_MASK;
}

static unsigned event_vector(uint32_t event)
{
    return event & SVM_EVTINJ_VEC_MASK;
}

static bool event_valid(uint32_t event)
{
    return (event & SVM_EVTINJ_VALID) != 0;
}

static unsigned segment_dpl(const struct vmcb_seg *segment)
{
    return (segment->attrib & SVM_SELECTOR_DPL_MASK) >> SVM_SELECTOR_DPL_SHIFT;
}

/* ---- Guest state (APM §15.5.1) ---- */

static bool efer_svme_clear(const struct vmcb *vmcb, const struct vmcb_check_env *env)
{
    (void)env;
    return !(vmcb->save.efer & EFER_SVME);
}

static bool cr0_nw_without_cd(const struct vmcb *vmcb, const struct vmcb_check_env *env)
{
    (void)env;
    return (vmcb->save.cr0 & CR0_NW) && !(vmcb->save.cr0 & CR0_CD);
}

static bool cr0_upper_half_set(const struct vmcb *vmcb, const struct vmcb_check_env *env)
{
    (void)env;
    return (vmcb->save.cr0 & UPPER_32_BITS) != 0;
}

/* The low CR3 bits the manual calls reserved do not fail VMRUN in practice
 * (KVM's test of bits 11:5 and 2:0 runs the guest), so only high bits count. */
static bool cr3_high_bits_in_long_mode(const struct vmcb *vmcb, const struct vmcb_check_env *env)
{
    (void)env;
    return long_mode(&vmcb->save) && (vmcb->save.cr3 & CR3_LONG_MODE_MBZ);
}

/* Bits 51:MAXPHYADDR only, so that a bit in 63:52 is reported by the rule above. */
static bool cr3_above_max_phys_in_long_mode(const struct vmcb *vmcb,
                                            const struct vmcb_check_env *env)
{
    uint64_t mask = bits_from(env->phys_addr_bits) & ~CR3_LONG_MODE_MBZ;

    return long_mode(&vmcb->save) && (vmcb->save.cr3 & mask);
}

static bool cr4_reserved_bit_set(const struct vmcb *vmcb, const struct vmcb_check_env *env)
{
    return (vmcb->save.cr4 & env->cr4_mbz_mask) != 0;
}

static bool cr4_cet_without_cr0_wp(const struct vmcb *vmcb, const struct vmcb_check_env *env)
{
    (void)env;
    return (vmcb->save.cr4 & CR4_CET) && !(vmcb->save.cr0 & CR0_WP);
}

static bool dr6_upper_half_set(const struct vmcb *vmcb, const struct vmcb_check_env *env)
{
    (void)env;
    return (vmcb->save.dr6 & UPPER_32_BITS) != 0;
}

static bool dr7_upper_half_set(const struct vmcb *vmcb, const struct vmcb_check_env *env)
{
    (void)env;
    return (vmcb->save.dr7 & UPPER_32_BITS) != 0;
}

static bool efer_reserved_bit_set(const struct vmcb *vmcb, const struct vmcb_check_env *env)
{
    return (vmcb->save.efer & env->efer_mbz_mask) != 0;
}

static bool long_mode_without_pae(const struct vmcb *vmcb, const struct vmcb_check_env *env)
{
    (void)env;
    return long_mode(&vmcb->save) && !(vmcb->save.cr4 & CR4_PAE);
}

/* PG without PE is otherwise allowed ("paged real mode", APM §15.19). */
static bool long_mode_without_pe(const struct vmcb *vmcb, const struct vmcb_check_env *env)
{
    (void)env;
    return long_mode(&vmcb->save) && !(vmcb->save.cr0 & CR0_PE);
}

static bool long_mode_cs_l_and_d(const struct vmcb *vmcb, const struct vmcb_check_env *env)
{
    uint16_t attrib = vmcb->save.cs.attrib;

    (void)env;
    return long_mode(&vmcb->save) && (vmcb->save.cr4 & CR4_PAE) &&
           (attrib & SVM_SELECTOR_L_MASK) && (attrib & SVM_SELECTOR_DB_MASK);
}

/* Not an architectural check: VMRUN takes the CPL from the VMCB and ignores
 * CS.DPL. A mismatch is still always a hypervisor bug, so minisvm refuses it.
 * A conforming code segment may run at a CPL numerically above its DPL. */
static bool cpl_differs_from_cs_dpl(const struct vmcb *vmcb, const struct vmcb_check_env *env)
{
    const struct vmcb_save_area *save = &vmcb->save;
    unsigned dpl = segment_dpl(&save->cs);
    bool conforming = (save->cs.attrib & SVM_SELECTOR_CODE_MASK) &&
                      (save->cs.attrib & SVM_SELECTOR_CONFORMING_MASK);

    (void)env;
    if (!(save->cr0 & CR0_PE) || (save->rflags & RFLAGS_VM))
        return false;
    return conforming ? save->cpl < dpl : save->cpl != dpl;
}

/* ---- Control area (APM §15.5.1, §15.16.1, §15.21.10, §15.25) ---- */

static bool vmrun_not_intercepted(const struct vmcb *vmcb, const struct vmcb_check_env *env)
{
    (void)env;
    return !vmcb_is_intercept(&vmcb->control, INTERCEPT_VMRUN);
}

/* Checked even when MSR_PROT or IOIO_PROT is clear: whether the CPU then
 * skips the check is UNVERIFIED, and a valid address is right either way. */
static bool msrpm_beyond_max_phys(const struct vmcb *vmcb, const struct vmcb_check_env *env)
{
    return table_beyond_max_phys(vmcb->control.msrpm_base_pa, MSRPM_SIZE_BYTES,
                                 env->phys_addr_bits);
}

static bool iopm_beyond_max_phys(const struct vmcb *vmcb, const struct vmcb_check_env *env)
{
    return table_beyond_max_phys(vmcb->control.iopm_base_pa, IOPM_SIZE_BYTES,
                                 env->phys_addr_bits);
}

static bool event_reserved_type(const struct vmcb *vmcb, const struct vmcb_check_env *env)
{
    uint32_t event = vmcb->control.event_inj;
    uint32_t type = event_type(event);

    (void)env;
    return event_valid(event) && type != SVM_EVTINJ_TYPE_INTR && type != SVM_EVTINJ_TYPE_NMI &&
           type != SVM_EVTINJ_TYPE_EXEPT && type != SVM_EVTINJ_TYPE_SOFT;
}

/* NMI is injected as type 2, never as an exception. Vectors 0-31 other than 2
 * are accepted, including the reserved ones, as KVM, QEMU and Xen do. */
static bool event_exception_not_exception(const struct vmcb *vmcb,
                                          const struct vmcb_check_env *env)
{
    uint32_t event = vmcb->control.event_inj;
    unsigned vector = event_vector(event);

    (void)env;
    return event_valid(event) && event_type(event) == SVM_EVTINJ_TYPE_EXEPT &&
           (vector == VECTOR_NMI || vector > LAST_EXCEPTION_VECTOR);
}

/* The APM's example of an event impossible in the guest's mode: BOUND does
 * not exist in 64-bit mode, so neither does #BR. */
static bool event_br_in_64bit_mode(const struct vmcb *vmcb, const struct vmcb_check_env *env)
{
    uint32_t event = vmcb->control.event_inj;

    (void)env;
    return event_valid(event) && event_type(event) == SVM_EVTINJ_TYPE_EXEPT &&
           event_vector(event) == VECTOR_BR && long_mode(&vmcb->save) &&
           (vmcb->save.cs.attrib & SVM_SELECTOR_L_MASK);
}

/* Xen's checker is stricter than the APM text: bits 30:12 must be zero even
 * when V=0. Whether hardware checks them is UNVERIFIED; zero is right either way. */
static bool event_reserved_bits_set(const struct vmcb *vmcb, const struct vmcb_check_env *env)
{
    (void)env;
    return (vmcb->control.event_inj & SVM_EVTINJ_RESERVED_MASK) != 0;
}

/* ASID 0 belongs to the host (APM §15.25.1). */
static bool asid_zero(const struct vmcb *vmcb, const struct vmcb_check_env *env)
{
    (void)env;
    return vmcb->control.asid == 0;
}

/* What hardware does with an ASID the CPU does not have is UNVERIFIED;
 * minisvm refuses it so the answer never matters. */
static bool asid_beyond_count(const struct vmcb *vmcb, const struct vmcb_check_env *env)
{
    return vmcb->control.asid >= env->asid_count;
}

/* Hardware behaviour for reserved encodings is UNVERIFIED; refused. */
static bool tlb_control_reserved(const struct vmcb *vmcb, const struct vmcb_check_env *env)
{
    uint8_t tlb = vmcb->control.tlb_ctl;

    (void)env;
    return tlb != TLB_CONTROL_DO_NOTHING && tlb != TLB_CONTROL_FLUSH_ALL_ASID &&
           tlb != TLB_CONTROL_FLUSH_ASID && tlb != TLB_CONTROL_FLUSH_ASID_LOCAL;
}

static bool tlb_control_needs_flush_by_asid(const struct vmcb *vmcb,
                                            const struct vmcb_check_env *env)
{
    uint8_t tlb = vmcb->control.tlb_ctl;

    return !env->has_flush_by_asid &&
           (tlb == TLB_CONTROL_FLUSH_ASID || tlb == TLB_CONTROL_FLUSH_ASID_LOCAL);
}

static bool np_enabled(const struct vmcb *vmcb)
{
    return (vmcb->control.misc_ctl & SVM_MISC_ENABLE_NP) != 0;
}

/* QEMU runs NPT without advertising it; minisvm still refuses, so that the
 * same VMCB works on hardware. */
static bool np_without_feature(const struct vmcb *vmcb, const struct vmcb_check_env *env)
{
    return np_enabled(vmcb) && !env->has_np;
}

/* nCR3 is a host-physical address: nothing at or above MAXPHYADDR (and never
 * above bit 51). Its low bits hold PWT/PCD or are ignored. */
static bool ncr3_reserved_bit_set(const struct vmcb *vmcb, const struct vmcb_check_env *env)
{
    unsigned limit = env->phys_addr_bits < ARCH_MAX_PHYS_BITS ? env->phys_addr_bits
                                                              : ARCH_MAX_PHYS_BITS;

    return np_enabled(vmcb) && (vmcb->control.nested_cr3 & bits_from(limit));
}

static bool g_pat_invalid_with_np(const struct vmcb *vmcb, const struct vmcb_check_env *env)
{
    (void)env;
    return np_enabled(vmcb) && !pat_value_is_valid(vmcb->save.g_pat);
}

static bool sss_check_without_np(const struct vmcb *vmcb, const struct vmcb_check_env *env)
{
    (void)env;
    return (vmcb->control.misc_ctl & SVM_MISC_ENABLE_SSS_CHECK) && !np_enabled(vmcb);
}

static bool vnmi_without_nmi_intercept(const struct vmcb *vmcb, const struct vmcb_check_env *env)
{
    (void)env;
    return (vmcb->control.int_ctl & V_NMI_ENABLE_MASK) &&
           !vmcb_is_intercept(&vmcb->control, INTERCEPT_NMI);
}

static bool x2avic_without_avic(const struct vmcb *vmcb, const struct vmcb_check_env *env)
{
    (void)env;
    return (vmcb->control.int_ctl & X2APIC_MODE_MASK) &&
           !(vmcb->control.int_ctl & AVIC_ENABLE_MASK);
}

const struct vmcb_check_rule vmcb_check_rules[] = {
    { "EFER.SVME=0", "APM §15.5.1", efer_svme_clear },
    { "CR0.NW=1 with CD=0", "APM §15.5.1", cr0_nw_without_cd },
    { "CR0[63:32] not zero", "APM §15.5.1", cr0_upper_half_set },
    { "CR3[63:52] not zero in long mode", "APM §15.5.1", cr3_high_bits_in_long_mode },
    { "CR3 above MAXPHYADDR in long mode", "APM §15.5.1", cr3_above_max_phys_in_long_mode },
    { "CR4 reserved bit set", "APM §15.5.1", cr4_reserved_bit_set },
    { "CR4.CET=1 with CR0.WP=0", "APM §15.5.1", cr4_cet_without_cr0_wp },
    { "DR6[63:32] not zero", "APM §15.5.1", dr6_upper_half_set },
    { "DR7[63:32] not zero", "APM §15.5.1", dr7_upper_half_set },
    { "EFER reserved bit set", "APM §15.5.1", efer_reserved_bit_set },
    { "EFER.LME=1 and CR0.PG=1 with CR4.PAE=0", "APM §15.5.1", long_mode_without_pae },
    { "EFER.LME=1 and CR0.PG=1 with CR0.PE=0", "APM §15.5.1", long_mode_without_pe },
    { "EFER.LME, CR0.PG, CR4.PAE, CS.L and CS.D all 1", "APM §15.5.1", long_mode_cs_l_and_d },
    { "VMRUN intercept clear", "APM §15.5.1", vmrun_not_intercepted },
    { "MSRPM beyond MAXPHYADDR", "APM §15.11", msrpm_beyond_max_phys },
    { "IOPM beyond MAXPHYADDR", "APM §15.10.1", iopm_beyond_max_phys },
    { "EVENTINJ reserved type", "APM §15.20", event_reserved_type },
    { "EVENTINJ exception with vector 2 or above 31", "APM §15.20", event_exception_not_exception },
    { "EVENTINJ #BR in 64-bit mode", "APM §15.20", event_br_in_64bit_mode },
    { "EVENTINJ bits 30:12 not zero", "APM §15.20 (Xen's check)", event_reserved_bits_set },
    { "ASID=0", "APM §15.5.1", asid_zero },
    { "ASID not below the CPU's ASID count", "APM §15.5.1 (minisvm)", asid_beyond_count },
    { "TLB_CONTROL reserved encoding", "APM §15.16.1", tlb_control_reserved },
    { "TLB_CONTROL 3 or 7 without FlushByAsid", "APM §15.16.1", tlb_control_needs_flush_by_asid },
    { "NP enabled without the NP feature", "APM §15.25.3", np_without_feature },
    { "nCR3 reserved bit set with NP", "APM §15.25.4", ncr3_reserved_bit_set },
    { "G_PAT invalid with NP", "APM §15.25.4", g_pat_invalid_with_np },
    { "SSSCheckEn without NP", "APM §15.25.14", sss_check_without_np },
    { "V_NMI_ENABLE without the NMI intercept", "APM §15.21.10", vnmi_without_nmi_intercept },
    { "x2AVIC enabled without AVIC", "APM §15.29.4", x2avic_without_avic },
    { "CPL differs from CS.DPL in protected mode", "minisvm sanity check", cpl_differs_from_cs_dpl },
};

const unsigned vmcb_check_rule_count = sizeof vmcb_check_rules / sizeof vmcb_check_rules[0];

int vmcb_check(const struct vmcb *vmcb, const struct vmcb_check_env *env,
               const char **failed_rule)
{
    for (unsigned i = 0; i < vmcb_check_rule_count; i++) {
        if (vmcb_check_rules[i].violated(vmcb, env)) {
            if (failed_rule)
                *failed_rule = vmcb_check_rules[i].name;
            return VMCB_CHECK_ERROR_INCONSISTENT;
        }
    }
    if (failed_rule)
        *failed_rule = NULL;
    return 0;
}

unsigned vmcb_check_for_each_violation(const struct vmcb *vmcb,
                                       const struct vmcb_check_env *env,
                                       void (*report)(const struct vmcb_check_rule *rule,
                                                      void *context),
                                       void *context)
{
    unsigned violations = 0;

    for (unsigned i = 0; i < vmcb_check_rule_count; i++) {
        if (!vmcb_check_rules[i].violated(vmcb, env))
            continue;
        violations++;
        if (report)
            report(&vmcb_check_rules[i], context);
    }
    return violations;
}

void vmcb_check_env_from_features(struct vmcb_check_env *env, const struct svm_features *f)
{
    *env = (struct vmcb_check_env){
        .has_np = f->has_np,
        .has_flush_by_asid = f->has_flush_by_asid,
        .asid_count = f->asid_count,
        .phys_addr_bits = f->phys_addr_bits,
        .efer_mbz_mask = VMCB_CHECK_EFER_MBZ_DEFAULT,
        .cr4_mbz_mask = VMCB_CHECK_CR4_MBZ_DEFAULT,
    };
}

/* Every field a rule above reads; a rule that reads a new field adds it here (the
 * unit test runs every rule on a snapshot and on the original and compares). */
void vmcb_check_copy_inputs(struct vmcb *snapshot, const struct vmcb *vmcb)
{
    struct vmcb_control_area *c = &snapshot->control;
    struct vmcb_save_area *s = &snapshot->save;

    memcpy(c->intercepts, vmcb->control.intercepts, sizeof c->intercepts);
    c->iopm_base_pa = vmcb->control.iopm_base_pa;
    c->msrpm_base_pa = vmcb->control.msrpm_base_pa;
    c->asid = vmcb->control.asid;
    c->tlb_ctl = vmcb->control.tlb_ctl;
    c->int_ctl = vmcb->control.int_ctl;
    c->misc_ctl = vmcb->control.misc_ctl;
    c->event_inj = vmcb->control.event_inj;
    c->nested_cr3 = vmcb->control.nested_cr3;
    s->cs = vmcb->save.cs;
    s->cpl = vmcb->save.cpl;
    s->rflags = vmcb->save.rflags;
    s->efer = vmcb->save.efer;
    s->cr0 = vmcb->save.cr0;
    s->cr3 = vmcb->save.cr3;
    s->cr4 = vmcb->save.cr4;
    s->dr6 = vmcb->save.dr6;
    s->dr7 = vmcb->save.dr7;
    s->g_pat = vmcb->save.g_pat;
}
