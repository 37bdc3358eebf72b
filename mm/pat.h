/* PAT encodings, the hypervisor's own host PAT (hPAT) and the rules that give a
 * guest access its memory type under nested paging.
 * See: APM §7.8.1-§7.8.2 (PAT MSR, PAT index), §15.25.8 (Tables 15-19, 15-20). */
#ifndef MM_PAT_H
#define MM_PAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm/pat_valid.h"  /* pat_value_is_valid() */

#define MSR_IA32_CR_PAT        0x277
#define PAT_ENTRY_COUNT        8

/* APM Table 7-10: PA0 WB, PA1 WT, PA2 UC-, PA3 UC, and the same again in PA4-PA7. */
#define PAT_POWER_ON_DEFAULT   0x0007040600070406ull

/*
 * The host PAT minisvm loads at start and never lets a guest change.
 *
 *   index  PAT PCD PWT  type  why
 *     0     0   0   0   WB    \
 *     1     0   0   1   WT     | as at power-on, so every mapping the firmware made
 *     2     0   1   0   UC-    | with PAT = 0 (and every CR3 and non-leaf entry,
 *     3     0   1   1   UC    /  which have no PAT bit) keeps its meaning
 *     4     1   0   0   WC    the GOP framebuffer: streaming writes, no cache pollution
 *     5     1   0   1   WP    so that every architectural type is reachable
 *     6     1   1   0   UC-   \ as at power-on: PCD still means "not cached"
 *     7     1   1   1   UC    /  whatever the PAT bit says
 *
 * Nested page-table leaves are indexed into this same PAT (the host PAT type of
 * Table 15-19), so guest RAM is mapped with HOST_PAT_INDEX_WB: host WB lets the
 * guest's own gPAT decide the type.
 */
#define HOST_PAT_VALUE         0x0007050100070406ull
#define HOST_PAT_INDEX_WB      0
#define HOST_PAT_INDEX_WC      4

/* The valid PAT encodings (APM Table 7-9); 2, 3 and 8-255 are reserved. */
enum pat_type {
    PAT_UC = 0,
    PAT_WC = 1,
    PAT_WT = 4,
    PAT_WP = 5,
    PAT_WB = 6,
    PAT_UC_MINUS = 7,
};

/* MTRR type encodings (APM §7.7.1). The MTRRs have no UC-. */
enum mtrr_type {
    MTRR_UC = 0,
    MTRR_WC = 1,
    MTRR_WT = 4,
    MTRR_WP = 5,
    MTRR_WB = 6,
};

/* A memory type as Tables 15-19 and 15-20 produce it. The architectural types keep
 * their PAT encodings; WC+ and CD exist only as results of those tables. */
enum memory_type {
    MEMORY_TYPE_UC = 0,
    MEMORY_TYPE_WC = 1,
    MEMORY_TYPE_WT = 4,
    MEMORY_TYPE_WP = 5,
    MEMORY_TYPE_WB = 6,
    MEMORY_TYPE_UC_MINUS = 7,
    MEMORY_TYPE_WC_PLUS = 8,   /* uncacheable, write-combining, snoops the caches */
    MEMORY_TYPE_CD = 9,        /* cache disabled: behaves as with CR0.CD = 1 */
    MEMORY_TYPE_INVALID = 0xff /* an input was not a valid encoding */
};

/* Byte `index` (PA0-PA7) of a PAT value, reserved bits included; 0xff (never a
 * valid encoding) for an index of PAT_ENTRY_COUNT or more. */
uint8_t pat_entry(uint64_t pat, unsigned index);
/* `pat` with byte `index` replaced by `type`; unchanged for an index out of range. */
uint64_t pat_with_entry(uint64_t pat, unsigned index, uint8_t type);
/* "UC", "WC", "WT", "WP", "WB", "UC-", or "reserved" for any other byte. */
const char *pat_type_name(uint8_t encoding);
/* "UC", ..., "WC+", "CD", or "invalid". */
const char *memory_type_name(enum memory_type type);

/* The first PA field WRMSR would reject, or -1 when the value is valid. */
int pat_first_invalid_entry(uint64_t pat);
/* "0x0007050100070406 [WB WT UC- UC WC WP UC- UC]" (PA0 first). Returns what
 * snprintf returns: the length of the whole text, even if `size` cut it short. */
int pat_format(uint64_t pat, char *buffer, size_t size);

/* The PAT index of a leaf entry (PAT*4 + PCD*2 + PWT) is pt_entry_pat_index() in
 * mm/pagetable.h, next to the encoding it reverses. */

/* Table 15-19: guest PAT type x host PAT type. */
enum memory_type pat_combine_guest_host(enum pat_type guest_type, enum pat_type host_type);
/* Table 15-20: the type from Table 15-19 x the MTRR type of the system-physical address. */
enum memory_type pat_combine_with_mtrr(enum memory_type combined, enum mtrr_type mtrr_type);
/* The type of a guest access under nested paging: gPAT[guest_index] and
 * hPAT[host_index] through Table 15-19, then the MTRR through Table 15-20, then
 * either CR0.CD. */
enum memory_type nested_effective_memory_type(uint64_t gpat, unsigned guest_index,
                                              uint64_t hpat, unsigned host_index,
                                              enum mtrr_type mtrr_type,
                                              bool guest_cr0_cd, bool host_cr0_cd);

#endif
