/* The guest's own IDT, taking every exception, and the expected-exception
 * mechanism: a test arms a recovery RIP, provokes a #UD or #GP, and finds the
 * vector, error code and faulting RIP recorded when execution resumes there.
 * External interrupts (vectors 32-63) go to a handler a test installs. */
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

/* Vectors 0-31 are the exceptions' (APM §8.2); idt_init gives the ones after them,
 * up to STUB_VECTORS - 1, gates for external interrupts. */
#define FIRST_INTERRUPT_VECTOR 32
#define STUB_VECTORS 64           /* the same number in exception_entry.asm */

/* Called by exception_dispatch with IF=0 (interrupt gates clear it); it may change
 * the frame, which IRETQ then resumes. */
typedef void interrupt_handler(struct exception_frame *frame);
/* Installs handler for an interrupt vector, or removes it (NULL): an interrupt at a
 * vector without a handler is unexpected and ends the tests (bail out). */
void interrupt_set_handler(unsigned vector, interrupt_handler *handler);

/* The next exception at CPL 0, whatever its vector, is recorded and execution
 * resumes at recovery_rip with all registers as they were. */
void exception_expect(uint64_t recovery_rip);
/* Disarms and returns what happened since exception_expect(). */
struct exception_record exception_outcome(void);

#endif
