/* A Linux guest: its bzImage, initrd and command line put into guest RAM the way
 * the Linux x86 64-bit boot protocol wants, and what minisvm reports of its run. */
#ifndef HV_LINUX_VM_H
#define HV_LINUX_VM_H

#include "hv/vm.h"

/* Loads the VM's kernel (vm->config.linux_files) into its RAM and chooses the entry
 * state. 0, or an HV_E* error with *why naming what is wrong with the kernel or
 * the configuration (the VM is then left out). */
int linux_vm_load(struct vm *vm, struct vm_entry_state *entry, const char **why);
/* The summary lines of a Linux VM: time to userspace, exits, how it ended, its gPAT. */
void linux_vm_report(const struct vm *vm);

#endif
