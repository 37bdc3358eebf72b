/* PCI configuration mechanism #1 with nothing behind it: the address register at
 * 0xCF8 (dword accesses only) reads back what was written, and the data window at
 * 0xCFC-0xCFF reads all ones, which is what a host bridge returns for a function
 * that does not exist. A guest's PCI scan finds an empty bus. Also the PC's reset
 * control register at 0xCF9. See: PCI Local Bus Specification 3.0, §3.2.2.3.2
 * (configuration mechanism #1). */
#ifndef HV_DEVICES_PCI_CONFIG_H
#define HV_DEVICES_PCI_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#define PCI_CONFIG_ADDRESS_PORT 0xcf8
#define PCI_RESET_CONTROL_PORT  0xcf9
#define PCI_CONFIG_DATA_PORT    0xcfc

struct pci_config {
    uint32_t address;   /* the last dword written to 0xCF8 */
};

void pci_config_init(struct pci_config *pci);
/* Whether an access of size bytes at port is the configuration mechanism's:
 * a dword at 0xCF8, or any access inside 0xCFC-0xCFF. Byte and word accesses to
 * 0xCF8-0xCFB are not (0xCF9 is the reset control register). */
bool pci_config_claims(uint16_t port, unsigned size);
uint32_t pci_config_read(const struct pci_config *pci, uint16_t port, unsigned size);
void pci_config_write(struct pci_config *pci, uint16_t port, unsigned size, uint32_t value);
/* A byte written to 0xCF9: true when it starts a reset (bit 2). */
bool pci_reset_control_requests_reset(uint8_t value);

#endif
