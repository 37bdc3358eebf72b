/* Unit tests for the 4-level page-table builder (mm/pagetable.c), on a fake
 * physical memory: page-size choice, exact entries, PAT bit placement when
 * splitting, protection, unmapping, errors. See: APM §5.3, §7.8.2. */
#include "test.h"

#include "hv/errno.h"
#include "mm/pagetable.h"

#define KIB 0x400ull
#define MIB 0x100000ull
#define GIB 0x40000000ull

/* "Physical memory" for tables: a bump allocator over a static buffer at a
 * made-up physical base, so a table's physical address is never its pointer. */
#define FAKE_PAGES     64
#define FAKE_PHYS_BASE 0x7f000000ull
#define POISON         0xa5a5a5a5a5a5a5a5ull

static struct {
    uint64_t pages[FAKE_PAGES][PT_ENTRIES] __attribute__((aligned(4096)));
    int live[FAKE_PAGES];
    unsigned next;
    unsigned limit;     /* allocations allowed in total */
    unsigned allocated;
    unsigned freed;
    unsigned bad_accesses;
} fake;

static uint64_t scratch_table[PT_ENTRIES];

static void fake_reset(unsigned limit)
{
    memset(&fake, 0, sizeof fake);
    fake.limit = limit;
}

static int fake_index(uint64_t phys)
{
    uint64_t offset = phys - FAKE_PHYS_BASE;

    if (phys < FAKE_PHYS_BASE || offset % 4096 != 0 || offset / 4096 >= FAKE_PAGES ||
        !fake.live[offset / 4096])
        return -1;
    return (int)(offset / 4096);
}

static uint64_t *fake_table_at(void *ctx, uint64_t phys)
{
    int index = fake_index(phys);

    (void)ctx;
    if (index < 0) {
        fake.bad_accesses++;
        memset(scratch_table, 0, sizeof scratch_table);
        return scratch_table;
    }
    return fake.pages[index];
}

static int fake_alloc_table(void *ctx, uint64_t *phys_out)
{
    (void)ctx;
    if (fake.next == FAKE_PAGES || fake.allocated == fake.limit)
        return HV_ENOMEM;
    memset(fake.pages[fake.next], 0, 4096);
    fake.live[fake.next] = 1;
    *phys_out = FAKE_PHYS_BASE + fake.next * 4096ull;
    fake.next++;
    fake.allocated++;
    return 0;
}

static void fake_free_table(void *ctx, uint64_t phys)
{
    int index = fake_index(phys);

    (void)ctx;
    if (index < 0) {
        fake.bad_accesses++;
        return;
    }
    /* Poison, so that a table used after being freed shows up as garbage. */
    for (unsigned i = 0; i < PT_ENTRIES; i++)
        fake.pages[index][i] = POISON;
    fake.live[index] = 0;
    fake.freed++;
}

static const struct page_table_ops fake_ops = {
    .table_at = fake_table_at,
    .alloc_table = fake_alloc_table,
    .free_table = fake_free_table,
};

static unsigned live_tables(void)
{
    return fake.allocated - fake.freed;
}

/* The table an entry points to. */
static uint64_t *child_of(uint64_t entry)
{
    return fake_table_at(NULL, entry & PTE_ADDR_MASK);
}

static void new_page_table(struct page_table *pt, int max_leaf_level)
{
    fake_reset(FAKE_PAGES);
    EXPECT_EQ(pt_init(pt, &fake_ops, NULL, max_leaf_level), 0);
}

#define NONLEAF (PTE_PRESENT | PTE_WRITABLE | PTE_USER)

