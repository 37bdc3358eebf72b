/* The run loop. A VM runs until it finishes (HC_DONE) or minisvm ends it; in
 * interleaved mode each turn lasts until the VM's next hypercall. A guest that
 * never makes a hypercall cannot starve the others for long: its turn is bounded
 * by an exit budget. See: APM §15.16 (ASIDs let VMs keep TLB entries apart). */
#include "hv/scheduler.h"

#include "hv/com1.h"
#include "hv/console.h"
#include "hv/exit.h"
#include "hv/vcpu_run.h"

/* The exits one VM may take in one turn before the next VM runs (interleaved). */
#define TURN_EXIT_BUDGET 100000

static void run_turn(struct vm *vm, bool interleave)
{
    for (unsigned exits = 0; vm->state == VM_RUNNING; exits++) {
        if (interleave && exits == TURN_EXIT_BUDGET)
            return;
        vcpu_run_once(vm);
        if (interleave && vm->yield_requested) {
            vm->yield_requested = false;
            return;
        }
    }
}

void run_vms(struct vm *vms, unsigned count, bool interleave)
{
    bool any_running = true;

    log_line("hv", "running %u VMs %s", count, interleave ? "interleaved (VMCB switch at "
             "every hypercall)" : "one after the other");
    while (any_running) {
        any_running = false;
        for (unsigned i = 0; i < count; i++) {
            if (vms[i].state != VM_RUNNING)
                continue;
            run_turn(&vms[i], interleave);
            if (vms[i].state != VM_RUNNING) {
                com1_flush(&vms[i]);
                exit_print_counters(&vms[i]);
            }
            any_running |= vms[i].state == VM_RUNNING;
        }
    }
}
