/* minisvm's IDT: every CPU exception in the host ends in a register dump and a clean
 * stop, never in a silent reboot. */
#ifndef HV_IDT_H
#define HV_IDT_H

#include <stdint.h>

/* What hv/exception_entry.asm saves, lowest address first. */
struct exception_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector;
    uint64_t error_code;  /* 0 for exceptions without one */
    /* pushed by the CPU */
    uint64_t rip, cs, rflags, rsp, ss;
};

void idt_init(void);
/* Called from the assembly stubs. */
__attribute__((noreturn)) void exception_report(const struct exception_frame *frame);

#endif
