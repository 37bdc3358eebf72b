/* Shared by the PAT tests (pat.c, pat_exits.c, pat_passthrough.c): the PAT layouts
 * the guest writes, the PAT hypercalls and the checks every PAT test repeats.
 * See: APM Vol. 2 §7.8.1 (PAT MSR), §15.25.4 and §15.25.8 (G_PAT), docs/pat.md. */
#ifndef GUEST_TESTS_PAT_H
#define GUEST_TESTS_PAT_H

#include <stdint.h>

#include "guest/abi.h"
#include "guest/hypercall.h"

/* APM Table 7-10, and the gPAT minisvm gives every VM at start (guest/abi.h). */
#define PAT_DEFAULT      ((uint64_t)0x0007040600070406)
/* minisvm's own host PAT (hv: mm/pat.h): WB WT UC- UC WC WP UC- UC. */
#define PAT_HOST_MINISVM ((uint64_t)0x0007050100070406)

#define PAT_ENTRIES 8
#define PAT_TYPE_UC       0x00
#define PAT_TYPE_WC       0x01
#define PAT_TYPE_WT       0x04
#define PAT_TYPE_WP       0x05
#define PAT_TYPE_WB       0x06
#define PAT_TYPE_UC_MINUS 0x07

/*
 * The layouts the guest writes. Every one keeps PA0-PA3 as at power-on (WB WT UC- UC):
 * the guest's page tables use PAT index 0 only (no PAT, PCD or PWT bit set), so index 0
 * is the type of all its memory, code and stack included. Changing it without the cache
 * flush that a type change of mapped memory needs (APM §7.8.2) could leave dirty lines
 * under an uncached alias on real hardware. PA4-PA7 are free to change: nothing uses them.
 * Each VM gets its own layout, so two VMs never hold the same gPAT by chance.
 */
uint64_t pat_layout_of_vm(uint32_t vm_id);
/* A second layout, different from the first one of every VM. */
#define PAT_SECOND_LAYOUT ((uint64_t)0x0506040100070406)  /* WB WT UC- UC WC WT WB WP */

/* `pat` with byte `index` (PA0-PA7) replaced by `byte`. */
uint64_t pat_with_byte(uint64_t pat, unsigned index, uint8_t byte);

/* "WB", "WT", ... for an encoding; "reserved" for the others. */
const char *pat_type_text(uint8_t encoding);

static inline uint64_t hypercall_read_host_pat(void)
{
    return (uint64_t)hypercall3(HC_READ_HOST_PAT, 0, 0, 0);
}

static inline uint64_t hypercall_read_vmcb_gpat(void)
{
    return (uint64_t)hypercall3(HC_READ_VMCB_GPAT, 0, 0, 0);
}

static inline int64_t hypercall_pat_separation(uint64_t written)
{
    return hypercall3(HC_PAT_SEPARATION, written, 0, 0);
}

/* Fails the current test unless HC_READ_HOST_PAT returns minisvm's hPAT. */
void pat_check_host_pat(void);

/* pat=intercept: the survival of gPAT across more than a thousand exits of mixed
 * kinds (pat_exits.c). Expects the current gPAT to be `layout`. */
void test_pat_across_exits(uint64_t layout);
/* pat=passthrough: the platform conformance check (pat_passthrough.c). */
void test_pat_passthrough(void);

#endif
