/* The legacy PC every VM sees through its I/O ports: a master and slave 8259A PIC,
 * an 8254 PIT (and port 0x61), a 16550A UART at COM1 on IRQ4, a CMOS clock, an
 * i8042 that can reset the VM, port 0x80 and PCI configuration ports with no device
 * behind them. Everything else on the port bus reads as all ones (an empty ISA
 * bus). The device models are in hv/devices/; this file wires them to one VM: the
 * ports, their interrupt lines and real time. See: docs/linux.md (the port table). */
#ifndef HV_VM_PLATFORM_H
#define HV_VM_PLATFORM_H

#include <stdbool.h>
#include <stdint.h>

#include "boot/boot_info.h"
#include "hv/devices/pci_config.h"
#include "hv/devices/pic8259.h"
#include "hv/devices/pit8254.h"
#include "hv/devices/rtc_cmos.h"
#include "hv/devices/uart8250.h"

struct vm;

struct vm_platform {
    struct pic_pair pic;
    struct pit8254 pit;
    struct uart8250 com1;
    struct rtc_cmos rtc;
    struct pci_config pci;
    uint64_t pit_edges_owed;       /* IRQ0 edges the guest has not been given yet */
    uint64_t pit_next_edge;        /* no IRQ0 edge before this PIT tick (0: look now) */
    bool com1_touched;             /* its IRQ4 line may have changed */
    uint64_t rtc_start_ms;         /* host time of rtc_init */
};

void vm_platform_init(struct vm *vm, const struct boot_date *date);
/* IN of size 1, 2 or 4 bytes from port: the value (zero-extended). */
uint32_t vm_platform_port_in(struct vm *vm, uint16_t port, unsigned size);
/* OUT; may end the VM (a reset request). */
void vm_platform_port_out(struct vm *vm, uint16_t port, unsigned size, uint32_t value);
/* Brings the devices up to the present: PIT edges owed to IRQ0, the UART's line
 * on IRQ4. Called before every VMRUN and by the scheduler for halted VMs. */
void vm_platform_advance(struct vm *vm);
/* Whether the PIC asks the CPU for an interrupt. */
bool vm_platform_interrupt_pending(const struct vm *vm);
/* The PIC's interrupt acknowledge: the vector to deliver. */
uint8_t vm_platform_acknowledge(struct vm *vm);
/* Emits a partial COM1 line (at the end of a VM). */
void vm_platform_flush(struct vm *vm);

#endif
