/* Unit tests for mm/pat.c: PAT encodings and validity, the host PAT layout, PAT
 * indices in page-table entries, and the nested-paging memory-type tables.
 * See: APM §7.8.1-§7.8.2, §15.25.8 (Tables 15-19 and 15-20). */
#include "tests/test.h"

#include "mm/pagetable.h"
#include "mm/pat.h"
#include "mm/pte.h"

/* Table 15-19, written out by hand from the APM, one row per pair. */
static const struct {
    enum pat_type guest;
    enum pat_type host;
    enum memory_type expected;
} TABLE_15_19_ROWS[] = {
    { PAT_UC, PAT_UC, MEMORY_TYPE_UC },
    { PAT_UC, PAT_UC_MINUS, MEMORY_TYPE_UC },
    { PAT_UC, PAT_WC, MEMORY_TYPE_UC },
    { PAT_UC, PAT_WP, MEMORY_TYPE_UC },
    { PAT_UC, PAT_WT, MEMORY_TYPE_UC },
    { PAT_UC, PAT_WB, MEMORY_TYPE_UC },
    { PAT_UC_MINUS, PAT_UC, MEMORY_TYPE_UC },
    { PAT_UC_MINUS, PAT_UC_MINUS, MEMORY_TYPE_UC_MINUS },
    { PAT_UC_MINUS, PAT_WC, MEMORY_TYPE_WC },
    { PAT_UC_MINUS, PAT_WP, MEMORY_TYPE_UC },
    { PAT_UC_MINUS, PAT_WT, MEMORY_TYPE_UC },
    { PAT_UC_MINUS, PAT_WB, MEMORY_TYPE_UC },
    { PAT_WC, PAT_UC, MEMORY_TYPE_WC },
    { PAT_WC, PAT_UC_MINUS, MEMORY_TYPE_WC },
    { PAT_WC, PAT_WC, MEMORY_TYPE_WC },
    { PAT_WC, PAT_WP, MEMORY_TYPE_WC_PLUS },
    { PAT_WC, PAT_WT, MEMORY_TYPE_WC_PLUS },
    { PAT_WC, PAT_WB, MEMORY_TYPE_WC_PLUS },
    { PAT_WP, PAT_UC, MEMORY_TYPE_UC },
    { PAT_WP, PAT_UC_MINUS, MEMORY_TYPE_UC },
    { PAT_WP, PAT_WC, MEMORY_TYPE_UC },
    { PAT_WP, PAT_WP, MEMORY_TYPE_WP },
    { PAT_WP, PAT_WT, MEMORY_TYPE_UC },
    { PAT_WP, PAT_WB, MEMORY_TYPE_WP },
    { PAT_WT, PAT_UC, MEMORY_TYPE_UC },
    { PAT_WT, PAT_UC_MINUS, MEMORY_TYPE_UC },
    { PAT_WT, PAT_WC, MEMORY_TYPE_UC },
    { PAT_WT, PAT_WP, MEMORY_TYPE_UC },
    { PAT_WT, PAT_WT, MEMORY_TYPE_WT },
    { PAT_WT, PAT_WB, MEMORY_TYPE_WT },
    { PAT_WB, PAT_UC, MEMORY_TYPE_UC },
    { PAT_WB, PAT_UC_MINUS, MEMORY_TYPE_UC },
    { PAT_WB, PAT_WC, MEMORY_TYPE_WC },
    { PAT_WB, PAT_WP, MEMORY_TYPE_WP },
    { PAT_WB, PAT_WT, MEMORY_TYPE_WT },
    { PAT_WB, PAT_WB, MEMORY_TYPE_WB },
};

