/* The guest's own IDT, taking every exception, and the expected-exception
 * mechanism: a test arms a recovery RIP, provokes a #UD or #GP, and finds the
 * vector, error code and faulting RIP recorded when execution resumes there. */
#ifndef GUEST_IDT_H
#define GUEST_IDT_H

#include <stdbool.h>
#include <stdint.h>

#define SYSTEM_CALL_VECTOR 0x80   /* int 0x80: CPL 3 code returns to the kernel */

/* What exception_entry.asm pushes, lowest address first. */
struct exception_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector;
    uint64_t error_code;        /* 0 for vectors without one */
    uint64_t rip, cs, rflags, rsp, ss;   /* pushed by the CPU */
};

_Static_assert(sizeof(struct exception_frame) == 22 * 8, "matches exception_entry.asm");

struct exception_record {
    bool happened;
    uint64_t vector;
    uint64_t error_code;
    uint64_t rip;               /* RIP pushed by the CPU: the faulting instruction for faults */
    uint64_t cr2;               /* for #PF */
};

void idt_init(void);

/* The next exception at CPL 0, whatever its vector, is recorded and execution
 * resumes at recovery_rip with all registers as they were. */
void exception_expect(uint64_t recovery_rip);
/* Disarms and returns what happened since exception_expect(). */
struct exception_record exception_outcome(void);

#endif
