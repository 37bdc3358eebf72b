/* Intercepted instructions that the guest may use and that must come back: INVD
 * (which must not run for real on the host's caches). HLT is architectural under
 * minisvm, so an interrupt must end it: interrupts.c tests it with IRQ0.
 * See: APM Vol. 2 §15.9 (instruction intercepts), design.md §3. */
#include "guest/test.h"
#include "guest/tests/tests.h"

void test_instructions(void)
{
    test_begin("invd: executes and returns to the next instruction");
    uint64_t marker = 0;
    __asm__ volatile("invd\n\tmovq $0x494e, %0" : "=r"(marker) : : "memory");
    test_check_equal("marker set after invd", 0x494e, marker);
    test_end();
}
