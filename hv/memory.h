/* The hypervisor's physical memory after ExitBootServices: one page allocator fed
 * from the UEFI memory map, and page-table callbacks for identity-mapped memory. */
#ifndef HV_MEMORY_H
#define HV_MEMORY_H

#include <stdint.h>

#include "boot/boot_info.h"
#include "mm/page_alloc.h"
#include "mm/pagetable.h"

/* Gives every usable range of the boot memory map to the page allocator. */
int memory_init(const struct boot_info *info);
/* count zeroed pages, aligned to align_bytes; 0 or an HV_E* error. */
int memory_alloc_zeroed(uint64_t count, uint64_t align_bytes, uint64_t *phys_out);
void memory_free(uint64_t phys, uint64_t count);
uint64_t memory_free_pages(void);

/* Page-table callbacks for tables in identity-mapped host memory (virtual ==
 * physical), allocating from the page allocator. */
extern const struct page_table_ops identity_table_ops;

#endif
