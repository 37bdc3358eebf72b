/* The exit-dispatch table. Exit codes 0x000-0x0ff index it directly; #NPF (0x400)
 * and VMEXIT_INVALID (-1, or 0x00000000FFFFFFFF on QEMU's TCG) are handled apart.
 * Anything without an entry ends the VM with a decoded dump, never silently.
 * See: APM §15.9 (instruction intercepts), Appendix C (exit codes). */
#include "hv/exit.h"

#include <stdio.h>

#include "hv/console.h"
#include "hv/errno.h"
#include "hv/hypervisor.h"
#include "hv/interrupt_injection.h"
#include "svm/svm_defs.h"
#include "svm/vmcb.h"

static const exit_handler_fn exit_handlers[VM_EXIT_COUNTER_SLOTS] = {
    [SVM_EXIT_EXCP_BASE + 18] = exit_machine_check,
    [SVM_EXIT_INTR] = exit_physical_event,
    [SVM_EXIT_NMI] = exit_physical_event,
    [SVM_EXIT_VINTR] = exit_vintr,
    [SVM_EXIT_CPUID] = exit_cpuid,
    [SVM_EXIT_INVD] = exit_invd,
    [SVM_EXIT_HLT] = exit_hlt,
    [SVM_EXIT_INVLPGA] = exit_svm_instruction,
    [SVM_EXIT_IOIO] = exit_ioio,
    [SVM_EXIT_MSR] = exit_msr,
    [SVM_EXIT_SHUTDOWN] = exit_shutdown,
    [SVM_EXIT_VMRUN] = exit_svm_instruction,
    [SVM_EXIT_VMMCALL] = exit_vmmcall,
    [SVM_EXIT_VMLOAD] = exit_svm_instruction,
    [SVM_EXIT_VMSAVE] = exit_svm_instruction,
    [SVM_EXIT_STGI] = exit_svm_instruction,
    [SVM_EXIT_CLGI] = exit_svm_instruction,
    [SVM_EXIT_SKINIT] = exit_svm_instruction,
    [SVM_EXIT_XSETBV] = exit_xsetbv,
};

static void trace_exit(const struct vm *vm)
{
    const struct vmcb_control_area *c = &vm->vmcb->control;

    log_line(vm->config.name, "exit %s (0x%llx) rip 0x%llx info1 0x%llx info2 0x%llx",
             svm_exit_name(c->exit_code), (unsigned long long)c->exit_code,
             (unsigned long long)vm->vmcb->save.rip, (unsigned long long)c->exit_info_1,
             (unsigned long long)c->exit_info_2);
}

enum exit_action exit_dispatch(struct vm *vm)
{
    uint64_t code = vm->vmcb->control.exit_code;

    vm->total_exits++;
    if (hypervisor.config.trace_exits)
        trace_exit(vm);
    if (svm_exit_is_invalid(code))
        return exit_invalid(vm);
    if (code == SVM_EXIT_NPF) {
        vm->npf_exits++;
        return exit_npf(vm);
    }
    if (code < VM_EXIT_COUNTER_SLOTS) {
        vm->exit_counts[code]++;
        if (exit_handlers[code])
            return exit_handlers[code](vm);
    }
    return exit_unhandled(vm);
}

void exit_print_counters(const struct vm *vm)
{
    char line[400];
    int used = snprintf(line, sizeof line, "%llu exits:", (unsigned long long)vm->total_exits);

    for (unsigned code = 0; code < VM_EXIT_COUNTER_SLOTS && used < (int)sizeof line; code++) {
        if (vm->exit_counts[code])
            used += snprintf(line + used, sizeof line - (size_t)used, " %s %llu",
                             svm_exit_name(code), (unsigned long long)vm->exit_counts[code]);
    }
    if (vm->npf_exits && used < (int)sizeof line)
        snprintf(line + used, sizeof line - (size_t)used, " NPF %llu",
                 (unsigned long long)vm->npf_exits);
    log_line(vm->config.name, "%s", line);
}

void exit_dump_guest(const struct vm *vm)
{
    const struct vmcb_save_area *s = &vm->vmcb->save;
    const struct vmcb_control_area *c = &vm->vmcb->control;
    const struct guest_registers *r = &vm->registers;
    const char *name = vm->config.name;

    log_line(name, "exit %s (0x%llx) info1 0x%llx info2 0x%llx exitintinfo 0x%x",
             svm_exit_name(c->exit_code), (unsigned long long)c->exit_code,
             (unsigned long long)c->exit_info_1, (unsigned long long)c->exit_info_2,
             (unsigned)c->exit_int_info);
    log_line(name, "rip %016llx rsp %016llx rflags %016llx cpl %u",
             (unsigned long long)s->rip, (unsigned long long)s->rsp,
             (unsigned long long)s->rflags, (unsigned)s->cpl);
    log_line(name, "cr0 %016llx cr3 %016llx cr4 %016llx efer %016llx",
             (unsigned long long)s->cr0, (unsigned long long)s->cr3,
             (unsigned long long)s->cr4, (unsigned long long)s->efer);
    log_line(name, "cs %04x/%04x ss %04x/%04x idtr %016llx+%x gdtr %016llx+%x",
             s->cs.selector, s->cs.attrib, s->ss.selector, s->ss.attrib,
             (unsigned long long)s->idtr.base, (unsigned)s->idtr.limit,
             (unsigned long long)s->gdtr.base, (unsigned)s->gdtr.limit);
    log_line(name, "rax %016llx rbx %016llx rcx %016llx rdx %016llx",
             (unsigned long long)s->rax, (unsigned long long)r->rbx,
             (unsigned long long)r->rcx, (unsigned long long)r->rdx);
    log_line(name, "rsi %016llx rdi %016llx rbp %016llx r8  %016llx",
             (unsigned long long)r->rsi, (unsigned long long)r->rdi,
             (unsigned long long)r->rbp, (unsigned long long)r->r8);
    log_line(name, "r9  %016llx r10 %016llx r11 %016llx r12 %016llx",
             (unsigned long long)r->r9, (unsigned long long)r->r10,
             (unsigned long long)r->r11, (unsigned long long)r->r12);
    log_line(name, "r13 %016llx r14 %016llx r15 %016llx",
             (unsigned long long)r->r13, (unsigned long long)r->r14, (unsigned long long)r->r15);
}

enum exit_action exit_unhandled(struct vm *vm)
{
    exit_dump_guest(vm);
    vm_end(vm, VM_END_ERROR, "unhandled exit");
    return EXIT_END_VM;
}

enum exit_action exit_end_undecodable(struct vm *vm, int error)
{
    log_line(vm->config.name, "cannot skip the intercepted instruction at RIP 0x%llx: %s",
             (unsigned long long)vm->vmcb->save.rip, hv_strerror(error));
    exit_dump_guest(vm);
    vm_end(vm, VM_END_ERROR, "the intercepted instruction could not be read or does not match the exit");
    return EXIT_END_VM;
}
