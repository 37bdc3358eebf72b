/* Running the VMs on the one CPU: one after the other by default, or interleaved,
 * switching VMCB at every hypercall to show that each VM keeps its own state, ASID
 * and TLB. With a Linux guest, which never yields, VMs also share the CPU in time
 * slices of the host timer, and a VM halted in HLT waits for its next interrupt. */
#ifndef HV_SCHEDULER_H
#define HV_SCHEDULER_H

#include <stdbool.h>

#include "hv/vm.h"

/* Time slice of a VM when time_slices is on, in host-timer periods. */
#define SCHEDULER_SLICE_TICKS 5

void run_vms(struct vm *vms, unsigned count, bool interleave, bool time_slices);

#endif
