/* A software walk of the guest's own 4-level page tables, so the hypervisor
 * can read guest memory (the instruction bytes at RIP) by guest virtual address.
 * See: APM Vol. 2 §5.3 (long-mode paging), §5.3.1 (canonical form), §15.25 (nested paging). */
#ifndef MM_GUEST_WALK_H
#define MM_GUEST_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Returns the 4 KiB page of guest memory at guest-physical address gpa (always
 * 4 KiB aligned) as the hypervisor can read it, or NULL if gpa is outside the
 * VM's RAM. It is used for the guest's page tables and for the data pages.
 * With nested paging the guest tables hold guest-physical addresses, so this
 * is where the caller translates GPA to host memory (through the NPT, or
 * through the fixed place where it put the guest's RAM).
 */
typedef const uint64_t *(*guest_read_table_fn)(void *context, uint64_t gpa);

/* Which translation the guest's CR0, CR4 and EFER select. */
enum guest_paging_mode {
    GUEST_PAGING_OFF,         /* CR0.PG = 0: the virtual address is the physical one */
    GUEST_PAGING_LONG_MODE,   /* CR0.PG = 1, EFER.LMA = 1, 4 levels: walked here */
    GUEST_PAGING_UNSUPPORTED, /* 32-bit or PAE legacy paging, or 5 levels (CR4.LA57) */
};

enum guest_paging_mode guest_paging_mode(uint64_t cr0, uint64_t cr4, uint64_t efer);

/*
 * Translate the guest virtual address gva through the tables rooted at
 * guest_cr3, as the guest's own MMU would in 4-level long mode, and store the
 * guest-physical address in *gpa_out. Only for GUEST_PAGING_LONG_MODE; a guest
 * with paging off has gpa == gva. Permissions (R/W, U/S, NX) are not checked
 * and accessed/dirty bits are not set: the walk reads what the guest's CPU
 * has already used, it does not act for it.
 *
 * Returns HV_OK, or
 *   HV_ENOENT  an entry on the way is not present;
 *   HV_ERANGE  gva is not canonical, or read_table refused a table's GPA;
 *   HV_EINVAL  an entry has a reserved bit set (PS in a PML4E, or address
 *              bits below the page size in a 2 MiB or 1 GiB leaf).
 * *gpa_out is written only on success.
 */
int guest_virtual_to_physical(guest_read_table_fn read_table, void *context,
                              uint64_t guest_cr3, uint64_t gva, uint64_t *gpa_out);

/*
 * Copy bytes bytes of guest memory starting at guest virtual address gva into
 * buffer, one 4 KiB page at a time, so a range that crosses a page boundary
 * is translated page by page (an instruction may straddle two pages).
 * Returns HV_OK or the first error of guest_virtual_to_physical(); HV_ERANGE
 * also when read_table refuses a data page or the range wraps past 2^64.
 * buffer may be partly written on failure.
 */
int guest_copy_from_virtual(guest_read_table_fn read_table, void *context,
                            uint64_t guest_cr3, uint64_t gva, void *buffer, size_t bytes);

#endif
