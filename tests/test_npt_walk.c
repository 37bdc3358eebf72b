/* Unit tests for mm/npt_walk: the nested permission rules with and without GMET
 * as one exhaustive table, then walks of hand-written nested tables.
 * See: APM §15.25.5-§15.25.7, §15.25.13; svm-reference §4.2-§4.3, §5. */
#include "tests/test.h"

#include <stdbool.h>

#include "hv/errno.h"
#include "mm/npt_walk.h"
#include "mm/pte.h"

#define READ     NPT_WALK_READ
#define WRITE    NPT_WALK_WRITE
#define FETCH    NPT_WALK_FETCH
#define FINAL    false
#define WALK     true
#define PRESENT  true
#define ABSENT   false
#define ALLOWED  0

static const char *kind_name(enum npt_access_kind kind)
{
    return kind == READ ? "read" : kind == WRITE ? "write" : "fetch";
}

/*
 * One row per access: the effective nested U/S, NX and R/W, the access and the
 * environment, and what the hardware reports. Expected values come from the
 * rules, written out here:
 *   - without GMET every nested access is a user access: U/S = 0 blocks all;
 *   - R/W = 0 blocks writes and guest page-table walks (which are writes);
 *   - NX blocks final fetches at every CPL; with host NXE = 0 it is a reserved bit;
 *   - with GMET, U/S = 1 blocks only supervisor (CPL 0-2) final fetches;
 *   - EXITINFO1 = P | RW (write or walk) | US (always without GMET) | RSVD
 *     | ID (final fetch, host NXE or GMET) | bit 32 final / bit 33 walk.
 * With GMET the US bit is left out (erratum 1218). ID with GMET and host
 * NXE = 0 is this project's choice, not an observed value (see npt_walk.c).
 */
struct permission_row {
    bool gmet;
    bool user;
    bool no_execute;
    bool writable;
    enum npt_access_kind kind;
    unsigned cpl;
    bool page_walk;
    bool host_nxe;
    bool present;
    uint64_t expected;
};