TEST(page_size_follows_alignment_and_max_leaf_level)
{
    static const struct {
        const char *name;
        int max_leaf_level;
        uint64_t va, pa, bytes;
        int first_level, last_level; /* leaf levels at va and at the last page */
        unsigned tables;             /* tables allocated, the root included */
    } rows[] = {
        { "1 GiB aligned, 1 GiB pages allowed", 3, 1 * GIB, 2 * GIB, 1 * GIB, 3, 3, 2 },
        { "1 GiB aligned, 2 MiB pages at most", 2, 1 * GIB, 2 * GIB, 1 * GIB, 2, 2, 3 },
        { "2 MiB aligned, 4 KiB pages only", 1, 2 * MIB, 4 * MIB, 2 * MIB, 1, 1, 4 },
        { "va 1 GiB aligned, pa only 2 MiB aligned", 3, 1 * GIB, 6 * MIB, 1 * GIB, 2, 2, 3 },
        { "va 2 MiB aligned, pa only 4 KiB aligned", 3, 2 * MIB, 2 * MIB + 4 * KIB, 2 * MIB,
          1, 1, 4 },
        { "2 MiB + 4 KiB: one 2 MiB page, one 4 KiB page", 3, 2 * MIB, 8 * MIB,
          2 * MIB + 4 * KIB, 2, 1, 4 },
        { "1 GiB + 2 MiB from 1 GiB - 2 MiB: a 2 MiB page, then a 1 GiB page", 3,
          1 * GIB - 2 * MIB, 3 * GIB - 2 * MIB, 1 * GIB + 2 * MIB, 2, 3, 3 },
        { "one 4 KiB page", 3, 0x5000, 0x9000, 4 * KIB, 1, 1, 4 },
    };

    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct page_table pt;
        uint64_t last_va = rows[i].va + rows[i].bytes - 4 * KIB;
        uint64_t last_pa = rows[i].pa + rows[i].bytes - 4 * KIB;
        uint64_t entry = 0;
        int level = 0;

        test_row("page size: %s", rows[i].name);
        new_page_table(&pt, rows[i].max_leaf_level);
        EXPECT_EQ(pt_map(&pt, rows[i].va, rows[i].pa, rows[i].bytes, PTE_WRITABLE, 0), 0);
        EXPECT_EQ(fake.allocated, rows[i].tables);

        EXPECT_EQ(pt_lookup(&pt, rows[i].va, &entry, &level), 0);
        EXPECT_EQ(level, rows[i].first_level);
        EXPECT_EQ(entry, rows[i].pa | PTE_PRESENT | PTE_WRITABLE |
                             (rows[i].first_level > 1 ? PTE_LARGE : 0));

        EXPECT_EQ(pt_lookup(&pt, last_va, &entry, &level), 0);
        EXPECT_EQ(level, rows[i].last_level);
        EXPECT_EQ(pt_leaf_address(entry, level) + (last_va & (pt_leaf_size(level) - 1)),
                  last_pa);
        EXPECT_EQ(pt_lookup(&pt, rows[i].va + rows[i].bytes, &entry, &level), HV_ENOENT);

        pt_destroy(&pt);
        EXPECT_EQ(live_tables(), 0);
        EXPECT_EQ(fake.bad_accesses, 0);
    }
}

TEST(first_four_gib_as_1_gib_pages)
{
    struct page_table pt;
    uint64_t *pml4, *pdpt;
    uint64_t entry = 0;
    int level = 0;

    new_page_table(&pt, 3);
    EXPECT_EQ(pt_map(&pt, 0, 0, 4 * GIB, PTE_WRITABLE, 0), 0);
    EXPECT_EQ(fake.allocated, 2);
    pml4 = fake_table_at(NULL, pt.root_phys);
    EXPECT_EQ(pt.root_phys, FAKE_PHYS_BASE);
    EXPECT_EQ(pml4[0], (FAKE_PHYS_BASE + 0x1000) | 0x7);
    EXPECT_EQ(pml4[1], 0);
    pdpt = child_of(pml4[0]);
    EXPECT_EQ(pdpt[0], 0x0000000083ull);
    EXPECT_EQ(pdpt[1], 0x0040000083ull);
    EXPECT_EQ(pdpt[2], 0x0080000083ull);
    EXPECT_EQ(pdpt[3], 0x00c0000083ull);
    EXPECT_EQ(pdpt[4], 0);

    EXPECT_EQ(pt_lookup(&pt, 3 * GIB + 0x5000, &entry, &level), 0);
    EXPECT_EQ(entry, 0xc0000083ull);
    EXPECT_EQ(level, 3);
    pt_destroy(&pt);
    EXPECT_EQ(live_tables(), 0);
}

