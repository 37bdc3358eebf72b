/* A VM of minisvm: one vCPU = one VMCB, its ASID, its nested page tables, its guest
 * RAM, its gPAT (in the VMCB's G_PAT), its register frame and its devices.
 * See: design.md §3, APM §15.5 (VMRUN), §15.25 (nested paging). */
#ifndef HV_VM_H
#define HV_VM_H

#include <stdbool.h>
#include <stdint.h>

#include "boot/boot_info.h"
#include "guest/abi.h"
#include "hv/mtrr.h"
#include "hv/vm_platform.h"
#include "mm/npt.h"
#include "svm/guest_registers.h"
#include "svm/vmcb.h"

#define VM_MAX 4
#define VM_EXIT_COUNTER_SLOTS 0x100   /* exit codes 0x000-0x0ff; #NPF counted apart */
#define VM_KERNEL_TEXT_RANGES 4

/* How a VM is meant to end, and how it did. */
enum vm_end_cause {
    VM_END_FINISHED,       /* the guest reported its results (HC_DONE) */
    VM_END_TRIPLE_FAULT,   /* SHUTDOWN intercept */
    VM_END_WATCHDOG,       /* ran too long without finishing */
    VM_END_HALTED,         /* HLT with interrupts disabled: nothing can wake it */
    VM_END_RESET,          /* the guest asked for a reset (a panicking Linux does) */
    VM_END_ERROR,          /* anything else minisvm could not let it go on with */
};

enum vm_state {
    VM_RUNNING,
    VM_FINISHED,   /* the guest reported its results with HC_DONE */
    VM_ENDED,      /* minisvm ended it: triple fault, bad exit, failed VMRUN */
};

enum pat_mode {
    PAT_MODE_INTERCEPT,     /* guest RDMSR/WRMSR of PAT go through minisvm to G_PAT */
    PAT_MODE_PASSTHROUGH,   /* not intercepted: the platform must switch PATs */
};

struct vm_config {
    const char *name;
    uint64_t ram_bytes;
    bool gmet;                 /* wanted; enabled only where the CPU has it */
    enum pat_mode pat_mode;
    enum vm_end_cause expected_end;  /* VM_END_FINISHED, or how the broken VM must end */
    uint64_t extra_features;          /* GUEST_FEATURE_* to add (the broken VM's mode) */
    /* A Linux VM (vmN.kernel=): the kernel and initrd read at boot, its command
     * line; NULL for the built-in test guest. */
    const struct boot_linux_files *linux_files;
    const char *linux_cmdline;
};

/* An expected #NPF announced by the guest (HC_EXPECT_NPF). */
struct npf_expectation {
    bool armed;
    uint64_t recovery_rip;
    uint64_t report_gpa;
};

struct vm {
    struct guest_registers registers;   /* first: 16-byte aligned FXSAVE areas */
    struct vm_config config;
    unsigned id;
    enum vm_state state;
    const char *end_reason;
    enum vm_end_cause end_cause;

    struct vmcb *vmcb;                  /* identity mapped: pointer == physical address */
    /* What the consistency rules read of the VMCB as it was before the last VMRUN
     * that followed a change by minisvm (vmcb_check_copy_inputs): after
     * VMEXIT_INVALID the CPU may have written over the VMCB (QEMU's TCG does), so
     * the consistency report checks this copy. */
    struct vmcb vmcb_before_vmrun;
    bool vmcb_before_vmrun_valid;
    uint32_t asid;
    bool gmet_enabled;
    bool kernel_text_declared;          /* HC_DECLARE_KERNEL_TEXT was called (GMET policy on) */
    struct { uint64_t gpa, bytes; } kernel_text[VM_KERNEL_TEXT_RANGES];
    unsigned kernel_text_count;
    struct npt npt;
    uint64_t ram_hpa;                   /* guest RAM: host-physical base, contiguous */
    uint8_t *msrpm, *iopm;

    bool first_run;
    bool vmcb_changed;                  /* run vmcb_check before the next VMRUN */
    uint32_t dirty_clean_bits;          /* VMCB_* fields changed since the last VMRUN */

    struct vm_platform platform;        /* PIC, PIT, UART, CMOS clock, ... */
    struct mtrr_state mtrrs;
    uint64_t northbridge_config;        /* NB_CFG as the guest wrote it (hv/exit_msr.c) */
    /* The guest-physical page of the last intercepted instruction, for advancing
     * RIP without NRIPS (hv/guest_state.c). */
    struct { bool valid; uint64_t cr3, code_page_gva, code_page_gpa; } code_page;
    bool halted;                        /* HLT with IF=1: runs again at its next interrupt */
    uint64_t halted_since_ms;
    bool vintr_in_shadow;               /* see hv/interrupt_injection.c */
    struct npf_expectation npf_expected;
    bool drop_interrupted_event;        /* do not re-inject EXITINTINFO after this exit */
    bool yield_requested;               /* HC_YIELD or a hypercall in interleaved mode */

    /* pat=passthrough: whether any #VMEXIT found something other than hPAT in the
     * host's IA32_PAT (minisvm then restored hPAT). */
    bool platform_shared_pat;
    bool pat_separation_checked;        /* the guest ran HC_PAT_SEPARATION */

    uint64_t results_passed, results_failed, results_skipped;
    uint64_t exit_counts[VM_EXIT_COUNTER_SLOTS];
    uint64_t npf_exits, total_exits;
    uint64_t timer_ticks;               /* watchdog periods this VM was running in */
    uint64_t interrupts_injected;

    /* A Linux VM's boot, as minisvm sees it. */
    char refusal[192];                  /* why its kernel was refused */
    uint64_t started_ms;                /* host time of the first VMRUN */
    uint64_t userspace_ms;              /* host time of the first exit at CPL 3, or 0 */
    bool panic_seen;                    /* it printed "Kernel panic" */
};

static inline bool vm_is_linux(const struct vm *vm)
{
    return vm->config.linux_files != NULL;
}

/* Where and how a guest starts: chosen by its loader (the test guest's in hv/vm.c,
 * a Linux kernel's in hv/linux_vm.c), written into the VMCB by vm_create. */
struct vm_entry_state {
    uint16_t code_selector, code_attrib;   /* attrib: the VMCB's 12-bit form */
    uint16_t data_selector, data_attrib;   /* for SS, DS, ES, FS, GS */
    uint64_t gdt_base;
    uint16_t gdt_limit;
    uint64_t cr0, cr3, cr4, efer;          /* efer without SVME */
    uint64_t rip, rsp, rsi, rdi;
};

/* Creates VM number id from config: RAM, NPT, VMCB, permission maps, guest image
 * or Linux kernel, devices. On error, why may name the cause (a refused kernel). */
int vm_create(struct vm *vm, unsigned id, const struct vm_config *config, const char **why);
/* Marks VMCB state as changed by minisvm: its clean bit is cleared for the next
 * VMRUN and the consistency checks run again. */
void vm_mark_changed(struct vm *vm, unsigned clean_bit);
/* Ends the VM with a cause and a reason; the other VMs run on. */
void vm_end(struct vm *vm, enum vm_end_cause cause, const char *reason);
/* A host pointer to guest-physical [gpa, gpa+bytes) when the whole range lies
 * inside the VM's RAM, else NULL. The only way minisvm touches guest memory. */
void *vm_guest_pointer(struct vm *vm, uint64_t gpa, uint64_t bytes);
/* Whether gpa lies in kernel text the guest declared (HC_DECLARE_KERNEL_TEXT). */
bool vm_in_kernel_text(const struct vm *vm, uint64_t gpa);

#endif