static const struct permission_row permission_rows[] = {
    /* GMET U/S NX R/W kind  CPL access NXE  entry    EXITINFO1 (ALLOWED: no fault) */
    /* host NXE = 1, every entry present: all 192 combinations */
    { 0, 0, 0, 0, READ , 0, FINAL, 1, PRESENT, 0x100000005ULL },
    { 0, 0, 0, 0, READ , 0, WALK , 1, PRESENT, 0x200000007ULL },
    { 0, 0, 0, 0, READ , 3, FINAL, 1, PRESENT, 0x100000005ULL },
    { 0, 0, 0, 0, READ , 3, WALK , 1, PRESENT, 0x200000007ULL },
    { 0, 0, 0, 0, WRITE, 0, FINAL, 1, PRESENT, 0x100000007ULL },
    { 0, 0, 0, 0, WRITE, 0, WALK , 1, PRESENT, 0x200000007ULL },
    { 0, 0, 0, 0, WRITE, 3, FINAL, 1, PRESENT, 0x100000007ULL },
    { 0, 0, 0, 0, WRITE, 3, WALK , 1, PRESENT, 0x200000007ULL },
    { 0, 0, 0, 0, FETCH, 0, FINAL, 1, PRESENT, 0x100000015ULL },
    { 0, 0, 0, 0, FETCH, 0, WALK , 1, PRESENT, 0x200000007ULL },
    { 0, 0, 0, 0, FETCH, 3, FINAL, 1, PRESENT, 0x100000015ULL },
    { 0, 0, 0, 0, FETCH, 3, WALK , 1, PRESENT, 0x200000007ULL },
    { 0, 0, 0, 1, READ , 0, FINAL, 1, PRESENT, 0x100000005ULL },
    { 0, 0, 0, 1, READ , 0, WALK , 1, PRESENT, 0x200000007ULL },
    { 0, 0, 0, 1, READ , 3, FINAL, 1, PRESENT, 0x100000005ULL },
    { 0, 0, 0, 1, READ , 3, WALK , 1, PRESENT, 0x200000007ULL },
    { 0, 0, 0, 1, WRITE, 0, FINAL, 1, PRESENT, 0x100000007ULL },
    { 0, 0, 0, 1, WRITE, 0, WALK , 1, PRESENT, 0x200000007ULL },
    { 0, 0, 0, 1, WRITE, 3, FINAL, 1, PRESENT, 0x100000007ULL },
    { 0, 0, 0, 1, WRITE, 3, WALK , 1, PRESENT, 0x200000007ULL },
    { 0, 0, 0, 1, FETCH, 0, FINAL, 1, PRESENT, 0x100000015ULL },
    { 0, 0, 0, 1, FETCH, 0, WALK , 1, PRESENT, 0x200000007ULL },
    { 0, 0, 0, 1, FETCH, 3, FINAL, 1, PRESENT, 0x100000015ULL },
    { 0, 0, 0, 1, FETCH, 3, WALK , 1, PRESENT, 0x200000007ULL },
    { 0, 0, 1, 0, READ , 0, FINAL, 1, PRESENT, 0x100000005ULL },
    { 0, 0, 1, 0, READ , 0, WALK , 1, PRESENT, 0x200000007ULL },
    { 0, 0, 1, 0, READ , 3, FINAL, 1, PRESENT, 0x100000005ULL },
    { 0, 0, 1, 0, READ , 3, WALK , 1, PRESENT, 0x200000007ULL },
    { 0, 0, 1, 0, WRITE, 0, FINAL, 1, PRESENT, 0x100000007ULL },
    { 0, 0, 1, 0, WRITE, 0, WALK , 1, PRESENT, 0x200000007ULL },
    { 0, 0, 1, 0, WRITE, 3, FINAL, 1, PRESENT, 0x100000007ULL },
    { 0, 0, 1, 0, WRITE, 3, WALK , 1, PRESENT, 0x200000007ULL },
    { 0, 0, 1, 0, FETCH, 0, FINAL, 1, PRESENT, 0x100000015ULL },
    { 0, 0, 1, 0, FETCH, 0, WALK , 1, PRESENT, 0x200000007ULL },
    { 0, 0, 1, 0, FETCH, 3, FINAL, 1, PRESENT, 0x100000015ULL },
    { 0, 0, 1, 0, FETCH, 3, WALK , 1, PRESENT, 0x200000007ULL },
    { 0, 0, 1, 1, READ , 0, FINAL, 1, PRESENT, 0x100000005ULL },
    { 0, 0, 1, 1, READ , 0, WALK , 1, PRESENT, 0x200000007ULL },
    { 0, 0, 1, 1, READ , 3, FINAL, 1, PRESENT, 0x100000005ULL },
    { 0, 0, 1, 1, READ , 3, WALK , 1, PRESENT, 0x200000007ULL },
    { 0, 0, 1, 1, WRITE, 0, FINAL, 1, PRESENT, 0x100000007ULL },
    { 0, 0, 1, 1, WRITE, 0, WALK , 1, PRESENT, 0x200000007ULL },
    { 0, 0, 1, 1, WRITE, 3, FINAL, 1, PRESENT, 0x100000007ULL },
    { 0, 0, 1, 1, WRITE, 3, WALK , 1, PRESENT, 0x200000007ULL },
    { 0, 0, 1, 1, FETCH, 0, FINAL, 1, PRESENT, 0x100000015ULL },
    { 0, 0, 1, 1, FETCH, 0, WALK , 1, PRESENT, 0x200000007ULL },
    { 0, 0, 1, 1, FETCH, 3, FINAL, 1, PRESENT, 0x100000015ULL },
    { 0, 0, 1, 1, FETCH, 3, WALK , 1, PRESENT, 0x200000007ULL },
    { 0, 1, 0, 0, READ , 0, FINAL, 1, PRESENT, ALLOWED },
    { 0, 1, 0, 0, READ , 0, WALK , 1, PRESENT, 0x200000007ULL },
    { 0, 1, 0, 0, READ , 3, FINAL, 1, PRESENT, ALLOWED },
    { 0, 1, 0, 0, READ , 3, WALK , 1, PRESENT, 0x200000007ULL },
    { 0, 1, 0, 0, WRITE, 0, FINAL, 1, PRESENT, 0x100000007ULL },
    { 0, 1, 0, 0, WRITE, 0, WALK , 1, PRESENT, 0x200000007ULL },
    { 0, 1, 0, 0, WRITE, 3, FINAL, 1, PRESENT, 0x100000007ULL },
    { 0, 1, 0, 0, WRITE, 3, WALK , 1, PRESENT, 0x200000007ULL },
    { 0, 1, 0, 0, FETCH, 0, FINAL, 1, PRESENT, ALLOWED },
    { 0, 1, 0, 0, FETCH, 0, WALK , 1, PRESENT, 0x200000007ULL },
    { 0, 1, 0, 0, FETCH, 3, FINAL, 1, PRESENT, ALLOWED },
    { 0, 1, 0, 0, FETCH, 3, WALK , 1, PRESENT, 0x200000007ULL },
    { 0, 1, 0, 1, READ , 0, FINAL, 1, PRESENT, ALLOWED },
    { 0, 1, 0, 1, READ , 0, WALK , 1, PRESENT, ALLOWED },
    { 0, 1, 0, 1, READ , 3, FINAL, 1, PRESENT, ALLOWED },
    { 0, 1, 0, 1, READ , 3, WALK , 1, PRESENT, ALLOWED },
    { 0, 1, 0, 1, WRITE, 0, FINAL, 1, PRESENT, ALLOWED },
    { 0, 1, 0, 1, WRITE, 0, WALK , 1, PRESENT, ALLOWED },
    { 0, 1, 0, 1, WRITE, 3, FINAL, 1, PRESENT, ALLOWED },
    { 0, 1, 0, 1, WRITE, 3, WALK , 1, PRESENT, ALLOWED },
    { 0, 1, 0, 1, FETCH, 0, FINAL, 1, PRESENT, ALLOWED },
    { 0, 1, 0, 1, FETCH, 0, WALK , 1, PRESENT, ALLOWED },
    { 0, 1, 0, 1, FETCH, 3, FINAL, 1, PRESENT, ALLOWED },
    { 0, 1, 0, 1, FETCH, 3, WALK , 1, PRESENT, ALLOWED },
    { 0, 1, 1, 0, READ , 0, FINAL, 1, PRESENT, ALLOWED },
    { 0, 1, 1, 0, READ , 0, WALK , 1, PRESENT, 0x200000007ULL },
    { 0, 1, 1, 0, READ , 3, FINAL, 1, PRESENT, ALLOWED },
    { 0, 1, 1, 0, READ , 3, WALK , 1, PRESENT, 0x200000007ULL },
    { 0, 1, 1, 0, WRITE, 0, FINAL, 1, PRESENT, 0x100000007ULL },
    { 0, 1, 1, 0, WRITE, 0, WALK , 1, PRESENT, 0x200000007ULL },
    { 0, 1, 1, 0, WRITE, 3, FINAL, 1, PRESENT, 0x100000007ULL },
    { 0, 1, 1, 0, WRITE, 3, WALK , 1, PRESENT, 0x200000007ULL },
    { 0, 1, 1, 0, FETCH, 0, FINAL, 1, PRESENT, 0x100000015ULL },
    { 0, 1, 1, 0, FETCH, 0, WALK , 1, PRESENT, 0x200000007ULL },
    { 0, 1, 1, 0, FETCH, 3, FINAL, 1, PRESENT, 0x100000015ULL },
    { 0, 1, 1, 0, FETCH, 3, WALK , 1, PRESENT, 0x200000007ULL },
    { 0, 1, 1, 1, READ , 0, FINAL, 1, PRESENT, ALLOWED },
    { 0, 1, 1, 1, READ , 0, WALK , 1, PRESENT, ALLOWED },
    { 0, 1, 1, 1, READ , 3, FINAL, 1, PRESENT, ALLOWED },
    { 0, 1, 1, 1, READ , 3, WALK , 1, PRESENT, ALLOWED },
    { 0, 1, 1, 1, WRITE, 0, FINAL, 1, PRESENT, ALLOWED },
    { 0, 1, 1, 1, WRITE, 0, WALK , 1, PRESENT, ALLOWED },
    { 0, 1, 1, 1, WRITE, 3, FINAL, 1, PRESENT, ALLOWED },
    { 0, 1, 1, 1, WRITE, 3, WALK , 1, PRESENT, ALLOWED },
    { 0, 1, 1, 1, FETCH, 0, FINAL, 1, PRESENT, 0x100000015ULL },
    { 0, 1, 1, 1, FETCH, 0, WALK , 1, PRESENT, ALLOWED },
    { 0, 1, 1, 1, FETCH, 3, FINAL, 1, PRESENT, 0x100000015ULL },
    { 0, 1, 1, 1, FETCH, 3, WALK , 1, PRESENT, ALLOWED },
    { 1, 0, 0, 0, READ , 0, FINAL, 1, PRESENT, ALLOWED },
    { 1, 0, 0, 0, READ , 0, WALK , 1, PRESENT, 0x200000003ULL },
    { 1, 0, 0, 0, READ , 3, FINAL, 1, PRESENT, ALLOWED },
    { 1, 0, 0, 0, READ , 3, WALK , 1, PRESENT, 0x200000003ULL },
    { 1, 0, 0, 0, WRITE, 0, FINAL, 1, PRESENT, 0x100000003ULL },
    { 1, 0, 0, 0, WRITE, 0, WALK , 1, PRESENT, 0x200000003ULL },
    { 1, 0, 0, 0, WRITE, 3, FINAL, 1, PRESENT, 0x100000003ULL },
    { 1, 0, 0, 0, WRITE, 3, WALK , 1, PRESENT, 0x200000003ULL },
    { 1, 0, 0, 0, FETCH, 0, FINAL, 1, PRESENT, ALLOWED },
    { 1, 0, 0, 0, FETCH, 0, WALK , 1, PRESENT, 0x200000003ULL },
    { 1, 0, 0, 0, FETCH, 3, FINAL, 1, PRESENT, ALLOWED },
    { 1, 0, 0, 0, FETCH, 3, WALK , 1, PRESENT, 0x200000003ULL },
    { 1, 0, 0, 1, READ , 0, FINAL, 1, PRESENT, ALLOWED },
    { 1, 0, 0, 1, READ , 0, WALK , 1, PRESENT, ALLOWED },
    { 1, 0, 0, 1, READ , 3, FINAL, 1, PRESENT, ALLOWED },
    { 1, 0, 0, 1, READ , 3, WALK , 1, PRESENT, ALLOWED },
    { 1, 0, 0, 1, WRITE, 0, FINAL, 1, PRESENT, ALLOWED },
    { 1, 0, 0, 1, WRITE, 0, WALK , 1, PRESENT, ALLOWED },
    { 1, 0, 0, 1, WRITE, 3, FINAL, 1, PRESENT, ALLOWED },
    { 1, 0, 0, 1, WRITE, 3, WALK , 1, PRESENT, ALLOWED },
    { 1, 0, 0, 1, FETCH, 0, FINAL, 1, PRESENT, ALLOWED },
    { 1, 0, 0, 1, FETCH, 0, WALK , 1, PRESENT, ALLOWED },
    { 1, 0, 0, 1, FETCH, 3, FINAL, 1, PRESENT, ALLOWED },
    { 1, 0, 0, 1, FETCH, 3, WALK , 1, PRESENT, ALLOWED },
    { 1, 0, 1, 0, READ , 0, FINAL, 1, PRESENT, ALLOWED },
    { 1, 0, 1, 0, READ , 0, WALK , 1, PRESENT, 0x200000003ULL },
    { 1, 0, 1, 0, READ , 3, FINAL, 1, PRESENT, ALLOWED },
    { 1, 0, 1, 0, READ , 3, WALK , 1, PRESENT, 0x200000003ULL },
    { 1, 0, 1, 0, WRITE, 0, FINAL, 1, PRESENT, 0x100000003ULL },
    { 1, 0, 1, 0, WRITE, 0, WALK , 1, PRESENT, 0x200000003ULL },
    { 1, 0, 1, 0, WRITE, 3, FINAL, 1, PRESENT, 0x100000003ULL },
    { 1, 0, 1, 0, WRITE, 3, WALK , 1, PRESENT, 0x200000003ULL },
    { 1, 0, 1, 0, FETCH, 0, FINAL, 1, PRESENT, 0x100000011ULL },
    { 1, 0, 1, 0, FETCH, 0, WALK , 1, PRESENT, 0x200000003ULL },
    { 1, 0, 1, 0, FETCH, 3, FINAL, 1, PRESENT, 0x100000011ULL },
    { 1, 0, 1, 0, FETCH, 3, WALK , 1, PRESENT, 0x200000003ULL },
    { 1, 0, 1, 1, READ , 0, FINAL, 1, PRESENT, ALLOWED },
    { 1, 0, 1, 1, READ , 0, WALK , 1, PRESENT, ALLOWED },
    { 1, 0, 1, 1, READ , 3, FINAL, 1, PRESENT, ALLOWED },
    { 1, 0, 1, 1, READ , 3, WALK , 1, PRESENT, ALLOWED },
    { 1, 0, 1, 1, WRITE, 0, FINAL, 1, PRESENT, ALLOWED },
    { 1, 0, 1, 1, WRITE, 0, WALK , 1, PRESENT, ALLOWED },
    { 1, 0, 1, 1, WRITE, 3, FINAL, 1, PRESENT, ALLOWED },
    { 1, 0, 1, 1, WRITE, 3, WALK , 1, PRESENT, ALLOWED },
    { 1, 0, 1, 1, FETCH, 0, FINAL, 1, PRESENT, 0x100000011ULL },
    { 1, 0, 1, 1, FETCH, 0, WALK , 1, PRESENT, ALLOWED },
    { 1, 0, 1, 1, FETCH, 3, FINAL, 1, PRESENT, 0x100000011ULL },
    { 1, 0, 1, 1, FETCH, 3, WALK , 1, PRESENT, ALLOWED },
    { 1, 1, 0, 0, READ , 0, FINAL, 1, PRESENT, ALLOWED },
    { 1, 1, 0, 0, READ , 0, WALK , 1, PRESENT, 0x200000003ULL },
    { 1, 1, 0, 0, READ , 3, FINAL, 1, PRESENT, ALLOWED },
    { 1, 1, 0, 0, READ , 3, WALK , 1, PRESENT, 0x200000003ULL },
    { 1, 1, 0, 0, WRITE, 0, FINAL, 1, PRESENT, 0x100000003ULL },
    { 1, 1, 0, 0, WRITE, 0, WALK , 1, PRESENT, 0x200000003ULL },
    { 1, 1, 0, 0, WRITE, 3, FINAL, 1, PRESENT, 0x100000003ULL },
    { 1, 1, 0, 0, WRITE, 3, WALK , 1, PRESENT, 0x200000003ULL },
    { 1, 1, 0, 0, FETCH, 0, FINAL, 1, PRESENT, 0x100000011ULL },
    { 1, 1, 0, 0, FETCH, 0, WALK , 1, PRESENT, 0x200000003ULL },
    { 1, 1, 0, 0, FETCH, 3, FINAL, 1, PRESENT, ALLOWED },
    { 1, 1, 0, 0, FETCH, 3, WALK , 1, PRESENT, 0x200000003ULL },
    { 1, 1, 0, 1, READ , 0, FINAL, 1, PRESENT, ALLOWED },
    { 1, 1, 0, 1, READ , 0, WALK , 1, PRESENT, ALLOWED },
    { 1, 1, 0, 1, READ , 3, FINAL, 1, PRESENT, ALLOWED },
    { 1, 1, 0, 1, READ , 3, WALK , 1, PRESENT, ALLOWED },
    { 1, 1, 0, 1, WRITE, 0, FINAL, 1, PRESENT, ALLOWED },
    { 1, 1, 0, 1, WRITE, 0, WALK , 1, PRESENT, ALLOWED },
    { 1, 1, 0, 1, WRITE, 3, FINAL, 1, PRESENT, ALLOWED },
    { 1, 1, 0, 1, WRITE, 3, WALK , 1, PRESENT, ALLOWED },
    { 1, 1, 0, 1, FETCH, 0, FINAL, 1, PRESENT, 0x100000011ULL },
    { 1, 1, 0, 1, FETCH, 0, WALK , 1, PRESENT, ALLOWED },
    { 1, 1, 0, 1, FETCH, 3, FINAL, 1, PRESENT, ALLOWED },
    { 1, 1, 0, 1, FETCH, 3, WALK , 1, PRESENT, ALLOWED },
    { 1, 1, 1, 0, READ , 0, FINAL, 1, PRESENT, ALLOWED },
    { 1, 1, 1, 0, READ , 0, WALK , 1, PRESENT, 0x200000003ULL },
    { 1, 1, 1, 0, READ , 3, FINAL, 1, PRESENT, ALLOWED },
    { 1, 1, 1, 0, READ , 3, WALK , 1, PRESENT, 0x200000003ULL },
    { 1, 1, 1, 0, WRITE, 0, FINAL, 1, PRESENT, 0x100000003ULL },
    { 1, 1, 1, 0, WRITE, 0, WALK , 1, PRESENT, 0x200000003ULL },
    { 1, 1, 1, 0, WRITE, 3, FINAL, 1, PRESENT, 0x100000003ULL },
    { 1, 1, 1, 0, WRITE, 3, WALK , 1, PRESENT, 0x200000003ULL },
    { 1, 1, 1, 0, FETCH, 0, FINAL, 1, PRESENT, 0x100000011ULL },
    { 1, 1, 1, 0, FETCH, 0, WALK , 1, PRESENT, 0x200000003ULL },
    { 1, 1, 1, 0, FETCH, 3, FINAL, 1, PRESENT, 0x100000011ULL },
    { 1, 1, 1, 0, FETCH, 3, WALK , 1, PRESENT, 0x200000003ULL },
    { 1, 1, 1, 1, READ , 0, FINAL, 1, PRESENT, ALLOWED },
    { 1, 1, 1, 1, READ , 0, WALK , 1, PRESENT, ALLOWED },
    { 1, 1, 1, 1, READ , 3, FINAL, 1, PRESENT, ALLOWED },
    { 1, 1, 1, 1, READ , 3, WALK , 1, PRESENT, ALLOWED },
    { 1, 1, 1, 1, WRITE, 0, FINAL, 1, PRESENT, ALLOWED },
    { 1, 1, 1, 1, WRITE, 0, WALK , 1, PRESENT, ALLOWED },
    { 1, 1, 1, 1, WRITE, 3, FINAL, 1, PRESENT, ALLOWED },
    { 1, 1, 1, 1, WRITE, 3, WALK , 1, PRESENT, ALLOWED },
    { 1, 1, 1, 1, FETCH, 0, FINAL, 1, PRESENT, 0x100000011ULL },
    { 1, 1, 1, 1, FETCH, 0, WALK , 1, PRESENT, ALLOWED },
    { 1, 1, 1, 1, FETCH, 3, FINAL, 1, PRESENT, 0x100000011ULL },
    { 1, 1, 1, 1, FETCH, 3, WALK , 1, PRESENT, ALLOWED },
    /* host NXE = 0, R/W = 1: NX is a reserved bit, and fetches report no ID without GMET */
    { 0, 0, 0, 1, READ , 0, FINAL, 0, PRESENT, 0x100000005ULL },
    { 0, 0, 0, 1, READ , 0, WALK , 0, PRESENT, 0x200000007ULL },
    { 0, 0, 0, 1, READ , 3, FINAL, 0, PRESENT, 0x100000005ULL },
    { 0, 0, 0, 1, READ , 3, WALK , 0, PRESENT, 0x200000007ULL },
    { 0, 0, 0, 1, WRITE, 0, FINAL, 0, PRESENT, 0x100000007ULL },
    { 0, 0, 0, 1, WRITE, 0, WALK , 0, PRESENT, 0x200000007ULL },
    { 0, 0, 0, 1, WRITE, 3, FINAL, 0, PRESENT, 0x100000007ULL },
    { 0, 0, 0, 1, WRITE, 3, WALK , 0, PRESENT, 0x200000007ULL },
    { 0, 0, 0, 1, FETCH, 0, FINAL, 0, PRESENT, 0x100000005ULL },
    { 0, 0, 0, 1, FETCH, 0, WALK , 0, PRESENT, 0x200000007ULL },
    { 0, 0, 0, 1, FETCH, 3, FINAL, 0, PRESENT, 0x100000005ULL },
    { 0, 0, 0, 1, FETCH, 3, WALK , 0, PRESENT, 0x200000007ULL },
    { 0, 0, 1, 1, READ , 0, FINAL, 0, PRESENT, 0x10000000DULL },
    { 0, 0, 1, 1, READ , 0, WALK , 0, PRESENT, 0x20000000FULL },
    { 0, 0, 1, 1, READ , 3, FINAL, 0, PRESENT, 0x10000000DULL },
    { 0, 0, 1, 1, READ , 3, WALK , 0, PRESENT, 0x20000000FULL },
    { 0, 0, 1, 1, WRITE, 0, FINAL, 0, PRESENT, 0x10000000FULL },
    { 0, 0, 1, 1, WRITE, 0, WALK , 0, PRESENT, 0x20000000FULL },
    { 0, 0, 1, 1, WRITE, 3, FINAL, 0, PRESENT, 0x10000000FULL },
    { 0, 0, 1, 1, WRITE, 3, WALK , 0, PRESENT, 0x20000000FULL },
    { 0, 0, 1, 1, FETCH, 0, FINAL, 0, PRESENT, 0x10000000DULL },
    { 0, 0, 1, 1, FETCH, 0, WALK , 0, PRESENT, 0x20000000FULL },
    { 0, 0, 1, 1, FETCH, 3, FINAL, 0, PRESENT, 0x10000000DULL },
    { 0, 0, 1, 1, FETCH, 3, WALK , 0, PRESENT, 0x20000000FULL },
    { 0, 1, 0, 1, READ , 0, FINAL, 0, PRESENT, ALLOWED },
    { 0, 1, 0, 1, READ , 0, WALK , 0, PRESENT, ALLOWED },
    { 0, 1, 0, 1, READ , 3, FINAL, 0, PRESENT, ALLOWED },
    { 0, 1, 0, 1, READ , 3, WALK , 0, PRESENT, ALLOWED },
    { 0, 1, 0, 1, WRITE, 0, FINAL, 0, PRESENT, ALLOWED },
    { 0, 1, 0, 1, WRITE, 0, WALK , 0, PRESENT, ALLOWED },
    { 0, 1, 0, 1, WRITE, 3, FINAL, 0, PRESENT, ALLOWED },
    { 0, 1, 0, 1, WRITE, 3, WALK , 0, PRESENT, ALLOWED },
    { 0, 1, 0, 1, FETCH, 0, FINAL, 0, PRESENT, ALLOWED },
    { 0, 1, 0, 1, FETCH, 0, WALK , 0, PRESENT, ALLOWED },
    { 0, 1, 0, 1, FETCH, 3, FINAL, 0, PRESENT, ALLOWED },
    { 0, 1, 0, 1, FETCH, 3, WALK , 0, PRESENT, ALLOWED },
    { 0, 1, 1, 1, READ , 0, FINAL, 0, PRESENT, 0x10000000DULL },
    { 0, 1, 1, 1, READ , 0, WALK , 0, PRESENT, 0x20000000FULL },
    { 0, 1, 1, 1, READ , 3, FINAL, 0, PRESENT, 0x10000000DULL },
    { 0, 1, 1, 1, READ , 3, WALK , 0, PRESENT, 0x20000000FULL },
    { 0, 1, 1, 1, WRITE, 0, FINAL, 0, PRESENT, 0x10000000FULL },
    { 0, 1, 1, 1, WRITE, 0, WALK , 0, PRESENT, 0x20000000FULL },
    { 0, 1, 1, 1, WRITE, 3, FINAL, 0, PRESENT, 0x10000000FULL },
    { 0, 1, 1, 1, WRITE, 3, WALK , 0, PRESENT, 0x20000000FULL },
    { 0, 1, 1, 1, FETCH, 0, FINAL, 0, PRESENT, 0x10000000DULL },
    { 0, 1, 1, 1, FETCH, 0, WALK , 0, PRESENT, 0x20000000FULL },
    { 0, 1, 1, 1, FETCH, 3, FINAL, 0, PRESENT, 0x10000000DULL },
    { 0, 1, 1, 1, FETCH, 3, WALK , 0, PRESENT, 0x20000000FULL },
    { 1, 0, 0, 1, READ , 0, FINAL, 0, PRESENT, ALLOWED },
    { 1, 0, 0, 1, READ , 0, WALK , 0, PRESENT, ALLOWED },
    { 1, 0, 0, 1, READ , 3, FINAL, 0, PRESENT, ALLOWED },
    { 1, 0, 0, 1, READ , 3, WALK , 0, PRESENT, ALLOWED },
    { 1, 0, 0, 1, WRITE, 0, FINAL, 0, PRESENT, ALLOWED },
    { 1, 0, 0, 1, WRITE, 0, WALK , 0, PRESENT, ALLOWED },
    { 1, 0, 0, 1, WRITE, 3, FINAL, 0, PRESENT, ALLOWED },
    { 1, 0, 0, 1, WRITE, 3, WALK , 0, PRESENT, ALLOWED },
    { 1, 0, 0, 1, FETCH, 0, FINAL, 0, PRESENT, ALLOWED },
    { 1, 0, 0, 1, FETCH, 0, WALK , 0, PRESENT, ALLOWED },
    { 1, 0, 0, 1, FETCH, 3, FINAL, 0, PRESENT, ALLOWED },
    { 1, 0, 0, 1, FETCH, 3, WALK , 0, PRESENT, ALLOWED },
    { 1, 0, 1, 1, READ , 0, FINAL, 0, PRESENT, 0x100000009ULL },
    { 1, 0, 1, 1, READ , 0, WALK , 0, PRESENT, 0x20000000BULL },
    { 1, 0, 1, 1, READ , 3, FINAL, 0, PRESENT, 0x100000009ULL },
    { 1, 0, 1, 1, READ , 3, WALK , 0, PRESENT, 0x20000000BULL },
    { 1, 0, 1, 1, WRITE, 0, FINAL, 0, PRESENT, 0x10000000BULL },
    { 1, 0, 1, 1, WRITE, 0, WALK , 0, PRESENT, 0x20000000BULL },
    { 1, 0, 1, 1, WRITE, 3, FINAL, 0, PRESENT, 0x10000000BULL },
    { 1, 0, 1, 1, WRITE, 3, WALK , 0, PRESENT, 0x20000000BULL },
    { 1, 0, 1, 1, FETCH, 0, FINAL, 0, PRESENT, 0x100000019ULL },
    { 1, 0, 1, 1, FETCH, 0, WALK , 0, PRESENT, 0x20000000BULL },
    { 1, 0, 1, 1, FETCH, 3, FINAL, 0, PRESENT, 0x100000019ULL },
    { 1, 0, 1, 1, FETCH, 3, WALK , 0, PRESENT, 0x20000000BULL },
    { 1, 1, 0, 1, READ , 0, FINAL, 0, PRESENT, ALLOWED },
    { 1, 1, 0, 1, READ , 0, WALK , 0, PRESENT, ALLOWED },
    { 1, 1, 0, 1, READ , 3, FINAL, 0, PRESENT, ALLOWED },
    { 1, 1, 0, 1, READ , 3, WALK , 0, PRESENT, ALLOWED },
    { 1, 1, 0, 1, WRITE, 0, FINAL, 0, PRESENT, ALLOWED },
    { 1, 1, 0, 1, WRITE, 0, WALK , 0, PRESENT, ALLOWED },
    { 1, 1, 0, 1, WRITE, 3, FINAL, 0, PRESENT, ALLOWED },
    { 1, 1, 0, 1, WRITE, 3, WALK , 0, PRESENT, ALLOWED },
    { 1, 1, 0, 1, FETCH, 0, FINAL, 0, PRESENT, 0x100000011ULL },
    { 1, 1, 0, 1, FETCH, 0, WALK , 0, PRESENT, ALLOWED },
    { 1, 1, 0, 1, FETCH, 3, FINAL, 0, PRESENT, ALLOWED },
    { 1, 1, 0, 1, FETCH, 3, WALK , 0, PRESENT, ALLOWED },
    { 1, 1, 1, 1, READ , 0, FINAL, 0, PRESENT, 0x100000009ULL },
    { 1, 1, 1, 1, READ , 0, WALK , 0, PRESENT, 0x20000000BULL },
    { 1, 1, 1, 1, READ , 3, FINAL, 0, PRESENT, 0x100000009ULL },
    { 1, 1, 1, 1, READ , 3, WALK , 0, PRESENT, 0x20000000BULL },
    { 1, 1, 1, 1, WRITE, 0, FINAL, 0, PRESENT, 0x10000000BULL },
    { 1, 1, 1, 1, WRITE, 0, WALK , 0, PRESENT, 0x20000000BULL },
    { 1, 1, 1, 1, WRITE, 3, FINAL, 0, PRESENT, 0x10000000BULL },
    { 1, 1, 1, 1, WRITE, 3, WALK , 0, PRESENT, 0x20000000BULL },
    { 1, 1, 1, 1, FETCH, 0, FINAL, 0, PRESENT, 0x100000019ULL },
    { 1, 1, 1, 1, FETCH, 0, WALK , 0, PRESENT, 0x20000000BULL },
    { 1, 1, 1, 1, FETCH, 3, FINAL, 0, PRESENT, 0x100000019ULL },
    { 1, 1, 1, 1, FETCH, 3, WALK , 0, PRESENT, 0x20000000BULL },
    /* not present (U/S, NX, R/W are not looked at): P = 0, the rest as for any fault */
    { 0, 1, 0, 1, READ , 0, FINAL, 0, ABSENT , 0x100000004ULL },
    { 0, 1, 0, 1, READ , 0, WALK , 0, ABSENT , 0x200000006ULL },
    { 0, 1, 0, 1, READ , 3, FINAL, 0, ABSENT , 0x100000004ULL },
    { 0, 1, 0, 1, READ , 3, WALK , 0, ABSENT , 0x200000006ULL },
    { 0, 1, 0, 1, WRITE, 0, FINAL, 0, ABSENT , 0x100000006ULL },
    { 0, 1, 0, 1, WRITE, 0, WALK , 0, ABSENT , 0x200000006ULL },
    { 0, 1, 0, 1, WRITE, 3, FINAL, 0, ABSENT , 0x100000006ULL },
    { 0, 1, 0, 1, WRITE, 3, WALK , 0, ABSENT , 0x200000006ULL },
    { 0, 1, 0, 1, FETCH, 0, FINAL, 0, ABSENT , 0x100000004ULL },
    { 0, 1, 0, 1, FETCH, 0, WALK , 0, ABSENT , 0x200000006ULL },
    { 0, 1, 0, 1, FETCH, 3, FINAL, 0, ABSENT , 0x100000004ULL },
    { 0, 1, 0, 1, FETCH, 3, WALK , 0, ABSENT , 0x200000006ULL },
    { 0, 1, 0, 1, READ , 0, FINAL, 1, ABSENT , 0x100000004ULL },
    { 0, 1, 0, 1, READ , 0, WALK , 1, ABSENT , 0x200000006ULL },
    { 0, 1, 0, 1, READ , 3, FINAL, 1, ABSENT , 0x100000004ULL },
    { 0, 1, 0, 1, READ , 3, WALK , 1, ABSENT , 0x200000006ULL },
    { 0, 1, 0, 1, WRITE, 0, FINAL, 1, ABSENT , 0x100000006ULL },
    { 0, 1, 0, 1, WRITE, 0, WALK , 1, ABSENT , 0x200000006ULL },
    { 0, 1, 0, 1, WRITE, 3, FINAL, 1, ABSENT , 0x100000006ULL },
    { 0, 1, 0, 1, WRITE, 3, WALK , 1, ABSENT , 0x200000006ULL },
    { 0, 1, 0, 1, FETCH, 0, FINAL, 1, ABSENT , 0x100000014ULL },
    { 0, 1, 0, 1, FETCH, 0, WALK , 1, ABSENT , 0x200000006ULL },
    { 0, 1, 0, 1, FETCH, 3, FINAL, 1, ABSENT , 0x100000014ULL },
    { 0, 1, 0, 1, FETCH, 3, WALK , 1, ABSENT , 0x200000006ULL },
    { 1, 1, 0, 1, READ , 0, FINAL, 0, ABSENT , 0x100000000ULL },
    { 1, 1, 0, 1, READ , 0, WALK , 0, ABSENT , 0x200000002ULL },
    { 1, 1, 0, 1, READ , 3, FINAL, 0, ABSENT , 0x100000000ULL },
    { 1, 1, 0, 1, READ , 3, WALK , 0, ABSENT , 0x200000002ULL },
    { 1, 1, 0, 1, WRITE, 0, FINAL, 0, ABSENT , 0x100000002ULL },
    { 1, 1, 0, 1, WRITE, 0, WALK , 0, ABSENT , 0x200000002ULL },
    { 1, 1, 0, 1, WRITE, 3, FINAL, 0, ABSENT , 0x100000002ULL },
    { 1, 1, 0, 1, WRITE, 3, WALK , 0, ABSENT , 0x200000002ULL },
    { 1, 1, 0, 1, FETCH, 0, FINAL, 0, ABSENT , 0x100000010ULL },
    { 1, 1, 0, 1, FETCH, 0, WALK , 0, ABSENT , 0x200000002ULL },
    { 1, 1, 0, 1, FETCH, 3, FINAL, 0, ABSENT , 0x100000010ULL },
    { 1, 1, 0, 1, FETCH, 3, WALK , 0, ABSENT , 0x200000002ULL },
    { 1, 1, 0, 1, READ , 0, FINAL, 1, ABSENT , 0x100000000ULL },
    { 1, 1, 0, 1, READ , 0, WALK , 1, ABSENT , 0x200000002ULL },
    { 1, 1, 0, 1, READ , 3, FINAL, 1, ABSENT , 0x100000000ULL },
    { 1, 1, 0, 1, READ , 3, WALK , 1, ABSENT , 0x200000002ULL },
    { 1, 1, 0, 1, WRITE, 0, FINAL, 1, ABSENT , 0x100000002ULL },
    { 1, 1, 0, 1, WRITE, 0, WALK , 1, ABSENT , 0x200000002ULL },
    { 1, 1, 0, 1, WRITE, 3, FINAL, 1, ABSENT , 0x100000002ULL },
    { 1, 1, 0, 1, WRITE, 3, WALK , 1, ABSENT , 0x200000002ULL },
    { 1, 1, 0, 1, FETCH, 0, FINAL, 1, ABSENT , 0x100000010ULL },
    { 1, 1, 0, 1, FETCH, 0, WALK , 1, ABSENT , 0x200000002ULL },
    { 1, 1, 0, 1, FETCH, 3, FINAL, 1, ABSENT , 0x100000010ULL },
    { 1, 1, 0, 1, FETCH, 3, WALK , 1, ABSENT , 0x200000002ULL },
};

