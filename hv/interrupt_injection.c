/* Interrupt delivery to a vCPU. The guest's PIC decides which interrupt is due
 * (hv/vm_platform.c); this file decides when the guest can take it and how.
 *
 * - Now, with EVENTINJ (type INTR), when RFLAGS.IF=1, the guest is not in an
 *   interrupt shadow (the instruction after STI or MOV SS) and no other event is
 *   being injected: the PIC is acknowledged and its vector delivered through the
 *   guest's IDT at the next VMRUN (APM §15.20).
 * - Later, otherwise: V_IRQ=1 with V_IGN_TPR and the VINTR intercept. The CPU
 *   checks a virtual interrupt exactly where a physical one would be taken (IF=1,
 *   no shadow), and exits with VINTR instead of delivering it; minisvm then
 *   injects the real one as above (APM §15.21.4). The PIC is acknowledged only
 *   when the interrupt is really given, so a higher-priority one can overtake it.
 * An event whose delivery an exit interrupted (EXITINTINFO) is re-injected first
 * (hv/vcpu_run.c); this waits for the window behind it. */
#include "hv/interrupt_injection.h"

#include "hv/x86.h"
#include "svm/svm_defs.h"

static void request_window(struct vm *vm, bool wanted)
{
    struct vmcb_control_area *c = &vm->vmcb->control;
    bool requested = (c->int_ctl & V_IRQ_MASK) != 0;

    if (wanted == requested)
        return;
    if (wanted) {
        /* Priority 0xF and V_IGN_TPR: only IF and the shadow hold it back. */
        c->int_ctl |= V_IRQ_MASK | V_INTR_PRIO_MASK | V_IGN_TPR_MASK;
        c->int_vector = 0;
        vmcb_set_intercept(c, INTERCEPT_VINTR);
    } else {
        c->int_ctl &= ~(V_IRQ_MASK | V_INTR_PRIO_MASK | V_IGN_TPR_MASK);
        vmcb_clear_intercept(c, INTERCEPT_VINTR);
    }
    vm->dirty_clean_bits |= VMCB_CLEAN_BIT(VMCB_INTR) | VMCB_CLEAN_BIT(VMCB_INTERCEPTS);
}

bool interrupt_injection_guest_can_take(const struct vm *vm)
{
    const struct vmcb *vmcb = vm->vmcb;
    bool shadow = (vmcb->control.int_state & SVM_INTERRUPT_SHADOW_MASK) != 0;

    /* vintr_in_shadow: see exit_vintr. */
    return (vmcb->save.rflags & RFLAGS_IF) && (!shadow || vm->vintr_in_shadow);
}

void interrupt_injection_prepare(struct vm *vm)
{
    struct vmcb_control_area *c = &vm->vmcb->control;

    bool can_take = interrupt_injection_guest_can_take(vm);

    /* The VINTR exit's word on the shadow holds for this VMRUN only. */
    vm->vintr_in_shadow = false;
    if (!vm_platform_interrupt_pending(vm)) {
        request_window(vm, false);
        return;
    }
    if ((c->event_inj & SVM_EVTINJ_VALID) || !can_take) {
        request_window(vm, true);
        return;
    }
    request_window(vm, false);
    c->event_inj = vm_platform_acknowledge(vm) | SVM_EVTINJ_TYPE_INTR | SVM_EVTINJ_VALID;
    c->event_inj_err = 0;
    vm->interrupts_injected++;
    vm->vmcb_changed = true; /* EVENTINJ is checked by VMRUN (APM §15.20) */
}

/* The CPU found the guest interruptible. On hardware that means IF=1 and no
 * shadow. QEMU's TCG also takes a virtual interrupt inside an interrupt shadow
 * (kvm-unit-tests' virq_inject_within_shadow fails there), so a VINTR exit can
 * arrive with the shadow bit still set; waiting for the shadow to pass would exit
 * at the same instruction again and again. The interrupt is then injected as the
 * CPU itself would have delivered it. */
enum exit_action exit_vintr(struct vm *vm)
{
    request_window(vm, false);
    vm->vintr_in_shadow = (vm->vmcb->control.int_state & SVM_INTERRUPT_SHADOW_MASK) != 0;
    return EXIT_RESUME;
}