TEST(non_leaf_entries_grant_everything)
{
    struct page_table pt;
    uint64_t *pml4, *pdpt, *pd, *pt_table;

    /* A supervisor-only, read-only, no-execute leaf: the upper levels must still
     * be P|RW|US without NX, or NPT would fault every guest access. */
    new_page_table(&pt, 3);
    EXPECT_EQ(pt_map(&pt, 0x40201000, 0x1234000, 4 * KIB, PTE_NX, 0), 0);
    pml4 = fake_table_at(NULL, pt.root_phys);
    EXPECT_EQ(pml4[0], (FAKE_PHYS_BASE + 0x1000) | NONLEAF);
    pdpt = child_of(pml4[0]);
    EXPECT_EQ(pdpt[1], (FAKE_PHYS_BASE + 0x2000) | NONLEAF);
    pd = child_of(pdpt[1]);
    EXPECT_EQ(pd[1], (FAKE_PHYS_BASE + 0x3000) | NONLEAF);
    pt_table = child_of(pd[1]);
    EXPECT_EQ(pt_table[1], 0x8000000001234001ull);
    EXPECT_EQ(pt_table[0], 0);
    pt_destroy(&pt);
}

TEST(pat_bits_per_level)
{
    /* Index = PAT*4 + PCD*2 + PWT; PAT is bit 7 in a 4 KiB PTE, bit 12 above. */
    static const struct {
        unsigned index;
        uint64_t bits_4k, bits_large;
    } rows[] = {
        { 0, 0x000, 0x0000 }, { 1, 0x008, 0x0008 }, { 2, 0x010, 0x0010 },
        { 3, 0x018, 0x0018 }, { 4, 0x080, 0x1000 }, { 5, 0x088, 0x1008 },
        { 6, 0x090, 0x1010 }, { 7, 0x098, 0x1018 },
    };

    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        test_row("pat index %u", rows[i].index);
        EXPECT_EQ(pt_pat_bits(rows[i].index, 1), rows[i].bits_4k);
        EXPECT_EQ(pt_pat_bits(rows[i].index, 2), rows[i].bits_large);
        EXPECT_EQ(pt_pat_bits(rows[i].index, 3), rows[i].bits_large);
        EXPECT_EQ(pt_entry_pat_index(rows[i].bits_4k | 0x1, 1), rows[i].index);
        EXPECT_EQ(pt_entry_pat_index(rows[i].bits_large | 0x81, 2), rows[i].index);
        /* In a large leaf bit 7 is PS, not PAT. */
        EXPECT_EQ(pt_entry_pat_index(rows[i].bits_large | 0x81, 3), rows[i].index);
    }
    test_row("leaf sizes");
    EXPECT_EQ(pt_leaf_size(1), 0x1000);
    EXPECT_EQ(pt_leaf_size(2), 0x200000);
    EXPECT_EQ(pt_leaf_size(3), 0x40000000);
    EXPECT_EQ(pt_leaf_size(4), 0);
    EXPECT_EQ(pt_leaf_address(0x8000000040001083ull, 3), 0x40000000);
    EXPECT_EQ(pt_leaf_address(0x8000000000201083ull, 2), 0x200000);
    EXPECT_EQ(pt_leaf_address(0x8000000000201083ull, 1), 0x201000);
}