/* The walk would report a reserved bit for an NX entry under host NXE = 0. */
static struct npt_walk_result result_for(bool present, bool user, bool no_execute,
                                         bool writable, bool host_nxe)
{
    struct npt_walk_result result = { 0 };

    result.not_present = !present;
    result.reserved_bit = present && no_execute && !host_nxe;
    result.effective = (struct npt_permissions){
        .writable = writable, .user = user, .no_execute = no_execute,
    };
    return result;
}

static struct npt_access access_for(bool gmet, enum npt_access_kind kind, unsigned cpl,
                                    bool page_walk, bool host_nxe)
{
    return (struct npt_access){
        .gpa = 0x5000,
        .kind = kind,
        .guest_cpl = cpl,
        .guest_page_walk = page_walk,
        .environment = {
            .gmet = gmet, .host_nxe = host_nxe, .host_max_phys_addr = 48,
        },
    };
}

TEST(permission_table)
{
    EXPECT_TRUE(sizeof permission_rows / sizeof permission_rows[0] >= 200);
    for (size_t i = 0; i < sizeof permission_rows / sizeof permission_rows[0]; i++) {
        const struct permission_row *row = &permission_rows[i];
        struct npt_walk_result result = result_for(row->present, row->user, row->no_execute,
                                                   row->writable, row->host_nxe);
        struct npt_access access = access_for(row->gmet, row->kind, row->cpl,
                                              row->page_walk, row->host_nxe);
        uint64_t mask = row->gmet ? NPF_EXITINFO1_COMPARE_MASK : ~0ull;
        bool allowed = row->present
            && npt_access_allowed(&result.effective, &access)
            && !result.reserved_bit;

        test_row("row %zu: gmet=%d U/S=%d NX=%d RW=%d %s CPL%u %s NXE=%d %s", i,
                 row->gmet, row->user, row->no_execute, row->writable,
                 kind_name(row->kind), row->cpl, row->page_walk ? "walk" : "final",
                 row->host_nxe, row->present ? "present" : "absent");
        EXPECT_EQ(allowed, row->expected == ALLOWED);
        EXPECT_EQ(npt_expected_exit_info_1(&result, &access) & mask, row->expected);
    }
}

