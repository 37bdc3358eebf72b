/* Building, changing and walking x86-64 4-level page tables (host tables and
 * nested page tables alike), with 1 GiB / 2 MiB / 4 KiB leaves.
 * See: APM §5.3 (long-mode paging), §7.8.2 (PAT index bits), §15.25.3 (NPT format). */
#include "mm/pagetable.h"

#include <stdbool.h>
#include <stddef.h>

#include "hv/errno.h"

/* 4-level paging translates 48-bit addresses; bits 63:47 must all be equal. */
#define VIRTUAL_ADDRESS_BITS   48
#define LINEAR_MASK            ((1ull << VIRTUAL_ADDRESS_BITS) - 1)
#define LOWER_HALF_END         (1ull << (VIRTUAL_ADDRESS_BITS - 1))
#define PHYSICAL_ADDRESS_LIMIT (1ull << 52)   /* entry address field is bits 51:12 */
#define TOP_LEVEL              4

enum pt_operation {
    PT_CHECK_MAPPED,   /* fail with HV_ENOENT at the first hole, change nothing */
    PT_MAP,
    PT_UNMAP,
    PT_PROTECT,
    PT_MEMTYPE,
};

/* One request, carried unchanged down the recursive walk. Addresses are
 * linear: the canonical address with bits 63:48 dropped. */
struct pt_request {
    enum pt_operation operation;
    uint64_t va_start;
    uint64_t pa_start;
    uint64_t perm;
    uint64_t set;
    uint64_t clear;
    unsigned pat_index;
};

uint64_t pt_leaf_size(int level)
{
    if (level < 1 || level > 3)
        return 0;
    return 1ull << (12 + 9 * (level - 1));
}

uint64_t pt_leaf_address(uint64_t entry, int level)
{
    return entry & PTE_ADDR_MASK & ~(pt_leaf_size(level) - 1);
}

/* Bit 7 is PS in a PDE or PDPE, so a large leaf keeps its PAT bit at bit 12 (the
 * lowest address bit, never needed because large pages are aligned). APM §7.8.2. */
/* Where a leaf keeps its PAT bit: bit 7 in a 4 KiB PTE, bit 12 in a 2 MiB or
 * 1 GiB leaf (bit 7 is PS there); a PML4E is never a leaf and has none. */
static uint64_t pat_bit(int level)
{
    if (level == 1)
        return PTE_PAT_4K;
    return level == 2 || level == 3 ? PTE_PAT_LARGE : 0;
}

uint64_t pt_pat_bits(unsigned pat_index, int level)
{
    uint64_t bits = 0;

    if (pat_index & 1)
        bits |= PTE_PWT;
    if (pat_index & 2)
        bits |= PTE_PCD;
    if (pat_index & 4)
        bits |= pat_bit(level);
    return bits;
}

unsigned pt_entry_pat_index(uint64_t entry, int level)
{
    return ((entry & PTE_PWT) ? 1u : 0u) | ((entry & PTE_PCD) ? 2u : 0u) |
           ((entry & pat_bit(level)) ? 4u : 0u);
}

/* Bytes one entry of a table at level covers (level 4: 512 GiB). */
static uint64_t entry_span(int level)
{
    return 1ull << (12 + 9 * (level - 1));
}

static bool entry_is_leaf(uint64_t entry, int level)
{
    return level == 1 || (level <= 3 && (entry & PTE_LARGE) != 0);
}

/* Every non-leaf entry grants everything, so that the leaf alone decides. NPT
 * needs this: every nested access is a user access, so every level must have
 * U/S=1, and walks of guest page tables are writes (svm-reference §7.3). */
static uint64_t table_entry(uint64_t child_phys)
{
    return child_phys | PTE_PRESENT | PTE_WRITABLE | PTE_USER;
}

static uint64_t make_leaf(uint64_t pa, int level, uint64_t attributes, unsigned pat_index)
{
    return pa | PTE_PRESENT | attributes | pt_pat_bits(pat_index, level) |
           (level > 1 ? PTE_LARGE : 0);
}

static uint64_t *table_at(const struct page_table *pt, uint64_t phys)
{
    return pt->ops->table_at(pt->ctx, phys);
}

static int new_table(struct page_table *pt, uint64_t *phys_out)
{
    uint64_t phys = 0;
    int error = pt->ops->alloc_table(pt->ctx, &phys);

    if (error != 0)
        return error < 0 ? error : HV_ENOMEM;
    /* A misaligned table would have its low address bits read as flags. */
    if ((phys & (PAGE_SIZE_4K - 1)) != 0 || phys >= PHYSICAL_ADDRESS_LIMIT) {
        pt->ops->free_table(pt->ctx, phys);
        return HV_EINVAL;
    }
    *phys_out = phys;
    return 0;
}

static void free_subtree(struct page_table *pt, uint64_t table_phys, int level)
{
    uint64_t *table = table_at(pt, table_phys);

    for (unsigned i = 0; level > 1 && i < PT_ENTRIES; i++) {
        if ((table[i] & PTE_PRESENT) && !entry_is_leaf(table[i], level))
            free_subtree(pt, table[i] & PTE_ADDR_MASK, level - 1);
    }
    pt->ops->free_table(pt->ctx, table_phys);
}

