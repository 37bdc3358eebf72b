/* Running the VMs: one after the other by default, or interleaved, switching VMCB
 * at every hypercall to show that each VM keeps its own state, ASID and TLB. */
#ifndef HV_SCHEDULER_H
#define HV_SCHEDULER_H

#include <stdbool.h>

#include "hv/vm.h"

void run_vms(struct vm *vms, unsigned count, bool interleave);

#endif
