/* A periodic local-APIC timer interrupt every LAPIC_TIMER_PERIOD_MS. Its rate is
 * measured against the PIT (channel 2, 1.193182 MHz), which every PC keeps, because
 * the APIC timer's input clock differs from CPU to CPU. The interrupt handler
 * (hv/interrupt_entry.asm) only acknowledges it: its purpose is the #VMEXIT(INTR)
 * it causes while a guest runs. Works in xAPIC (MMIO) and x2APIC (MSR) mode.
 * See: APM §16.4 (APIC timer), §16.3 (x2APIC), §15.21.1 (INTR intercept). */
#include "hv/lapic_timer.h"

#include "hv/console.h"
#include "hv/host_time.h"
#include "hv/x86.h"

#define MSR_IA32_APIC_BASE     0x1bu
#define APIC_BASE_X2APIC       (1ull << 10)
#define APIC_BASE_ENABLE       (1ull << 11)
#define APIC_BASE_ADDRESS_MASK 0x000ffffffffff000ull
#define X2APIC_MSR_BASE        0x800u

#define APIC_EOI               0x0b0
#define APIC_SPURIOUS          0x0f0
#define APIC_LVT_TIMER         0x320
#define APIC_TIMER_INITIAL     0x380
#define APIC_TIMER_CURRENT     0x390
#define APIC_TIMER_DIVIDE      0x3e0
#define APIC_SOFTWARE_ENABLE   (1u << 8)
#define APIC_LVT_MASKED        (1u << 16)
#define APIC_LVT_PERIODIC      (1u << 17)
#define APIC_DIVIDE_BY_16      0x3u

#define PIT_FREQUENCY_HZ       1193182u
#define PIT_CHANNEL2_DATA      0x42
#define PIT_COMMAND            0x43
#define PIT_CHANNEL2_GATE_PORT 0x61
#define PIT_GATE               0x01
#define PIT_SPEAKER            0x02
#define PIT_OUT2               0x20
#define CALIBRATION_MS         10u
#define CALIBRATION_MAX_POLLS  50000000u

/* Read by hv/interrupt_entry.asm to acknowledge the interrupt. */
volatile uint32_t *lapic_eoi_register;
uint8_t lapic_x2apic_mode;

static volatile uint32_t *lapic_mmio;

static uint32_t lapic_read(unsigned reg)
{
    if (lapic_x2apic_mode)
        return (uint32_t)rdmsr(X2APIC_MSR_BASE + reg / 16);
    return lapic_mmio[reg / 4];
}

static void lapic_write(unsigned reg, uint32_t value)
{
    if (lapic_x2apic_mode)
        wrmsr(X2APIC_MSR_BASE + reg / 16, value);
    else
        lapic_mmio[reg / 4] = value;
}

/* How many timer counts (divide by 16) pass in CALIBRATION_MS, or 0. The TSC is
 * measured over the same window: it is the guests' clock (hv/host_time.c). */
static uint32_t calibrate(uint64_t *tsc_ticks)
{
    const uint16_t pit_count = PIT_FREQUENCY_HZ * CALIBRATION_MS / 1000;

    outb(PIT_CHANNEL2_GATE_PORT, (inb(PIT_CHANNEL2_GATE_PORT) & ~PIT_SPEAKER) & ~PIT_GATE);
    outb(PIT_COMMAND, 0xb0);              /* channel 2, low/high byte, mode 0 */
    outb(PIT_CHANNEL2_DATA, pit_count & 0xff);
    outb(PIT_CHANNEL2_DATA, pit_count >> 8);

    lapic_write(APIC_TIMER_DIVIDE, APIC_DIVIDE_BY_16);
    lapic_write(APIC_LVT_TIMER, APIC_LVT_MASKED | LAPIC_TIMER_VECTOR);
    outb(PIT_CHANNEL2_GATE_PORT, inb(PIT_CHANNEL2_GATE_PORT) | PIT_GATE); /* count starts */
    lapic_write(APIC_TIMER_INITIAL, 0xffffffffu);
    uint64_t tsc_start = rdtsc();

    for (uint32_t polls = 0; polls < CALIBRATION_MAX_POLLS; polls++) {
        if (inb(PIT_CHANNEL2_GATE_PORT) & PIT_OUT2) {
            uint32_t elapsed = 0xffffffffu - lapic_read(APIC_TIMER_CURRENT);
            *tsc_ticks = rdtsc() - tsc_start;
            lapic_write(APIC_TIMER_INITIAL, 0);
            return elapsed;
        }
    }
    lapic_write(APIC_TIMER_INITIAL, 0);
    return 0;
}

bool lapic_timer_start(void)
{
    uint64_t base = rdmsr(MSR_IA32_APIC_BASE);

    if (!(base & APIC_BASE_ENABLE)) {
        log_line("hv", "local APIC disabled by firmware: no watchdog");
        return false;
    }
    lapic_x2apic_mode = (base & APIC_BASE_X2APIC) != 0;
    lapic_mmio = (volatile uint32_t *)(uintptr_t)(base & APIC_BASE_ADDRESS_MASK);
    lapic_eoi_register = lapic_x2apic_mode ? NULL : &lapic_mmio[APIC_EOI / 4];
    lapic_write(APIC_SPURIOUS, APIC_SOFTWARE_ENABLE | LAPIC_SPURIOUS_VECTOR);

    uint64_t tsc_ticks = 0;
    uint32_t counts = calibrate(&tsc_ticks);
    if (counts < CALIBRATION_MS) {
        log_line("hv", "the APIC timer could not be measured against the PIT: no watchdog");
        return false;
    }
    host_time_init(tsc_ticks * (1000 / CALIBRATION_MS));
    uint32_t period = counts / CALIBRATION_MS * LAPIC_TIMER_PERIOD_MS;
    lapic_write(APIC_LVT_TIMER, APIC_LVT_PERIODIC | LAPIC_TIMER_VECTOR);
    lapic_write(APIC_TIMER_INITIAL, period);
    log_line("hv", "host timer: %s timer, %u counts per %u ms (divide by 16); TSC %llu kHz",
             lapic_x2apic_mode ? "x2APIC" : "xAPIC", period, LAPIC_TIMER_PERIOD_MS,
             (unsigned long long)(host_time_tsc_hz() / 1000));
    return true;
}

void lapic_timer_take_pending(void)
{
    /* STI takes effect after the next instruction: the interrupt is delivered
     * between NOP and CLI. */
    __asm__ volatile("sti; nop; cli" ::: "memory");
}
