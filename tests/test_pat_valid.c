/* Unit tests for mm/pat_valid.h: each memory-type encoding in each of the eight
 * PAT fields, and the reserved bits above the type.
 * See: APM §7.8.1 Table 7-9, §15.25.4. */
#include "test.h"

#include "mm/pat_valid.h"

#define PAT_RESET_VALUE UINT64_C(0x0007040600070406)

/* Encodings 0-7 and the first reserved values above them. */
static const struct {
    uint8_t type;
    bool valid;
} encodings[] = {
    { 0, true },  { 1, true },  { 2, false }, { 3, false }, { 4, true },
    { 5, true },  { 6, true },  { 7, true },  { 8, false }, { 0x10, false },
    { 0x86, false }, { 0xff, false },
};

TEST(each_encoding_in_each_field)
{
    for (size_t i = 0; i < sizeof encodings / sizeof encodings[0]; i++) {
        for (unsigned field = 0; field < 8; field++) {
            uint64_t pat = (PAT_RESET_VALUE & ~(UINT64_C(0xff) << (8 * field))) |
                           ((uint64_t)encodings[i].type << (8 * field));

            test_row("PA%u = 0x%02x is %s", field, encodings[i].type,
                     encodings[i].valid ? "valid" : "invalid");
            EXPECT_EQ(pat_value_is_valid(pat), encodings[i].valid);
        }
    }
}

TEST(whole_values)
{
    EXPECT_TRUE(pat_value_is_valid(PAT_RESET_VALUE));
    EXPECT_TRUE(pat_value_is_valid(0));
    EXPECT_TRUE(pat_value_is_valid(UINT64_C(0x0606060606060606)));
    EXPECT_TRUE(pat_value_is_valid(UINT64_C(0x0705040106060606)));
    EXPECT_FALSE(pat_value_is_valid(UINT64_MAX));
    EXPECT_FALSE(pat_value_is_valid(UINT64_C(0x0202020202020202)));
}