/* The values kvm-unit-tests observed on hardware (svm-reference §4.3, §5.2). */
struct observed_row {
    const char *name;
    bool present, user, no_execute, writable, reserved_bit;
    bool gmet, host_nxe;
    enum npt_access_kind kind;
    unsigned cpl;
    bool page_walk;
    uint64_t mask;
    uint64_t observed;
};

static const struct observed_row observed_rows[] = {
    { "npt_np: not-present final page, read",
      ABSENT, 1, 0, 1, 0, 0, 1, READ, 0, FINAL, ~0ull, 0x100000004ULL },
    { "npt_us: nested U/S=0 page, read",
      PRESENT, 0, 0, 1, 0, 0, 1, READ, 0, FINAL, ~0ull, 0x100000005ULL },
    { "npt_rw: write to read-only nested page",
      PRESENT, 1, 0, 0, 0, 0, 1, WRITE, 0, FINAL, ~0ull, 0x100000007ULL },
    { "npt_nx: fetch from nested NX page",
      PRESENT, 1, 1, 1, 0, 0, 1, FETCH, 0, FINAL, ~0ull, 0x100000015ULL },
    { "npt_rw_pfwalk: guest page-table walk hits read-only page",
      PRESENT, 1, 0, 0, 0, 0, 1, READ, 0, WALK, ~0ull, 0x200000007ULL },
    { "npt_rsvd: reserved bit in leaf, fetch, host NX=0",
      PRESENT, 1, 0, 1, 1, 0, 0, FETCH, 0, FINAL, ~0ull, 0x10000000DULL },
    { "npt_rsvd: reserved bit in leaf, fetch, host NX=1 (ID)",
      PRESENT, 1, 0, 1, 1, 0, 1, FETCH, 0, FINAL, ~0ull, 0x10000001DULL },
    { "npt_rsvd: reserved bit in PML4E/PDPE, during the guest walk",
      PRESENT, 1, 0, 1, 1, 0, 1, FETCH, 0, WALK, ~0ull, 0x20000000FULL },
    { "npt_gmet_us: supervisor fetch from U/S=1 page, US masked",
      PRESENT, 1, 0, 1, 0, 1, 1, FETCH, 0, FINAL, ~PFERR_USER_MASK, 0x100000011ULL },
    { "npt_gmet_nx: supervisor fetch from NX page, US masked",
      PRESENT, 0, 1, 1, 0, 1, 1, FETCH, 0, FINAL, ~PFERR_USER_MASK, 0x100000011ULL },
};

