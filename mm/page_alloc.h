/* The physical page-frame allocator: hands out contiguous runs of 4 KiB pages
 * from the usable RAM (EfiConventionalMemory) of the UEFI memory map, and never
 * touches that memory itself. See: UEFI 2.10 §7.2 GetMemoryMap; APM §5.3.3. */
#ifndef MM_PAGE_ALLOC_H
#define MM_PAGE_ALLOC_H

#include <stdint.h>

#define PAGE_ALLOC_MAX_RANGES  256
#define PAGE_ALLOC_PAGE_BYTES  0x1000ull
/* Below 1 MiB live the real-mode IVT, the BIOS data area, the EBDA, VGA memory
 * and option ROMs; firmware may still rely on pieces of it, so it is never used. */
#define PAGE_ALLOC_LOW_LIMIT   0x100000ull
/* Page-table entries hold physical addresses up to bit 51 (APM §5.3.3). */
#define PAGE_ALLOC_PHYS_LIMIT  (1ull << 52)

/* A run of whole pages, [base, end) in bytes. */
struct page_range {
    uint64_t base;
    uint64_t end;
};

/* Ranges sorted by address, never overlapping, never touching (touching ranges
 * are merged), so the first fit is the lowest address that fits. */
struct page_range_table {
    struct page_range ranges[PAGE_ALLOC_MAX_RANGES];
    unsigned count;
};

struct page_allocator {
    struct page_range_table free;   /* what can be handed out */
    struct page_range_table added;  /* all RAM ever given to us, to validate frees */
    uint64_t free_pages;
    uint64_t total_pages;
};

void page_alloc_init(struct page_allocator *a);

/* Give the allocator a range of usable RAM. The range is trimmed to whole pages
 * and anything below PAGE_ALLOC_LOW_LIMIT is dropped (a range that ends up empty
 * is accepted and ignored). HV_EEXIST if it overlaps RAM added before,
 * HV_ENOSPC if the range table is full, HV_ERANGE beyond PAGE_ALLOC_PHYS_LIMIT. */
int page_alloc_add_range(struct page_allocator *a, uint64_t base, uint64_t bytes);

/* Allocate count contiguous pages whose first address is a multiple of
 * align_bytes (a power of two, at least 4 KiB); the lowest fitting address wins.
 * HV_ENOMEM when nothing fits, HV_ENOSPC when only a split of a full table
 * would have made it fit, HV_EINVAL for a zero count or a bad alignment. */
int page_alloc_pages(struct page_allocator *a, uint64_t count, uint64_t align_bytes,
                     uint64_t *phys_out);

/* Return count pages starting at phys. HV_EEXIST if any of them is already free
 * (a double free), HV_ERANGE if they are not RAM this allocator was given,
 * HV_ENOSPC if the range table is full. */
int page_free_pages(struct page_allocator *a, uint64_t phys, uint64_t count);

uint64_t page_alloc_free_pages(const struct page_allocator *a);
uint64_t page_alloc_total_pages(const struct page_allocator *a);

#endif
