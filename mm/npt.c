/* Nested page tables: the page-table builder applied to guest-physical addresses,
 * with a flush recorded after every change. Non-leaf entries are always P|RW|US
 * (mm/pagetable.c), because every nested access is a user access and guest
 * page-table walks are user writes (APM §15.25.5): only the leaf decides.
 * See: APM §15.25.3-15.25.5, §15.16.1 (TLB_CONTROL). */
#include "mm/npt.h"

#include "svm/svm_defs.h"

int npt_init(struct npt *npt, const struct page_table_ops *ops, void *ctx, int max_leaf_level)
{
    npt->flush_pending = true; /* a new ASID user must not see stale entries */
    return pt_init(&npt->table, ops, ctx, max_leaf_level);
}

int npt_map(struct npt *npt, uint64_t gpa, uint64_t hpa, uint64_t bytes, uint64_t perm,
            unsigned pat_index)
{
    npt->flush_pending = true;
    return pt_map(&npt->table, gpa, hpa, bytes, perm, pat_index);
}

int npt_unmap(struct npt *npt, uint64_t gpa, uint64_t bytes)
{
    npt->flush_pending = true;
    return pt_unmap(&npt->table, gpa, bytes);
}

int npt_protect(struct npt *npt, uint64_t gpa, uint64_t bytes, uint64_t set, uint64_t clear)
{
    npt->flush_pending = true;
    return pt_protect(&npt->table, gpa, bytes, set, clear);
}

uint8_t npt_take_tlb_control(struct npt *npt, bool has_flush_by_asid)
{
    if (!npt->flush_pending)
        return TLB_CONTROL_DO_NOTHING;
    npt->flush_pending = false;
    return has_flush_by_asid ? TLB_CONTROL_FLUSH_ASID : TLB_CONTROL_FLUSH_ALL_ASID;
}

uint64_t npt_root(const struct npt *npt)
{
    return npt->table.root_phys;
}

void npt_destroy(struct npt *npt)
{
    pt_destroy(&npt->table);
}