/* Table 15-20, written out by hand from the APM, one row per pair. */
static const struct {
    enum memory_type combined;
    enum mtrr_type mtrr;
    enum memory_type expected;
} TABLE_15_20_ROWS[] = {
    { MEMORY_TYPE_UC, MTRR_UC, MEMORY_TYPE_UC },
    { MEMORY_TYPE_UC, MTRR_WC, MEMORY_TYPE_CD },
    { MEMORY_TYPE_UC, MTRR_WP, MEMORY_TYPE_CD },
    { MEMORY_TYPE_UC, MTRR_WT, MEMORY_TYPE_CD },
    { MEMORY_TYPE_UC, MTRR_WB, MEMORY_TYPE_CD },
    { MEMORY_TYPE_UC_MINUS, MTRR_UC, MEMORY_TYPE_UC },
    { MEMORY_TYPE_UC_MINUS, MTRR_WC, MEMORY_TYPE_WC },
    { MEMORY_TYPE_UC_MINUS, MTRR_WP, MEMORY_TYPE_CD },
    { MEMORY_TYPE_UC_MINUS, MTRR_WT, MEMORY_TYPE_CD },
    { MEMORY_TYPE_UC_MINUS, MTRR_WB, MEMORY_TYPE_CD },
    { MEMORY_TYPE_WC, MTRR_UC, MEMORY_TYPE_WC },
    { MEMORY_TYPE_WC, MTRR_WC, MEMORY_TYPE_WC },
    { MEMORY_TYPE_WC, MTRR_WP, MEMORY_TYPE_WC },
    { MEMORY_TYPE_WC, MTRR_WT, MEMORY_TYPE_WC },
    { MEMORY_TYPE_WC, MTRR_WB, MEMORY_TYPE_WC },
    { MEMORY_TYPE_WC_PLUS, MTRR_UC, MEMORY_TYPE_WC },
    { MEMORY_TYPE_WC_PLUS, MTRR_WC, MEMORY_TYPE_WC },
    { MEMORY_TYPE_WC_PLUS, MTRR_WP, MEMORY_TYPE_WC_PLUS },
    { MEMORY_TYPE_WC_PLUS, MTRR_WT, MEMORY_TYPE_WC_PLUS },
    { MEMORY_TYPE_WC_PLUS, MTRR_WB, MEMORY_TYPE_WC_PLUS },
    { MEMORY_TYPE_WP, MTRR_UC, MEMORY_TYPE_UC },
    { MEMORY_TYPE_WP, MTRR_WC, MEMORY_TYPE_CD },
    { MEMORY_TYPE_WP, MTRR_WP, MEMORY_TYPE_WP },
    { MEMORY_TYPE_WP, MTRR_WT, MEMORY_TYPE_CD },
    { MEMORY_TYPE_WP, MTRR_WB, MEMORY_TYPE_WP },
    { MEMORY_TYPE_WT, MTRR_UC, MEMORY_TYPE_UC },
    { MEMORY_TYPE_WT, MTRR_WC, MEMORY_TYPE_CD },
    { MEMORY_TYPE_WT, MTRR_WP, MEMORY_TYPE_CD },
    { MEMORY_TYPE_WT, MTRR_WT, MEMORY_TYPE_WT },
    { MEMORY_TYPE_WT, MTRR_WB, MEMORY_TYPE_WT },
    { MEMORY_TYPE_WB, MTRR_UC, MEMORY_TYPE_UC },
    { MEMORY_TYPE_WB, MTRR_WC, MEMORY_TYPE_WC },
    { MEMORY_TYPE_WB, MTRR_WP, MEMORY_TYPE_WP },
    { MEMORY_TYPE_WB, MTRR_WT, MEMORY_TYPE_WT },
    { MEMORY_TYPE_WB, MTRR_WB, MEMORY_TYPE_WB },
};

#define ROW_COUNT(table) (sizeof(table) / sizeof((table)[0]))

TEST(table_15_19_guest_and_host_pat)
{
    EXPECT_EQ(ROW_COUNT(TABLE_15_19_ROWS), 36);
    for (size_t i = 0; i < ROW_COUNT(TABLE_15_19_ROWS); i++) {
        test_row("Table 15-19: guest %s x host %s = %s", pat_type_name(TABLE_15_19_ROWS[i].guest),
                 pat_type_name(TABLE_15_19_ROWS[i].host),
                 memory_type_name(TABLE_15_19_ROWS[i].expected));
        EXPECT_EQ(pat_combine_guest_host(TABLE_15_19_ROWS[i].guest, TABLE_15_19_ROWS[i].host),
                  TABLE_15_19_ROWS[i].expected);
    }
}

