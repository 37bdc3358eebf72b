/* One VM's legacy PC: which device answers which port, the interrupt lines (PIT
 * channel 0 on IRQ0, COM1 on IRQ4, both through the 8259A pair) and time (the PIT
 * and the CMOS clock read minisvm's TSC-based clock, hv/host_time.c). Missed PIT
 * periods are owed and given one at a time, each after the guest took the one
 * before, so a guest that was not running loses no timer ticks.
 * See: docs/linux.md (platform table), the device models in hv/devices/. */
#include "hv/vm_platform.h"

#include <string.h>

#include "hv/console.h"
#include "hv/devices/i8042.h"
#include "hv/devices/pci_config.h"
#include "hv/host_time.h"
#include "hv/vm.h"

#define ISA_IRQ_PIT              0
#define ISA_IRQ_COM1             4
#define UNCLAIMED_BYTE           0xff
/* More owed PIT edges than this are dropped: a guest that did not run for that
 * long has lost time anyway, and a flood of catch-up ticks helps nobody. */
#define PIT_EDGES_OWED_MAX       64

static const char *const panic_prefix = "Kernel panic - not syncing";

/* COM1's output lines, "[vm0] text". A Linux VM that prints a panic is noted, so
 * that the reset that follows (panic=-1) is reported as the panic it is. */
static void com1_line(void *context, const char *line)
{
    struct vm *vm = context;

    log_line(vm->config.name, "%s", line);
    if (strstr(line, panic_prefix))
        vm->panic_seen = true;
}

static uint64_t rtc_elapsed_seconds(const struct vm *vm)
{
    return (host_time_ms() - vm->platform.rtc_start_ms) / 1000;
}

void vm_platform_init(struct vm *vm, const struct boot_date *date)
{
    struct vm_platform *p = &vm->platform;
    struct rtc_date start = { .year = date->year, .month = date->month, .day = date->day,
                              .hour = date->hour, .minute = date->minute,
                              .second = date->second };

    pic_pair_init(&p->pic);
    pit_init(&p->pit, host_time_pit_ticks());
    uart_init(&p->com1, com1_line, vm);
    rtc_init(&p->rtc, &start);
    p->rtc_start_ms = host_time_ms();
    pci_config_init(&p->pci);
    p->pit_next_edge = 0;
    p->com1_touched = true;
    p->pit_edges_owed = 0;
}

static void reset_requested(struct vm *vm, const char *how)
{
    if (vm->state != VM_RUNNING)
        return;
    vm_end(vm, VM_END_RESET, vm->panic_seen ? "kernel panic, then a reset request"
                                             : how);
}

/* One byte from a device with byte-wide registers. */
static uint8_t byte_in(struct vm *vm, uint16_t port)
{
    struct vm_platform *p = &vm->platform;

    if (port >= UART_COM1_BASE_PORT && port < UART_COM1_BASE_PORT + UART_PORT_COUNT) {
        p->com1_touched = true;   /* reading IIR, LSR, RBR or MSR can clear a source */
        return uart_read(&p->com1, port - UART_COM1_BASE_PORT);
    }
    if (pic_pair_claims_port(port))
        return pic_pair_read(&p->pic, port);
    if (pit_claims_port(port))
        return pit_read(&p->pit, port, host_time_pit_ticks());
    if (rtc_claims_port(port))
        return rtc_read(&p->rtc, port, rtc_elapsed_seconds(vm));
    if (i8042_claims_port(port))
        return i8042_read(port);
    return UNCLAIMED_BYTE;
}

static void byte_out(struct vm *vm, uint16_t port, uint8_t value)
{
    struct vm_platform *p = &vm->platform;

    if (port >= UART_COM1_BASE_PORT && port < UART_COM1_BASE_PORT + UART_PORT_COUNT) {
        uart_write(&p->com1, port - UART_COM1_BASE_PORT, value);
        p->com1_touched = true;
    } else if (pic_pair_claims_port(port)) {
        pic_pair_write(&p->pic, port, value);
    } else if (pit_claims_port(port)) {
        pit_write(&p->pit, port, value, host_time_pit_ticks());
        p->pit_next_edge = 0;     /* a new count or mode: look again */
    }
    else if (rtc_claims_port(port))
        rtc_write(&p->rtc, port, value, rtc_elapsed_seconds(vm));
    else if (i8042_claims_port(port) && i8042_write_requests_reset(port, value))
        reset_requested(vm, "reset request (i8042 command 0xfe)");
    else if (port == PCI_RESET_CONTROL_PORT && pci_reset_control_requests_reset(value))
        reset_requested(vm, "reset request (port 0xcf9)");
    /* Port 0x80 (POST codes, Linux's I/O delay) and the rest: ignored. */
}

uint32_t vm_platform_port_in(struct vm *vm, uint16_t port, unsigned size)
{
    uint32_t value = 0;

    if (pci_config_claims(port, size))
        return pci_config_read(&vm->platform.pci, port, size);
    for (unsigned i = 0; i < size; i++)
        value |= (uint32_t)byte_in(vm, (uint16_t)(port + i)) << (8 * i);
    return value;
}

void vm_platform_port_out(struct vm *vm, uint16_t port, unsigned size, uint32_t value)
{
    if (pci_config_claims(port, size)) {
        pci_config_write(&vm->platform.pci, port, size, value);
        return;
    }
    for (unsigned i = 0; i < size; i++)
        byte_out(vm, (uint16_t)(port + i), (uint8_t)(value >> (8 * i)));
}

/* Runs before every VMRUN, so it does as little as it can: the PIT model is asked
 * only once its next edge is due (or its programming changed), the UART only after
 * the guest touched it. */
void vm_platform_advance(struct vm *vm)
{
    struct vm_platform *p = &vm->platform;
    uint64_t now = host_time_pit_ticks();

    if (now >= p->pit_next_edge) {
        p->pit_edges_owed += pit_channel0_edges(&p->pit, now);
        if (p->pit_edges_owed > PIT_EDGES_OWED_MAX)
            p->pit_edges_owed = PIT_EDGES_OWED_MAX;
        uint64_t next = pit_channel0_next_edge(&p->pit, now);
        p->pit_next_edge = next > now ? next : now + 1;
    }
    /* The next edge once the guest has taken the last one (the master's IRR bit
     * 0 is clear): channel 0's OUT goes low and high again. */
    if (p->pit_edges_owed && !(p->pic.master.irr & (1u << ISA_IRQ_PIT))) {
        pic_pair_pulse_irq(&p->pic, ISA_IRQ_PIT);
        p->pit_edges_owed--;
    }
    if (p->com1_touched) {
        pic_pair_set_irq(&p->pic, ISA_IRQ_COM1, uart_interrupt_line(&p->com1));
        p->com1_touched = false;
    }
}

bool vm_platform_interrupt_pending(const struct vm *vm)
{
    return pic_pair_interrupt_pending(&vm->platform.pic);
}

uint8_t vm_platform_acknowledge(struct vm *vm)
{
    return (uint8_t)pic_pair_acknowledge(&vm->platform.pic);
}

void vm_platform_flush(struct vm *vm)
{
    uart_flush(&vm->platform.com1);
}
