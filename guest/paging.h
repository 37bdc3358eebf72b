/* The guest's own 4-level page tables with 4 KiB pages: an identity map of its
 * RAM (page 0 left unmapped to catch null pointers) and a "window" of virtual
 * pages that tests point at arbitrary guest-physical addresses, in RAM or not. */
#ifndef GUEST_PAGING_H
#define GUEST_PAGING_H

#include <stdint.h>

#define PAGE_SIZE        4096ull
#define PTE_PRESENT      (1ull << 0)
#define PTE_WRITABLE     (1ull << 1)
#define PTE_USER         (1ull << 2)
#define PTE_ADDRESS_MASK 0x000ffffffffff000ull

/* The window: 512 pages at 512 GiB, above any RAM the guest can have, mapped by a
 * page table of its own (so that a test may make that table read-only in the NPT). */
#define WINDOW_BASE      0x0000008000000000ull
#define WINDOW_PAGES     512

void paging_init(void);

/* Maps window page index to gpa (present, writable, supervisor) and flushes it
 * from the TLB; returns its virtual address. */
uint64_t paging_map_window(unsigned index, uint64_t gpa);
void paging_unmap_window(unsigned index);
/* The guest-physical address of the page table that maps the window. */
uint64_t paging_window_table_gpa(void);

#endif