TEST(table_15_20_pat_and_mtrr)
{
    EXPECT_EQ(ROW_COUNT(TABLE_15_20_ROWS), 35);
    for (size_t i = 0; i < ROW_COUNT(TABLE_15_20_ROWS); i++) {
        test_row("Table 15-20: %s x MTRR %s = %s", memory_type_name(TABLE_15_20_ROWS[i].combined),
                 pat_type_name((uint8_t)TABLE_15_20_ROWS[i].mtrr),
                 memory_type_name(TABLE_15_20_ROWS[i].expected));
        EXPECT_EQ(pat_combine_with_mtrr(TABLE_15_20_ROWS[i].combined, TABLE_15_20_ROWS[i].mtrr),
                  TABLE_15_20_ROWS[i].expected);
    }
}

TEST(tables_reject_what_they_do_not_list)
{
    const struct {
        const char *name;
        enum memory_type actual;
    } rows[] = {
        { "15-19 guest reserved 2", pat_combine_guest_host((enum pat_type)2, PAT_WB) },
        { "15-19 host reserved 3", pat_combine_guest_host(PAT_WB, (enum pat_type)3) },
        { "15-19 guest 0xff", pat_combine_guest_host((enum pat_type)0xff, PAT_WB) },
        { "15-20 MTRR has no UC-", pat_combine_with_mtrr(MEMORY_TYPE_WB, (enum mtrr_type)7) },
        { "15-20 CD is a result, not an input", pat_combine_with_mtrr(MEMORY_TYPE_CD, MTRR_WB) },
        { "15-20 invalid input", pat_combine_with_mtrr(MEMORY_TYPE_INVALID, MTRR_WB) },
    };

    for (size_t i = 0; i < ROW_COUNT(rows); i++) {
        test_row("%s -> invalid", rows[i].name);
        EXPECT_EQ(rows[i].actual, MEMORY_TYPE_INVALID);
    }
}

/* The six valid encodings of APM Table 7-9, listed independently of pat.c. */
static bool encoding_is_listed_valid(unsigned value)
{
    return value == 0 || value == 1 || value == 4 || value == 5 || value == 6 || value == 7;
}

TEST(every_byte_value_at_position_5)
{
    for (unsigned value = 0; value < 256; value++) {
        uint64_t pat = (uint64_t)value << 40;
        bool expected = encoding_is_listed_valid(value);

        test_row("PA5 = 0x%02x %s", value, expected ? "accepted" : "rejected (#GP)");
        EXPECT_EQ(pat_value_is_valid(pat), expected);
        EXPECT_EQ(pat_first_invalid_entry(pat), expected ? -1 : 5);
    }
}

TEST(reserved_encodings_at_every_position)
{
    static const uint8_t reserved[] = { 2, 3, 8, 0xff };

    for (unsigned index = 0; index < PAT_ENTRY_COUNT; index++) {
        for (size_t i = 0; i < ROW_COUNT(reserved); i++) {
            /* Every other byte keeps a valid hPAT type, so only this one can fail. */
            uint64_t pat = (HOST_PAT_VALUE & ~(0xffull << (8 * index))) |
                           ((uint64_t)reserved[i] << (8 * index));

            test_row("PA%u = 0x%02x rejected, reported as PA%u", index, reserved[i], index);
            EXPECT_FALSE(pat_value_is_valid(pat));
            EXPECT_EQ(pat_first_invalid_entry(pat), index);
        }
    }
}

TEST(first_invalid_entry_is_the_lowest)
{
    test_row("PA2 and PA6 reserved: PA2 reported");
    EXPECT_EQ(pat_first_invalid_entry(0x0002000000020000ull), 2);
    test_row("reserved bit 63 only: PA7 reported");
    EXPECT_EQ(pat_first_invalid_entry(0x8000000000000000ull), 7);
}

