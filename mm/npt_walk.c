/* The nested page-table walk in software, and the rules that decide whether a
 * guest access passes it and which EXITINFO1 the hardware reports if not.
 * See: APM §5.3 (long-mode entries), §15.25.5-§15.25.7 (NPT), §15.25.13 (GMET). */
#include "mm/npt_walk.h"

#include <stddef.h>
#include <string.h>

#include "hv/errno.h"
#include "mm/pte.h"

#define NPT_LEVELS            4
#define PHYS_ADDR_BITS_MAX    52   /* entries hold addresses in bits 51:12 */
#define GPA_BITS_TRANSLATED   48   /* four levels of 9 bits above a 12-bit offset */

static uint64_t bit_range(unsigned high, unsigned low)
{
    return ((~0ull) >> (63 - high)) & ~((1ull << low) - 1);
}

static bool entry_is_leaf(uint64_t entry, int level)
{
    if (level == 1)
        return true;
    /* PS makes a PDE a 2 MiB page and a PDPE a 1 GiB page; in a PML4E it is
     * reserved, which entry_reserved_bits() reports. */
    return (level == 2 || level == 3) && (entry & PTE_LARGE);
}

/* Reserved (must-be-zero) bits of a present entry at this level.
 * Not checked: bit 8 of a PML4E, which some AMD manuals mark MBZ and others
 * ignore; minisvm never sets it, so the question does not arise. The 1 GiB
 * case assumes the CPU has 1 GiB pages (CPUID 80000001 EDX[26]); minisvm only
 * builds them when it does. */
static uint64_t entry_reserved_bits(uint64_t entry, int level,
                                    const struct npt_environment *environment)
{
    uint64_t reserved = 0;

    if (environment->host_max_phys_addr < PHYS_ADDR_BITS_MAX)
        reserved |= bit_range(PHYS_ADDR_BITS_MAX - 1, environment->host_max_phys_addr);
    /* With host EFER.NXE = 0 every nested mapping is executable and bit 63 is
     * reserved (APM §15.25.7). */
    if (!environment->host_nxe)
        reserved |= PTE_NX;
    if (level == 4)
        reserved |= PTE_LARGE;
    else if (level == 3 && (entry & PTE_LARGE))
        reserved |= bit_range(29, 13);   /* between the PAT bit and address bit 30 */
    else if (level == 2 && (entry & PTE_LARGE))
        reserved |= bit_range(20, 13);   /* between the PAT bit and address bit 21 */
    return entry & reserved;
}

static bool access_is_valid(const struct npt_access *access)
{
    return access->guest_cpl <= 3
        && (access->kind == NPT_WALK_READ || access->kind == NPT_WALK_WRITE
            || access->kind == NPT_WALK_FETCH)
        && access->environment.host_max_phys_addr >= 12
        && access->environment.host_max_phys_addr <= PHYS_ADDR_BITS_MAX
        && access->gpa < (1ull << GPA_BITS_TRANSLATED);
}

