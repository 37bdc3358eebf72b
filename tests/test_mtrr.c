/* Unit tests for a VM's MTRRs (hv/mtrr.c): the "everything write-back" start
 * state Linux checks, and the #GP cases of every MTRR MSR. */
#include "test.h"

#include "hv/mtrr.h"

TEST(mtrr_start_state)
{
    struct mtrr_state m;
    uint64_t value = 0;

    mtrr_init(&m, 48);
    EXPECT_TRUE(mtrr_read(&m, MSR_MTRR_CAP, &value));
    EXPECT_EQ(value, 0x508);                  /* WC, fixed ranges, 8 variable */
    EXPECT_TRUE(mtrr_read(&m, MSR_MTRR_DEF_TYPE, &value));
    EXPECT_EQ(value, 0xc06);                  /* E, FE, default type WB */
    static const uint32_t fixed[] = { 0x250, 0x258, 0x259, 0x268, 0x269, 0x26a, 0x26b,
                                      0x26c, 0x26d, 0x26e, 0x26f };
    for (unsigned i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
        test_row("mtrr: fixed MSR 0x%x starts all write-back", fixed[i]);
        EXPECT_TRUE(mtrr_is_mtrr_msr(fixed[i]));
        EXPECT_TRUE(mtrr_read(&m, fixed[i], &value));
        EXPECT_EQ(value, 0x0606060606060606ull);
    }
    for (uint32_t msr = 0x200; msr < 0x210; msr++) {
        test_row("mtrr: variable MSR 0x%x starts 0 (not valid)", msr);
        EXPECT_TRUE(mtrr_read(&m, msr, &value));
        EXPECT_EQ(value, 0);
    }
}

TEST(mtrr_which_msrs)
{
    static const struct { uint32_t msr; bool is_mtrr; } rows[] = {
        { 0xfe, true }, { 0x2ff, true }, { 0x200, true }, { 0x20f, true }, { 0x210, false },
        { 0x1ff, false }, { 0x250, true }, { 0x251, false }, { 0x257, false },
        { 0x25a, false }, { 0x267, false }, { 0x270, false }, { 0x277, false },
    };
    struct mtrr_state m;
    uint64_t value;

    mtrr_init(&m, 48);
    for (unsigned i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        test_row("mtrr: MSR 0x%x is %san MTRR", rows[i].msr, rows[i].is_mtrr ? "" : "not ");
        EXPECT_EQ(mtrr_is_mtrr_msr(rows[i].msr), rows[i].is_mtrr);
        EXPECT_EQ(mtrr_read(&m, rows[i].msr, &value), rows[i].is_mtrr);
    }
}

TEST(mtrr_writes)
{
    static const struct {
        uint32_t msr;
        uint64_t value;
        bool accepted;
    } rows[] = {
        { 0xfe, 0x508, false },                    /* MTRRcap is read-only */
        { 0x2ff, 0x000, true },                    /* MTRRs off, as Linux does around its PAT write */
        { 0x2ff, 0xc06, true },
        { 0x2ff, 0xc02, false },                   /* type 2 is reserved */
        { 0x2ff, 0xc07, false },                   /* type 7 is reserved */
        { 0x2ff, 0x1c06, false },                  /* bit 12 reserved */
        { 0x2ff, 0x100000c06ull, false },          /* bit 32 reserved */
        { 0x250, 0x0000000000000000ull, true },
        { 0x250, 0x0605040100060504ull, true },
        { 0x26f, 0x0603060606060606ull, false },   /* one byte of type 3 */
        { 0x200, 0x00000000c0000000ull, true },    /* base 3 GiB, UC */
        { 0x200, 0x00000000c0000006ull, true },
        { 0x200, 0x00000000c0000102ull, false },   /* type 2 */
        { 0x200, 0x00000000c0000800ull, false },   /* bit 11 reserved in the base */
        { 0x200, 0x0001000000000006ull, false },   /* bit 48: beyond 48 address bits */
        { 0x201, 0x0000ffffc0000800ull, true },    /* mask 1 GiB, valid */
        { 0x201, 0x0000ffffc0000400ull, false },   /* bit 10 reserved in the mask */
        { 0x20f, 0x0000fffff0000800ull, true },
        { 0x210, 0, false },
    };
    struct mtrr_state m;
    uint64_t value;

    for (unsigned i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        test_row("mtrr: WRMSR 0x%x = 0x%llx is %s", rows[i].msr,
                 (unsigned long long)rows[i].value, rows[i].accepted ? "kept" : "#GP");
        mtrr_init(&m, 48);
        uint64_t before = 0;
        bool readable = mtrr_read(&m, rows[i].msr, &before);
        EXPECT_EQ(mtrr_write(&m, rows[i].msr, rows[i].value), rows[i].accepted);
        if (readable) {
            EXPECT_TRUE(mtrr_read(&m, rows[i].msr, &value));
            EXPECT_EQ(value, rows[i].accepted ? rows[i].value : before);
        }
    }
}

TEST(mtrr_physical_address_width)
{
    struct mtrr_state m;

    mtrr_init(&m, 40);
    EXPECT_TRUE(mtrr_write(&m, 0x202, 0x000000ff00000006ull));    /* bit 39 exists */
    EXPECT_FALSE(mtrr_write(&m, 0x202, 0x0000010000000006ull));   /* bit 40 does not */
    mtrr_init(&m, 7);                                               /* nonsense: 48 */
    EXPECT_TRUE(mtrr_write(&m, 0x202, 0x0000800000000006ull));
    EXPECT_FALSE(mtrr_write(&m, 0x202, 0x0001000000000006ull));
}