TEST(power_on_default_and_host_pat)
{
    test_row("PAT_POWER_ON_DEFAULT is valid");
    EXPECT_TRUE(pat_value_is_valid(PAT_POWER_ON_DEFAULT));
    EXPECT_EQ(pat_first_invalid_entry(PAT_POWER_ON_DEFAULT), -1);
    test_row("HOST_PAT_VALUE is valid");
    EXPECT_TRUE(pat_value_is_valid(HOST_PAT_VALUE));
    EXPECT_EQ(pat_first_invalid_entry(HOST_PAT_VALUE), -1);
    test_row("HOST_PAT_VALUE differs from the power-on default");
    EXPECT_TRUE(HOST_PAT_VALUE != PAT_POWER_ON_DEFAULT);
    test_row("the two differ exactly at PA4 and PA5");
    EXPECT_EQ(HOST_PAT_VALUE ^ PAT_POWER_ON_DEFAULT, 0x0000010700000000ull);
    test_row("HOST_PAT_INDEX_WB selects WB");
    EXPECT_EQ(pat_entry(HOST_PAT_VALUE, HOST_PAT_INDEX_WB), PAT_WB);
    test_row("HOST_PAT_INDEX_WC selects WC");
    EXPECT_EQ(pat_entry(HOST_PAT_VALUE, HOST_PAT_INDEX_WC), PAT_WC);
    test_row("MSR_IA32_CR_PAT is 0x277");
    EXPECT_EQ(MSR_IA32_CR_PAT, 0x277);
}

TEST(entries_of_the_host_pat)
{
    static const uint8_t expected[PAT_ENTRY_COUNT] = {
        PAT_WB, PAT_WT, PAT_UC_MINUS, PAT_UC, PAT_WC, PAT_WP, PAT_UC_MINUS, PAT_UC,
    };

    for (unsigned index = 0; index < PAT_ENTRY_COUNT; index++) {
        test_row("hPAT PA%u = %s", index, pat_type_name(expected[index]));
        EXPECT_EQ(pat_entry(HOST_PAT_VALUE, index), expected[index]);
    }
    test_row("index 8 reads as 0xff");
    EXPECT_EQ(pat_entry(HOST_PAT_VALUE, 8), 0xff);
}

TEST(with_entry_round_trips)
{
    static const struct {
        unsigned index;
        uint8_t type;
        uint64_t expected;
    } rows[] = {
        { 0, PAT_UC, 0x0007050100070400ull },
        { 1, PAT_WB, 0x0007050100070606ull },
        { 2, PAT_WC, 0x0007050100010406ull },
        { 3, PAT_WT, 0x0007050104070406ull },
        { 4, PAT_WB, 0x0007050600070406ull },
        { 5, PAT_UC_MINUS, 0x0007070100070406ull },
        { 6, PAT_WP, 0x0005050100070406ull },
        { 7, 0xff, 0xff07050100070406ull },
        { 8, PAT_WB, HOST_PAT_VALUE },  /* out of range: unchanged */
    };

    for (size_t i = 0; i < ROW_COUNT(rows); i++) {
        uint64_t changed = pat_with_entry(HOST_PAT_VALUE, rows[i].index, rows[i].type);

        test_row("hPAT with PA%u = 0x%02x", rows[i].index, rows[i].type);
        EXPECT_EQ(changed, rows[i].expected);
        if (rows[i].index < PAT_ENTRY_COUNT) {
            EXPECT_EQ(pat_entry(changed, rows[i].index), rows[i].type);
            EXPECT_EQ(pat_with_entry(changed, rows[i].index,
                                     pat_entry(HOST_PAT_VALUE, rows[i].index)),
                      HOST_PAT_VALUE);
        }
    }
}

TEST(type_names)
{
    static const struct {
        uint8_t encoding;
        const char *name;
    } pat_rows[] = {
        { 0, "UC" }, { 1, "WC" }, { 2, "reserved" }, { 3, "reserved" }, { 4, "WT" },
        { 5, "WP" }, { 6, "WB" }, { 7, "UC-" }, { 8, "reserved" }, { 0xff, "reserved" },
    };
    static const struct {
        enum memory_type type;
        const char *name;
    } memory_rows[] = {
        { MEMORY_TYPE_UC, "UC" }, { MEMORY_TYPE_UC_MINUS, "UC-" }, { MEMORY_TYPE_WC, "WC" },
        { MEMORY_TYPE_WC_PLUS, "WC+" }, { MEMORY_TYPE_WP, "WP" }, { MEMORY_TYPE_WT, "WT" },
        { MEMORY_TYPE_WB, "WB" }, { MEMORY_TYPE_CD, "CD" }, { MEMORY_TYPE_INVALID, "invalid" },
    };

    for (size_t i = 0; i < ROW_COUNT(pat_rows); i++) {
        test_row("PAT encoding %u is %s", pat_rows[i].encoding, pat_rows[i].name);
        EXPECT_STR_EQ(pat_type_name(pat_rows[i].encoding), pat_rows[i].name);
    }
    for (size_t i = 0; i < ROW_COUNT(memory_rows); i++) {
        test_row("memory type %s", memory_rows[i].name);
        EXPECT_STR_EQ(memory_type_name(memory_rows[i].type), memory_rows[i].name);
    }
}

