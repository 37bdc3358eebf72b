/* Port I/O as minisvm presents it: an emulated COM1 whose line status says
 * "transmitter empty", and ports with no device that read as all ones and ignore
 * writes. See: APM Vol. 2 §15.10 (IOIO intercept), design.md §3 (guest memory map). */
#include "guest/console.h"
#include "guest/test.h"
#include "guest/tests/tests.h"
#include "guest/x86.h"

#define UNEMULATED_PORT 0x1234

void test_io(void)
{
    test_begin("io: COM1 LSR (0x3fd) reads 0x60 (THR empty, transmitter empty)");
    test_check_equal("LSR", LINE_STATUS_THR_EMPTY | LINE_STATUS_TRANSMITTER_EMPTY,
                     inb(COM1_LINE_STATUS_PORT));
    test_end();

    test_begin("io: inb from an unemulated port (0x1234) reads 0xff");
    test_check_equal("inb", 0xff, inb(UNEMULATED_PORT));
    test_end();

    test_begin("io: inw from an unemulated port (0x1234) reads 0xffff");
    test_check_equal("inw", 0xffff, inw(UNEMULATED_PORT));
    test_end();

    test_begin("io: inl from an unemulated port (0x1234) reads 0xffffffff");
    test_check_equal("inl", 0xffffffff, inl(UNEMULATED_PORT));
    test_end();

    /* A fault here would be an unexpected exception: the framework bails out. */
    test_begin("io: outb to an unemulated port is ignored (no fault, still reads 0xff)");
    outb(UNEMULATED_PORT, 0x5a);
    test_check_equal("inb after the write", 0xff, inb(UNEMULATED_PORT));
    test_end();
}
