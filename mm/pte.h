/* x86-64 4-level page-table entry bits, shared by the host page tables and the
 * nested page tables (NPT), which use the host's long-mode format.
 * See: APM Vol. 2 §5.3 (long-mode paging), §7.8.2 (PAT index), §15.25.3 (NPT format). */
#ifndef MM_PTE_H
#define MM_PTE_H

#include <stdint.h>

#define PTE_PRESENT    (1ull << 0)
#define PTE_WRITABLE   (1ull << 1)
#define PTE_USER       (1ull << 2)
#define PTE_PWT        (1ull << 3)
#define PTE_PCD        (1ull << 4)
#define PTE_ACCESSED   (1ull << 5)
#define PTE_DIRTY      (1ull << 6)
#define PTE_LARGE      (1ull << 7)   /* PS: a 2 MiB PDE or 1 GiB PDPE is a leaf */
#define PTE_PAT_4K     (1ull << 7)   /* PAT bit in a 4 KiB PTE */
#define PTE_GLOBAL     (1ull << 8)
#define PTE_PAT_LARGE  (1ull << 12)  /* PAT bit in a 2 MiB / 1 GiB leaf */
#define PTE_NX         (1ull << 63)

#define PTE_ADDR_MASK  0x000ffffffffff000ull  /* bits 51:12 */

#define PAGE_SIZE_4K   0x1000ull
#define PAGE_SIZE_2M   0x200000ull
#define PAGE_SIZE_1G   0x40000000ull

#define PT_ENTRIES     512

/* Index of va in the table of the given level (4 = PML4, 3 = PDPT, 2 = PD, 1 = PT). */
static inline unsigned pt_index(uint64_t va, int level)
{
    return (unsigned)((va >> (12 + 9 * (level - 1))) & 0x1ff);
}

#endif