TEST(memtype_change_splits_a_1_gib_page)
{
    struct page_table pt;
    uint64_t *pdpt, *pd, *pt_table;
    uint64_t target = 0x12345000;
    unsigned pd_index = (unsigned)(target >> 21), pt_index_4k = (target >> 12) & 0x1ff;
    unsigned mismatches = 0;
    uint64_t entry = 0;
    int level = 0;

    new_page_table(&pt, 3);
    /* PAT index 5 = PAT|PWT: in the 1 GiB leaf, PAT is bit 12. */
    EXPECT_EQ(pt_map(&pt, 0, 0, 1 * GIB, PTE_WRITABLE | PTE_USER, 5), 0);
    pdpt = child_of(fake_table_at(NULL, pt.root_phys)[0]);
    EXPECT_EQ(pdpt[0], 0x108full);

    EXPECT_EQ(pt_set_memtype(&pt, target, 4 * KIB, 0), 0);
    EXPECT_EQ(fake.allocated, 4); /* root, PDPT, and one PD and one PT from splitting */
    EXPECT_EQ(pdpt[0], (FAKE_PHYS_BASE + 0x2000) | NONLEAF);
    pd = child_of(pdpt[0]);
    for (unsigned i = 0; i < PT_ENTRIES; i++) {
        if (i != pd_index)
            mismatches += pd[i] != (((uint64_t)i << 21) | 0x108f);
    }
    EXPECT_EQ(mismatches, 0);
    EXPECT_EQ(pd[0], 0x108full);
    EXPECT_EQ(pd[511], 0x3fe0108full);
    EXPECT_EQ(pd[pd_index], (FAKE_PHYS_BASE + 0x3000) | NONLEAF);

    /* Splitting to 4 KiB moves the PAT bit from 12 to 7; PS goes away. */
    pt_table = child_of(pd[pd_index]);
    for (unsigned i = 0; i < PT_ENTRIES; i++) {
        if (i != pt_index_4k)
            mismatches += pt_table[i] != (((target & ~0x1fffffull) + i * 0x1000ull) | 0x8f);
    }
    EXPECT_EQ(mismatches, 0);
    EXPECT_EQ(pt_table[0], 0x1220008full);
    EXPECT_EQ(pt_table[pt_index_4k], 0x12345007ull);

    EXPECT_EQ(pt_lookup(&pt, target + 0x1000, &entry, &level), 0);
    EXPECT_EQ(level, 1);
    EXPECT_EQ(pt_entry_pat_index(entry, level), 5);
    EXPECT_EQ(pt_lookup(&pt, target, &entry, &level), 0);
    EXPECT_EQ(pt_entry_pat_index(entry, level), 0);
    EXPECT_EQ(pt_lookup(&pt, 0x30000000, &entry, &level), 0);
    EXPECT_EQ(level, 2);
    EXPECT_EQ(pt_entry_pat_index(entry, level), 5);

    /* A whole 2 MiB leaf changes in place, without splitting. */
    EXPECT_EQ(pt_set_memtype(&pt, 0x200000, 2 * MIB, 6), 0);
    EXPECT_EQ(pd[1], 0x201097ull);
    EXPECT_EQ(fake.allocated, 4);
    pt_destroy(&pt);
    EXPECT_EQ(live_tables(), 0);
    EXPECT_EQ(fake.bad_accesses, 0);
}

TEST(mapping_over_a_mapping_replaces_it)
{
    struct page_table pt;
    uint64_t entry = 0;
    int level = 0;

    new_page_table(&pt, 3);
    /* 4 KiB pages, because pa is not 2 MiB aligned... */
    EXPECT_EQ(pt_map(&pt, 2 * MIB, 8 * MIB + 4 * KIB, 2 * MIB, PTE_WRITABLE, 0), 0);
    EXPECT_EQ(live_tables(), 4);
    /* ...replaced by one 2 MiB page: the page table is freed. */
    EXPECT_EQ(pt_map(&pt, 2 * MIB, 16 * MIB, 2 * MIB, 0, 0), 0);
    EXPECT_EQ(live_tables(), 3);
    EXPECT_EQ(pt_lookup(&pt, 2 * MIB + 0x3000, &entry, &level), 0);
    EXPECT_EQ(entry, 16 * MIB | PTE_PRESENT | PTE_LARGE);
    EXPECT_EQ(level, 2);

    /* One 4 KiB page inside it moves elsewhere: the 2 MiB page is split. */
    EXPECT_EQ(pt_map(&pt, 2 * MIB + 0x3000, 0x7000, 4 * KIB, PTE_WRITABLE | PTE_NX, 2), 0);
    EXPECT_EQ(live_tables(), 4);
    EXPECT_EQ(pt_lookup(&pt, 2 * MIB + 0x3000, &entry, &level), 0);
    EXPECT_EQ(entry, 0x8000000000007013ull);
    EXPECT_EQ(level, 1);
    EXPECT_EQ(pt_lookup(&pt, 2 * MIB + 0x4000, &entry, &level), 0);
    EXPECT_EQ(entry, (16 * MIB + 0x4000) | PTE_PRESENT);
    pt_destroy(&pt);
    EXPECT_EQ(live_tables(), 0);
    EXPECT_EQ(fake.bad_accesses, 0);
}

