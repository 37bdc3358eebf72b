/* Whether a value may be written to IA32_PAT or stored in the VMCB's G_PAT:
 * eight byte fields, each holding one of the memory types 0, 1, 4, 5, 6, 7.
 * See: APM §7.8.1 (Table 7-9, PAT type encodings), §15.25.4 (G_PAT check at VMRUN). */
#ifndef MM_PAT_VALID_H
#define MM_PAT_VALID_H

#include <stdbool.h>
#include <stdint.h>

/* Both WRMSR (#GP) and VMRUN with nested paging (VMEXIT_INVALID) refuse a
 * value with a reserved bit (7:3 of a byte) or a reserved type (2, 3). */
static inline bool pat_value_is_valid(uint64_t pat)
{
    for (unsigned field = 0; field < 8; field++) {
        uint8_t type = (uint8_t)(pat >> (8 * field));

        if (type > 7 || type == 2 || type == 3)
            return false;
    }
    return true;
}

#endif