TEST(observed_exit_info_1)
{
    for (size_t i = 0; i < sizeof observed_rows / sizeof observed_rows[0]; i++) {
        const struct observed_row *row = &observed_rows[i];
        struct npt_walk_result result = result_for(row->present, row->user, row->no_execute,
                                                   row->writable, row->host_nxe);
        struct npt_access access = access_for(row->gmet, row->kind, row->cpl,
                                              row->page_walk, row->host_nxe);

        result.reserved_bit |= row->reserved_bit;
        test_row("observed %s", row->name);
        EXPECT_EQ(npt_expected_exit_info_1(&result, &access) & row->mask, row->observed);
    }
}

/* With GMET, US carries the guest's privilege (which hardware may get wrong). */
TEST(gmet_user_bit_follows_cpl)
{
    static const struct {
        unsigned cpl;
        uint64_t expected;
    } rows[] = {
        { 0, 0x100000011ULL }, { 1, 0x100000011ULL }, { 2, 0x100000011ULL },
        { 3, 0x100000007ULL },
    };

    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        /* GMET lets CPL 3 fetch from U/S = 1 pages, so CPL 3 needs another
         * fault to show US: a write to a read-only page. */
        bool user_mode = rows[i].cpl == 3;
        struct npt_walk_result result = result_for(PRESENT, 1, 0, !user_mode, 1);
        struct npt_access access = access_for(1, user_mode ? WRITE : FETCH, rows[i].cpl,
                                              FINAL, 1);

        test_row("gmet US bit at CPL %u", rows[i].cpl);
        EXPECT_EQ(npt_expected_exit_info_1(&result, &access), rows[i].expected);
    }
}

