/* Builds the 8 KiB MSR permission map: three 2 KiB vectors of two bits per MSR
 * (low bit RDMSR, high bit WRMSR, 1 = intercept); the fourth vector is reserved.
 * See: APM §15.11, Table 15-8 (MSRPM byte ranges). */
#include "svm/msrpm.h"

#include <stddef.h>
#include <string.h>

#define MSRPM_MSRS_PER_RANGE    0x2000u
#define MSRPM_BYTES_PER_RANGE   0x800u   /* 0x2000 MSRs * 2 bits / 8 */

static const uint32_t msrpm_range_first_msr[] = {
    0x00000000u,   /* bytes 0x0000-0x07ff */
    0xc0000000u,   /* bytes 0x0800-0x0fff */
    0xc0010000u,   /* bytes 0x1000-0x17ff */
};

void msrpm_init_intercept_all(uint8_t *map)
{
    /* The reserved fourth vector is set too: ones there cost nothing, and a
     * map that is all ones is easy to recognise in a memory dump. */
    memset(map, 0xff, MSRPM_SIZE_BYTES);
}

int msrpm_bit_position(uint32_t msr, bool write, uint32_t *byte, unsigned *bit)
{
    size_t ranges = sizeof msrpm_range_first_msr / sizeof msrpm_range_first_msr[0];

    for (size_t range = 0; range < ranges; range++) {
        uint32_t index = msr - msrpm_range_first_msr[range];

        if (msr < msrpm_range_first_msr[range] || index >= MSRPM_MSRS_PER_RANGE)
            continue;
        /* Four MSRs share a byte, two bits each. */
        *byte = (uint32_t)range * MSRPM_BYTES_PER_RANGE + index / 4;
        *bit = 2 * (index % 4) + (write ? 1 : 0);
        return 0;
    }
    return MSRPM_ERROR_MSR_NOT_MAPPED;
}

static void msrpm_write_bit(uint8_t *map, uint32_t byte, unsigned bit, bool intercept)
{
    if (intercept)
        map[byte] |= (uint8_t)(1u << bit);
    else
        map[byte] &= (uint8_t)~(1u << bit);
}

int msrpm_set(uint8_t *map, uint32_t msr, bool intercept_read, bool intercept_write)
{
    uint32_t byte;
    unsigned read_bit;
    unsigned write_bit;
    int error = msrpm_bit_position(msr, false, &byte, &read_bit);

    if (error)
        return error;
    write_bit = read_bit + 1;
    msrpm_write_bit(map, byte, read_bit, intercept_read);
    msrpm_write_bit(map, byte, write_bit, intercept_write);
    return 0;
}