int npt_walk(npt_table_at_fn table_at, void *context, uint64_t ncr3,
             const struct npt_access *access, struct npt_walk_result *result)
{
    /* nCR3 carries PWT/PCD in its low bits; only the address names the table. */
    uint64_t table_physical = ncr3 & PTE_ADDR_MASK;

    memset(result, 0, sizeof *result);
    if (!access_is_valid(access))
        return HV_EINVAL;
    result->effective = (struct npt_permissions){
        .writable = true, .user = true, .no_execute = false,
    };

    for (int level = NPT_LEVELS; level >= 1; level--) {
        const uint64_t *table = table_at(context, table_physical);
        unsigned index = pt_index(access->gpa, level);
        uint64_t entry;

        result->level = level;
        result->table_physical = table_physical;
        if (table == NULL)
            return HV_ERANGE;
        entry = table[index];
        result->entry = entry;

        /* Nothing else in a not-present entry means anything to the CPU. */
        if (!(entry & PTE_PRESENT)) {
            result->not_present = true;
            result->fault_level = level;
            return HV_OK;
        }
        /* Permissions are the most restrictive over all levels, not the leaf's. */
        result->effective.writable &= (entry & PTE_WRITABLE) != 0;
        result->effective.user &= (entry & PTE_USER) != 0;
        result->effective.no_execute |= (entry & PTE_NX) != 0;

        if (entry_reserved_bits(entry, level, &access->environment)) {
            result->reserved_bit = true;
            result->fault_level = level;
            return HV_OK;
        }
        if (entry_is_leaf(entry, level)) {
            uint64_t page_bytes = 1ull << (12 + 9 * (level - 1));

            /* In a large leaf bit 12 is the PAT bit, not an address bit. */
            result->mapped = true;
            result->host_physical = (entry & PTE_ADDR_MASK & ~(page_bytes - 1))
                                  | (access->gpa & (page_bytes - 1));
            result->allowed = npt_access_allowed(&result->effective, access);
            return HV_OK;
        }
        table_physical = entry & PTE_ADDR_MASK;
    }
    return HV_OK;   /* not reached: level 1 is always a leaf */
}

/* A walk of the guest's own page tables reads and sets A/D bits, so the
 * nested level sees a data write even when the guest was fetching code. */
static bool nested_write(const struct npt_access *access)
{
    return access->guest_page_walk || access->kind == NPT_WALK_WRITE;
}

static bool nested_fetch(const struct npt_access *access)
{
    return !access->guest_page_walk && access->kind == NPT_WALK_FETCH;
}

static bool gmet_supervisor_fetch_from_user_page(const struct npt_permissions *effective,
                                                 const struct npt_access *access)
{
    return access->environment.gmet && nested_fetch(access) && effective->user
        && access->guest_cpl < 3;
}

bool npt_access_allowed(const struct npt_permissions *effective,
                        const struct npt_access *access)
{
    const struct npt_environment *environment = &access->environment;

    /* Without host NXE the NX bit is reserved: the walk never gets this far. */
    if (effective->no_execute && !environment->host_nxe)
        return false;
    /* Without GMET every nested access is a user access, so U/S = 0 anywhere
     * blocks everything. With GMET, U/S only selects which privilege may
     * execute; reads, writes and page-table walks ignore it (svm-reference
     * §5.4: inferred from kvm-unit-tests and KVM, not stated by the APM). */
    if (!environment->gmet && !effective->user)
        return false;
    /* hCR0.WP is ignored: a read-only nested page is read-only at every CPL. */
    if (nested_write(access) && !effective->writable)
        return false;
    if (nested_fetch(access) && effective->no_execute)
        return false;   /* NX forbids execution at every CPL, GMET or not */
    /* APM Table 15-21: CPL 0-2 may not execute U/S = 1 pages. Whether GMET
     * also needs host EFER.NXE = 1 is not documented; these rules assume it
     * does not, and a GMET VM is best run with NXE = 1, as kvm-unit-tests does. */
    if (gmet_supervisor_fetch_from_user_page(effective, access))
        return false;
    return true;
}

static bool reserved_fault(const struct npt_walk_result *result,
                           const struct npt_access *access)
{
    return result->reserved_bit
        || (result->effective.no_execute && !access->environment.host_nxe);
}

/*
 * ID on a fetch follows the #PF rule: the error code reports a fetch only when
 * the host has EFER.NXE = 1 or CR4.SMEP = 1 (kvm-unit-tests expects exactly
 * this for a reserved bit in the leaf: 0x1_0000_000D, plus ID with host NX or
 * SMEP). GMET is the nested counterpart of SMEP and is reported through ID
 * (0x1_0000_0011), so this code also reports ID when GMET is on. Whether it
 * does so with host NXE = 0 and SMEP = 0 is not documented; that one case is
 * left out of the comparison by npt_exit_info_1_compare_mask().
 */