/* Bit 12 is an address bit in a 4 KiB PTE and bit 7 is PS in a large leaf: both
 * are set in every row below to show that they never count as the PAT bit. */
TEST(pat_index_from_entry)
{
    static const struct {
        uint64_t entry;
        int level;
        unsigned expected;
    } rows[] = {
        { PTE_PRESENT | 0x1000, 1, 0 },
        { PTE_PRESENT | 0x1000 | PTE_PWT, 1, 1 },
        { PTE_PRESENT | 0x1000 | PTE_PCD, 1, 2 },
        { PTE_PRESENT | 0x1000 | PTE_PCD | PTE_PWT, 1, 3 },
        { PTE_PRESENT | 0x1000 | PTE_PAT_4K, 1, 4 },
        { PTE_PRESENT | 0x1000 | PTE_PAT_4K | PTE_PWT, 1, 5 },
        { PTE_PRESENT | 0x1000 | PTE_PAT_4K | PTE_PCD, 1, 6 },
        { PTE_PRESENT | 0x1000 | PTE_PAT_4K | PTE_PCD | PTE_PWT, 1, 7 },
        { PTE_PRESENT | PTE_LARGE | 0x200000, 2, 0 },
        { PTE_PRESENT | PTE_LARGE | 0x200000 | PTE_PWT, 2, 1 },
        { PTE_PRESENT | PTE_LARGE | 0x200000 | PTE_PCD, 2, 2 },
        { PTE_PRESENT | PTE_LARGE | 0x200000 | PTE_PCD | PTE_PWT, 2, 3 },
        { PTE_PRESENT | PTE_LARGE | 0x200000 | PTE_PAT_LARGE, 2, 4 },
        { PTE_PRESENT | PTE_LARGE | 0x200000 | PTE_PAT_LARGE | PTE_PWT, 2, 5 },
        { PTE_PRESENT | PTE_LARGE | 0x200000 | PTE_PAT_LARGE | PTE_PCD, 2, 6 },
        { PTE_PRESENT | PTE_LARGE | 0x200000 | PTE_PAT_LARGE | PTE_PCD | PTE_PWT, 2, 7 },
        { PTE_PRESENT | PTE_LARGE | 0x40000000 | PTE_PAT_LARGE | PTE_PWT, 3, 5 },
        { PTE_PRESENT | PTE_PAT_4K | PTE_PAT_LARGE | PTE_PCD, 4, 2 },  /* no PAT bit */
    };

    for (size_t i = 0; i < ROW_COUNT(rows); i++) {
        test_row("level %d entry 0x%llx -> index %u", rows[i].level,
                 (unsigned long long)rows[i].entry, rows[i].expected);
        EXPECT_EQ(pt_entry_pat_index(rows[i].entry, rows[i].level), rows[i].expected);
    }
}

