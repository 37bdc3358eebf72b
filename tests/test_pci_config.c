/* Unit tests for the empty PCI bus (hv/devices/pci_config.c): the address register
 * Linux's type-1 check reads back, all-ones data, and the reset control bit. */
#include "test.h"

#include "hv/devices/pci_config.h"

TEST(pci_config_which_accesses)
{
    static const struct { uint16_t port; unsigned size; bool claimed; } rows[] = {
        { 0xcf8, 4, true }, { 0xcf8, 2, false }, { 0xcf8, 1, false }, { 0xcf9, 1, false },
        { 0xcfb, 1, false }, { 0xcfc, 4, true }, { 0xcfc, 2, true }, { 0xcfe, 2, true },
        { 0xcff, 1, true }, { 0xd00, 1, false }, { 0xcf7, 1, false },
    };

    for (unsigned i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        test_row("pci: %u byte(s) at 0x%x %s", rows[i].size, rows[i].port,
                 rows[i].claimed ? "claimed" : "not claimed");
        EXPECT_EQ(pci_config_claims(rows[i].port, rows[i].size), rows[i].claimed);
    }
}

TEST(pci_config_empty_bus)
{
    struct pci_config pci;

    pci_config_init(&pci);
    EXPECT_EQ(pci_config_read(&pci, 0xcf8, 4), 0);
    /* Linux's pci_check_type1: the enable bit it writes reads back. */
    pci_config_write(&pci, 0xcf8, 4, 0x80000000u);
    EXPECT_EQ(pci_config_read(&pci, 0xcf8, 4), 0x80000000u);
    /* Vendor/device of bus 0, device 0: no device. */
    EXPECT_EQ(pci_config_read(&pci, 0xcfc, 4), 0xffffffffu);
    EXPECT_EQ(pci_config_read(&pci, 0xcfc, 2), 0xffff);
    EXPECT_EQ(pci_config_read(&pci, 0xcfe, 1), 0xff);
    pci_config_write(&pci, 0xcfc, 4, 0x12345678u);
    EXPECT_EQ(pci_config_read(&pci, 0xcfc, 4), 0xffffffffu);
    EXPECT_EQ(pci_config_read(&pci, 0xcf8, 4), 0x80000000u);
}

TEST(pci_reset_control)
{
    EXPECT_TRUE(pci_reset_control_requests_reset(0x06));    /* hard reset */
    EXPECT_TRUE(pci_reset_control_requests_reset(0x04));    /* soft reset */
    EXPECT_TRUE(pci_reset_control_requests_reset(0x0e));    /* full reset */
    EXPECT_FALSE(pci_reset_control_requests_reset(0x02));   /* choose hard, not yet */
    EXPECT_FALSE(pci_reset_control_requests_reset(0x00));
}