/* ID on a fetch depends on host NXE, host SMEP and GMET; where no source says
 * what hardware does (GMET, NXE = 0, SMEP = 0) the comparison leaves ID out. */
TEST(fetch_bit_and_compare_mask)
{
    static const struct {
        bool gmet, host_nxe, host_smep;
        uint64_t exit_info_1;
        uint64_t mask;
    } rows[] = {
        { 0, 0, 0, 0x100000005ULL, ~0ull },
        { 0, 0, 1, 0x100000015ULL, ~0ull },
        { 0, 1, 0, 0x100000015ULL, ~0ull },
        { 0, 1, 1, 0x100000015ULL, ~0ull },
        { 1, 0, 0, 0x100000011ULL, ~(PFERR_USER_MASK | PFERR_FETCH_MASK) },
        { 1, 0, 1, 0x100000011ULL, ~PFERR_USER_MASK },
        { 1, 1, 0, 0x100000011ULL, ~PFERR_USER_MASK },
        { 1, 1, 1, 0x100000011ULL, ~PFERR_USER_MASK },
    };

    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        /* U/S=0 faults without GMET; U/S=1 at CPL 0 faults with it. */
        struct npt_walk_result result = result_for(PRESENT, rows[i].gmet, 0, 1, rows[i].host_nxe);
        struct npt_access access = access_for(rows[i].gmet, FETCH, 0, FINAL, rows[i].host_nxe);

        access.environment.host_smep = rows[i].host_smep;
        test_row("fetch: gmet=%d NXE=%d SMEP=%d", rows[i].gmet, rows[i].host_nxe,
                 rows[i].host_smep);
        EXPECT_EQ(npt_expected_exit_info_1(&result, &access), rows[i].exit_info_1);
        EXPECT_EQ(npt_exit_info_1_compare_mask(&access), rows[i].mask);
    }
}

TEST(fault_reasons)
{
    static const struct {
        bool present, user, no_execute, writable, gmet, host_nxe;
        enum npt_access_kind kind;
        unsigned cpl;
        bool page_walk;
        const char *reason;
    } rows[] = {
        { ABSENT,  1, 0, 1, 0, 1, READ,  0, FINAL, "not present" },
        { PRESENT, 1, 0, 0, 0, 1, WRITE, 0, FINAL, "write to read-only page" },
        { PRESENT, 1, 1, 1, 0, 1, FETCH, 3, FINAL, "fetch from no-execute page" },
        { PRESENT, 1, 1, 1, 1, 1, FETCH, 0, FINAL, "fetch from no-execute page" },
        { PRESENT, 1, 0, 1, 1, 1, FETCH, 0, FINAL, "supervisor fetch from a user page (GMET)" },
        { PRESENT, 0, 0, 1, 0, 1, READ,  3, FINAL, "user/supervisor: U/S=0 page without GMET" },
        { PRESENT, 0, 0, 0, 0, 1, WRITE, 0, FINAL, "user/supervisor: U/S=0 page without GMET" },
        { PRESENT, 1, 1, 1, 0, 0, READ,  0, FINAL, "reserved bit set" },
        { PRESENT, 1, 0, 0, 0, 1, FETCH, 0, WALK,  "guest page-table walk needs a writable user page" },
        { PRESENT, 0, 0, 1, 0, 1, READ,  0, WALK,  "guest page-table walk needs a writable user page" },
        { PRESENT, 1, 0, 0, 1, 1, READ,  0, WALK,  "guest page-table walk needs a writable user page" },
        { PRESENT, 0, 0, 1, 1, 1, FETCH, 0, FINAL, "no fault" },
        { PRESENT, 1, 0, 1, 1, 1, FETCH, 3, FINAL, "no fault" },
    };

    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct npt_walk_result result = result_for(rows[i].present, rows[i].user,
                                                   rows[i].no_execute, rows[i].writable,
                                                   rows[i].host_nxe);
        struct npt_access access = access_for(rows[i].gmet, rows[i].kind, rows[i].cpl,
                                              rows[i].page_walk, rows[i].host_nxe);

        test_row("reason %zu: %s", i, rows[i].reason);
        EXPECT_STR_EQ(npt_fault_reason(&result, &access), rows[i].reason);
    }
}

