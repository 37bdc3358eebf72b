/* Unit tests for svm/msrpm.c: the byte and bit of the read and write intercept
 * of MSRs at the edges of the three mapped ranges, and refusal outside them.
 * See: APM §15.11. */
#include "test.h"

#include "svm/msrpm.h"

static uint8_t map[MSRPM_SIZE_BYTES];

struct msr_position {
    const char *what;
    uint32_t msr;
    uint32_t byte;
    unsigned read_bit;   /* the write bit is the next one */
};

static const struct msr_position positions[] = {
    { "first MSR of range 0", 0x00000000, 0x000, 0 },
    { "IA32_PAT", 0x00000277, 0x09d, 6 },
    { "last MSR of range 0", 0x00001fff, 0x7ff, 6 },
    { "first MSR of range 1", 0xc0000000, 0x800, 0 },
    { "EFER", 0xc0000080, 0x820, 0 },
    { "GS_BASE", 0xc0000101, 0x840, 2 },
    { "last MSR of range 1", 0xc0001fff, 0xfff, 6 },
    { "first MSR of range 2", 0xc0010000, 0x1000, 0 },
    { "VM_HSAVE_PA", 0xc0010117, 0x1045, 6 },
    { "last MSR of range 2", 0xc0011fff, 0x17ff, 6 },
};

static size_t count_set_bits(void)
{
    size_t count = 0;

    for (size_t i = 0; i < sizeof map; i++)
        count += (size_t)__builtin_popcount(map[i]);
    return count;
}

TEST(bit_positions_of_mapped_msrs)
{
    for (size_t i = 0; i < sizeof positions / sizeof positions[0]; i++) {
        const struct msr_position *p = &positions[i];
        uint32_t byte = 0xdead;
        unsigned bit = 99;

        test_row("%s (0x%08x): byte 0x%x, bits %u/%u", p->what, p->msr, p->byte,
                 p->read_bit, p->read_bit + 1);
        EXPECT_EQ(msrpm_bit_position(p->msr, false, &byte, &bit), 0);
        EXPECT_EQ(byte, p->byte);
        EXPECT_EQ(bit, p->read_bit);
        EXPECT_EQ(msrpm_bit_position(p->msr, true, &byte, &bit), 0);
        EXPECT_EQ(byte, p->byte);
        EXPECT_EQ(bit, p->read_bit + 1);
    }
}

static const uint32_t unmapped_msrs[] = {
    0x00002000, 0x40000000, 0xbfffffff, 0xc0002000, 0xc000ffff, 0xc0012000, 0xffffffff,
};

TEST(msrs_outside_the_ranges_are_refused)
{
    for (size_t i = 0; i < sizeof unmapped_msrs / sizeof unmapped_msrs[0]; i++) {
        uint32_t byte = 0xdead;
        unsigned bit = 99;

        test_row("MSR 0x%08x has no bit", unmapped_msrs[i]);
        EXPECT_EQ(msrpm_bit_position(unmapped_msrs[i], false, &byte, &bit),
                  MSRPM_ERROR_MSR_NOT_MAPPED);
        EXPECT_EQ(byte, 0xdead);
        EXPECT_EQ(bit, 99);
        msrpm_init_intercept_all(map);
        EXPECT_EQ(msrpm_set(map, unmapped_msrs[i], false, false), MSRPM_ERROR_MSR_NOT_MAPPED);
        EXPECT_EQ(count_set_bits(), MSRPM_SIZE_BYTES * 8);
    }
}

TEST(init_intercepts_everything)
{
    memset(map, 0, sizeof map);
    msrpm_init_intercept_all(map);
    EXPECT_EQ(count_set_bits(), MSRPM_SIZE_BYTES * 8);
}

TEST(set_changes_only_the_two_bits_of_the_msr)
{
    struct setting {
        bool read;
        bool write;
        uint8_t expected_byte_0x9d;
    } settings[] = {
        { false, false, 0x3f },
        { true, false, 0x7f },
        { false, true, 0xbf },
        { true, true, 0xff },
    };

    for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++) {
        test_row("IA32_PAT read %s, write %s", settings[i].read ? "intercepted" : "passed",
                 settings[i].write ? "intercepted" : "passed");
        msrpm_init_intercept_all(map);
        EXPECT_EQ(msrpm_set(map, 0x277, settings[i].read, settings[i].write), 0);
        EXPECT_EQ(map[0x9d], settings[i].expected_byte_0x9d);
        EXPECT_EQ(count_set_bits(), MSRPM_SIZE_BYTES * 8 - 2 + settings[i].read +
                                        settings[i].write);
    }

    test_row("EFER passed through on a clear map, then intercepted again");
    memset(map, 0, sizeof map);
    EXPECT_EQ(msrpm_set(map, 0xc0000080, true, true), 0);
    EXPECT_EQ(map[0x820], 0x03);
    EXPECT_EQ(count_set_bits(), 2);
    EXPECT_EQ(msrpm_set(map, 0xc0000080, false, true), 0);
    EXPECT_EQ(map[0x820], 0x02);
}
