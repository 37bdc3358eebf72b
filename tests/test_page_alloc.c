/* Unit tests for the physical page-frame allocator (mm/page_alloc.c):
 * adding and merging ranges, trimming, alignment, exhaustion and freeing. */
#include "test.h"

#include <stdlib.h>

#include "hv/errno.h"
#include "mm/page_alloc.h"

#define KIB 0x400ull
#define MIB 0x100000ull
#define GIB 0x40000000ull

/* The allocator is about 8 KiB: keep it off the stack of each test. */
static struct page_allocator *new_allocator(void)
{
    static struct page_allocator allocator;

    page_alloc_init(&allocator);
    return &allocator;
}

static void expect_range(const struct page_allocator *a, unsigned i, uint64_t base,
                         uint64_t end)
{
    EXPECT_TRUE(i < a->free.count);
    if (i < a->free.count) {
        EXPECT_EQ(a->free.ranges[i].base, base);
        EXPECT_EQ(a->free.ranges[i].end, end);
    }
}

TEST(add_range_trims_and_drops_low_memory)
{
    static const struct {
        const char *name;
        uint64_t base, bytes;
        uint64_t expect_base, expect_end; /* expect_end 0: nothing kept */
    } rows[] = {
        { "whole pages above 1 MiB kept", 2 * MIB, 16 * KIB, 2 * MIB, 2 * MIB + 16 * KIB },
        { "unaligned edges trimmed inward", 2 * MIB + 1, 16 * KIB, 2 * MIB + 4 * KIB,
          2 * MIB + 16 * KIB },
        { "below 1 MiB dropped", 0, 640 * KIB, 0, 0 },
        { "range across 1 MiB starts at 1 MiB", 512 * KIB, 1 * MIB, 1 * MIB, 1 * MIB + 512 * KIB },
        { "less than one page dropped", 3 * MIB + 1, 4 * KIB, 0, 0 },
        { "zero bytes ignored", 4 * MIB, 0, 0, 0 },
    };

    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct page_allocator *a = new_allocator();

        test_row("add_range: %s", rows[i].name);
        EXPECT_EQ(page_alloc_add_range(a, rows[i].base, rows[i].bytes), 0);
        if (rows[i].expect_end == 0) {
            EXPECT_EQ(a->free.count, 0);
            EXPECT_EQ(page_alloc_total_pages(a), 0);
        } else {
            EXPECT_EQ(a->free.count, 1);
            expect_range(a, 0, rows[i].expect_base, rows[i].expect_end);
            EXPECT_EQ(page_alloc_total_pages(a),
                      (rows[i].expect_end - rows[i].expect_base) / (4 * KIB));
            EXPECT_EQ(page_alloc_free_pages(a), page_alloc_total_pages(a));
        }
    }
}

TEST(add_range_merges_neighbours_and_refuses_overlap)
{
    struct page_allocator *a = new_allocator();

    EXPECT_EQ(page_alloc_add_range(a, 8 * MIB, 1 * MIB), 0);
    EXPECT_EQ(page_alloc_add_range(a, 4 * MIB, 1 * MIB), 0);
    EXPECT_EQ(a->free.count, 2);
    expect_range(a, 0, 4 * MIB, 5 * MIB);
    expect_range(a, 1, 8 * MIB, 9 * MIB);

    /* Touching on the right of the first, then bridging the gap. */
    EXPECT_EQ(page_alloc_add_range(a, 5 * MIB, 1 * MIB), 0);
    EXPECT_EQ(a->free.count, 2);
    EXPECT_EQ(page_alloc_add_range(a, 6 * MIB, 2 * MIB), 0);
    EXPECT_EQ(a->free.count, 1);
    expect_range(a, 0, 4 * MIB, 9 * MIB);
    EXPECT_EQ(page_alloc_total_pages(a), 5 * MIB / (4 * KIB));

    EXPECT_EQ(page_alloc_add_range(a, 8 * MIB, 2 * MIB), HV_EEXIST);
    EXPECT_EQ(page_alloc_add_range(a, 3 * MIB, 2 * MIB), HV_EEXIST);
    EXPECT_EQ(page_alloc_add_range(a, 5 * MIB, 4 * KIB), HV_EEXIST);
    EXPECT_EQ(a->free.count, 1);
    EXPECT_EQ(page_alloc_total_pages(a), 5 * MIB / (4 * KIB));

    EXPECT_EQ(page_alloc_add_range(a, 1ull << 52, 4 * KIB), HV_ERANGE);
    EXPECT_EQ(page_alloc_add_range(a, ~0ull - 4 * KIB, 8 * KIB), HV_ERANGE);
}