/*
 * Walks over tables in a fake physical memory: FAKE_PAGES pages that the walk
 * sees at host-physical FAKE_BASE. Every entry is written by hand.
 */
#define FAKE_BASE   0x100000ull
#define FAKE_PAGES  8
#define PML4        (FAKE_BASE + 0 * PAGE_SIZE_4K)
#define PDPT        (FAKE_BASE + 1 * PAGE_SIZE_4K)
#define PD          (FAKE_BASE + 2 * PAGE_SIZE_4K)
#define PT          (FAKE_BASE + 3 * PAGE_SIZE_4K)

/* GPA with PML4 index 1, PDPT index 2, PD index 3, PT index 4, offset 0x567. */
#define TEST_GPA    0x8080604567ull
#define TABLE_BITS  (PTE_PRESENT | PTE_WRITABLE | PTE_USER)

static uint64_t fake_memory[FAKE_PAGES][PT_ENTRIES] __attribute__((aligned(4096)));

static uint64_t *fake_table_at(void *context, uint64_t phys)
{
    (void)context;
    if (phys < FAKE_BASE || phys >= FAKE_BASE + FAKE_PAGES * PAGE_SIZE_4K
        || (phys & (PAGE_SIZE_4K - 1)))
        return NULL;
    return fake_memory[(phys - FAKE_BASE) / PAGE_SIZE_4K];
}

/* A 4 KiB mapping of TEST_GPA to host 0x12345000. */
static void build_4k_tables(void)
{
    memset(fake_memory, 0, sizeof fake_memory);
    fake_memory[0][1] = PDPT | TABLE_BITS;
    fake_memory[1][2] = PD | TABLE_BITS;
    fake_memory[2][3] = PT | TABLE_BITS;
    fake_memory[3][4] = 0x12345000ull | TABLE_BITS;
}

static struct npt_access walk_access(enum npt_access_kind kind)
{
    struct npt_access access = access_for(false, kind, 0, FINAL, true);

    access.gpa = TEST_GPA;
    return access;
}

TEST(walk_4k_leaf)
{
    struct npt_access access = walk_access(READ);
    struct npt_walk_result result;

    build_4k_tables();
    EXPECT_EQ(npt_walk(fake_table_at, NULL, PML4, &access, &result), HV_OK);
    EXPECT_TRUE(result.mapped);
    EXPECT_TRUE(result.allowed);
    EXPECT_EQ(result.level, 1);
    EXPECT_EQ(result.entry, 0x12345000ull | TABLE_BITS);
    EXPECT_EQ(result.table_physical, PT);
    EXPECT_EQ(result.host_physical, 0x12345567ull);
    EXPECT_EQ(result.fault_level, 0);
    EXPECT_FALSE(result.not_present);
    EXPECT_FALSE(result.reserved_bit);
    EXPECT_TRUE(result.effective.writable);
    EXPECT_TRUE(result.effective.user);
    EXPECT_FALSE(result.effective.no_execute);
    EXPECT_EQ(npt_expected_exit_info_1(&result, &access), 0);
}

TEST(walk_ncr3_cache_bits_ignored)
{
    struct npt_access access = walk_access(READ);
    struct npt_walk_result result;

    build_4k_tables();
    EXPECT_EQ(npt_walk(fake_table_at, NULL, PML4 | PTE_PWT | PTE_PCD, &access, &result),
              HV_OK);
    EXPECT_EQ(result.host_physical, 0x12345567ull);
}

/* Large leaves, with the PAT bit (bit 12) set to show it is not an address bit. */
TEST(walk_large_leaves)
{
    static const struct {
        const char *name;
        uint64_t gpa;
        int level;
        uint64_t leaf;
        uint64_t host_physical;
    } rows[] = {
        { "2 MiB", TEST_GPA, 2, 0x40600000ull | PTE_LARGE | PTE_PAT_LARGE, 0x40604567ull },
        { "2 MiB last byte", 0x80807FFFFFull, 2, 0x40600000ull | PTE_LARGE | PTE_PAT_LARGE,
          0x407FFFFFull },
        { "1 GiB", TEST_GPA, 3, 0x140000000ull | PTE_LARGE | PTE_PAT_LARGE, 0x140604567ull },
        { "1 GiB last qword", 0x80BFFFFFF8ull, 3, 0x140000000ull | PTE_LARGE | PTE_PAT_LARGE,
          0x17FFFFFF8ull },
    };

    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct npt_access access = walk_access(WRITE);
        struct npt_walk_result result;

        test_row("%s leaf", rows[i].name);
        build_4k_tables();
        if (rows[i].level == 3)
            fake_memory[1][2] = rows[i].leaf | TABLE_BITS;
        else
            fake_memory[2][3] = rows[i].leaf | TABLE_BITS;
        access.gpa = rows[i].gpa;
        EXPECT_EQ(npt_walk(fake_table_at, NULL, PML4, &access, &result), HV_OK);
        EXPECT_TRUE(result.mapped);
        EXPECT_TRUE(result.allowed);
        EXPECT_EQ(result.level, rows[i].level);
        EXPECT_EQ(result.entry, rows[i].leaf | TABLE_BITS);
        EXPECT_EQ(result.host_physical, rows[i].host_physical);
    }
}

TEST(walk_not_present_at_each_level)
{
    static const struct {
        int level;
        unsigned page, index;
        uint64_t table;
    } rows[] = {
        { 4, 0, 1, PML4 }, { 3, 1, 2, PDPT }, { 2, 2, 3, PD }, { 1, 3, 4, PT },
    };

    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct npt_access access = walk_access(WRITE);
        struct npt_walk_result result;

        test_row("not present at level %d", rows[i].level);
        build_4k_tables();
        /* Everything but P set, to show a not-present entry is not inspected. */
        fake_memory[rows[i].page][rows[i].index] = ~PTE_PRESENT;
        EXPECT_EQ(npt_walk(fake_table_at, NULL, PML4, &access, &result), HV_OK);
        EXPECT_TRUE(result.not_present);
        EXPECT_FALSE(result.reserved_bit);
        EXPECT_FALSE(result.mapped);
        EXPECT_FALSE(result.allowed);
        EXPECT_EQ(result.fault_level, rows[i].level);
        EXPECT_EQ(result.level, rows[i].level);
        EXPECT_EQ(result.table_physical, rows[i].table);
        EXPECT_EQ(result.entry, ~PTE_PRESENT);
        EXPECT_EQ(npt_expected_exit_info_1(&result, &access), 0x100000006ULL);
        EXPECT_STR_EQ(npt_fault_reason(&result, &access), "not present");
    }
}

TEST(walk_user_clear_at_intermediate_level)
{
    struct npt_access access = walk_access(READ);
    struct npt_walk_result result;

    build_4k_tables();
    fake_memory[1][2] = PD | PTE_PRESENT | PTE_WRITABLE;   /* the PDPE: U/S = 0 */
    EXPECT_EQ(npt_walk(fake_table_at, NULL, PML4, &access, &result), HV_OK);
    EXPECT_TRUE(result.mapped);
    EXPECT_FALSE(result.effective.user);
    EXPECT_EQ(result.entry & PTE_USER, PTE_USER);       /* the leaf alone says user */
    EXPECT_FALSE(result.allowed);
    EXPECT_EQ(npt_expected_exit_info_1(&result, &access), 0x100000005ULL);

    /* With GMET the same read passes: U/S only matters for fetches. */
    access.environment.gmet = true;
    EXPECT_EQ(npt_walk(fake_table_at, NULL, PML4, &access, &result), HV_OK);
    EXPECT_TRUE(result.allowed);
}

TEST(walk_read_only_at_intermediate_level)
{
    struct npt_access access = walk_access(WRITE);
    struct npt_walk_result result;

    build_4k_tables();
    fake_memory[2][3] = PT | PTE_PRESENT | PTE_USER;   /* the PDE: R/W = 0 */
    EXPECT_EQ(npt_walk(fake_table_at, NULL, PML4, &access, &result), HV_OK);
    EXPECT_FALSE(result.effective.writable);
    EXPECT_FALSE(result.allowed);
    EXPECT_EQ(npt_expected_exit_info_1(&result, &access), 0x100000007ULL);
}

