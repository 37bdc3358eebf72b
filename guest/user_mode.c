/* CPL 3 runs. user_mode_enter() (user_mode_entry.asm) saves the kernel's callee-saved
 * registers and stack pointer and IRETQs to CPL 3; every way back goes through the
 * IDT, where user_mode_trap() rewrites the interrupt frame so that its IRETQ lands
 * at user_mode_exit at CPL 0 instead. See: APM Vol. 2 §8.9.3 (stack switch through
 * TSS.RSP0 on a CPL change), §4.12 (privilege checks). */
#include "guest/user_mode.h"

#include "guest/gdt.h"
#include "guest/x86.h"

#define USER_STACK_BYTES 8192

/* In .bss.user, which the guest's page tables map with U/S = 1. */
static uint8_t user_stack[USER_STACK_BYTES]
    __attribute__((section(".bss.user"), aligned(4096)));

extern uint64_t user_mode_enter(uint64_t user_rip, uint64_t user_rsp);
extern const uint8_t user_mode_exit[];
extern uint64_t user_mode_kernel_rsp;

static struct user_mode_outcome outcome;

struct user_mode_outcome user_mode_run(void (*entry)(void))
{
    outcome = (struct user_mode_outcome){ 0 };
    outcome.result = user_mode_enter((uint64_t)(uintptr_t)entry,
                                     (uint64_t)(uintptr_t)(user_stack + sizeof user_stack));
    return outcome;
}

void user_mode_trap(struct exception_frame *frame)
{
    outcome.trap_cs = frame->cs;
    if (frame->vector == SYSTEM_CALL_VECTOR) {
        frame->rax = frame->rdi;
    } else {
        outcome.trapped = true;
        outcome.exception = (struct exception_record){
            .happened = true,
            .vector = frame->vector,
            .error_code = frame->error_code,
            .rip = frame->rip,
            .cr2 = read_cr2(),
        };
        frame->rax = 0;
    }
    /* Return to the kernel, not to the user code: IRETQ to CPL 0 at user_mode_exit,
     * which takes its stack from user_mode_kernel_rsp. */
    frame->rip = (uint64_t)(uintptr_t)user_mode_exit;
    frame->cs = KERNEL_CODE_SELECTOR;
    frame->ss = KERNEL_DATA_SELECTOR;
    frame->rsp = user_mode_kernel_rsp;
    frame->rflags = 0x2;
}
