/* Before VMRUN: the consistency checks when minisvm changed the VMCB, the clean
 * bits, TLB_CONTROL. After #VMEXIT: re-injection of an event whose delivery the
 * exit interrupted, then the exit handler.
 * See: APM §15.5.1 (checks), §15.15 (clean bits), §15.16 (TLB), §15.7.2 (EXITINTINFO). */
#include "hv/vcpu_run.h"

#include <string.h>

#include "hv/console.h"
#include "hv/exit.h"
#include "hv/host_time.h"
#include "hv/hypervisor.h"
#include "hv/interrupt_injection.h"
#include "hv/x86.h"
#include "mm/pat.h"
#include "svm/vmcb_check.h"

/* svm/vmrun.asm */
void svm_vcpu_run(uint64_t vmcb_pa, struct guest_registers *registers, uint64_t host_save_pa);

/* Clean bits 0-12 are defined (APM Figure 15-4); bit 31 is never a clean bit. */
#define VMCB_CLEAN_DEFINED 0x1fffu

static bool check_before_vmrun(struct vm *vm)
{
    struct vmcb_check_env env;
    const char *rule;

    vmcb_check_env_from_features(&env, &hypervisor.features);
    if (vmcb_check(vm->vmcb, &env, &rule) == 0)
        return true;
    log_line(vm->config.name, "VMCB refused before VMRUN: %s", rule);
    exit_dump_guest(vm);
    vm_end(vm, VM_END_ERROR, "inconsistent VMCB");
    return false;
}

static void prepare_vmcb(struct vm *vm)
{
    struct vmcb_control_area *c = &vm->vmcb->control;

    /* A clean bit is only a hint, a clear one is always honoured: clear all on the
     * first run, and every bit whose fields minisvm changed since the last one. */
    if (vm->first_run || !hypervisor.features.has_vmcb_clean)
        c->clean = 0;
    else
        c->clean = VMCB_CLEAN_DEFINED & ~vm->dirty_clean_bits;
    vm->dirty_clean_bits = 0;
    c->tlb_ctl = vm->first_run ? TLB_CONTROL_FLUSH_ALL_ASID
                               : npt_take_tlb_control(&vm->npt,
                                                      hypervisor.features.has_flush_by_asid);
    if (vm->first_run)
        vm->npt.flush_pending = false;
    vm->first_run = false;
}

static void reinject_interrupted_event(struct vm *vm)
{
    struct vmcb_control_area *c = &vm->vmcb->control;

    if (vm->drop_interrupted_event || !(c->exit_int_info & SVM_EXITINTINFO_VALID) ||
        (c->event_inj & SVM_EVTINJ_VALID)) {
        vm->drop_interrupted_event = false;
        return;
    }
    c->event_inj = c->exit_int_info;
    c->event_inj_err = c->exit_int_info_err;
    vm->vmcb_changed = true;
}

/* With PAT not intercepted, a platform that does not switch PATs at VMRUN and
 * #VMEXIT (QEMU's TCG, KVM with its shared-PAT quirk) leaves the guest's PAT in
 * the host's MSR. minisvm notes it and puts hPAT back before it touches memory
 * whose type depends on it. See: APM §15.25.8, docs/pat.md. */
static void restore_host_pat(struct vm *vm)
{
    if (rdmsr(MSR_IA32_CR_PAT) != HOST_PAT_VALUE) {
        vm->platform_shared_pat = true;
        wrmsr(MSR_IA32_CR_PAT, HOST_PAT_VALUE);
    }
}

/* A Linux VM's way to userspace, as minisvm can see it from outside: the first
 * exit taken while the guest ran at CPL 3. */
static void note_progress(struct vm *vm)
{
    if (!vm->userspace_ms && vm->vmcb->save.cpl == 3)
        vm->userspace_ms = host_time_ms();
}

void vcpu_run_once(struct vm *vm)
{
    if (vm->first_run)
        vm->started_ms = host_time_ms();
    vm_platform_advance(vm);
    interrupt_injection_prepare(vm);

    bool changed_by_minisvm = vm->first_run || vm->dirty_clean_bits != 0 || vm->vmcb_changed;

    if (vm->vmcb_changed) {
        if (!check_before_vmrun(vm))
            return;
        vm->vmcb_changed = false;
    }
    prepare_vmcb(vm);
    if (changed_by_minisvm) {
        vmcb_check_copy_inputs(&vm->vmcb_before_vmrun, vm->vmcb);
        vm->vmcb_before_vmrun_valid = true;
    }
    svm_vcpu_run((uint64_t)(uintptr_t)vm->vmcb, &vm->registers, hypervisor.cpu.host_vmsave_pa);
    vm->vmcb->control.tlb_ctl = TLB_CONTROL_DO_NOTHING;
    if (vm->config.pat_mode == PAT_MODE_PASSTHROUGH)
        restore_host_pat(vm);
    note_progress(vm);

    enum exit_action action = exit_dispatch(vm);
    if (action == EXIT_RESUME && vm->state == VM_RUNNING)
        reinject_interrupted_event(vm);
}
