/* The small exits: HLT (the vCPU sleeps until its next interrupt), INVD (a no-op),
 * the SVM instructions (#UD:
 * SVM is hidden from the guest), XSETBV (#UD: XSAVE is hidden), SHUTDOWN (a
 * triple fault ends that VM alone), physical interrupts and NMIs (nothing to do:
 * the host takes them after STGI), #MC, and VMRUN's own failure.
 * See: APM §15.9 (instruction intercepts), §15.12 (exception intercepts),
 * §15.14.3 (SHUTDOWN), §15.5.1 (VMRUN consistency checks). */
#include "hv/exit.h"

#include "hv/console.h"
#include "hv/guest_state.h"
#include "hv/host_time.h"
#include "hv/hypervisor.h"
#include "hv/lapic_timer.h"
#include "hv/x86.h"
#include "svm/vmcb_check.h"

/* HLT stops the CPU until an interrupt (or NMI, SMI, INIT, reset) arrives, and the
 * interrupt is taken with RIP after the HLT (APM Vol. 3, HLT). With IF=1 the vCPU
 * sleeps: the scheduler runs it again once its PIC has an interrupt for it. With
 * IF=0 no interrupt can end the halt and minisvm injects no NMI, so the VM has
 * stopped for good: Linux's "poweroff -f" without ACPI ends this way. */
enum exit_action exit_hlt(struct vm *vm)
{
    if (!(vm->vmcb->save.rflags & RFLAGS_IF)) {
        vm_end(vm, VM_END_HALTED, "halted by the guest (HLT with interrupts disabled)");
        return EXIT_END_VM;
    }
    int error = guest_skip_instruction(vm);
    if (error)
        return exit_end_undecodable(vm, error);
    vm->halted = true;
    vm->halted_since_ms = host_time_ms();
    return EXIT_RESUME;
}

/* INVD would throw away dirty cache lines of the whole machine, other VMs' and
 * minisvm's included: the guest gets a no-op instead. */
enum exit_action exit_invd(struct vm *vm)
{
    int error = guest_skip_instruction(vm);
    return error ? exit_end_undecodable(vm, error) : EXIT_RESUME;
}

/* CPUID tells the guest it has no SVM, so VMRUN and friends are undefined
 * opcodes for it (APM §15.4: with EFER.SVME=0 they raise #UD). */
enum exit_action exit_svm_instruction(struct vm *vm)
{
    guest_inject_exception(vm, X86_VECTOR_UD, false, 0);
    return EXIT_RESUME;
}

enum exit_action exit_xsetbv(struct vm *vm)
{
    guest_inject_exception(vm, X86_VECTOR_UD, false, 0);
    return EXIT_RESUME;
}

enum exit_action exit_shutdown(struct vm *vm)
{
    /* The saved guest state is undefined after a SHUTDOWN intercept (APM
     * §15.14.3); it is still the best clue to what happened. */
    exit_dump_guest(vm);
    vm_end(vm, VM_END_TRIPLE_FAULT, "triple fault (SHUTDOWN intercept)");
    return EXIT_END_VM;
}

/* A physical interrupt or NMI while the guest ran. The only interrupt minisvm
 * enables is its APIC timer: let the host take it, count the period against this
 * VM (the scheduler ends a turn on it), and end a VM that has run longer than the
 * watchdog allows. The watchdog is for guests built to finish (the test guests);
 * an operating system runs until it halts or resets, however long that is. */
enum exit_action exit_physical_event(struct vm *vm)
{
    if (vm->vmcb->control.exit_code != SVM_EXIT_INTR)
        return EXIT_RESUME;
    lapic_timer_take_pending();
    vm->timer_ticks++;
    uint64_t limit_ms = (uint64_t)hypervisor.config.watchdog_seconds * 1000;
    if (limit_ms && !vm_is_linux(vm) && vm->timer_ticks * LAPIC_TIMER_PERIOD_MS >= limit_ms) {
        exit_dump_guest(vm);
        vm_end(vm, VM_END_WATCHDOG, "watchdog: still running when its time ran out");
        return EXIT_END_VM;
    }
    return EXIT_RESUME;
}

enum exit_action exit_machine_check(struct vm *vm)
{
    exit_dump_guest(vm);
    vm_end(vm, VM_END_ERROR, "machine check (#MC) while the guest ran");
    return EXIT_END_VM;
}

static void report_violation(const struct vmcb_check_rule *rule, void *context)
{
    log_line(context, "  VMCB check failed: %s (%s)", rule->name, rule->apm_ref);
}

enum exit_action exit_invalid(struct vm *vm)
{
    struct vmcb_check_env env;

    vmcb_check_env_from_features(&env, &hypervisor.features);
    log_line(vm->config.name, "VMRUN failed: VMEXIT_INVALID (exit code 0x%llx)",
             (unsigned long long)vm->vmcb->control.exit_code);
    const struct vmcb *checked = vm->vmcb_before_vmrun_valid ? &vm->vmcb_before_vmrun : vm->vmcb;
    if (vmcb_check_for_each_violation(checked, &env, report_violation,
                                      (void *)vm->config.name) == 0)
        log_line(vm->config.name, "  no rule minisvm knows is violated: the CPU checks more");
    exit_dump_guest(vm);
    vm_end(vm, VM_END_ERROR, "VMRUN failed its consistency checks");
    return EXIT_END_VM;
}
