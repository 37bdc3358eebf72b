/* Intercepted instructions that the guest may use and that must come back:
 * HLT (minisvm treats it as a yield) and INVD (which must not run for real on
 * the host's caches). See: APM Vol. 2 §15.9 (instruction intercepts), design.md §3. */
#include "guest/test.h"
#include "guest/tests/tests.h"

void test_instructions(void)
{
    /* RFLAGS.IF = 0: on bare metal this hlt would never end. Under minisvm the
     * intercept advances RIP past it; the marker proves execution went on there. */
    test_begin("hlt: returns to the next instruction (a yield)");
    uint64_t marker = 0;
    __asm__ volatile("hlt\n\tmovq $0x4c54, %0" : "=r"(marker) : : "memory");
    test_check_equal("marker set after hlt", 0x4c54, marker);
    test_end();

    test_begin("invd: executes and returns to the next instruction");
    marker = 0;
    __asm__ volatile("invd\n\tmovq $0x494e, %0" : "=r"(marker) : : "memory");
    test_check_equal("marker set after invd", 0x494e, marker);
    test_end();
}
