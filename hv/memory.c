/* Owns minisvm's page allocator. The host page tables identity-map all memory, so
 * a physical address is also a usable pointer, which is what the table callbacks
 * rely on. See: APM §5.3 (long-mode page translation). */
#include "hv/memory.h"

#include <string.h>

#include "hv/console.h"
#include "hv/errno.h"

static struct page_allocator allocator;

int memory_init(const struct boot_info *info)
{
    page_alloc_init(&allocator);
    for (unsigned i = 0; i < info->range_count; i++) {
        const struct boot_memory_range *r = &info->ranges[i];
        if (r->kind != BOOT_MEMORY_USABLE)
            continue;
        int error = page_alloc_add_range(&allocator, r->base, r->bytes);
        if (error) {
            log_line("mm", "cannot use RAM at 0x%llx (+0x%llx): %s",
                     (unsigned long long)r->base, (unsigned long long)r->bytes,
                     hv_strerror(error));
            return error;
        }
    }
    log_line("mm", "page allocator: %llu MiB free in usable RAM",
             (unsigned long long)(page_alloc_free_pages(&allocator) >> 8));
    return 0;
}

int memory_alloc_zeroed(uint64_t count, uint64_t align_bytes, uint64_t *phys_out)
{
    int error = page_alloc_pages(&allocator, count, align_bytes, phys_out);
    if (error)
        return error;
    memset((void *)(uintptr_t)*phys_out, 0, count * PAGE_ALLOC_PAGE_BYTES);
    return 0;
}

void memory_free(uint64_t phys, uint64_t count)
{
    int error = page_free_pages(&allocator, phys, count);
    if (error)
        log_line("mm", "BUG: freeing 0x%llx (%llu pages): %s", (unsigned long long)phys,
                 (unsigned long long)count, hv_strerror(error));
}

uint64_t memory_free_pages(void)
{
    return page_alloc_free_pages(&allocator);
}

static uint64_t *identity_table_at(void *ctx, uint64_t phys)
{
    (void)ctx;
    return (uint64_t *)(uintptr_t)phys;
}

static int identity_alloc_table(void *ctx, uint64_t *phys_out)
{
    (void)ctx;
    return memory_alloc_zeroed(1, PAGE_ALLOC_PAGE_BYTES, phys_out);
}

static void identity_free_table(void *ctx, uint64_t phys)
{
    (void)ctx;
    memory_free(phys, 1);
}

const struct page_table_ops identity_table_ops = {
    .table_at = identity_table_at,
    .alloc_table = identity_alloc_table,
    .free_table = identity_free_table,
};