TEST(protect_changes_permissions)
{
    struct page_table pt;
    uint64_t entry = 0;
    int level = 0;

    new_page_table(&pt, 2);
    EXPECT_EQ(pt_map(&pt, 2 * MIB, 2 * MIB, 4 * MIB, PTE_WRITABLE, 0), 0);
    EXPECT_EQ(live_tables(), 3);

    test_row("protect: a whole 2 MiB page changes in place");
    EXPECT_EQ(pt_protect(&pt, 4 * MIB, 2 * MIB, PTE_USER, PTE_WRITABLE), 0);
    EXPECT_EQ(live_tables(), 3);
    EXPECT_EQ(pt_lookup(&pt, 4 * MIB, &entry, &level), 0);
    EXPECT_EQ(entry, 4 * MIB | PTE_PRESENT | PTE_USER | PTE_LARGE);
    EXPECT_EQ(level, 2);

    test_row("protect: one 4 KiB page splits its 2 MiB page");
    EXPECT_EQ(pt_protect(&pt, 2 * MIB + 4 * KIB, 4 * KIB, PTE_NX, PTE_WRITABLE), 0);
    EXPECT_EQ(live_tables(), 4);
    EXPECT_EQ(pt_lookup(&pt, 2 * MIB + 4 * KIB, &entry, &level), 0);
    EXPECT_EQ(entry, 0x8000000000201001ull);
    EXPECT_EQ(level, 1);
    EXPECT_EQ(pt_lookup(&pt, 2 * MIB, &entry, &level), 0);
    EXPECT_EQ(entry, 0x200003ull);
    EXPECT_EQ(pt_lookup(&pt, 4 * MIB - 4 * KIB, &entry, &level), 0);
    EXPECT_EQ(entry, 0x3ff003ull);

    test_row("protect: a range with a hole is refused and changes nothing");
    EXPECT_EQ(pt_protect(&pt, 4 * MIB, 4 * MIB, PTE_WRITABLE, 0), HV_ENOENT);
    EXPECT_EQ(pt_lookup(&pt, 4 * MIB, &entry, &level), 0);
    EXPECT_EQ(entry, 4 * MIB | PTE_PRESENT | PTE_USER | PTE_LARGE);
    EXPECT_EQ(pt_set_memtype(&pt, 0, 4 * MIB, 1), HV_ENOENT);
    EXPECT_EQ(pt_lookup(&pt, 2 * MIB, &entry, &level), 0);
    EXPECT_EQ(entry, 0x200003ull);

    test_row("protect: only W, U/S and NX may change");
    EXPECT_EQ(pt_protect(&pt, 2 * MIB, 4 * KIB, PTE_GLOBAL, 0), HV_EINVAL);
    EXPECT_EQ(pt_protect(&pt, 2 * MIB, 4 * KIB, 0, PTE_PRESENT), HV_EINVAL);
    EXPECT_EQ(pt_set_memtype(&pt, 2 * MIB, 4 * KIB, 8), HV_EINVAL);
    pt_destroy(&pt);
    EXPECT_EQ(live_tables(), 0);
    EXPECT_EQ(fake.bad_accesses, 0);
}

