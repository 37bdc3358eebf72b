/* The architectural constants the test guest uses (exception vectors, #PF error
 * code bits, MSR numbers); the instruction wrappers come from hv/x86.h, all but
 * sti, which only the guest uses.
 * See: APM Vol. 2 §3.1 (control registers), §3.2 (EFER), §5.5 (INVLPG), Vol. 3 (CPUID). */
#ifndef GUEST_X86_H
#define GUEST_X86_H

#include <stdint.h>

/* The instruction wrappers and EFER/CR bits are the hypervisor's, one definition. */
#include "hv/x86.h"

#define MSR_PAT             0x00000277u
#define MSR_VM_CR           0xc0010114u

#define VECTOR_DIVIDE_ERROR        0
#define VECTOR_BREAKPOINT          3
#define VECTOR_INVALID_OPCODE      6
#define VECTOR_DOUBLE_FAULT        8
#define VECTOR_GENERAL_PROTECTION  13
#define VECTOR_PAGE_FAULT          14

/* Interrupts are recognised again after the instruction that follows STI. */
static inline void sti(void) { __asm__ volatile("sti" ::: "memory"); }

/* #PF error code bits (APM §8.4.2). */
#define PAGE_FAULT_PRESENT  (1u << 0)
#define PAGE_FAULT_WRITE    (1u << 1)
#define PAGE_FAULT_USER     (1u << 2)

#endif