static bool table_is_empty(const uint64_t *table)
{
    for (unsigned i = 0; i < PT_ENTRIES; i++) {
        if (table[i] & PTE_PRESENT)
            return false;
    }
    return true;
}

/* Replace the large leaf in *slot (at level) by a table of 512 leaves one level
 * down that map the same memory with the same attributes, so that part of it
 * can then be changed alone. */
static int split_leaf(struct page_table *pt, uint64_t *slot, int level)
{
    uint64_t entry = *slot;
    uint64_t base = pt_leaf_address(entry, level);
    unsigned pat_index = pt_entry_pat_index(entry, level);
    /* Everything but the address, PS and the memory-type bits, which make_leaf()
     * puts back where the lower level keeps them. */
    uint64_t attributes = entry & ~PTE_ADDR_MASK & ~(PTE_LARGE | PTE_PWT | PTE_PCD);
    uint64_t child_phys;
    uint64_t *child;
    int error = new_table(pt, &child_phys);

    if (error != 0)
        return error;
    child = table_at(pt, child_phys);
    for (unsigned i = 0; i < PT_ENTRIES; i++)
        child[i] = make_leaf(base + i * pt_leaf_size(level - 1), level - 1, attributes,
                             pat_index);
    *slot = table_entry(child_phys);
    return 0;
}

static uint64_t changed_leaf(uint64_t entry, int level, const struct pt_request *request)
{
    if (request->operation == PT_PROTECT)
        return (entry | request->set) & ~request->clear;
    /* PT_MEMTYPE */
    return (entry & ~(PTE_PWT | PTE_PCD | pat_bit(level))) |
           pt_pat_bits(request->pat_index, level);
}

/* Whether the request can put a leaf of this level at va. */
static bool map_fits_leaf(const struct page_table *pt, const struct pt_request *request,
                          uint64_t va, int level)
{
    uint64_t pa = request->pa_start + (va - request->va_start);

    return level <= pt->max_leaf_level && (pa & (entry_span(level) - 1)) == 0;
}

/* Apply request to [start, end) inside the table at table_phys of level. An
 * entry whose whole span is in the range is handled here when it can be;
 * otherwise the walk goes one level down, splitting a large leaf on the way. */
static int walk(struct page_table *pt, uint64_t table_phys, int level, uint64_t start,
                uint64_t end, const struct pt_request *request)
{
    uint64_t *table = table_at(pt, table_phys);
    uint64_t span = entry_span(level);
    enum pt_operation operation = request->operation;

    for (uint64_t va = start; va < end;) {
        uint64_t *slot = &table[pt_index(va, level)];
        uint64_t entry_base = va & ~(span - 1);
        uint64_t chunk_end = end < entry_base + span ? end : entry_base + span;
        bool whole = va == entry_base && chunk_end == entry_base + span;
        bool present = (*slot & PTE_PRESENT) != 0;
        bool leaf = present && entry_is_leaf(*slot, level);
        int error = 0;

        if (!present && operation != PT_MAP) {
            if (operation != PT_UNMAP)
                return HV_ENOENT;
        } else if (operation == PT_MAP && whole && map_fits_leaf(pt, request, va, level)) {
            if (present && !leaf)
                free_subtree(pt, *slot & PTE_ADDR_MASK, level - 1);
            *slot = make_leaf(request->pa_start + (va - request->va_start), level,
                              request->perm, request->pat_index);
        } else if (operation == PT_UNMAP && whole) {
            if (!leaf)
                free_subtree(pt, *slot & PTE_ADDR_MASK, level - 1);
            *slot = 0;
        } else if (leaf && operation == PT_CHECK_MAPPED) {
            /* mapped: nothing to look at below */
        } else if (leaf && whole && operation != PT_MAP) {
            *slot = changed_leaf(*slot, level, request);
        } else {
            uint64_t child_phys;

            /* A leaf the mapping replaces entirely needs no copy, only a table. */
            if (!present || (leaf && whole && operation == PT_MAP)) {
                error = new_table(pt, &child_phys);
                if (error == 0)
                    *slot = table_entry(child_phys);
            } else if (leaf) {
                error = split_leaf(pt, slot, level);
            }
            if (error != 0)
                return error;
            child_phys = *slot & PTE_ADDR_MASK;
            error = walk(pt, child_phys, level - 1, va, chunk_end, request);
            if (operation == PT_UNMAP && table_is_empty(table_at(pt, child_phys))) {
                pt->ops->free_table(pt->ctx, child_phys);
                *slot = 0;
            }
            if (error != 0)
                return error;
        }
        va = chunk_end;
    }
    return 0;
}

/* Check that [va, va + bytes) is 4 KiB aligned, not empty, canonical and within
 * one half of the address space, and give it as linear [start, end). */