TEST(unmap_frees_emptied_tables)
{
    struct page_table pt;
    uint64_t *pml4;
    uint64_t entry = 0;
    int level = 0;

    new_page_table(&pt, 2);
    pml4 = fake_table_at(NULL, pt.root_phys);

    test_row("unmap: one 4 KiB page, its three tables go");
    EXPECT_EQ(pt_map(&pt, 1 * GIB, 0x9000, 4 * KIB, PTE_WRITABLE, 0), 0);
    EXPECT_EQ(live_tables(), 4);
    EXPECT_EQ(pt_unmap(&pt, 1 * GIB, 4 * KIB), 0);
    EXPECT_EQ(live_tables(), 1);
    EXPECT_EQ(pml4[0], 0);

    test_row("unmap: part of a 2 MiB page splits it");
    EXPECT_EQ(pt_map(&pt, 0, 0, 2 * MIB, PTE_WRITABLE, 0), 0);
    EXPECT_EQ(live_tables(), 3);
    EXPECT_EQ(pt_unmap(&pt, 0, 4 * KIB), 0);
    EXPECT_EQ(live_tables(), 4);
    EXPECT_EQ(pt_lookup(&pt, 0, &entry, &level), HV_ENOENT);
    EXPECT_EQ(pt_lookup(&pt, 4 * KIB, &entry, &level), 0);
    EXPECT_EQ(entry, 0x1003ull);
    EXPECT_EQ(level, 1);

    test_row("unmap: the rest, with holes around it, empties every table");
    EXPECT_EQ(pt_unmap(&pt, 0, 1 * GIB), 0);
    EXPECT_EQ(live_tables(), 1);
    EXPECT_EQ(pml4[0], 0);
    EXPECT_EQ(pt_lookup(&pt, 4 * KIB, &entry, &level), HV_ENOENT);

    test_row("unmap: a whole 1 GiB slot of 2 MiB pages frees the subtree at once");
    EXPECT_EQ(pt_map(&pt, 1 * GIB, 0, 4 * MIB, PTE_WRITABLE, 0), 0);
    EXPECT_EQ(pt_map(&pt, 1 * GIB + 8 * MIB, 0x5000, 8 * KIB, PTE_WRITABLE, 0), 0);
    EXPECT_EQ(live_tables(), 4);
    EXPECT_EQ(pt_unmap(&pt, 1 * GIB, 1 * GIB), 0);
    EXPECT_EQ(live_tables(), 1);
    EXPECT_EQ(pt_unmap(&pt, 0, 512 * GIB), 0); /* nothing mapped: fine */

    pt_destroy(&pt);
    EXPECT_EQ(live_tables(), 0);
    EXPECT_EQ(fake.bad_accesses, 0);
}

TEST(bad_arguments_are_refused)
{
    static const struct {
        const char *name;
        uint64_t va, pa, bytes, perm;
        unsigned pat_index;
        int expected;
    } rows[] = {
        { "va not 4 KiB aligned", 0x1800, 0x2000, 0x1000, 0, 0, HV_EINVAL },
        { "pa not 4 KiB aligned", 0x1000, 0x2010, 0x1000, 0, 0, HV_EINVAL },
        { "bytes not 4 KiB aligned", 0x1000, 0x2000, 0x1001, 0, 0, HV_EINVAL },
        { "zero bytes", 0x1000, 0x2000, 0, 0, 0, HV_EINVAL },
        { "PAT index 8", 0x1000, 0x2000, 0x1000, 0, 8, HV_EINVAL },
        { "perm with the global bit", 0x1000, 0x2000, 0x1000, PTE_GLOBAL, 0, HV_EINVAL },
        { "non-canonical va", 0x0000800000000000ull, 0, 0x1000, 0, 0, HV_ERANGE },
        { "non-canonical va, high", 0xffff7ffffffff000ull, 0, 0x1000, 0, 0, HV_ERANGE },
        { "range runs into the hole", 0x00007ffffffff000ull, 0, 0x2000, 0, 0, HV_ERANGE },
        { "range runs past the top", 0xfffffffffffff000ull, 0, 0x2000, 0, 0, HV_ERANGE },
        { "pa beyond 52 bits", 0x1000, 0xffffffffff000ull, 0x2000, 0, 0, HV_ERANGE },
    };
    struct page_table pt;
    uint64_t entry = 0;
    int level = 0;

    new_page_table(&pt, 3);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        test_row("map refuses: %s", rows[i].name);
        EXPECT_EQ(pt_map(&pt, rows[i].va, rows[i].pa, rows[i].bytes, rows[i].perm,
                         rows[i].pat_index),
                  rows[i].expected);
        EXPECT_EQ(fake.allocated, 1);
    }
    test_row("unmap, protect, lookup and init refuse bad input");
    EXPECT_EQ(pt_unmap(&pt, 0x1800, 0x1000), HV_EINVAL);
    EXPECT_EQ(pt_unmap(&pt, 0x0000800000000000ull, 0x1000), HV_ERANGE);
    EXPECT_EQ(pt_protect(&pt, 0x1000, 0x1001, 0, 0), HV_EINVAL);
    EXPECT_EQ(pt_lookup(&pt, 0x0000800000000000ull, &entry, &level),
              HV_ERANGE);
    EXPECT_EQ(pt_lookup(&pt, 0x1000, &entry, &level), HV_ENOENT);
    pt_destroy(&pt);
    EXPECT_EQ(pt_init(&pt, &fake_ops, NULL, 0), HV_EINVAL);
    EXPECT_EQ(pt_init(&pt, &fake_ops, NULL, 4), HV_EINVAL);
    EXPECT_EQ(pt_init(&pt, NULL, NULL, 3), HV_EINVAL);
}

