/* Port I/O as minisvm presents it: an emulated COM1 whose line status says
 * "transmitter empty", PCI configuration ports with no device behind them, and
 * ports with no device that read as all ones and ignore writes.
 * See: APM Vol. 2 §15.10 (IOIO intercept), design.md §3, PCI Local Bus
 * Specification 3.0 §3.2.2.3.2 (configuration mechanism #1). */
#include "guest/console.h"
#include "guest/test.h"
#include "guest/tests/tests.h"
#include "guest/x86.h"

#define UNEMULATED_PORT 0x1234
#define PCI_CONFIG_ADDRESS_PORT 0xcf8
#define PCI_CONFIG_DATA_PORT    0xcfc
/* Enable bit 31, bus 0, device 0, function 0, register 0: the vendor and device ID. */
#define PCI_CONFIG_ENABLE       0x80000000u

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

    /* The address register keeps what was written; a function that is not there
     * reads as all ones, which is how software finds there is none. */
    test_begin("pci: no device behind the configuration ports (0xcf8 reads back "
               "0x80000000, 0xcfc reads 0xffffffff)");
    outl(PCI_CONFIG_ADDRESS_PORT, PCI_CONFIG_ENABLE);
    test_check_equal("inl 0xcf8", PCI_CONFIG_ENABLE, inl(PCI_CONFIG_ADDRESS_PORT));
    test_check_equal("inl 0xcfc (vendor and device ID)", 0xffffffff, inl(PCI_CONFIG_DATA_PORT));
    outl(PCI_CONFIG_ADDRESS_PORT, 0);
    test_end();
}
