/* PAT encodings and the memory type of a guest access under nested paging:
 * guest PAT x host PAT (Table 15-19), then x MTRR (Table 15-20), then CR0.CD.
 * See: APM §7.8.1-§7.8.2, §15.25.8. */
#include "mm/pat.h"

#include <stdio.h>

#include "mm/pte.h"

#define PAT_ENTRY_BITS        8
#define PAT_ENTRY_MASK        0xffull
#define PAT_ENTRY_OUT_OF_RANGE 0xff

/* Assert here what the host PAT comment promises, so the two cannot drift apart. */
_Static_assert(HOST_PAT_VALUE != PAT_POWER_ON_DEFAULT,
               "hPAT must be a layout of our own, not the power-on default");
_Static_assert(((HOST_PAT_VALUE >> (PAT_ENTRY_BITS * HOST_PAT_INDEX_WB)) & PAT_ENTRY_MASK) == PAT_WB,
               "HOST_PAT_INDEX_WB must select WB");
_Static_assert(((HOST_PAT_VALUE >> (PAT_ENTRY_BITS * HOST_PAT_INDEX_WC)) & PAT_ENTRY_MASK) == PAT_WC,
               "HOST_PAT_INDEX_WC must select WC");
_Static_assert((HOST_PAT_VALUE & 0xffffffffull) == (PAT_POWER_ON_DEFAULT & 0xffffffffull),
               "hPAT indices 0-3 must keep their power-on meaning");

uint8_t pat_entry(uint64_t pat, unsigned index)
{
    if (index >= PAT_ENTRY_COUNT)
        return PAT_ENTRY_OUT_OF_RANGE;
    return (uint8_t)(pat >> (PAT_ENTRY_BITS * index));
}

uint64_t pat_with_entry(uint64_t pat, unsigned index, uint8_t type)
{
    unsigned shift = PAT_ENTRY_BITS * index;

    if (index >= PAT_ENTRY_COUNT)
        return pat;
    return (pat & ~(PAT_ENTRY_MASK << shift)) | ((uint64_t)type << shift);
}

const char *pat_type_name(uint8_t encoding)
{
    switch (encoding) {
    case PAT_UC:       return "UC";
    case PAT_WC:       return "WC";
    case PAT_WT:       return "WT";
    case PAT_WP:       return "WP";
    case PAT_WB:       return "WB";
    case PAT_UC_MINUS: return "UC-";
    default:           return "reserved";
    }
}

const char *memory_type_name(enum memory_type type)
{
    switch (type) {
    case MEMORY_TYPE_UC:       return "UC";
    case MEMORY_TYPE_WC:       return "WC";
    case MEMORY_TYPE_WT:       return "WT";
    case MEMORY_TYPE_WP:       return "WP";
    case MEMORY_TYPE_WB:       return "WB";
    case MEMORY_TYPE_UC_MINUS: return "UC-";
    case MEMORY_TYPE_WC_PLUS:  return "WC+";
    case MEMORY_TYPE_CD:       return "CD";
    default:                   return "invalid";
    }
}

int pat_first_invalid_entry(uint64_t pat)
{
    for (unsigned index = 0; index < PAT_ENTRY_COUNT; index++) {
        /* A value holding only this byte (the others 0 = UC, always valid) is
         * valid exactly when this byte is. */
        if (!pat_value_is_valid(pat_entry(pat, index)))
            return (int)index;
    }
    return -1;
}

int pat_format(uint64_t pat, char *buffer, size_t size)
{
    int total = 0;

    /* Keep counting once the buffer is full, as snprintf does, so the caller
     * can tell the text was cut. */
    for (int part = -1; part < PAT_ENTRY_COUNT; part++) {
        size_t used = (size_t)total < size ? (size_t)total : size;
        char *at = size ? buffer + used : NULL;
        size_t left = size - used;
        int written;

        if (part < 0)
            written = snprintf(at, left, "0x%016llx [", (unsigned long long)pat);
        else
            written = snprintf(at, left, "%s%s", pat_type_name(pat_entry(pat, (unsigned)part)),
                               part == PAT_ENTRY_COUNT - 1 ? "]" : " ");
        if (written < 0)
            return written;
        total += written;
    }
    return total;
}


/* Short names so the tables below read like the APM's. */
#define UC     MEMORY_TYPE_UC
#define UCM    MEMORY_TYPE_UC_MINUS
#define WC     MEMORY_TYPE_WC
#define WCP    MEMORY_TYPE_WC_PLUS
#define WP     MEMORY_TYPE_WP
#define WT     MEMORY_TYPE_WT
#define WB     MEMORY_TYPE_WB
#define CD     MEMORY_TYPE_CD

