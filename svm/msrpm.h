/* The MSR permission map: which RDMSR/WRMSR of the guest cause a #VMEXIT(MSR)
 * when the MSR_PROT intercept is set. Built in a caller-provided 8 KiB buffer.
 * See: APM §15.11 (MSR intercepts). */
#ifndef SVM_MSRPM_H
#define SVM_MSRPM_H

#include <stdbool.h>
#include <stdint.h>

#include "hv/errno.h"

/* Two 4 KiB pages; the map must be 4 KiB-aligned and lie below MAXPHYADDR. */
#define MSRPM_SIZE_BYTES        8192

/* The MSR lies in none of the three mapped ranges. The CPU intercepts such an
 * MSR unconditionally, so there is no bit to set or clear. */
#define MSRPM_ERROR_MSR_NOT_MAPPED HV_ERANGE

/* Intercept every MSR access: the deny-by-default starting point. */
void msrpm_init_intercept_all(uint8_t *map);

/* Where the read (write = false) or write (write = true) bit of msr lives.
 * Returns 0, or MSRPM_ERROR_MSR_NOT_MAPPED with *byte and *bit untouched. */
int msrpm_bit_position(uint32_t msr, bool write, uint32_t *byte, unsigned *bit);

/* Choose whether RDMSR and WRMSR of msr exit. Returns 0, or
 * MSRPM_ERROR_MSR_NOT_MAPPED (the map is then unchanged). */
int msrpm_set(uint8_t *map, uint32_t msr, bool intercept_read, bool intercept_write);

#endif