TEST(higher_half_addresses)
{
    struct page_table pt;
    uint64_t *pml4, *pdpt;
    uint64_t entry = 0;
    int level = 0;

    new_page_table(&pt, 3);
    EXPECT_EQ(pt_map(&pt, 0xffffffff80000000ull, 0x1000000, 2 * MIB, PTE_NX, 0), 0);
    pml4 = fake_table_at(NULL, pt.root_phys);
    EXPECT_EQ(pml4[511], (FAKE_PHYS_BASE + 0x1000) | NONLEAF);
    pdpt = child_of(pml4[511]);
    EXPECT_EQ(pdpt[510], (FAKE_PHYS_BASE + 0x2000) | NONLEAF);
    EXPECT_EQ(child_of(pdpt[510])[0], 0x8000000001000081ull);
    EXPECT_EQ(pt_lookup(&pt, 0xffffffff80001234ull, &entry, &level), 0);
    EXPECT_EQ(entry, 0x8000000001000081ull);
    EXPECT_EQ(level, 2);
    /* The last page of the address space. */
    EXPECT_EQ(pt_map(&pt, 0xfffffffffffff000ull, 0x5000, 4 * KIB, 0, 0), 0);
    EXPECT_EQ(pt_lookup(&pt, 0xffffffffffffffffull, &entry, &level), 0);
    EXPECT_EQ(entry, 0x5001ull);
    pt_destroy(&pt);
    EXPECT_EQ(live_tables(), 0);
}

TEST(out_of_table_memory)
{
    struct page_table pt;

    test_row("no memory for the root");
    fake_reset(0);
    EXPECT_EQ(pt_init(&pt, &fake_ops, NULL, 3), HV_ENOMEM);

    test_row("no memory for the second level");
    fake_reset(1);
    EXPECT_EQ(pt_init(&pt, &fake_ops, NULL, 3), 0);
    EXPECT_EQ(pt_map(&pt, 0, 0, 1 * GIB, 0, 0), HV_ENOMEM);
    pt_destroy(&pt);
    EXPECT_EQ(live_tables(), 0);

    test_row("no memory to split: the unmap fails, the mapping stays");
    fake_reset(3);
    EXPECT_EQ(pt_init(&pt, &fake_ops, NULL, 3), 0);
    EXPECT_EQ(pt_map(&pt, 0, 0, 2 * MIB, 0, 0), 0);
    EXPECT_EQ(pt_unmap(&pt, 0, 4 * KIB), HV_ENOMEM);
    {
        uint64_t entry = 0;
        int level = 0;

        EXPECT_EQ(pt_lookup(&pt, 0, &entry, &level), 0);
        EXPECT_EQ(entry, PTE_PRESENT | PTE_LARGE);
    }
    pt_destroy(&pt);
    EXPECT_EQ(live_tables(), 0);
    EXPECT_EQ(fake.bad_accesses, 0);
}
