/* Unit tests for mm/guest_walk: walks of hand-written guest page tables in a
 * fake guest memory, with every page size, every fault, and page-crossing copies.
 * See: APM Vol. 2 §5.3 (long-mode paging), §5.3.1 (canonical addresses). */
#include "tests/test.h"

#include <stdbool.h>

#include "hv/errno.h"
#include "hv/x86.h"
#include "mm/guest_walk.h"
#include "mm/pte.h"

/*
 * The guest's RAM: RAM_PAGES pages at guest-physical RAM_BASE. Pages 0-3 hold
 * the tables, 4 and 5 are data. Everything else is outside RAM, which is
 * where the 2 MiB and 1 GiB leaves point: their translation is only computed.
 */
#define RAM_BASE    0x10000ull
#define RAM_PAGES   8
#define PAGE_GPA(n) (RAM_BASE + (n) * PAGE_SIZE_4K)
#define PML4        PAGE_GPA(0)
#define PDPT        PAGE_GPA(1)
#define PD          PAGE_GPA(2)
#define PT          PAGE_GPA(3)
#define DATA_LOW    PAGE_GPA(4)
#define DATA_HIGH   PAGE_GPA(5)
#define OUTSIDE_RAM 0x7fff000ull

/* PML4 index 1, PDPT index 2, PD index 3, PT index 4, offset 0x567. */
#define TEST_GVA    0x8080604567ull
#define TABLE_BITS  (PTE_PRESENT | PTE_WRITABLE)
#define NOT_SET     0xdeadull

static uint64_t guest_ram[RAM_PAGES][PT_ENTRIES] __attribute__((aligned(4096)));
static unsigned reads;   /* how many pages the code under test asked for */

static const uint64_t *read_guest_page(void *context, uint64_t gpa)
{
    (void)context;
    reads++;
    if (gpa < RAM_BASE || gpa >= RAM_BASE + RAM_PAGES * PAGE_SIZE_4K
        || (gpa & (PAGE_SIZE_4K - 1)))
        return NULL;
    return guest_ram[(gpa - RAM_BASE) / PAGE_SIZE_4K];
}

/* TEST_GVA's page mapped with 4 KiB pages to DATA_HIGH. */
static void build_4k_tables(void)
{
    memset(guest_ram, 0, sizeof guest_ram);
    reads = 0;
    guest_ram[0][1] = PDPT | TABLE_BITS;
    guest_ram[1][2] = PD | TABLE_BITS;
    guest_ram[2][3] = PT | TABLE_BITS;
    guest_ram[3][4] = DATA_HIGH | TABLE_BITS;
}

/* One entry a row changes in the 4 KiB tables: which page and index. */
struct edit {
    unsigned page;
    unsigned index;
    uint64_t entry;
};

#define PML4E(i, e)  { 0, (i), (e) }
#define PDPE(i, e)   { 1, (i), (e) }
#define PDE(i, e)    { 2, (i), (e) }
#define PTE(i, e)    { 3, (i), (e) }
#define NO_EDIT      { RAM_PAGES - 1, 0, 0 }   /* page 7 is never read */

struct walk_row {
    const char *name;
    struct edit edits[2];
    uint64_t cr3;
    uint64_t gva;
    int expected_error;
    uint64_t expected_gpa;
};

static void run_walk_rows(const struct walk_row *rows, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        uint64_t gpa = NOT_SET;

        test_row("%s", rows[i].name);
        build_4k_tables();
        for (int e = 0; e < 2; e++)
            guest_ram[rows[i].edits[e].page][rows[i].edits[e].index] = rows[i].edits[e].entry;
        EXPECT_EQ(guest_virtual_to_physical(read_guest_page, NULL, rows[i].cr3, rows[i].gva, &gpa),
                  rows[i].expected_error);
        EXPECT_EQ(gpa, rows[i].expected_gpa);
    }
}

#define ROWS(rows) run_walk_rows(rows, sizeof rows / sizeof rows[0])

