/* An empty PCI bus behind configuration mechanism #1, and the reset control
 * register beside it. See: PCI Local Bus Specification 3.0, §3.2.2.3.2; for 0xCF9,
 * the reset control register of PC chipsets (bit 1 chooses a hard reset, bit 2
 * starts it). */
#include "hv/devices/pci_config.h"

#define PCI_RESET_CONTROL_START 0x04u

void pci_config_init(struct pci_config *pci)
{
    pci->address = 0;
}

bool pci_config_claims(uint16_t port, unsigned size)
{
    return (port == PCI_CONFIG_ADDRESS_PORT && size == 4) ||
           (port >= PCI_CONFIG_DATA_PORT && port < PCI_CONFIG_DATA_PORT + 4);
}

uint32_t pci_config_read(const struct pci_config *pci, uint16_t port, unsigned size)
{
    if (port == PCI_CONFIG_ADDRESS_PORT)
        return pci->address;
    return size >= 4 ? 0xffffffffu : (1u << (8 * size)) - 1;   /* no device */
}

void pci_config_write(struct pci_config *pci, uint16_t port, unsigned size, uint32_t value)
{
    if (port == PCI_CONFIG_ADDRESS_PORT && size == 4)
        pci->address = value;
    /* Data writes go to no device. */
}

bool pci_reset_control_requests_reset(uint8_t value)
{
    return (value & PCI_RESET_CONTROL_START) != 0;
}