TEST(walk_no_execute_at_pml4)
{
    struct npt_access access = walk_access(FETCH);
    struct npt_walk_result result;

    build_4k_tables();
    fake_memory[0][1] |= PTE_NX;
    EXPECT_EQ(npt_walk(fake_table_at, NULL, PML4, &access, &result), HV_OK);
    EXPECT_TRUE(result.mapped);
    EXPECT_TRUE(result.effective.no_execute);
    EXPECT_EQ(result.entry & PTE_NX, 0);
    EXPECT_FALSE(result.allowed);
    EXPECT_EQ(npt_expected_exit_info_1(&result, &access), 0x100000015ULL);
    EXPECT_STR_EQ(npt_fault_reason(&result, &access), "fetch from no-execute page");

    /* A read of the same page is fine, and so is a guest walk through it. */
    access.kind = READ;
    EXPECT_EQ(npt_walk(fake_table_at, NULL, PML4, &access, &result), HV_OK);
    EXPECT_TRUE(result.allowed);
    access.kind = FETCH;
    access.guest_page_walk = true;
    EXPECT_EQ(npt_walk(fake_table_at, NULL, PML4, &access, &result), HV_OK);
    EXPECT_TRUE(result.allowed);
}

TEST(walk_gmet_supervisor_fetch)
{
    struct npt_access access = walk_access(FETCH);
    struct npt_walk_result result;

    build_4k_tables();
    access.environment.gmet = true;
    EXPECT_EQ(npt_walk(fake_table_at, NULL, PML4, &access, &result), HV_OK);
    EXPECT_FALSE(result.allowed);
    EXPECT_EQ(npt_expected_exit_info_1(&result, &access) & NPF_EXITINFO1_COMPARE_MASK,
              0x100000011ULL);
    EXPECT_STR_EQ(npt_fault_reason(&result, &access),
                  "supervisor fetch from a user page (GMET)");

    /* Kernel text: U/S = 0 in the leaf makes it supervisor-executable. */
    fake_memory[3][4] &= ~PTE_USER;
    EXPECT_EQ(npt_walk(fake_table_at, NULL, PML4, &access, &result), HV_OK);
    EXPECT_TRUE(result.allowed);
}

TEST(walk_reserved_bits)
{
    static const struct {
        const char *name;
        unsigned page, index;
        uint64_t entry;
        bool host_nxe;
        unsigned max_phys_addr;
        enum npt_access_kind kind;
        bool page_walk;
        int fault_level;
        uint64_t exit_info_1;
    } rows[] = {
        { "bit 51 in PTE, MAXPHYADDR 48, fetch", 3, 4,
          (1ull << 51) | 0x12345000ull | TABLE_BITS, false, 48, FETCH, FINAL, 1,
          0x10000000DULL },
        { "bit 48 in PTE, MAXPHYADDR 48, fetch, host NXE", 3, 4,
          (1ull << 48) | 0x12345000ull | TABLE_BITS, true, 48, FETCH, FINAL, 1,
          0x10000001DULL },
        { "bit 51 in PML4E, guest walk", 0, 1,
          (1ull << 51) | PDPT | TABLE_BITS, true, 48, FETCH, WALK, 4, 0x20000000FULL },
        { "bit 51 in PDPE, guest walk", 1, 2,
          (1ull << 51) | PD | TABLE_BITS, true, 48, READ, WALK, 3, 0x20000000FULL },
        { "NX in PDE with host NXE = 0, read", 2, 3,
          PTE_NX | PT | TABLE_BITS, false, 48, READ, FINAL, 2, 0x10000000DULL },
        { "PS in PML4E", 0, 1,
          PTE_LARGE | PDPT | TABLE_BITS, true, 48, WRITE, FINAL, 4, 0x10000000FULL },
        { "bit 13 in 2 MiB leaf", 2, 3,
          (1ull << 13) | PTE_LARGE | 0x40600000ull | TABLE_BITS, true, 48, READ, FINAL, 2,
          0x10000000DULL },
        { "bit 29 in 1 GiB leaf", 1, 2,
          (1ull << 29) | PTE_LARGE | 0x140000000ull | TABLE_BITS, true, 48, READ, FINAL, 3,
          0x10000000DULL },
    };

    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct npt_access access = walk_access(rows[i].kind);
        struct npt_walk_result result;

        test_row("reserved: %s", rows[i].name);
        build_4k_tables();
        fake_memory[rows[i].page][rows[i].index] = rows[i].entry;
        access.guest_page_walk = rows[i].page_walk;
        access.environment.host_nxe = rows[i].host_nxe;
        access.environment.host_max_phys_addr = rows[i].max_phys_addr;
        EXPECT_EQ(npt_walk(fake_table_at, NULL, PML4, &access, &result), HV_OK);
        EXPECT_TRUE(result.reserved_bit);
        EXPECT_FALSE(result.not_present);
        EXPECT_FALSE(result.mapped);
        EXPECT_FALSE(result.allowed);
        EXPECT_EQ(result.fault_level, rows[i].fault_level);
        EXPECT_EQ(result.entry, rows[i].entry);
        EXPECT_EQ(npt_expected_exit_info_1(&result, &access), rows[i].exit_info_1);
        EXPECT_STR_EQ(npt_fault_reason(&result, &access), "reserved bit set");
    }
}

/* The same high bits are address bits when the CPU has them. */
TEST(walk_high_address_bits_with_wide_maxphyaddr)
{
    struct npt_access access = walk_access(READ);
    struct npt_walk_result result;

    build_4k_tables();
    fake_memory[3][4] = (1ull << 51) | 0x12345000ull | TABLE_BITS;
    access.environment.host_max_phys_addr = 52;
    EXPECT_EQ(npt_walk(fake_table_at, NULL, PML4, &access, &result), HV_OK);
    EXPECT_FALSE(result.reserved_bit);
    EXPECT_EQ(result.host_physical, (1ull << 51) | 0x12345567ull);
}

TEST(walk_unreadable_table)
{
    static const struct {
        const char *name;
        uint64_t ncr3;
        unsigned page, index;
        uint64_t entry;
        int level;
        uint64_t table;
    } rows[] = {
        { "nCR3 outside", 0x7000000ull, 0, 1, PDPT | TABLE_BITS, 4, 0x7000000ull },
        { "PDPT outside", PML4, 0, 1, 0x9000000ull | TABLE_BITS, 3, 0x9000000ull },
        { "page table outside", PML4, 2, 3, 0xA000000ull | TABLE_BITS, 1, 0xA000000ull },
    };

    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct npt_access access = walk_access(READ);
        struct npt_walk_result result;

        test_row("table_at NULL: %s", rows[i].name);
        build_4k_tables();
        fake_memory[rows[i].page][rows[i].index] = rows[i].entry;
        EXPECT_EQ(npt_walk(fake_table_at, NULL, rows[i].ncr3, &access, &result), HV_ERANGE);
        EXPECT_EQ(result.level, rows[i].level);
        EXPECT_EQ(result.table_physical, rows[i].table);
        EXPECT_FALSE(result.mapped);
        EXPECT_FALSE(result.allowed);
    }
}

TEST(walk_rejects_impossible_access)
{
    static const struct {
        const char *name;
        unsigned cpl;
        int kind;
        unsigned max_phys_addr;
        uint64_t gpa;
    } rows[] = {
        { "CPL 4", 4, READ, 48, TEST_GPA },
        { "unknown kind", 0, 7, 48, TEST_GPA },
        { "MAXPHYADDR 53", 0, READ, 53, TEST_GPA },
        { "MAXPHYADDR 0", 0, READ, 0, TEST_GPA },
        { "GPA beyond 48 bits", 0, READ, 48, 1ull << 48 },
    };

    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct npt_access access = walk_access(READ);
        struct npt_walk_result result;

        test_row("invalid access: %s", rows[i].name);
        build_4k_tables();
        access.guest_cpl = rows[i].cpl;
        access.kind = (enum npt_access_kind)rows[i].kind;
        access.environment.host_max_phys_addr = rows[i].max_phys_addr;
        access.gpa = rows[i].gpa;
        EXPECT_EQ(npt_walk(fake_table_at, NULL, PML4, &access, &result), HV_EINVAL);
        EXPECT_FALSE(result.mapped);
    }
}
