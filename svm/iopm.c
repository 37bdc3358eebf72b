/* Builds the 12 KiB I/O permission map (one bit per port, 1 = intercept) and
 * models how the CPU consults it for multi-byte accesses.
 * See: APM §15.10.1 (I/O permissions map). */
#include "svm/iopm.h"

#include <string.h>

void iopm_init_intercept_all(uint8_t *map)
{
    /* Only the first 3 bits of the third page are used; filling the whole
     * buffer is simpler and harmless. */
    memset(map, 0xff, IOPM_SIZE_BYTES);
}

int iopm_set_port(uint8_t *map, uint32_t port, bool intercept)
{
    if (port > IOPM_LAST_BIT)
        return IOPM_ERROR_PORT_OUT_OF_RANGE;
    if (intercept)
        map[port / 8] |= (uint8_t)(1u << (port % 8));
    else
        map[port / 8] &= (uint8_t)~(1u << (port % 8));
    return 0;
}

bool iopm_access_intercepted(const uint8_t *map, uint16_t port, unsigned size_bytes)
{
    if (size_bytes != 1 && size_bytes != 2 && size_bytes != 4)
        return true;
    /* The bit number does not wrap at 0xffff: a 4-byte access at 0xffff
     * consults bits 0xffff-0x10002, hence the 3 extra bits. */
    for (uint32_t bit = port; bit < (uint32_t)port + size_bytes; bit++) {
        if (map[bit / 8] & (1u << (bit % 8)))
            return true;
    }
    return false;
}
