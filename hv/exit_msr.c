/* RDMSR and WRMSR that the MSRPM sends to minisvm (all of them but the VMLOAD/VMSAVE
 * ones). An allow-list: EFER, with SVME hidden from the guest but kept set in the
 * VMCB; PAT in pat=intercept mode, kept in the VMCB's G_PAT. Everything else (the
 * SVM MSRs VM_CR and VM_HSAVE_PA included) raises #GP(0), as on a CPU without it.
 * See: APM §15.11 (MSR intercepts), §15.30 (SVM MSRs), §15.25.4 (G_PAT), §7.8.1. */
#include "hv/exit.h"

#include "hv/console.h"
#include "hv/guest_state.h"
#include "hv/x86.h"
#include "mm/pat.h"

/* The EFER bits a guest may hold; SVME is not among them because SVM is hidden. */
#define GUEST_EFER_ALLOWED (EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE)

static bool read_msr(struct vm *vm, uint32_t msr, uint64_t *value)
{
    switch (msr) {
    case MSR_EFER:
        *value = vm->guest_efer;
        return true;
    case MSR_IA32_CR_PAT:
        *value = vm->vmcb->save.g_pat;
        return true;
    default:
        return false;
    }
}

static bool write_efer(struct vm *vm, uint64_t value)
{
    struct vmcb_save_area *s = &vm->vmcb->save;

    if (value & ~GUEST_EFER_ALLOWED)
        return false;
    /* LME may not change while paging is on; LMA is the CPU's to set (writes of
     * it are ignored). APM §14.6.1. */
    if ((s->cr0 & CR0_PG) && ((value ^ vm->guest_efer) & EFER_LME))
        return false;
    uint64_t efer = (value & ~EFER_LMA) | (vm->guest_efer & EFER_LMA);
    if ((efer ^ vm->guest_efer) & EFER_NXE)
        vm->npt.flush_pending = true; /* NXE changes what cached translations mean (APM §15.16) */
    vm->guest_efer = efer;
    s->efer = efer | EFER_SVME;
    vm_mark_changed(vm, VMCB_CR);
    return true;
}

static bool write_pat(struct vm *vm, uint64_t value)
{
    if (!pat_value_is_valid(value))
        return false;
    vm->vmcb->save.g_pat = value;
    vm_mark_changed(vm, VMCB_NPT); /* G_PAT is covered by the NP clean bit */
    return true;
}

static bool write_msr(struct vm *vm, uint32_t msr, uint64_t value)
{
    switch (msr) {
    case MSR_EFER:
        return write_efer(vm, value);
    case MSR_IA32_CR_PAT:
        return write_pat(vm, value);
    default:
        return false;
    }
}

enum exit_action exit_msr(struct vm *vm)
{
    struct vmcb_save_area *s = &vm->vmcb->save;
    uint32_t msr = (uint32_t)vm->registers.rcx;
    bool is_write = vm->vmcb->control.exit_info_1 == SVM_MSR_EXITINFO1_WRITE;
    bool handled;

    if (is_write) {
        uint64_t value = ((vm->registers.rdx & 0xffffffffu) << 32) | (s->rax & 0xffffffffu);
        handled = write_msr(vm, msr, value);
    } else {
        uint64_t value = 0;
        handled = read_msr(vm, msr, &value);
        if (handled) {
            s->rax = value & 0xffffffffu;
            vm->registers.rdx = value >> 32;
        }
    }
    if (!handled) {
        guest_inject_exception(vm, X86_VECTOR_GP, true, 0);
        return EXIT_RESUME;
    }
    int error = guest_skip_instruction(vm);
    return error ? exit_end_undecodable(vm, error) : EXIT_RESUME;
}
