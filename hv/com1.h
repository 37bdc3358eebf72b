/* The emulated COM1 of a VM: a 16550 good enough for a polling driver. Output is
 * collected per line and printed with the VM's name as the prefix. */
#ifndef HV_COM1_H
#define HV_COM1_H

#include <stdbool.h>
#include <stdint.h>

#include "hv/vm.h"

#define COM1_BASE_PORT 0x3f8
#define COM1_PORT_COUNT 8

bool com1_claims_port(uint16_t port);
uint8_t com1_read(struct vm *vm, uint16_t port);
void com1_write(struct vm *vm, uint16_t port, uint8_t value);
/* Prints a partial last line, if any (at the end of the VM). */
void com1_flush(struct vm *vm);

#endif
