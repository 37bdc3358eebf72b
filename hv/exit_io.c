/* IN and OUT that the IOPM sends to minisvm (all ports). COM1 is emulated; every
 * other port reads as all ones and ignores writes, like an empty ISA bus. The
 * string forms (INS/OUTS) are not emulated: #GP(0). EXITINFO2 holds the RIP of the
 * next instruction on every SVM CPU, so no decoding is needed here.
 * See: APM §15.10.2 (IOIO intercept information, Figure 15-2). */
#include "hv/exit.h"

#include "hv/com1.h"
#include "hv/guest_state.h"

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
        uint64_t value = 0;
        for (unsigned i = 0; i < size; i++) {
            uint16_t p = (uint16_t)(port + i);
            uint64_t byte = com1_claims_port(p) ? com1_read(vm, p) : 0xff;
            value |= byte << (8 * i);
        }
        /* IN EAX zero-extends into RAX; IN AL/AX leave the rest of RAX alone. */
        if (size == 4)
            vmcb->save.rax = value;
        else
            vmcb->save.rax = (vmcb->save.rax & ~size_mask) | value;
    } else {
        for (unsigned i = 0; i < size; i++) {
            uint16_t p = (uint16_t)(port + i);
            if (com1_claims_port(p))
                com1_write(vm, p, (uint8_t)(vmcb->save.rax >> (8 * i)));
        }
    }
    vmcb->save.rip = vmcb->control.exit_info_2;
    return EXIT_RESUME;
}