/* Rows and columns in the APM's order. Reading Table 15-19:
 * - a UC on either side gives UC, except that a guest WC stays write-combining;
 * - a guest WC over a cacheable host type (WP, WT, WB) gives WC+: the host may
 *   hold those lines in its caches, and WC+ snoops them;
 * - a host WC survives only under a guest WC, WB or UC- (UC- lets WC through, as
 *   it lets an MTRR WC through in Table 15-20); UC- with UC- stays UC-;
 * - two cacheable types give the one both allow: WB yields to the other side,
 *   and WP with WT gives UC. */
enum { TABLE_19_SIZE = 6 };
static const uint8_t table_19_order[TABLE_19_SIZE] = {
    PAT_UC, PAT_UC_MINUS, PAT_WC, PAT_WP, PAT_WT, PAT_WB,
};
static const enum memory_type table_15_19[TABLE_19_SIZE][TABLE_19_SIZE] = {
    /* guest \ host   UC  UC-  WC   WP   WT   WB */
    /* UC  */       { UC, UC,  UC,  UC,  UC,  UC  },
    /* UC- */       { UC, UCM, WC,  UC,  UC,  UC  },
    /* WC  */       { WC, WC,  WC,  WCP, WCP, WCP },
    /* WP  */       { UC, UC,  UC,  WP,  UC,  WP  },
    /* WT  */       { UC, UC,  UC,  UC,  WT,  WT  },
    /* WB  */       { UC, UC,  WC,  WP,  WT,  WB  },
};

/* CD marks the pairs where PAT and MTRR disagree on cacheability: the access is
 * not cached, but lines already in the cache are still used. */
enum { TABLE_20_ROWS = 7, TABLE_20_COLUMNS = 5 };
static const uint8_t table_20_row_order[TABLE_20_ROWS] = {
    UC, UCM, WC, WCP, WP, WT, WB,
};
static const uint8_t table_20_column_order[TABLE_20_COLUMNS] = {
    MTRR_UC, MTRR_WC, MTRR_WP, MTRR_WT, MTRR_WB,
};
static const enum memory_type table_15_20[TABLE_20_ROWS][TABLE_20_COLUMNS] = {
    /* PAT \ MTRR  UC  WC  WP   WT   WB */
    /* UC  */    { UC, CD, CD,  CD,  CD  },
    /* UC- */    { UC, WC, CD,  CD,  CD  },
    /* WC  */    { WC, WC, WC,  WC,  WC  },
    /* WC+ */    { WC, WC, WCP, WCP, WCP },
    /* WP  */    { UC, CD, WP,  CD,  WP  },
    /* WT  */    { UC, CD, CD,  WT,  WT  },
    /* WB  */    { UC, WC, WP,  WT,  WB  },
};

#undef UC
#undef UCM
#undef WC
#undef WCP
#undef WP
#undef WT
#undef WB
#undef CD

/* Position of `value` in a table's row or column order, or -1 if it has none. */
static int position_in(const uint8_t *order, int count, unsigned value)
{
    for (int position = 0; position < count; position++) {
        if (order[position] == value)
            return position;
    }
    return -1;
}

enum memory_type pat_combine_guest_host(enum pat_type guest_type, enum pat_type host_type)
{
    int row = position_in(table_19_order, TABLE_19_SIZE, guest_type);
    int column = position_in(table_19_order, TABLE_19_SIZE, host_type);

    if (row < 0 || column < 0)
        return MEMORY_TYPE_INVALID;
    return table_15_19[row][column];
}

enum memory_type pat_combine_with_mtrr(enum memory_type combined, enum mtrr_type mtrr_type)
{
    int row = position_in(table_20_row_order, TABLE_20_ROWS, combined);
    int column = position_in(table_20_column_order, TABLE_20_COLUMNS,
                             mtrr_type);

    if (row < 0 || column < 0)
        return MEMORY_TYPE_INVALID;
    return table_15_20[row][column];
}

enum memory_type nested_effective_memory_type(uint64_t gpat, unsigned guest_index,
                                              uint64_t hpat, unsigned host_index,
                                              enum mtrr_type mtrr_type,
                                              bool guest_cr0_cd, bool host_cr0_cd)
{
    enum memory_type combined = pat_combine_guest_host(
        (enum pat_type)pat_entry(gpat, guest_index), (enum pat_type)pat_entry(hpat, host_index));
    enum memory_type effective = pat_combine_with_mtrr(combined, mtrr_type);

    /*
     * "Either CR0.CD disables caching" (§15.25.8). CR0.CD = 1 stops new cache
     * fills but still serves hits from lines already cached (APM §3.1.1), and CD
     * is the name AMD's tables give that behaviour, so the result is CD rather
     * than UC: UC would promise that the cache is not consulted at all, which only
     * a WBINVD after setting CR0.CD makes true. A UC result stays UC, as it is
     * already the stricter of the two; an invalid input stays invalid.
     */
    if ((guest_cr0_cd || host_cr0_cd) && effective != MEMORY_TYPE_UC &&
        effective != MEMORY_TYPE_INVALID)
        return MEMORY_TYPE_CD;
    return effective;
}
