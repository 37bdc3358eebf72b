/* The run loop. A VM's turn lasts until it finishes (HC_DONE) or minisvm ends it;
 * in interleaved mode also until its next hypercall; with time slices (a Linux VM
 * is present) also until SCHEDULER_SLICE_TICKS host-timer periods have passed in
 * it, or it halts. A guest that never makes a hypercall cannot starve the others
 * for long: its turn is bounded by an exit budget too. When every VM left is
 * halted, the CPU sleeps until the host timer's next tick.
 * See: APM §15.16 (ASIDs let VMs keep TLB entries apart), §15.21.1 (INTR). */
#include "hv/scheduler.h"

#include "hv/console.h"
#include "hv/exit.h"
#include "hv/host_time.h"
#include "hv/hypervisor.h"
#include "hv/lapic_timer.h"
#include "hv/vcpu_run.h"
#include "hv/x86.h"

/* The exits one VM may take in one turn before the next VM runs (interleaved). */
#define TURN_EXIT_BUDGET 100000

static bool turn_is_over(struct vm *vm, bool interleave, bool time_slices,
                         uint64_t ticks_at_start, unsigned exits)
{
    if (vm->state != VM_RUNNING || vm->halted)
        return true;
    if (interleave && vm->yield_requested) {
        vm->yield_requested = false;
        return true;
    }
    if (interleave && exits == TURN_EXIT_BUDGET)
        return true;
    return time_slices && vm->timer_ticks - ticks_at_start >= SCHEDULER_SLICE_TICKS;
}

static void run_turn(struct vm *vm, bool interleave, bool time_slices)
{
    uint64_t ticks_at_start = vm->timer_ticks;

    for (unsigned exits = 0;; exits++) {
        vcpu_run_once(vm);
        if (turn_is_over(vm, interleave, time_slices, ticks_at_start, exits + 1))
            return;
    }
}

static void finish(struct vm *vm)
{
    vm_platform_flush(vm);
    exit_print_counters(vm);
}

/* A halted VM runs again when its PIC has an interrupt for it. A test guest that
 * waits longer than the watchdog allows (no interrupt source left) is ended:
 * nothing would ever wake it. An operating system may sleep as long as it likes. */
static bool wakes_up(struct vm *vm)
{
    if (!vm->halted)
        return true;
    vm_platform_advance(vm);
    if (!vm_platform_interrupt_pending(vm)) {
        uint64_t limit_ms = (uint64_t)hypervisor.config.watchdog_seconds * 1000;
        if (limit_ms && !vm_is_linux(vm) && host_time_ms() - vm->halted_since_ms >= limit_ms) {
            vm_end(vm, VM_END_WATCHDOG, "watchdog: halted, and no interrupt came to wake it");
            finish(vm);
        }
        return false;
    }
    vm->halted = false;
    return true;
}

void run_vms(struct vm *vms, unsigned count, bool interleave, bool time_slices)
{
    const char *order = interleave ? "interleaved (VMCB switch at every hypercall)"
                        : time_slices ? "side by side" : "one after the other";
    if (time_slices)
        log_line("hv", "running %u VMs %s, in time slices of the host timer (%u ms)", count,
                 order, SCHEDULER_SLICE_TICKS * LAPIC_TIMER_PERIOD_MS);
    else
        log_line("hv", "running %u VMs %s", count, order);
    for (;;) {
        bool any_running = false, any_ran = false;

        for (unsigned i = 0; i < count; i++) {
            struct vm *vm = &vms[i];
            if (vm->state != VM_RUNNING)
                continue;
            any_running = true;
            if (!wakes_up(vm))
                continue;
            any_ran = true;
            run_turn(vm, interleave, time_slices);
            if (vm->state != VM_RUNNING)
                finish(vm);
        }
        if (!any_running)
            return;
        /* Everyone waits for an interrupt: sleep until the host timer ticks. STI
         * takes effect after HLT starts, so no tick is lost in between. */
        if (!any_ran)
            __asm__ volatile("sti; hlt; cli" ::: "memory");
    }
}
