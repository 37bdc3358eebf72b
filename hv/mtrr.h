/* A VM's memory-type range registers (MTRRs), kept by minisvm and never written to
 * the CPU: with nested paging the guest's memory types combine with minisvm's own
 * (hPAT and the host MTRRs), so the guest's MTRRs are bookkeeping that its kernel
 * reads back. They start as "everything write-back" with MTRRs enabled, which is
 * what Linux checks before it programs its PAT. See: APM Vol. 2 §7.7 (MTRRs). */
#ifndef HV_MTRR_H
#define HV_MTRR_H

#include <stdbool.h>
#include <stdint.h>

#define MSR_MTRR_CAP          0x0feu
#define MSR_MTRR_DEF_TYPE     0x2ffu
#define MTRR_VARIABLE_COUNT   8
#define MTRR_FIXED_COUNT      11

struct mtrr_state {
    uint64_t def_type;
    uint64_t fixed[MTRR_FIXED_COUNT];
    uint64_t variable_base[MTRR_VARIABLE_COUNT];
    uint64_t variable_mask[MTRR_VARIABLE_COUNT];
    uint64_t physical_address_mask;   /* bits 51:12 that exist on this CPU */
};

/* Everything write-back, MTRRs and fixed ranges enabled. physical_address_bits:
 * CPUID 8000_0008 EAX[7:0]. */
void mtrr_init(struct mtrr_state *mtrr, unsigned physical_address_bits);
/* Whether msr is one of the MTRR MSRs. */
bool mtrr_is_mtrr_msr(uint32_t msr);
/* RDMSR; false for an MSR that is not an MTRR. */
bool mtrr_read(const struct mtrr_state *mtrr, uint32_t msr, uint64_t *value);
/* WRMSR; false (the guest gets #GP) for a read-only MSR, a reserved bit or an
 * undefined memory type. */
bool mtrr_write(struct mtrr_state *mtrr, uint32_t msr, uint64_t value);

#endif
