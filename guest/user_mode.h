/* Running code at CPL 3: enter with IRETQ, come back through int 0x80 (an
 * interrupt gate with DPL 3) or through any exception the user code raises. */
#ifndef GUEST_USER_MODE_H
#define GUEST_USER_MODE_H

#include <stdbool.h>
#include <stdint.h>

#include "guest/idt.h"

struct user_mode_outcome {
    uint64_t result;            /* RDI at int 0x80 */
    bool trapped;               /* an exception ended the run instead */
    struct exception_record exception;
    uint64_t trap_cs;           /* CS pushed by the CPU: shows the CPL it came from */
};

/* Runs entry (an address in the .user_text section) at CPL 3 on the user stack. */
struct user_mode_outcome user_mode_run(void (*entry)(void));

/* Called by exception_dispatch() for anything that arrives from CPL 3. */
void user_mode_trap(struct exception_frame *frame);

/* CPL 3 routines, in user_mode_entry.asm. */
#define USER_MODE_RETURN_VALUE 0x5eedc0de
extern void user_return_value(void);        /* int 0x80 with USER_MODE_RETURN_VALUE */
extern void user_halt(void);                /* hlt: #GP(0) at CPL 3 */
extern const uint8_t user_halt_instruction[];
extern void user_write_msr(void);           /* wrmsr: #GP(0) at CPL 3 */
extern const uint8_t user_write_msr_instruction[];
extern void user_read_kernel_data(void);    /* reads a supervisor page: #PF */
extern const uint8_t user_read_kernel_data_instruction[];
extern uint64_t user_mode_kernel_only_data;

#endif