static bool fetch_is_reported(const struct npt_access *access)
{
    const struct npt_environment *environment = &access->environment;

    return nested_fetch(access)
        && (environment->host_nxe || environment->host_smep || environment->gmet);
}

uint64_t npt_expected_exit_info_1(const struct npt_walk_result *result,
                                  const struct npt_access *access)
{
    uint64_t exit_info_1 = 0;

    if (result->not_present) {
        /* P = 0 */
    } else if (reserved_fault(result, access)) {
        exit_info_1 |= PFERR_PRESENT_MASK | PFERR_RSVD_MASK;
    } else if (!npt_access_allowed(&result->effective, access)) {
        exit_info_1 |= PFERR_PRESENT_MASK;
    } else {
        return 0;
    }
    if (nested_write(access))
        exit_info_1 |= PFERR_WRITE_MASK;
    /* Nested accesses are user accesses, unless GMET gives them the guest's
     * privilege; hardware may then report US wrongly (erratum 1218). */
    if (!access->environment.gmet || access->guest_cpl == 3)
        exit_info_1 |= PFERR_USER_MASK;
    if (fetch_is_reported(access))
        exit_info_1 |= PFERR_FETCH_MASK;
    exit_info_1 |= access->guest_page_walk ? PFERR_GUEST_PAGE_MASK : PFERR_GUEST_FINAL_MASK;
    return exit_info_1;
}

uint64_t npt_exit_info_1_compare_mask(const struct npt_access *access)
{
    const struct npt_environment *environment = &access->environment;
    uint64_t mask = ~0ull;

    if (!environment->gmet)
        return mask;
    mask &= NPF_EXITINFO1_COMPARE_MASK;
    if (nested_fetch(access) && !environment->host_nxe && !environment->host_smep)
        mask &= ~PFERR_FETCH_MASK;
    return mask;
}

enum npt_fault_kind npt_classify_fault(const struct npt_walk_result *result,
                                       const struct npt_access *access)
{
    const struct npt_permissions *effective = &result->effective;

    /* Checked in the order the hardware finds them: the walk stops at a
     * not-present or reserved entry before any permission is looked at. */
    if (result->not_present)
        return NPT_FAULT_NOT_PRESENT;
    if (reserved_fault(result, access))
        return NPT_FAULT_RESERVED_BIT;
    if (npt_access_allowed(effective, access))
        return NPT_FAULT_NONE;
    if (access->guest_page_walk)
        return NPT_FAULT_PAGE_WALK;
    if (!access->environment.gmet && !effective->user)
        return NPT_FAULT_SUPERVISOR_PAGE;
    if (nested_write(access) && !effective->writable)
        return NPT_FAULT_READ_ONLY;
    /* NX before GMET: the NX row of Table 15-21 wins over U/S. */
    if (nested_fetch(access) && effective->no_execute)
        return NPT_FAULT_NO_EXECUTE;
    return NPT_FAULT_GMET;
}

const char *npt_fault_kind_name(enum npt_fault_kind kind)
{
    static const char *const names[] = {
        [NPT_FAULT_NONE] = "no fault",
        [NPT_FAULT_NOT_PRESENT] = "not present",
        [NPT_FAULT_RESERVED_BIT] = "reserved bit set",
        [NPT_FAULT_PAGE_WALK] = "guest page-table walk needs a writable user page",
        [NPT_FAULT_SUPERVISOR_PAGE] = "user/supervisor: U/S=0 page without GMET",
        [NPT_FAULT_READ_ONLY] = "write to read-only page",
        [NPT_FAULT_NO_EXECUTE] = "fetch from no-execute page",
        [NPT_FAULT_GMET] = "supervisor fetch from a user page (GMET)",
    };

    return (unsigned)kind < sizeof names / sizeof names[0] ? names[kind] : "unknown";
}

const char *npt_fault_reason(const struct npt_walk_result *result,
                             const struct npt_access *access)
{
    return npt_fault_kind_name(npt_classify_fault(result, access));
}
