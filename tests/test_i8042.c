/* Unit tests for the i8042 reset command (hv/devices/i8042.c). */
#include "test.h"

#include "hv/devices/i8042.h"

TEST(i8042_reset_commands)
{
    for (unsigned value = 0; value < 0x100; value++) {
        bool expected = value >= 0xf0 && (value & 1) == 0;
        test_row("i8042: command 0x%02x %s", value, expected ? "resets" : "does not reset");
        EXPECT_EQ(i8042_write_requests_reset(I8042_COMMAND_PORT, (uint8_t)value), expected);
        EXPECT_FALSE(i8042_write_requests_reset(I8042_DATA_PORT, (uint8_t)value));
    }
}

TEST(i8042_ports_and_status)
{
    EXPECT_TRUE(i8042_claims_port(0x60));
    EXPECT_TRUE(i8042_claims_port(0x64));
    EXPECT_FALSE(i8042_claims_port(0x61));
    EXPECT_FALSE(i8042_claims_port(0x62));
    /* Output buffer full (bit 0) for ever, input buffer (bit 1) always free. */
    EXPECT_EQ(i8042_read(I8042_COMMAND_PORT), 0x01);
    EXPECT_EQ(i8042_read(I8042_DATA_PORT), 0xff);
}
