/* Nested page tables of one VM: guest-physical to host-physical, in the host's
 * long-mode format, with 4 KiB / 2 MiB / 1 GiB pages through mm/pagetable.c, plus
 * the TLB bookkeeping every change needs: a reduced or moved translation may still
 * sit in the TLB under the VM's ASID until it is flushed.
 * See: APM §15.25 (nested paging), §15.16 (TLB control, ASIDs). */
#ifndef MM_NPT_H
#define MM_NPT_H

#include <stdbool.h>
#include <stdint.h>

#include "mm/pagetable.h"

struct npt {
    struct page_table table;
    bool flush_pending;   /* a change the TLB may not know of yet */
};

int npt_init(struct npt *npt, const struct page_table_ops *ops, void *ctx, int max_leaf_level);
/* Map guest-physical [gpa, gpa+bytes) to host-physical hpa with perm
 * (PTE_WRITABLE | PTE_USER | PTE_NX) and host-PAT index pat_index. */
int npt_map(struct npt *npt, uint64_t gpa, uint64_t hpa, uint64_t bytes, uint64_t perm,
            unsigned pat_index);
int npt_unmap(struct npt *npt, uint64_t gpa, uint64_t bytes);
int npt_protect(struct npt *npt, uint64_t gpa, uint64_t bytes, uint64_t set, uint64_t clear);
/* The TLB_CONTROL value for the next VMRUN, and the pending flush forgotten:
 * "flush this ASID" when the CPU has FlushByAsid, else "flush everything" (the only
 * encoding older CPUs and QEMU's TCG honour). */
uint8_t npt_take_tlb_control(struct npt *npt, bool has_flush_by_asid);
uint64_t npt_root(const struct npt *npt);
void npt_destroy(struct npt *npt);

#endif
