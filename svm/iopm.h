/* The I/O permission map: which guest IN/OUT/INS/OUTS cause a #VMEXIT(IOIO)
 * when the IOIO_PROT intercept is set. Built in a caller-provided 12 KiB buffer.
 * See: APM §15.10.1 (I/O permissions map). */
#ifndef SVM_IOPM_H
#define SVM_IOPM_H

#include <stdbool.h>
#include <stdint.h>

#include "hv/errno.h"

/* Three 4 KiB pages: 64 Ki bits for the ports plus 3 bits in the third page. */
#define IOPM_SIZE_BYTES         12288

/* One bit per port 0x0000-0xffff, then three more bits for the bytes of a
 * 2- or 4-byte access that starts near 0xffff and runs past it. */
#define IOPM_PORT_BITS          0x10000u
#define IOPM_EXTRA_BITS         3u
#define IOPM_LAST_BIT           (IOPM_PORT_BITS + IOPM_EXTRA_BITS - 1)   /* 0x10002 */

/* The bit number is past IOPM_LAST_BIT. */
#define IOPM_ERROR_PORT_OUT_OF_RANGE HV_ERANGE

/* Intercept every port: the deny-by-default starting point. */
void iopm_init_intercept_all(uint8_t *map);

/* Choose whether accesses touching one byte port exit. port is a bit number,
 * 0x0000-0xffff for the ports themselves or 0x10000-0x10002 for the extra
 * bits. Returns 0, or IOPM_ERROR_PORT_OUT_OF_RANGE (the map is then unchanged). */
int iopm_set_port(uint8_t *map, uint32_t port, bool intercept);

/* Whether an access of size_bytes (1, 2 or 4) starting at port exits, as the
 * CPU decides it: any set bit among the bytes touched intercepts. Other sizes
 * do not exist on x86 and are reported as intercepted. */
bool iopm_access_intercepted(const uint8_t *map, uint16_t port, unsigned size_bytes);

#endif
