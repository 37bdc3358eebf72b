/* Acting on the guest's CPU state from an exit handler: skipping the intercepted
 * instruction, injecting an exception, reading the guest's registers. */
#ifndef HV_GUEST_STATE_H
#define HV_GUEST_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include "hv/vm.h"

#define X86_VECTOR_UD 6
#define X86_VECTOR_GP 13

/* Moves RIP past the instruction that caused the current exit: to nRIP where the
 * CPU has NRIPS, else past the instruction as decoded from guest memory.
 * 0, or an HV_E* error when the instruction cannot be read or is not the one the
 * exit implies (the caller ends the VM). */
int guest_skip_instruction(struct vm *vm);
/* Sets RIP after minisvm completed the intercepted instruction for the guest. An
 * interrupt shadow (STI; HLT) ends with that instruction, so it is cleared. */
void guest_set_next_rip(struct vm *vm, uint64_t rip);
void guest_inject_exception(struct vm *vm, uint8_t vector, bool has_error_code,
                            uint32_t error_code);
/* Copies guest virtual memory (through the guest's own page tables). */
int guest_read_virtual(struct vm *vm, uint64_t gva, void *buffer, uint64_t bytes);

#endif
