/* Checks a VMCB against the consistency rules VMRUN applies, before VMRUN, so
 * that a mistake is reported by name ("CR0.NW=1 with CD=0") instead of as
 * VMEXIT_INVALID. See: APM §15.5.1 (consistency checks), §15.20, §15.25.4. */
#ifndef SVM_VMCB_CHECK_H
#define SVM_VMCB_CHECK_H

#include <stdbool.h>
#include <stdint.h>

#include "hv/errno.h"
#include "svm/features.h"
#include "svm/vmcb.h"

/* Some rules depend on the CPU; the caller fills this from CPUID. */
struct vmcb_check_env {
    bool has_np;               /* CPUID Fn8000_000A_EDX[0] */
    bool has_flush_by_asid;    /* CPUID Fn8000_000A_EDX[6] */
    uint32_t asid_count;       /* CPUID Fn8000_000A_EBX */
    unsigned phys_addr_bits;   /* MAXPHYADDR, CPUID Fn8000_0008_EAX[7:0] */
    /* EFER and CR4 bits this CPU does not implement. Include EFER.LME and
     * EFER.LMA on a CPU without long mode: that is the same VMRUN check. */
    uint64_t efer_mbz_mask;
    uint64_t cr4_mbz_mask;
};

/* Reserved bits used when the CPU does not report its own: EFER bit 9 and
 * 63:16, and the CR4 bits no AMD64 CPU defines (svm-reference §2.2, rules 5 and 7;
 * newer CPUs define some EFER bits above 15, which minisvm never sets). */
#define VMCB_CHECK_EFER_MBZ_DEFAULT 0xffffffffffff0200ull
#define VMCB_CHECK_CR4_MBZ_DEFAULT  0xfffffffffe08e000ull

/* Fills env from the decoded CPUID features, with the default reserved masks. */
void vmcb_check_env_from_features(struct vmcb_check_env *env, const struct svm_features *f);

struct vmcb_check_rule {
    const char *name;          /* what is wrong, e.g. "CR0.NW=1 with CD=0" */
    const char *apm_ref;       /* where the rule comes from */
    bool (*violated)(const struct vmcb *vmcb, const struct vmcb_check_env *env);
};

/* Every rule, in the order vmcb_check() tries them. */
extern const struct vmcb_check_rule vmcb_check_rules[];
extern const unsigned vmcb_check_rule_count;

/* The VMCB breaks a consistency rule; VMRUN would (or might) refuse it. */
#define VMCB_CHECK_ERROR_INCONSISTENT HV_EINVAL

/* Returns 0 if no rule is violated. Otherwise returns
 * VMCB_CHECK_ERROR_INCONSISTENT and, if failed_rule is not NULL, points it at
 * the name of the first violated rule (NULL on success). */
int vmcb_check(const struct vmcb *vmcb, const struct vmcb_check_env *env,
               const char **failed_rule);

/* Calls report (if not NULL) for every violated rule, in table order, for a
 * full diagnostic; returns how many rules are violated. */
unsigned vmcb_check_for_each_violation(const struct vmcb *vmcb,
                                       const struct vmcb_check_env *env,
                                       void (*report)(const struct vmcb_check_rule *rule,
                                                      void *context),
                                       void *context);

/* Copies into *snapshot exactly the fields the rules read (a fixed few dozen
 * bytes, whatever the VMCB's size), so that the rules can be run again later on
 * the VMCB as it was: after VMEXIT_INVALID the CPU may have written over it
 * (QEMU's TCG does). The snapshot's other fields are left as they are. */
void vmcb_check_copy_inputs(struct vmcb *snapshot, const struct vmcb *vmcb);

#endif
