/* Giving a VM's PIC interrupts to its vCPU: EVENTINJ when the guest can take one
 * now, otherwise a virtual interrupt (V_IRQ) that makes the CPU exit (VINTR) as
 * soon as the guest can. See: APM §15.20 (event injection), §15.21 (interrupts). */
#ifndef HV_INTERRUPT_INJECTION_H
#define HV_INTERRUPT_INJECTION_H

#include "hv/exit.h"
#include "hv/vm.h"

/* Before VMRUN: inject the PIC's pending interrupt, or ask for the window. */
void interrupt_injection_prepare(struct vm *vm);
/* Whether the guest could take an interrupt at its current instruction. */
bool interrupt_injection_guest_can_take(const struct vm *vm);
/* The VINTR intercept: the interrupt window is open. */
enum exit_action exit_vintr(struct vm *vm);

#endif
