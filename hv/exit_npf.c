/* Nested page faults. An #NPF the guest announced (HC_EXPECT_NPF) is handed back:
 * EXITCODE, EXITINFO1/2 and the faulting RIP go into the guest's report and the
 * guest resumes at its recovery RIP. Any other #NPF ends the VM with a report that
 * explains it by walking the nested tables in software (mm/npt_walk.c), with the
 * guest's CPL from the VMCB rather than EXITINFO1.US (erratum 1218).
 * See: APM §15.25.6 (#NPF and its error code), §15.25.13 (GMET). */
#include "hv/exit.h"

#include "hv/console.h"
#include "hv/hypervisor.h"
#include "hv/x86.h"
#include "mm/npt_walk.h"

static uint64_t *host_table_at(void *context, uint64_t phys)
{
    (void)context;
    return (uint64_t *)(uintptr_t)phys; /* the NPT lives in identity-mapped host memory */
}

static void describe_access(const struct vm *vm, struct npt_access *access)
{
    const struct vmcb *vmcb = vm->vmcb;
    uint64_t info = vmcb->control.exit_info_1;

    access->gpa = vmcb->control.exit_info_2;
    access->kind = (info & PFERR_FETCH_MASK) ? NPT_WALK_FETCH
                   : (info & PFERR_WRITE_MASK) ? NPT_WALK_WRITE : NPT_WALK_READ;
    access->guest_cpl = vmcb->save.cpl;
    access->guest_page_walk = (info & PFERR_GUEST_PAGE_MASK) != 0;
    access->environment = (struct npt_environment){
        .gmet = vm->gmet_enabled,
        .host_nxe = (rdmsr(MSR_EFER) & EFER_NXE) != 0,
        .host_smep = (read_cr4() & CR4_SMEP) != 0,
        .host_max_phys_addr = hypervisor.features.phys_addr_bits,
    };
}

static void report_unexpected(struct vm *vm, const struct npt_access *access,
                              const struct npt_walk_result *walk, bool walked)
{
    const struct vmcb *vmcb = vm->vmcb;
    uint64_t info = vmcb->control.exit_info_1;
    const char *name = vm->config.name;

    log_line(name, "unexpected #NPF: GPA 0x%llx, RIP 0x%llx, CPL %u",
             (unsigned long long)access->gpa, (unsigned long long)vmcb->save.rip,
             (unsigned)access->guest_cpl);
    log_line(name, "  EXITINFO1 0x%llx: P=%u RW=%u US=%u RSVD=%u ID=%u %s",
             (unsigned long long)info, (unsigned)(info & 1), (unsigned)((info >> 1) & 1),
             (unsigned)((info >> 2) & 1), (unsigned)((info >> 3) & 1),
             (unsigned)((info >> 4) & 1),
             (info & PFERR_GUEST_PAGE_MASK) ? "(guest page-table access)" : "(final address)");
    if (walked)
        log_line(name, "  nested walk: %s; level %d entry 0x%llx; effective %s%s%s",
                 npt_fault_reason(walk, access), walk->level, (unsigned long long)walk->entry,
                 walk->effective.writable ? "RW" : "RO", walk->effective.user ? " U" : " S",
                 walk->effective.no_execute ? " NX" : "");
    exit_dump_guest(vm);
}

/* The faults the kernel-code-integrity policy exists to catch are named even when
 * the guest expected them (design.md §4). */
static void name_policy_violation(const struct vm *vm, const struct npt_access *access,
                                  enum npt_fault_kind kind)
{
    const char *what = NULL;

    if (kind == NPT_FAULT_GMET)
        what = "GMET violation: supervisor fetch from a user page";
    else if (kind == NPT_FAULT_READ_ONLY && vm_in_kernel_text(vm, access->gpa))
        what = "write to protected kernel text";
    if (what)
        log_line(vm->config.name, "%s at GPA 0x%llx (RIP 0x%llx, CPL %u): handed to the guest",
                 what, (unsigned long long)access->gpa,
                 (unsigned long long)vm->vmcb->save.rip, access->guest_cpl);
}

enum exit_action exit_npf(struct vm *vm)
{
    struct vmcb *vmcb = vm->vmcb;
    struct npf_expectation *expected = &vm->npf_expected;
    struct npt_access access;
    struct npt_walk_result walk;

    describe_access(vm, &access);
    bool walked = npt_walk(host_table_at, NULL, vmcb->control.nested_cr3, &access, &walk) == 0;
    if (!expected->armed) {
        report_unexpected(vm, &access, &walk, walked);
        vm_end(vm, VM_END_ERROR, "unexpected nested page fault");
        return EXIT_END_VM;
    }
    if (walked)
        name_policy_violation(vm, &access, npt_classify_fault(&walk, &access));

    /* The report address was checked when the guest armed the expectation. */
    struct npf_report *report = vm_guest_pointer(vm, expected->report_gpa, sizeof *report);
    report->exit_code = vmcb->control.exit_code;
    report->exit_info_1 = vmcb->control.exit_info_1;
    report->exit_info_2 = vmcb->control.exit_info_2;
    report->guest_rip = vmcb->save.rip;
    report->guest_cpl = vmcb->save.cpl;
    report->count++;
    vmcb->save.rip = expected->recovery_rip;
    expected->armed = false;
    /* An event the fault interrupted (EXITINTINFO) is dropped with the access. */
    vm->drop_interrupted_event = true;
    return EXIT_RESUME;
}
