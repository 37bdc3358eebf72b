/* Unit tests for mm/npt.c: the nested tables map guest-physical to host-physical
 * addresses with the right leaf bits, and every change asks for exactly one TLB
 * flush of the right kind. See: APM §15.25.3, §15.16.1 (TLB_CONTROL). */
#include "test.h"

#include <stdlib.h>

#include "hv/errno.h"
#include "mm/npt.h"
#include "mm/pte.h"
#include "svm/svm_defs.h"

#define TABLE_PAGES 16

/* Tables in a heap buffer; "physical" addresses are their offsets plus a base. */
#define TABLE_PHYS_BASE 0x10000000ull

static uint64_t (*tables)[PT_ENTRIES];
static unsigned tables_used;

static uint64_t *table_at(void *ctx, uint64_t phys)
{
    (void)ctx;
    return tables[(phys - TABLE_PHYS_BASE) / PAGE_SIZE_4K];
}

static int alloc_table(void *ctx, uint64_t *phys_out)
{
    (void)ctx;
    if (tables_used == TABLE_PAGES)
        return HV_ENOMEM;
    memset(tables[tables_used], 0, PAGE_SIZE_4K);
    *phys_out = TABLE_PHYS_BASE + tables_used++ * PAGE_SIZE_4K;
    return 0;
}

static void free_table(void *ctx, uint64_t phys)
{
    (void)ctx;
    (void)phys;
}

static const struct page_table_ops ops = { table_at, alloc_table, free_table };

static void setup(struct npt *npt)
{
    if (!tables)
        tables = aligned_alloc(PAGE_SIZE_4K, TABLE_PAGES * PAGE_SIZE_4K);
    tables_used = 0;
    EXPECT_EQ(npt_init(npt, &ops, NULL, 2), 0);
}

TEST(npt_maps_guest_ram_with_user_writable_2mib_leaves)
{
    struct npt npt;
    uint64_t entry;
    int level;

    setup(&npt);
    EXPECT_EQ(npt_map(&npt, 0, 0x1600000, 32ull << 20, PTE_WRITABLE | PTE_USER, 0), 0);
    EXPECT_EQ(pt_lookup(&npt.table, 0x200000 + 0x123, &entry, &level), 0);
    EXPECT_EQ(level, 2);
    EXPECT_EQ(entry, 0x1800000ull | PTE_PRESENT | PTE_WRITABLE | PTE_USER | PTE_LARGE);
    EXPECT_EQ(npt_root(&npt), TABLE_PHYS_BASE);
    npt_destroy(&npt);
}

TEST(new_npt_asks_for_a_flush_once)
{
    struct npt npt;

    setup(&npt);
    EXPECT_EQ(npt_take_tlb_control(&npt, false), TLB_CONTROL_FLUSH_ALL_ASID);
    EXPECT_EQ(npt_take_tlb_control(&npt, false), TLB_CONTROL_DO_NOTHING);
    npt_destroy(&npt);
}

TEST(every_change_flushes_by_asid_when_the_cpu_can)
{
    struct npt npt;

    setup(&npt);
    EXPECT_EQ(npt_map(&npt, 0, 0x1600000, 4ull << 20, PTE_WRITABLE | PTE_USER, 0), 0);
    (void)npt_take_tlb_control(&npt, true);

    test_row("protect: read-only page");
    EXPECT_EQ(npt_protect(&npt, 0x1000, 0x1000, 0, PTE_WRITABLE), 0);
    EXPECT_EQ(npt_take_tlb_control(&npt, true), TLB_CONTROL_FLUSH_ASID);
    EXPECT_EQ(npt_take_tlb_control(&npt, true), TLB_CONTROL_DO_NOTHING);

    test_row("unmap: not-present page");
    EXPECT_EQ(npt_unmap(&npt, 0x2000, 0x1000), 0);
    EXPECT_EQ(npt_take_tlb_control(&npt, false), TLB_CONTROL_FLUSH_ALL_ASID);

    test_row("map: restored page");
    EXPECT_EQ(npt_map(&npt, 0x2000, 0x1602000, 0x1000, PTE_WRITABLE | PTE_USER, 0), 0);
    EXPECT_EQ(npt_take_tlb_control(&npt, true), TLB_CONTROL_FLUSH_ASID);
    npt_destroy(&npt);
}
