/* Exit dispatch: a table from exit code to handler, each handler in the file of its
 * subject (exit_msr.c, exit_npf.c, ...), returning whether the guest resumes. */
#ifndef HV_EXIT_H
#define HV_EXIT_H

#include "hv/vm.h"

enum exit_action {
    EXIT_RESUME,    /* VMRUN again */
    EXIT_END_VM,    /* the handler ended the VM (vm_end) or the guest finished */
};

typedef enum exit_action (*exit_handler_fn)(struct vm *vm);

/* Handles the exit now in vm's VMCB. */
enum exit_action exit_dispatch(struct vm *vm);
/* Prints the exit counters of a VM by name. */
void exit_print_counters(const struct vm *vm);

/* The handlers, by subject. */
enum exit_action exit_cpuid(struct vm *vm);
enum exit_action exit_msr(struct vm *vm);
enum exit_action exit_ioio(struct vm *vm);
enum exit_action exit_npf(struct vm *vm);
enum exit_action exit_vmmcall(struct vm *vm);
enum exit_action exit_hlt(struct vm *vm);
enum exit_action exit_invd(struct vm *vm);
enum exit_action exit_svm_instruction(struct vm *vm);
enum exit_action exit_xsetbv(struct vm *vm);
enum exit_action exit_shutdown(struct vm *vm);
enum exit_action exit_physical_event(struct vm *vm);
enum exit_action exit_machine_check(struct vm *vm);
enum exit_action exit_invalid(struct vm *vm);
enum exit_action exit_unhandled(struct vm *vm);

/* Ends the VM after an instruction could not be skipped. */
enum exit_action exit_end_undecodable(struct vm *vm, int error);
/* Prints the guest's registers and the interesting VMCB fields. */
void exit_dump_guest(const struct vm *vm);

#endif