static int linear_range(uint64_t va, uint64_t bytes, uint64_t *start, uint64_t *end)
{
    uint64_t top_bits = va >> (VIRTUAL_ADDRESS_BITS - 1);
    uint64_t linear = va & LINEAR_MASK;
    uint64_t limit;

    if (((va | bytes) & (PAGE_SIZE_4K - 1)) != 0 || bytes == 0)
        return HV_EINVAL;
    if (top_bits == 0)
        limit = LOWER_HALF_END;
    else if (top_bits == (1ull << (64 - VIRTUAL_ADDRESS_BITS + 1)) - 1)
        limit = 1ull << VIRTUAL_ADDRESS_BITS;
    else
        return HV_ERANGE;
    /* A range running into the non-canonical hole (or past the top) is refused. */
    if (bytes > limit - linear)
        return HV_ERANGE;
    *start = linear;
    *end = linear + bytes;
    return 0;
}

int pt_init(struct page_table *pt, const struct page_table_ops *ops, void *ctx,
            int max_leaf_level)
{
    if (ops == NULL || ops->table_at == NULL || ops->alloc_table == NULL ||
        ops->free_table == NULL || max_leaf_level < 1 || max_leaf_level > 3)
        return HV_EINVAL;
    pt->ops = ops;
    pt->ctx = ctx;
    pt->max_leaf_level = max_leaf_level;
    pt->root_phys = 0;
    return new_table(pt, &pt->root_phys);
}

int pt_map(struct page_table *pt, uint64_t va, uint64_t pa, uint64_t bytes,
           uint64_t perm, unsigned pat_index)
{
    struct pt_request request = { .operation = PT_MAP };
    uint64_t start, end;
    int error = linear_range(va, bytes, &start, &end);

    if (error != 0)
        return error;
    if ((pa & (PAGE_SIZE_4K - 1)) != 0 || (perm & ~(PT_PERMISSION_MASK | PTE_PRESENT)) != 0 ||
        pat_index > 7)
        return HV_EINVAL;
    if (pa >= PHYSICAL_ADDRESS_LIMIT || bytes > PHYSICAL_ADDRESS_LIMIT - pa)
        return HV_ERANGE;
    request.va_start = start;
    request.pa_start = pa;
    request.perm = perm & PT_PERMISSION_MASK;
    request.pat_index = pat_index;
    return walk(pt, pt->root_phys, TOP_LEVEL, start, end, &request);
}

int pt_unmap(struct page_table *pt, uint64_t va, uint64_t bytes)
{
    struct pt_request request = { .operation = PT_UNMAP };
    uint64_t start, end;
    int error = linear_range(va, bytes, &start, &end);

    if (error != 0)
        return error;
    return walk(pt, pt->root_phys, TOP_LEVEL, start, end, &request);
}

/* Check first, then change: a hole found halfway must not leave the range
 * half changed. */
static int change_mapped_range(struct page_table *pt, uint64_t va, uint64_t bytes,
                               struct pt_request *request)
{
    struct pt_request check = { .operation = PT_CHECK_MAPPED };
    uint64_t start, end;
    int error = linear_range(va, bytes, &start, &end);

    if (error == 0)
        error = walk(pt, pt->root_phys, TOP_LEVEL, start, end, &check);
    if (error == 0)
        error = walk(pt, pt->root_phys, TOP_LEVEL, start, end, request);
    return error;
}

int pt_protect(struct page_table *pt, uint64_t va, uint64_t bytes, uint64_t set,
               uint64_t clear)
{
    struct pt_request request = { .operation = PT_PROTECT, .set = set, .clear = clear };

    if (((set | clear) & ~PT_PERMISSION_MASK) != 0)
        return HV_EINVAL;
    return change_mapped_range(pt, va, bytes, &request);
}

int pt_set_memtype(struct page_table *pt, uint64_t va, uint64_t bytes, unsigned pat_index)
{
    struct pt_request request = { .operation = PT_MEMTYPE, .pat_index = pat_index };

    if (pat_index > 7)
        return HV_EINVAL;
    return change_mapped_range(pt, va, bytes, &request);
}

int pt_lookup(const struct page_table *pt, uint64_t va, uint64_t *leaf_entry,
              int *leaf_level)
{
    uint64_t top_bits = va >> (VIRTUAL_ADDRESS_BITS - 1);
    uint64_t table_phys = pt->root_phys;

    if (top_bits != 0 && top_bits != (1ull << (64 - VIRTUAL_ADDRESS_BITS + 1)) - 1)
        return HV_ERANGE;
    for (int level = TOP_LEVEL; level >= 1; level--) {
        uint64_t entry = table_at(pt, table_phys)[pt_index(va, level)];

        if (!(entry & PTE_PRESENT))
            return HV_ENOENT;
        if (entry_is_leaf(entry, level)) {
            *leaf_entry = entry;
            *leaf_level = level;
            return 0;
        }
        table_phys = entry & PTE_ADDR_MASK;
    }
    return HV_ENOENT; /* not reached: level 1 entries are always leaves */
}

void pt_destroy(struct page_table *pt)
{
    if (pt->ops == NULL)
        return;
    free_subtree(pt, pt->root_phys, TOP_LEVEL);
    pt->root_phys = 0;
    pt->ops = NULL;
}