TEST(add_range_reports_a_full_table)
{
    struct page_allocator *a = new_allocator();

    /* Ranges with one-page gaps never merge. */
    for (unsigned i = 0; i < PAGE_ALLOC_MAX_RANGES; i++)
        EXPECT_EQ(page_alloc_add_range(a, 1 * MIB + i * 8 * KIB, 4 * KIB), 0);
    EXPECT_EQ(a->free.count, PAGE_ALLOC_MAX_RANGES);
    EXPECT_EQ(page_alloc_add_range(a, 1 * GIB, 4 * KIB), HV_ENOSPC);
    /* A range that fills a gap merges and needs no new slot. */
    EXPECT_EQ(page_alloc_add_range(a, 1 * MIB + 4 * KIB, 4 * KIB), 0);
    EXPECT_EQ(a->free.count, PAGE_ALLOC_MAX_RANGES - 1);
    EXPECT_EQ(page_alloc_total_pages(a), PAGE_ALLOC_MAX_RANGES + 1);
}

TEST(allocations_come_first_fit_from_low_addresses)
{
    struct page_allocator *a = new_allocator();
    uint64_t phys = 0;

    EXPECT_EQ(page_alloc_add_range(a, 16 * MIB, 1 * MIB), 0);
    EXPECT_EQ(page_alloc_add_range(a, 2 * MIB, 8 * KIB), 0);

    EXPECT_EQ(page_alloc_pages(a, 1, 4 * KIB, &phys), 0);
    EXPECT_EQ(phys, 2 * MIB);
    EXPECT_EQ(page_alloc_pages(a, 2, 4 * KIB, &phys), 0);
    EXPECT_EQ(phys, 16 * MIB); /* only one page left in the low range */
    EXPECT_EQ(page_alloc_pages(a, 1, 4 * KIB, &phys), 0);
    EXPECT_EQ(phys, 2 * MIB + 4 * KIB);
    EXPECT_EQ(a->free.count, 1);
    expect_range(a, 0, 16 * MIB + 8 * KIB, 17 * MIB);
    EXPECT_EQ(page_alloc_free_pages(a), 256 - 2);
    EXPECT_EQ(page_alloc_total_pages(a), 256 + 2);
}

TEST(aligned_allocation_splits_an_unaligned_range)
{
    struct page_allocator *a = new_allocator();
    uint64_t phys = 0;

    EXPECT_EQ(page_alloc_add_range(a, 3 * MIB + 4 * KIB, 6 * MIB), 0);
    EXPECT_EQ(page_alloc_pages(a, 512, 2 * MIB, &phys), 0);
    EXPECT_EQ(phys, 4 * MIB);
    EXPECT_EQ(a->free.count, 2);
    expect_range(a, 0, 3 * MIB + 4 * KIB, 4 * MIB);
    expect_range(a, 1, 6 * MIB, 9 * MIB + 4 * KIB);
    EXPECT_EQ(page_alloc_free_pages(a), 6 * MIB / (4 * KIB) - 512);

    /* The next 2 MiB-aligned block that fits. */
    EXPECT_EQ(page_alloc_pages(a, 1, 2 * MIB, &phys), 0);
    EXPECT_EQ(phys, 6 * MIB);
    /* 8 MiB is aligned but 8..9 MiB + 4 KiB holds fewer than 512 pages. */
    EXPECT_EQ(page_alloc_pages(a, 512, 2 * MIB, &phys), HV_ENOMEM);
}

