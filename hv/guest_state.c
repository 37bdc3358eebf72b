/* RIP advance and exception injection. Without NRIPS (QEMU's TCG) nRIP is 0 and
 * minisvm decodes the instruction itself: it reads the bytes at the guest's RIP
 * through the guest's page tables and checks they are the instruction the exit
 * names, so a guest cannot make minisvm skip something else.
 * See: APM §15.7.1 (nRIP), §15.20 (event injection). */
#include "hv/guest_state.h"

#include "hv/errno.h"
#include "hv/hypervisor.h"
#include "hv/x86.h"
#include "mm/guest_walk.h"
#include "mm/pte.h"
#include "svm/insn_length.h"

#define MAX_INSTRUCTION_BYTES 15

static const uint64_t *guest_page(void *context, uint64_t gpa)
{
    return vm_guest_pointer(context, gpa & ~(PAGE_SIZE_4K - 1), PAGE_SIZE_4K);
}

int guest_read_virtual(struct vm *vm, uint64_t gva, void *buffer, uint64_t bytes)
{
    const struct vmcb_save_area *s = &vm->vmcb->save;

    switch (guest_paging_mode(s->cr0, s->cr4, s->efer)) {
    case GUEST_PAGING_LONG_MODE:
        return guest_copy_from_virtual(guest_page, vm, s->cr3, gva, buffer, bytes);
    case GUEST_PAGING_OFF: {
        void *source = vm_guest_pointer(vm, gva, bytes);
        if (!source)
            return HV_ERANGE;
        __builtin_memcpy(buffer, source, bytes);
        return 0;
    }
    default:
        return HV_EINVAL;
    }
}

/* The fast path without NRIPS: the instruction lies wholly in the page of the last
 * intercepted instruction, under the same CR3, and its bytes decode as the
 * instruction the exit names. Guests trap in the same few places again and again
 * (a CPUID in a loop, the hypercall stub, the console's OUT), so this skips the
 * four-level walk of the guest's page tables. A guest that rewrites that page's
 * translation without changing CR3 may make minisvm read the old page: its bytes
 * must still decode as the intercepted instruction, and the worst that follows is
 * a wrong RIP in that guest alone -- what a CPU using the stale TLB entry it is
 * allowed to keep would do. Any doubt falls back to the full walk. */
static bool skip_in_cached_page(struct vm *vm)
{
    const struct vmcb *vmcb = vm->vmcb;
    uint64_t rip = vmcb->save.rip, offset = rip & (PAGE_SIZE_4K - 1);
    unsigned length;

    if (!vm->code_page.valid || vm->code_page.cr3 != vmcb->save.cr3 ||
        vm->code_page.code_page_gva != rip - offset ||
        offset + MAX_INSTRUCTION_BYTES > PAGE_SIZE_4K)
        return false;
    const uint8_t *bytes = vm_guest_pointer(vm, vm->code_page.code_page_gpa + offset,
                                            MAX_INSTRUCTION_BYTES);
    if (!bytes || insn_length_for_exit(vmcb->control.exit_code, bytes, MAX_INSTRUCTION_BYTES,
                                       &length) != 0)
        return false;
    guest_set_next_rip(vm, rip + length);
    return true;
}

static void remember_code_page(struct vm *vm, uint64_t rip)
{
    const struct vmcb_save_area *s = &vm->vmcb->save;
    uint64_t gva_page = rip & ~(PAGE_SIZE_4K - 1), gpa_page;

    vm->code_page.valid = false;
    if (guest_paging_mode(s->cr0, s->cr4, s->efer) != GUEST_PAGING_LONG_MODE ||
        guest_virtual_to_physical(guest_page, vm, s->cr3, gva_page, &gpa_page) != 0)
        return;
    vm->code_page.cr3 = s->cr3;
    vm->code_page.code_page_gva = gva_page;
    vm->code_page.code_page_gpa = gpa_page;
    vm->code_page.valid = true;
}

int guest_skip_instruction(struct vm *vm)
{
    struct vmcb *vmcb = vm->vmcb;
    uint8_t bytes[MAX_INSTRUCTION_BYTES];
    unsigned length;

    if (hypervisor.features.has_nrips && vmcb->control.next_rip != 0) {
        guest_set_next_rip(vm, vmcb->control.next_rip);
        return 0;
    }
    if (skip_in_cached_page(vm))
        return 0;
    /* The instruction may straddle a page boundary, and the next page may not
     * exist (the end of RAM): read this page's part, then the rest if it can. */
    uint64_t rip = vmcb->save.rip;
    uint64_t available = PAGE_SIZE_4K - (rip & (PAGE_SIZE_4K - 1));
    if (available > MAX_INSTRUCTION_BYTES)
        available = MAX_INSTRUCTION_BYTES;
    int error = guest_read_virtual(vm, rip, bytes, available);
    if (error)
        return error;
    if (available < MAX_INSTRUCTION_BYTES &&
        guest_read_virtual(vm, rip + available, bytes + available,
                           MAX_INSTRUCTION_BYTES - available) == 0)
        available = MAX_INSTRUCTION_BYTES;
    error = insn_length_for_exit(vmcb->control.exit_code, bytes, available, &length);
    if (error)
        return error;
    remember_code_page(vm, rip);
    guest_set_next_rip(vm, rip + length);
    return 0;
}

void guest_set_next_rip(struct vm *vm, uint64_t rip)
{
    vm->vmcb->save.rip = rip;
    vm->vmcb->control.int_state &= ~SVM_INTERRUPT_SHADOW_MASK;
}

void guest_inject_exception(struct vm *vm, uint8_t vector, bool has_error_code,
                            uint32_t error_code)
{
    struct vmcb_control_area *c = &vm->vmcb->control;

    c->event_inj = vector | SVM_EVTINJ_TYPE_EXEPT | SVM_EVTINJ_VALID |
                   (has_error_code ? SVM_EVTINJ_VALID_ERR : 0);
    c->event_inj_err = error_code;
    vm->vmcb_changed = true; /* EVENTINJ is checked by VMRUN (APM §15.20) */
}
