/* The deliberately broken guests. With GUEST_FEATURE_TRIPLE_FAULT it raises an
 * exception that cannot be delivered, so the CPU shuts down. minisvm intercepts
 * SHUTDOWN and must end this VM alone while the others run on.
 * See: APM Vol. 2 §8.2.9 (#DF), §15.14.3 (SHUTDOWN intercept). */
#include "guest/test.h"
#include "guest/tests/tests.h"

_Noreturn void triple_fault_on_purpose(void)
{
    /* An IDT with limit 0 holds no gate: #UD cannot be delivered, which makes a
     * #GP, which cannot be delivered either and makes a #DF, which fails the same
     * way: a triple fault. */
    static const struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) empty_idt = { 0, 0 };

    test_comment("%s: GUEST_FEATURE_TRIPLE_FAULT is set: triple-faulting on purpose "
                 "(IDT limit 0, then ud2)", boot_info.vm_name);
    __asm__ volatile("lidt %0\n\tud2" : : "m"(empty_idt) : "memory");
    __builtin_unreachable();
}

/* The other broken guest: with GUEST_FEATURE_HANG it spins without ever causing an
 * exit. Only minisvm's watchdog (a host timer interrupt, INTR intercept) can end it. */
_Noreturn void hang_on_purpose(void)
{
    test_comment("%s: GUEST_FEATURE_HANG is set: spinning forever on purpose", boot_info.vm_name);
    for (;;)
        __asm__ volatile("" ::: "memory");
}
