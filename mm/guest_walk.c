/* The guest page-table walk: four levels from the guest's CR3, stopping early
 * at 1 GiB and 2 MiB leaves, with guest-physical addresses throughout.
 * See: APM Vol. 2 §5.3 (long-mode tables and entries), §5.3.1 (canonical address form). */
#include "mm/guest_walk.h"

#include <string.h>

#include "hv/errno.h"
#include "hv/x86.h"
#include "mm/pte.h"

#define GUEST_PAGING_LEVELS   4
#define VIRTUAL_ADDRESS_BITS  48   /* four levels of 9 bits above a 12-bit offset */

enum guest_paging_mode guest_paging_mode(uint64_t cr0, uint64_t cr4, uint64_t efer)
{
    if (!(cr0 & CR0_PG))
        return GUEST_PAGING_OFF;
    /* EFER.LMA is set by the CPU when paging is turned on with EFER.LME = 1,
     * so it, not LME, says the tables are in the long-mode format. */
    if (!(efer & EFER_LMA) || (cr4 & CR4_LA57))
        return GUEST_PAGING_UNSUPPORTED;
    return GUEST_PAGING_LONG_MODE;
}

/* Bits 63:47 must all be copies of bit 47; anything else raises #GP (or #SS)
 * in the guest, so no such address can be at RIP or in a page table. */
static bool is_canonical(uint64_t gva)
{
    uint64_t top_bits = gva >> (VIRTUAL_ADDRESS_BITS - 1);

    return top_bits == 0 || top_bits == (~0ull >> (VIRTUAL_ADDRESS_BITS - 1));
}

static uint64_t page_bytes_at_level(int level)
{
    return 1ull << (12 + 9 * (level - 1));
}

/*
 * Reserved bits this walk can check without knowing the guest's MAXPHYADDR
 * or EFER.NXE: PS in a PML4E, and in a large leaf the address bits between
 * the PAT bit (12) and the page size, which must be zero because the page is
 * aligned to its size. A real CPU would raise #PF with RSV set for either.
 */
static bool has_reserved_bits(uint64_t entry, int level)
{
    if (level == 4)
        return (entry & PTE_LARGE) != 0;
    if ((level == 3 || level == 2) && (entry & PTE_LARGE)) {
        uint64_t below_page = (page_bytes_at_level(level) - 1) & PTE_ADDR_MASK;

        return (entry & below_page & ~PTE_PAT_LARGE) != 0;
    }
    return false;
}

static bool is_leaf(uint64_t entry, int level)
{
    return level == 1 || ((level == 3 || level == 2) && (entry & PTE_LARGE));
}

int guest_virtual_to_physical(guest_read_table_fn read_table, void *context,
                              uint64_t guest_cr3, uint64_t gva, uint64_t *gpa_out)
{
    /* CR3 bits 11:0 are PWT/PCD (or a PCID): only the address names the table. */
    uint64_t table_gpa = guest_cr3 & PTE_ADDR_MASK;

    if (!is_canonical(gva))
        return HV_ERANGE;
    for (int level = GUEST_PAGING_LEVELS; level >= 1; level--) {
        const uint64_t *table = read_table(context, table_gpa);
        uint64_t entry;

        if (table == NULL)
            return HV_ERANGE;
        entry = table[pt_index(gva, level)];
        if (!(entry & PTE_PRESENT))
            return HV_ENOENT;
        if (has_reserved_bits(entry, level))
            return HV_EINVAL;
        if (is_leaf(entry, level)) {
            uint64_t page_bytes = page_bytes_at_level(level);

            /* In a large leaf bit 12 is the PAT bit, not an address bit. */
            *gpa_out = (entry & PTE_ADDR_MASK & ~(page_bytes - 1)) | (gva & (page_bytes - 1));
            return HV_OK;
        }
        table_gpa = entry & PTE_ADDR_MASK;
    }
    return HV_ENOENT;   /* not reached: a level 1 entry is always a leaf */
}

int guest_copy_from_virtual(guest_read_table_fn read_table, void *context,
                            uint64_t guest_cr3, uint64_t gva, void *buffer, size_t bytes)
{
    uint8_t *out = buffer;

    if (bytes != 0 && gva + (bytes - 1) < gva)
        return HV_ERANGE;
    while (bytes > 0) {
        uint64_t offset = gva & (PAGE_SIZE_4K - 1);
        size_t chunk = bytes;
        const uint8_t *page;
        uint64_t gpa;
        int error;

        /* Each page is translated on its own: the next virtual page may be
         * anywhere in guest-physical memory, or not mapped at all. */
        if (chunk > PAGE_SIZE_4K - offset)
            chunk = (size_t)(PAGE_SIZE_4K - offset);
        error = guest_virtual_to_physical(read_table, context, guest_cr3, gva, &gpa);
        if (error != HV_OK)
            return error;
        page = (const uint8_t *)read_table(context, gpa & ~(PAGE_SIZE_4K - 1));
        if (page == NULL)
            return HV_ERANGE;
        memcpy(out, page + offset, chunk);
        out += chunk;
        gva += chunk;
        bytes -= chunk;
    }
    return HV_OK;
}
