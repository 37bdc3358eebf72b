/* Building x86-64 4-level page tables, for the host's own tables and for nested
 * page tables, which share the long-mode format; tables are reached through
 * callbacks, never by assuming physical == virtual. See: APM §5.3, §7.8.2, §15.25.3. */
#ifndef MM_PAGETABLE_H
#define MM_PAGETABLE_H

#include <stdint.h>

#include "mm/pte.h"

/* Nothing here flushes TLBs: after a change that removes or narrows a mapping the
 * caller invalidates (INVLPG or a CR3 reload for the host tables, TLB_CONTROL or
 * a new ASID for nested tables, APM §15.16).
 *
 * How the module reaches and obtains table pages. */
struct page_table_ops {
    /* The table page at physical address phys, as a pointer the code can use. */
    uint64_t *(*table_at)(void *ctx, uint64_t phys);
    /* A zeroed, 4 KiB-aligned 4 KiB page; 0 or a negative error code. */
    int (*alloc_table)(void *ctx, uint64_t *phys_out);
    void (*free_table)(void *ctx, uint64_t phys);
};

struct page_table {
    uint64_t root_phys;   /* the PML4: what goes into CR3 or the VMCB's N_CR3 */
    const struct page_table_ops *ops;
    void *ctx;
    int max_leaf_level;   /* 3 = 1 GiB pages allowed, 2 = 2 MiB, 1 = 4 KiB only */
};

/* The bits pt_map() accepts in perm and pt_protect() in set/clear. */
#define PT_PERMISSION_MASK (PTE_WRITABLE | PTE_USER | PTE_NX)

int pt_init(struct page_table *pt, const struct page_table_ops *ops, void *ctx,
            int max_leaf_level);

/* Map [va, va + bytes) to [pa, pa + bytes) with perm (PTE_WRITABLE | PTE_USER |
 * PTE_NX; present is implied) and memory type PAT entry pat_index (0..7), using
 * the largest pages alignment and max_leaf_level allow. Replaces what was there.
 * On HV_ENOMEM part of the range may already be mapped. */
int pt_map(struct page_table *pt, uint64_t va, uint64_t pa, uint64_t bytes,
           uint64_t perm, unsigned pat_index);

/* Remove the mappings of [va, va + bytes); holes are fine. Frees emptied tables. */
int pt_unmap(struct page_table *pt, uint64_t va, uint64_t bytes);

/* On every leaf of [va, va + bytes): entry |= set, then entry &= ~clear, for bits
 * in PT_PERMISSION_MASK. HV_ENOENT (and no change) if part of the range is unmapped. */
int pt_protect(struct page_table *pt, uint64_t va, uint64_t bytes, uint64_t set,
               uint64_t clear);

/* Give every leaf of [va, va + bytes) the memory type of PAT entry pat_index.
 * HV_ENOENT (and no change) if part of the range is unmapped. */
int pt_set_memtype(struct page_table *pt, uint64_t va, uint64_t bytes,
                   unsigned pat_index);

/* The leaf entry mapping va and its level (1 = 4 KiB, 2 = 2 MiB, 3 = 1 GiB);
 * HV_ENOENT if va is not mapped. */
int pt_lookup(const struct page_table *pt, uint64_t va, uint64_t *leaf_entry,
              int *leaf_level);

/* Free every table, the root included. The mapped memory is not touched. */
void pt_destroy(struct page_table *pt);

/* PWT, PCD and the PAT bit that select PAT entry pat_index in a leaf of level. */
uint64_t pt_pat_bits(unsigned pat_index, int level);
/* The PAT entry a leaf entry of level selects. */
unsigned pt_entry_pat_index(uint64_t entry, int level);
/* Bytes a leaf of level maps: 4 KiB, 2 MiB, 1 GiB; 0 for other levels. */
uint64_t pt_leaf_size(int level);
/* The physical address a leaf entry of level points to. */
uint64_t pt_leaf_address(uint64_t entry, int level);

#endif
