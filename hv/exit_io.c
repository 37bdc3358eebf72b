/* IN and OUT that the IOPM sends to minisvm (all ports): the VM's legacy PC
 * answers them (hv/vm_platform.c); a port no device claims reads as all ones and
 * ignores writes, like an empty ISA bus. The string forms (INS/OUTS) are not
 * emulated: #GP(0). EXITINFO2 holds the RIP of the next instruction on every SVM
 * CPU, so no decoding is needed here.
 * See: APM §15.10.2 (IOIO intercept information, Figure 15-2). */
#include "hv/exit.h"

#include "hv/guest_state.h"
#include "hv/vm_platform.h"

enum exit_action exit_ioio(struct vm *vm)
{
    struct vmcb *vmcb = vm->vmcb;
    uint64_t info = vmcb->control.exit_info_1;
    uint16_t port = (uint16_t)((info & SVM_IOIO_PORT_MASK) >> SVM_IOIO_PORT_SHIFT);
    unsigned size = (info & SVM_IOIO_SIZE32) ? 4 : (info & SVM_IOIO_SIZE16) ? 2 : 1;
    uint64_t size_mask = size == 4 ? 0xffffffffull : size == 2 ? 0xffffull : 0xffull;

    if (info & SVM_IOIO_STR_MASK) {
        guest_inject_exception(vm, X86_VECTOR_GP, true, 0);
        return EXIT_RESUME;
    }
    if (info & SVM_IOIO_TYPE_IN) {
        uint64_t value = vm_platform_port_in(vm, port, size);
        /* IN EAX zero-extends into RAX; IN AL/AX leave the rest of RAX alone. */
        if (size == 4)
            vmcb->save.rax = value;
        else
            vmcb->save.rax = (vmcb->save.rax & ~size_mask) | value;
    } else {
        vm_platform_port_out(vm, port, size, (uint32_t)(vmcb->save.rax & size_mask));
        if (vm->state != VM_RUNNING)
            return EXIT_END_VM;   /* a reset request */
    }
    guest_set_next_rip(vm, vmcb->control.exit_info_2);
    return EXIT_RESUME;
}