TEST(bad_arguments_are_refused)
{
    struct page_allocator *a = new_allocator();
    uint64_t phys = 0;

    EXPECT_EQ(page_alloc_add_range(a, 2 * MIB, 2 * MIB), 0);
    EXPECT_EQ(page_alloc_pages(a, 0, 4 * KIB, &phys), HV_EINVAL);
    EXPECT_EQ(page_alloc_pages(a, 1, 0, &phys), HV_EINVAL);
    EXPECT_EQ(page_alloc_pages(a, 1, 2 * KIB, &phys), HV_EINVAL);
    EXPECT_EQ(page_alloc_pages(a, 1, 12 * KIB, &phys), HV_EINVAL);
    EXPECT_EQ(page_alloc_pages(a, ~0ull, 4 * KIB, &phys), HV_EINVAL);
    EXPECT_EQ(page_free_pages(a, 2 * MIB + 1, 1), HV_EINVAL);
    EXPECT_EQ(page_free_pages(a, 2 * MIB, 0), HV_EINVAL);
    EXPECT_EQ(page_free_pages(a, ~0ull & ~0xfffull, 2), HV_ERANGE);
    EXPECT_EQ(page_alloc_free_pages(a), 512);
}

TEST(exhaustion_then_free_coalesces)
{
    struct page_allocator *a = new_allocator();
    uint64_t phys[4] = { 0 };

    EXPECT_EQ(page_alloc_add_range(a, 2 * MIB, 16 * KIB), 0);
    for (unsigned i = 0; i < 4; i++) {
        EXPECT_EQ(page_alloc_pages(a, 1, 4 * KIB, &phys[i]), 0);
        EXPECT_EQ(phys[i], 2 * MIB + i * 4 * KIB);
    }
    EXPECT_EQ(page_alloc_free_pages(a), 0);
    EXPECT_EQ(a->free.count, 0);
    EXPECT_EQ(page_alloc_pages(a, 1, 4 * KIB, &phys[0]), HV_ENOMEM);

    /* Free out of order: 1 and 3 stay apart, 2 joins them, 0 completes it. */
    EXPECT_EQ(page_free_pages(a, 2 * MIB + 4 * KIB, 1), 0);
    EXPECT_EQ(page_free_pages(a, 2 * MIB + 12 * KIB, 1), 0);
    EXPECT_EQ(a->free.count, 2);
    EXPECT_EQ(page_free_pages(a, 2 * MIB + 8 * KIB, 1), 0);
    EXPECT_EQ(a->free.count, 1);
    expect_range(a, 0, 2 * MIB + 4 * KIB, 2 * MIB + 16 * KIB);
    EXPECT_EQ(page_free_pages(a, 2 * MIB, 1), 0);
    EXPECT_EQ(a->free.count, 1);
    expect_range(a, 0, 2 * MIB, 2 * MIB + 16 * KIB);
    EXPECT_EQ(page_alloc_free_pages(a), 4);
}

TEST(double_free_and_foreign_pages_are_refused)
{
    struct page_allocator *a = new_allocator();
    uint64_t phys = 0;

    EXPECT_EQ(page_alloc_add_range(a, 2 * MIB, 64 * KIB), 0);
    EXPECT_EQ(page_alloc_pages(a, 4, 4 * KIB, &phys), 0);
    EXPECT_EQ(page_free_pages(a, phys, 4), 0);
    EXPECT_EQ(page_free_pages(a, phys, 4), HV_EEXIST);
    EXPECT_EQ(page_free_pages(a, phys + 8 * KIB, 1), HV_EEXIST);

    EXPECT_EQ(page_alloc_pages(a, 2, 4 * KIB, &phys), 0);
    /* Half allocated, half free. */
    EXPECT_EQ(page_free_pages(a, phys + 4 * KIB, 2), HV_EEXIST);
    /* Never added: below the range, straddling its end, far away. */
    EXPECT_EQ(page_free_pages(a, 2 * MIB - 4 * KIB, 1), HV_ERANGE);
    EXPECT_EQ(page_free_pages(a, 2 * MIB + 60 * KIB, 2), HV_ERANGE);
    EXPECT_EQ(page_free_pages(a, 1 * GIB, 1), HV_ERANGE);
    EXPECT_EQ(page_alloc_free_pages(a), 14);
}