TEST(each_page_size)
{
    static const struct walk_row rows[] = {
        { "4 KiB page", { NO_EDIT, NO_EDIT }, PML4, TEST_GVA, HV_OK, DATA_HIGH | 0x567 },
        { "4 KiB page, offset 0", { NO_EDIT, NO_EDIT }, PML4, TEST_GVA & ~0xfffull,
          HV_OK, DATA_HIGH },
        { "4 KiB page, offset 0xfff", { NO_EDIT, NO_EDIT }, PML4, TEST_GVA | 0xfff,
          HV_OK, DATA_HIGH | 0xfff },
        { "4 KiB page, NX and bits 62:52 are not address bits",
          { PTE(4, DATA_HIGH | TABLE_BITS | PTE_NX | (0x7ffull << 52)), NO_EDIT },
          PML4, TEST_GVA, HV_OK, DATA_HIGH | 0x567 },
        { "4 KiB page, PAT bit 7 in the PTE",
          { PTE(4, DATA_HIGH | TABLE_BITS | PTE_PAT_4K), NO_EDIT },
          PML4, TEST_GVA, HV_OK, DATA_HIGH | 0x567 },
        { "CR3 with PWT and PCD", { NO_EDIT, NO_EDIT }, PML4 | PTE_PWT | PTE_PCD, TEST_GVA,
          HV_OK, DATA_HIGH | 0x567 },
        { "CR3 with a PCID in bits 11:0", { NO_EDIT, NO_EDIT }, PML4 | 0xabc, TEST_GVA,
          HV_OK, DATA_HIGH | 0x567 },
        /* bits 20:0 of TEST_GVA: PT index 4 and offset 0x567 = 0x4567 */
        { "2 MiB page", { PDE(3, 0x40000000ull | TABLE_BITS | PTE_LARGE), NO_EDIT },
          PML4, TEST_GVA, HV_OK, 0x40004567ull },
        { "2 MiB page, PAT bit 12 is not an address bit",
          { PDE(3, 0x40000000ull | TABLE_BITS | PTE_LARGE | PTE_PAT_LARGE), NO_EDIT },
          PML4, TEST_GVA, HV_OK, 0x40004567ull },
        { "2 MiB page, offset 0x1fffff",
          { PDE(3, 0x40000000ull | TABLE_BITS | PTE_LARGE), NO_EDIT },
          PML4, TEST_GVA | 0x1fffff, HV_OK, 0x401fffffull },
        /* bits 29:0 of TEST_GVA: PD index 3, PT index 4, offset = 0x604567 */
        { "1 GiB page", { PDPE(2, 0x80000000ull | TABLE_BITS | PTE_LARGE), NO_EDIT },
          PML4, TEST_GVA, HV_OK, 0x80604567ull },
        { "1 GiB page, PAT bit 12 is not an address bit",
          { PDPE(2, 0x80000000ull | TABLE_BITS | PTE_LARGE | PTE_PAT_LARGE), NO_EDIT },
          PML4, TEST_GVA, HV_OK, 0x80604567ull },
        { "1 GiB page above 4 GiB",
          { PDPE(2, 0x3c0000000ull | TABLE_BITS | PTE_LARGE), NO_EDIT },
          PML4, TEST_GVA, HV_OK, 0x3c0604567ull },
        { "upper half: PML4 index 256, 1 GiB page",
          { PML4E(256, PDPT | TABLE_BITS), PDPE(0, 0xc0000000ull | TABLE_BITS | PTE_LARGE) },
          PML4, 0xffff800000000567ull, HV_OK, 0xc0000567ull },
        { "last page of the upper half, PML4 index 511",
          { PML4E(511, PDPT | TABLE_BITS), PDPE(511, 0xc0000000ull | TABLE_BITS | PTE_LARGE) },
          PML4, 0xffffffffffffffffull, HV_OK, 0xffffffffull },
    };

    ROWS(rows);
}

TEST(not_present_at_each_level)
{
    static const struct walk_row rows[] = {
        { "PML4E not present", { PML4E(1, PDPT | PTE_WRITABLE), NO_EDIT },
          PML4, TEST_GVA, HV_ENOENT, NOT_SET },
        { "PDPE not present", { PDPE(2, 0), NO_EDIT }, PML4, TEST_GVA, HV_ENOENT, NOT_SET },
        { "PDE not present", { PDE(3, PT), NO_EDIT }, PML4, TEST_GVA, HV_ENOENT, NOT_SET },
        { "PTE not present", { PTE(4, DATA_HIGH), NO_EDIT }, PML4, TEST_GVA, HV_ENOENT, NOT_SET },
        /* Only P matters in a not-present entry: the rest may hold anything. */
        { "PTE not present, every other bit set", { PTE(4, ~PTE_PRESENT), NO_EDIT },
          PML4, TEST_GVA, HV_ENOENT, NOT_SET },
        { "PDPE not present, PS set", { PDPE(2, ~PTE_PRESENT), NO_EDIT },
          PML4, TEST_GVA, HV_ENOENT, NOT_SET },
        { "neighbouring PTE only", { PTE(4, 0), PTE(5, DATA_HIGH | TABLE_BITS) },
          PML4, TEST_GVA, HV_ENOENT, NOT_SET },
        { "empty PML4 slot 0", { NO_EDIT, NO_EDIT }, PML4, 0x1000, HV_ENOENT, NOT_SET },
    };

    ROWS(rows);
}

