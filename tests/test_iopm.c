/* Unit tests for svm/iopm.c: single ports, 2- and 4-byte accesses that straddle
 * an intercepted port, and accesses at 0xffff that reach the three extra bits.
 * See: APM §15.10.1. */
#include "test.h"

#include "svm/iopm.h"

static uint8_t map[IOPM_SIZE_BYTES];

struct access {
    uint16_t port;
    unsigned size_bytes;
    bool intercepted;
};

static void check_accesses(const char *map_name, const struct access *accesses, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        const struct access *a = &accesses[i];

        test_row("%s: %u-byte access at 0x%04x %s", map_name, a->size_bytes, a->port,
                 a->intercepted ? "exits" : "passes");
        EXPECT_EQ(iopm_access_intercepted(map, a->port, a->size_bytes), a->intercepted);
    }
}

TEST(accesses_straddling_an_intercepted_port)
{
    static const struct access accesses[] = {
        { 0x3f8, 1, false }, { 0x3f9, 1, true }, { 0x3fa, 1, false },
        { 0x3f7, 2, false }, { 0x3f8, 2, true }, { 0x3f9, 2, true }, { 0x3fa, 2, false },
        { 0x3f5, 4, false }, { 0x3f6, 4, true }, { 0x3f9, 4, true }, { 0x3fa, 4, false },
    };

    memset(map, 0, sizeof map);
    EXPECT_EQ(iopm_set_port(map, 0x3f9, true), 0);
    check_accesses("only 0x3f9 intercepted", accesses, sizeof accesses / sizeof accesses[0]);
}

TEST(set_port_writes_one_bit)
{
    memset(map, 0, sizeof map);
    EXPECT_EQ(iopm_set_port(map, 0x3f9, true), 0);
    EXPECT_EQ(map[0x7f], 0x02);
    EXPECT_EQ(iopm_set_port(map, 0xffff, true), 0);
    EXPECT_EQ(map[0x1fff], 0x80);
    EXPECT_EQ(iopm_set_port(map, 0x10002, true), 0);
    EXPECT_EQ(map[0x2000], 0x04);
    EXPECT_EQ(iopm_set_port(map, 0x3f9, false), 0);
    EXPECT_EQ(map[0x7f], 0x00);
}

TEST(set_port_refuses_bits_past_the_extra_three)
{
    memset(map, 0, sizeof map);
    EXPECT_EQ(iopm_set_port(map, 0x10003, true), IOPM_ERROR_PORT_OUT_OF_RANGE);
    EXPECT_EQ(iopm_set_port(map, UINT32_MAX, true), IOPM_ERROR_PORT_OUT_OF_RANGE);
    EXPECT_EQ(map[0x2000], 0);
}

TEST(accesses_at_0xffff_reach_the_extra_bits)
{
    static const struct access first_extra[] = {
        { 0xffff, 1, false }, { 0xffff, 2, true }, { 0xffff, 4, true },
        { 0xfffe, 2, false }, { 0xfffd, 4, true }, { 0xfffc, 4, false },
    };
    static const struct access last_extra[] = {
        { 0xffff, 2, false }, { 0xffff, 4, true }, { 0xfffe, 4, false },
    };
    static const struct access port_0[] = {
        { 0x0000, 1, true }, { 0xffff, 2, false }, { 0xffff, 4, false },
    };

    memset(map, 0, sizeof map);
    EXPECT_EQ(iopm_set_port(map, 0x10000, true), 0);
    check_accesses("bit 0x10000", first_extra, sizeof first_extra / sizeof first_extra[0]);

    memset(map, 0, sizeof map);
    EXPECT_EQ(iopm_set_port(map, 0x10002, true), 0);
    check_accesses("bit 0x10002", last_extra, sizeof last_extra / sizeof last_extra[0]);

    /* The port number does not wrap to 0: port 0's bit is not consulted. */
    memset(map, 0, sizeof map);
    EXPECT_EQ(iopm_set_port(map, 0x0000, true), 0);
    check_accesses("port 0 only", port_0, sizeof port_0 / sizeof port_0[0]);
}

TEST(init_intercepts_every_port_and_extra_bit)
{
    static const struct access accesses[] = {
        { 0x0000, 1, true }, { 0x3f8, 2, true }, { 0xffff, 1, true }, { 0xffff, 4, true },
    };
    size_t ones = 0;

    memset(map, 0, sizeof map);
    iopm_init_intercept_all(map);
    for (size_t i = 0; i < sizeof map; i++)
        ones += map[i] == 0xff;
    EXPECT_EQ(ones, IOPM_SIZE_BYTES);
    check_accesses("all intercepted", accesses, sizeof accesses / sizeof accesses[0]);

    test_row("0x%04x cleared, neighbours still intercepted", 0x60);
    EXPECT_EQ(iopm_set_port(map, 0x60, false), 0);
    EXPECT_FALSE(iopm_access_intercepted(map, 0x60, 1));
    EXPECT_TRUE(iopm_access_intercepted(map, 0x60, 2));
    EXPECT_TRUE(iopm_access_intercepted(map, 0x5f, 2));
}

TEST(impossible_sizes_are_intercepted)
{
    memset(map, 0, sizeof map);
    EXPECT_TRUE(iopm_access_intercepted(map, 0x80, 0));
    EXPECT_TRUE(iopm_access_intercepted(map, 0x80, 3));
    EXPECT_TRUE(iopm_access_intercepted(map, 0x80, 8));
}
