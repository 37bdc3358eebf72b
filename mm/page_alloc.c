/* The physical page-frame allocator: sorted tables of free and added ranges,
 * first fit from low addresses, coalescing on free.
 * See: UEFI 2.10 §7.2 (the memory map it is fed from); APM §5.3.3 (52-bit limit). */
#include "mm/page_alloc.h"

#include <stdbool.h>
#include <string.h>

#include "hv/errno.h"

#define PAGE_MASK (PAGE_ALLOC_PAGE_BYTES - 1)

static uint64_t range_pages(uint64_t base, uint64_t end)
{
    return (end - base) / PAGE_ALLOC_PAGE_BYTES;
}

/* Index of the first range whose base is at or above address. */
static unsigned range_table_position(const struct page_range_table *t, uint64_t address)
{
    unsigned i = 0;

    while (i < t->count && t->ranges[i].base < address)
        i++;
    return i;
}

/* Whether [base, end) can go into the table: it must not overlap a range, and
 * it needs a free slot unless it touches a neighbour and merges into it. */
static int range_table_check_insert(const struct page_range_table *t, uint64_t base,
                                    uint64_t end)
{
    unsigned i = range_table_position(t, base);
    bool touches_left = i > 0 && t->ranges[i - 1].end == base;
    bool touches_right = i < t->count && t->ranges[i].base == end;

    if (i > 0 && t->ranges[i - 1].end > base)
        return HV_EEXIST;
    if (i < t->count && t->ranges[i].base < end)
        return HV_EEXIST;
    if (!touches_left && !touches_right && t->count == PAGE_ALLOC_MAX_RANGES)
        return HV_ENOSPC;
    return 0;
}

static void range_table_remove_slot(struct page_range_table *t, unsigned i)
{
    memmove(&t->ranges[i], &t->ranges[i + 1], (t->count - i - 1) * sizeof t->ranges[0]);
    t->count--;
}

/* Insert [base, end), merging with the neighbours it touches, so that the table
 * stays minimal. Call range_table_check_insert() first. */
static void range_table_insert(struct page_range_table *t, uint64_t base, uint64_t end)
{
    unsigned i = range_table_position(t, base);
    bool touches_left = i > 0 && t->ranges[i - 1].end == base;
    bool touches_right = i < t->count && t->ranges[i].base == end;

    if (touches_left && touches_right) {
        t->ranges[i - 1].end = t->ranges[i].end;
        range_table_remove_slot(t, i);
    } else if (touches_left) {
        t->ranges[i - 1].end = end;
    } else if (touches_right) {
        t->ranges[i].base = base;
    } else {
        memmove(&t->ranges[i + 1], &t->ranges[i], (t->count - i) * sizeof t->ranges[0]);
        t->ranges[i] = (struct page_range){ base, end };
        t->count++;
    }
}

void page_alloc_init(struct page_allocator *a)
{
    memset(a, 0, sizeof *a);
}

int page_alloc_add_range(struct page_allocator *a, uint64_t base, uint64_t bytes)
{
    uint64_t end;
    int error;

    if (bytes > PAGE_ALLOC_PHYS_LIMIT || base > PAGE_ALLOC_PHYS_LIMIT - bytes)
        return HV_ERANGE;
    end = base + bytes;
    if (base < PAGE_ALLOC_LOW_LIMIT)
        base = PAGE_ALLOC_LOW_LIMIT;
    /* Partial pages at either edge may share a page with something else. */
    base = (base + PAGE_MASK) & ~PAGE_MASK;
    end &= ~PAGE_MASK;
    if (base >= end)
        return 0;

    /* Check both tables before changing either, so a failure changes nothing.
     * The free table is a subset of the added table, so only the added table can
     * report an overlap; the free table can still be full. */
    error = range_table_check_insert(&a->added, base, end);
    if (error == 0)
        error = range_table_check_insert(&a->free, base, end);
    if (error != 0)
        return error;

    range_table_insert(&a->added, base, end);
    range_table_insert(&a->free, base, end);
    a->total_pages += range_pages(base, end);
    a->free_pages += range_pages(base, end);
    return 0;
}

int page_alloc_pages(struct page_allocator *a, uint64_t count, uint64_t align_bytes,
                     uint64_t *phys_out)
{
    bool needed_a_slot = false;

    if (count == 0 || count > PAGE_ALLOC_PHYS_LIMIT / PAGE_ALLOC_PAGE_BYTES)
        return HV_EINVAL;
    if (align_bytes < PAGE_ALLOC_PAGE_BYTES || (align_bytes & (align_bytes - 1)) != 0)
        return HV_EINVAL;

    for (unsigned i = 0; i < a->free.count; i++) {
        struct page_range *r = &a->free.ranges[i];
        uint64_t bytes = count * PAGE_ALLOC_PAGE_BYTES;
        /* Ranges end at or below 2^52, so neither sum can overflow. */
        uint64_t start = (r->base + align_bytes - 1) & ~(align_bytes - 1);

        if (start >= r->end || r->end - start < bytes)
            continue;

        bool keeps_left = start > r->base;
        bool keeps_right = start + bytes < r->end;

        if (keeps_left && keeps_right) {
            /* Carving from the middle turns one range into two. */
            if (a->free.count == PAGE_ALLOC_MAX_RANGES) {
                needed_a_slot = true;
                continue;
            }
            memmove(&a->free.ranges[i + 1], &a->free.ranges[i],
                    (a->free.count - i) * sizeof a->free.ranges[0]);
            a->free.count++;
            a->free.ranges[i].end = start;
            a->free.ranges[i + 1].base = start + bytes;
        } else if (keeps_left) {
            r->end = start;
        } else if (keeps_right) {
            r->base = start + bytes;
        } else {
            range_table_remove_slot(&a->free, i);
        }
        a->free_pages -= count;
        *phys_out = start;
        return 0;
    }
    return needed_a_slot ? HV_ENOSPC : HV_ENOMEM;
}

int page_free_pages(struct page_allocator *a, uint64_t phys, uint64_t count)
{
    uint64_t end;
    unsigned i;
    int error;

    if (count == 0 || (phys & PAGE_MASK) != 0)
        return HV_EINVAL;
    if (count > PAGE_ALLOC_PHYS_LIMIT / PAGE_ALLOC_PAGE_BYTES ||
        phys > PAGE_ALLOC_PHYS_LIMIT - count * PAGE_ALLOC_PAGE_BYTES)
        return HV_ERANGE;
    end = phys + count * PAGE_ALLOC_PAGE_BYTES;

    /* Pages that were never added (a wrong address, a firmware page) would
     * otherwise be handed out later as if they were free RAM. */
    i = range_table_position(&a->added, phys + 1);
    if (i == 0 || a->added.ranges[i - 1].base > phys || a->added.ranges[i - 1].end < end)
        return HV_ERANGE;

    error = range_table_check_insert(&a->free, phys, end);
    if (error != 0)
        return error;
    range_table_insert(&a->free, phys, end);
    a->free_pages += count;
    return 0;
}

uint64_t page_alloc_free_pages(const struct page_allocator *a)
{
    return a->free_pages;
}

uint64_t page_alloc_total_pages(const struct page_allocator *a)
{
    return a->total_pages;
}