TEST(fragmentation_then_large_allocation)
{
    struct page_allocator *a = new_allocator();
    uint64_t phys = 0;
    int failures = 0;

    EXPECT_EQ(page_alloc_add_range(a, 4 * MIB, 4 * MIB), 0);
    EXPECT_EQ(page_alloc_pages(a, 1024, 4 * KIB, &phys), 0);
    EXPECT_EQ(phys, 4 * MIB);

    /* Free every other page of the lower half: 256 single-page holes. */
    for (unsigned i = 0; i < 512; i += 2)
        failures += page_free_pages(a, 4 * MIB + i * 4 * KIB, 1) != HV_OK;
    EXPECT_EQ(failures, 0);
    EXPECT_EQ(page_alloc_free_pages(a), 256);
    EXPECT_EQ(a->free.count, PAGE_ALLOC_MAX_RANGES);
    /* The table is full: a hole that touches no free page needs a slot. */
    EXPECT_EQ(page_free_pages(a, 4 * MIB + 600 * 4 * KIB, 1), HV_ENOSPC);
    /* Plenty of free pages, but no two of them side by side. */
    EXPECT_EQ(page_alloc_pages(a, 2, 4 * KIB, &phys), HV_ENOMEM);
    /* A single page comes from the lowest hole, and leaves a slot. */
    EXPECT_EQ(page_alloc_pages(a, 1, 4 * KIB, &phys), 0);
    EXPECT_EQ(phys, 4 * MIB);

    /* Freeing the rest coalesces everything back into one range. */
    failures = page_free_pages(a, 4 * MIB, 1) != HV_OK;
    for (unsigned i = 1; i < 512; i += 2)
        failures += page_free_pages(a, 4 * MIB + i * 4 * KIB, 1) != HV_OK;
    EXPECT_EQ(page_free_pages(a, 6 * MIB, 512), HV_OK);
    EXPECT_EQ(failures, 0);
    EXPECT_EQ(a->free.count, 1);
    expect_range(a, 0, 4 * MIB, 8 * MIB);
    EXPECT_EQ(page_alloc_free_pages(a), 1024);

    /* Fragment the first 2 MiB again: a 2 MiB-aligned 2 MiB block must then
     * come from the upper half. */
    EXPECT_EQ(page_alloc_pages(a, 1, 4 * KIB, &phys), 0);
    EXPECT_EQ(phys, 4 * MIB);
    EXPECT_EQ(page_alloc_pages(a, 512, 2 * MIB, &phys), 0);
    EXPECT_EQ(phys, 6 * MIB);
    EXPECT_EQ(page_alloc_pages(a, 512, 2 * MIB, &phys), HV_ENOMEM);
    EXPECT_EQ(page_free_pages(a, 4 * MIB, 1), 0);
    EXPECT_EQ(page_alloc_pages(a, 512, 2 * MIB, &phys), 0);
    EXPECT_EQ(phys, 4 * MIB);
    EXPECT_EQ(page_alloc_free_pages(a), 0);
}

TEST(allocation_needing_a_slot_in_a_full_table)
{
    struct page_allocator *a = new_allocator();
    uint64_t phys = 0;

    /* 255 single pages at odd page numbers (never 8 KiB aligned), then 4 pages. */
    for (unsigned i = 0; i < PAGE_ALLOC_MAX_RANGES - 1; i++)
        EXPECT_EQ(page_alloc_add_range(a, 1 * MIB + 4 * KIB + i * 8 * KIB, 4 * KIB), 0);
    EXPECT_EQ(page_alloc_add_range(a, 1 * GIB + 4 * KIB, 16 * KIB), 0);
    EXPECT_EQ(a->free.count, PAGE_ALLOC_MAX_RANGES);

    /* Only the middle of the 4-page range is 8 KiB aligned: splitting it needs
     * a slot the full table does not have. */
    EXPECT_EQ(page_alloc_pages(a, 1, 8 * KIB, &phys), HV_ENOSPC);
    EXPECT_EQ(page_alloc_free_pages(a), PAGE_ALLOC_MAX_RANGES - 1 + 4);

    /* Taking a single page frees a slot; then the split works. */
    EXPECT_EQ(page_alloc_pages(a, 1, 4 * KIB, &phys), 0);
    EXPECT_EQ(phys, 1 * MIB + 4 * KIB);
    EXPECT_EQ(page_alloc_pages(a, 1, 8 * KIB, &phys), 0);
    EXPECT_EQ(phys, 1 * GIB + 8 * KIB);
    EXPECT_EQ(a->free.count, PAGE_ALLOC_MAX_RANGES);
}