TEST(reserved_bits)
{
    static const struct walk_row rows[] = {
        { "PS in a PML4E", { PML4E(1, PDPT | TABLE_BITS | PTE_LARGE), NO_EDIT },
          PML4, TEST_GVA, HV_EINVAL, NOT_SET },
        { "2 MiB leaf with address bit 13",
          { PDE(3, 0x40002000ull | TABLE_BITS | PTE_LARGE), NO_EDIT },
          PML4, TEST_GVA, HV_EINVAL, NOT_SET },
        { "2 MiB leaf with address bit 20",
          { PDE(3, 0x40100000ull | TABLE_BITS | PTE_LARGE), NO_EDIT },
          PML4, TEST_GVA, HV_EINVAL, NOT_SET },
        { "1 GiB leaf with address bit 21",
          { PDPE(2, 0x80200000ull | TABLE_BITS | PTE_LARGE), NO_EDIT },
          PML4, TEST_GVA, HV_EINVAL, NOT_SET },
        { "1 GiB leaf with address bit 29",
          { PDPE(2, 0xa0000000ull | TABLE_BITS | PTE_LARGE), NO_EDIT },
          PML4, TEST_GVA, HV_EINVAL, NOT_SET },
    };

    ROWS(rows);
}

TEST(tables_outside_the_guest_ram)
{
    static const struct walk_row rows[] = {
        { "CR3 outside RAM", { NO_EDIT, NO_EDIT }, OUTSIDE_RAM, TEST_GVA, HV_ERANGE, NOT_SET },
        { "PML4E names a PDPT outside RAM", { PML4E(1, OUTSIDE_RAM | TABLE_BITS), NO_EDIT },
          PML4, TEST_GVA, HV_ERANGE, NOT_SET },
        { "PDPE names a PD outside RAM", { PDPE(2, OUTSIDE_RAM | TABLE_BITS), NO_EDIT },
          PML4, TEST_GVA, HV_ERANGE, NOT_SET },
        { "PDE names a PT outside RAM", { PDE(3, OUTSIDE_RAM | TABLE_BITS), NO_EDIT },
          PML4, TEST_GVA, HV_ERANGE, NOT_SET },
        /* A leaf only gives an address: the walk does not read the data page. */
        { "PTE names a data page outside RAM", { PTE(4, OUTSIDE_RAM | TABLE_BITS), NO_EDIT },
          PML4, TEST_GVA, HV_OK, OUTSIDE_RAM | 0x567 },
    };

    ROWS(rows);
}

TEST(non_canonical_addresses)
{
    static const struct walk_row rows[] = {
        { "first address past the lower half", { NO_EDIT, NO_EDIT },
          PML4, 0x0000800000000000ull, HV_ERANGE, NOT_SET },
        { "last address before the upper half", { NO_EDIT, NO_EDIT },
          PML4, 0xffff7fffffffffffull, HV_ERANGE, NOT_SET },
        { "bit 63 alone", { NO_EDIT, NO_EDIT }, PML4, 0x8000000000000000ull, HV_ERANGE, NOT_SET },
        { "TEST_GVA with bit 48 set", { NO_EDIT, NO_EDIT },
          PML4, TEST_GVA | (1ull << 48), HV_ERANGE, NOT_SET },
    };

    ROWS(rows);
    /* Refused before any table is read. */
    test_row("non-canonical: no table read");
    reads = 0;
    {
        uint64_t gpa = NOT_SET;

        EXPECT_EQ(guest_virtual_to_physical(read_guest_page, NULL, PML4,
                                            0x0000800000000000ull, &gpa), HV_ERANGE);
        EXPECT_EQ(reads, 0);
    }
}

TEST(paging_modes)
{
    static const struct {
        const char *name;
        uint64_t cr0;
        uint64_t cr4;
        uint64_t efer;
        enum guest_paging_mode expected;
    } rows[] = {
        { "paging off",                  0,      0,          0,                    GUEST_PAGING_OFF },
        { "paging off, EFER.LME = 1",    0,      CR4_PAE,    EFER_LME,             GUEST_PAGING_OFF },
        { "long mode, 4 levels",         CR0_PG, CR4_PAE,    EFER_LME | EFER_LMA,  GUEST_PAGING_LONG_MODE },
        { "long mode, 5 levels",         CR0_PG, CR4_PAE | (1ull << 12), EFER_LME | EFER_LMA,
                                                                                   GUEST_PAGING_UNSUPPORTED },
        { "32-bit paging",               CR0_PG, 0,          0,                    GUEST_PAGING_UNSUPPORTED },
        { "PAE paging",                  CR0_PG, CR4_PAE,    0,                    GUEST_PAGING_UNSUPPORTED },
        { "LME without LMA",             CR0_PG, CR4_PAE,    EFER_LME,             GUEST_PAGING_UNSUPPORTED },
    };

    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        test_row("%s", rows[i].name);
        EXPECT_EQ(guest_paging_mode(rows[i].cr0, rows[i].cr4, rows[i].efer), rows[i].expected);
    }
}