TEST(format)
{
    static const struct {
        uint64_t pat;
        const char *expected;
    } rows[] = {
        { HOST_PAT_VALUE, "0x0007050100070406 [WB WT UC- UC WC WP UC- UC]" },
        { PAT_POWER_ON_DEFAULT, "0x0007040600070406 [WB WT UC- UC WB WT UC- UC]" },
        { 0x0007040600070802ull, "0x0007040600070802 [reserved reserved UC- UC WB WT UC- UC]" },
    };
    char buffer[80];

    for (size_t i = 0; i < ROW_COUNT(rows); i++) {
        test_row("format 0x%016llx", (unsigned long long)rows[i].pat);
        EXPECT_EQ(pat_format(rows[i].pat, buffer, sizeof buffer), strlen(rows[i].expected));
        EXPECT_STR_EQ(buffer, rows[i].expected);
    }

    test_row("format into 20 bytes: cut, full length returned");
    memset(buffer, 'x', sizeof buffer);
    EXPECT_EQ(pat_format(HOST_PAT_VALUE, buffer, 20), 46);
    EXPECT_STR_EQ(buffer, "0x0007050100070406 ");
    EXPECT_EQ(buffer[20], 'x');
    test_row("format into 24 bytes: cut inside a type name");
    EXPECT_EQ(pat_format(HOST_PAT_VALUE, buffer, 24), 46);
    EXPECT_STR_EQ(buffer, "0x0007050100070406 [WB ");
    test_row("format into nothing: length only");
    EXPECT_EQ(pat_format(HOST_PAT_VALUE, NULL, 0), 46);
}

TEST(nested_effective_memory_type_end_to_end)
{
    /* PA0 WB, PA1 UC, PA2 WT, PA3 UC-, PA4 WP, PA5 UC-, PA6 UC, PA7 WC. */
    const uint64_t gpat = 0x0100070507040006ull;
    static const struct {
        const char *name;
        unsigned guest_index;
        unsigned host_index;
        enum mtrr_type mtrr;
        bool guest_cd;
        bool host_cd;
        enum memory_type expected;
    } rows[] = {
        { "guest WB, host WB, MTRR WB", 0, HOST_PAT_INDEX_WB, MTRR_WB, false, false, MEMORY_TYPE_WB },
        { "guest UC-, host WC, MTRR WB", 3, HOST_PAT_INDEX_WC, MTRR_WB, false, false, MEMORY_TYPE_WC },
        { "guest WC, host WB, MTRR WB", 7, HOST_PAT_INDEX_WB, MTRR_WB, false, false, MEMORY_TYPE_WC_PLUS },
        { "guest WC, host WB, MTRR UC", 7, HOST_PAT_INDEX_WB, MTRR_UC, false, false, MEMORY_TYPE_WC },
        { "guest WB, host UC (hPAT PA3)", 0, 3, MTRR_WB, false, false, MEMORY_TYPE_CD },
        { "guest WB, host UC (hPAT PA3), MTRR UC", 0, 3, MTRR_UC, false, false, MEMORY_TYPE_UC },
        { "guest WT, host WB, MTRR WB", 2, HOST_PAT_INDEX_WB, MTRR_WB, false, false, MEMORY_TYPE_WT },
        { "guest WB, host WB, MTRR WB, guest CR0.CD", 0, HOST_PAT_INDEX_WB, MTRR_WB, true, false, MEMORY_TYPE_CD },
        { "guest WB, host WB, MTRR WB, host CR0.CD", 0, HOST_PAT_INDEX_WB, MTRR_WB, false, true, MEMORY_TYPE_CD },
        { "guest WC, host WB, MTRR WB, both CR0.CD", 7, HOST_PAT_INDEX_WB, MTRR_WB, true, true, MEMORY_TYPE_CD },
        { "guest UC, host WB, MTRR UC, guest CR0.CD", 6, HOST_PAT_INDEX_WB, MTRR_UC, true, false, MEMORY_TYPE_UC },
        { "guest index 8 out of range", 8, HOST_PAT_INDEX_WB, MTRR_WB, false, false, MEMORY_TYPE_INVALID },
        { "reserved MTRR type 2", 0, HOST_PAT_INDEX_WB, (enum mtrr_type)2, true, false, MEMORY_TYPE_INVALID },
    };

    for (size_t i = 0; i < ROW_COUNT(rows); i++) {
        test_row("%s = %s", rows[i].name, memory_type_name(rows[i].expected));
        EXPECT_EQ(nested_effective_memory_type(gpat, rows[i].guest_index, HOST_PAT_VALUE,
                                               rows[i].host_index, rows[i].mtrr,
                                               rows[i].guest_cd, rows[i].host_cd),
                  rows[i].expected);
    }
}
