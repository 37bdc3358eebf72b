/* One round trip into a VM: prepare the VMCB, VMRUN, handle the exit. */
#ifndef HV_VCPU_RUN_H
#define HV_VCPU_RUN_H

#include "hv/vm.h"

/* Runs vm until its next exit and handles it. */
void vcpu_run_once(struct vm *vm);

#endif