/*
 * Copies. The virtual page after TEST_GVA's (PT index 5) is mapped to
 * DATA_LOW, below DATA_HIGH: consecutive virtual pages, physical pages in
 * the opposite order, so a copy that ignored the page boundary would read
 * the wrong bytes. A VMMCALL (0F 01 D9) straddles the two pages.
 */
#define STRADDLE_GVA  ((TEST_GVA | 0xfff) - 1)   /* two bytes before the boundary */

static void build_straddling_vmmcall(void)
{
    build_4k_tables();
    guest_ram[3][5] = DATA_LOW | TABLE_BITS;
    ((uint8_t *)guest_ram[5])[0xffe] = 0x0f;
    ((uint8_t *)guest_ram[5])[0xfff] = 0x01;
    ((uint8_t *)guest_ram[4])[0x000] = 0xd9;
    ((uint8_t *)guest_ram[6])[0x000] = 0xcc;   /* the physically next page: wrong */
}

TEST(copy_across_a_page_boundary)
{
    uint8_t bytes[4] = { 0xee, 0xee, 0xee, 0xee };

    build_straddling_vmmcall();
    EXPECT_EQ(guest_copy_from_virtual(read_guest_page, NULL, PML4, STRADDLE_GVA, bytes, 3),
              HV_OK);
    EXPECT_EQ(bytes[0], 0x0f);
    EXPECT_EQ(bytes[1], 0x01);
    EXPECT_EQ(bytes[2], 0xd9);
    EXPECT_EQ(bytes[3], 0xee);   /* nothing past the requested bytes */
}

TEST(copy_failures)
{
    static const struct {
        const char *name;
        struct edit edits[2];
        uint64_t gva;
        size_t bytes;
        int expected_error;
    } rows[] = {
        { "within one page", { NO_EDIT, NO_EDIT }, STRADDLE_GVA - 8, 8, HV_OK },
        { "nothing to copy", { NO_EDIT, NO_EDIT }, 0x0000800000000000ull, 0, HV_OK },
        { "second page not present", { PTE(5, 0), NO_EDIT }, STRADDLE_GVA, 3, HV_ENOENT },
        { "second data page outside RAM", { PTE(5, OUTSIDE_RAM | TABLE_BITS), NO_EDIT },
          STRADDLE_GVA, 3, HV_ERANGE },
        { "first page not present", { PTE(4, 0), NO_EDIT }, STRADDLE_GVA, 3, HV_ENOENT },
        { "wraps past 2^64", { NO_EDIT, NO_EDIT }, 0xfffffffffffffffeull, 4, HV_ERANGE },
    };

    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        uint8_t bytes[8];

        test_row("copy: %s", rows[i].name);
        build_straddling_vmmcall();
        for (int e = 0; e < 2; e++)
            guest_ram[rows[i].edits[e].page][rows[i].edits[e].index] = rows[i].edits[e].entry;
        EXPECT_EQ(guest_copy_from_virtual(read_guest_page, NULL, PML4, rows[i].gva, bytes,
                                          rows[i].bytes),
                  rows[i].expected_error);
    }
}

/* The last page of the lower half is mapped and copied; the next address is
 * non-canonical, so the copy stops there even though every table is present. */
TEST(copy_runs_into_the_non_canonical_hole)
{
    uint8_t bytes[4] = { 0xee, 0xee, 0xee, 0xee };

    build_4k_tables();
    guest_ram[0][255] = PDPT | TABLE_BITS;
    guest_ram[1][511] = PD | TABLE_BITS;
    guest_ram[2][511] = PT | TABLE_BITS;
    guest_ram[3][511] = DATA_LOW | TABLE_BITS;
    ((uint8_t *)guest_ram[4])[0xffe] = 0x0f;
    ((uint8_t *)guest_ram[4])[0xfff] = 0x0b;
    EXPECT_EQ(guest_copy_from_virtual(read_guest_page, NULL, PML4, 0x00007ffffffffffeull,
                                      bytes, 4),
              HV_ERANGE);
    EXPECT_EQ(bytes[0], 0x0f);   /* the first page was copied */
    EXPECT_EQ(bytes[1], 0x0b);
    EXPECT_EQ(bytes[2], 0xee);
}
