/* RDMSR and WRMSR that the MSRPM sends to minisvm (all of them but the VMLOAD/VMSAVE
 * ones). An allow-list: EFER, read from and written to the VMCB's save area with
 * SVME hidden from the guest but kept set; PAT in pat=intercept mode, kept in the
 * VMCB's G_PAT; the MTRRs (hv/mtrr.c); the TSC, read-only. Everything else (the
 * SVM MSRs VM_CR and VM_HSAVE_PA included) raises #GP(0), as on a CPU without it;
 * docs/linux.md lists what Linux touches at boot and what it gets.
 * See: APM §15.11 (MSR intercepts), §15.30 (SVM MSRs), §15.25.4 (G_PAT), §7.7, §7.8.1. */
#include "hv/exit.h"

#include "hv/console.h"
#include "hv/guest_state.h"
#include "hv/hypervisor.h"
#include "hv/x86.h"
#include "mm/pat.h"

#define MSR_IA32_TSC      0x10u
#define MSR_AMD64_SYSCFG  0xc0010010u
#define MSR_AMD64_NB_CFG  0xc001001fu
/* NB_CFG bit 46, EnableCF8ExtCfg: extended PCI configuration through 0xCF8. The
 * only bit a guest may set; there is no PCI device behind the ports anyway. */
#define NB_CFG_ENABLE_CF8_EXT_CFG (1ull << 46)

/* The EFER bits a guest may hold; SVME is not among them because SVM is hidden. */
#define GUEST_EFER_ALLOWED (EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE)

static bool read_msr(struct vm *vm, uint32_t msr, uint64_t *value)
{
    if (mtrr_read(&vm->mtrrs, msr, value))
        return true;
    switch (msr) {
    case MSR_EFER:
        /* The VMCB's copy is the guest's EFER: the CPU updates LMA in it when the
         * guest turns paging on or off, so nothing else may stand in for it. */
        *value = vm->vmcb->save.efer & ~EFER_SVME;
        return true;
    case MSR_IA32_TSC:
        /* RDTSC is not intercepted and TSC_OFFSET is 0: the same counter. */
        *value = rdtsc();
        return true;
    case MSR_AMD64_SYSCFG:
        /* 0: no TOM2 and none of the fixed-MTRR DRAM extensions, so Linux's MTRR
         * code reads the fixed ranges as they are (APM Vol. 2 §3.2.1, SYSCFG).
         * Linux reads it with a plain RDMSR: a #GP would be reported as a bug. */
        *value = 0;
        return true;
    case MSR_AMD64_NB_CFG:
        *value = vm->northbridge_config;
        return true;
    case MSR_IA32_CR_PAT:
        *value = vm->vmcb->save.g_pat;
        return true;
    default:
        return false;
    }
}

static bool write_efer(struct vm *vm, uint64_t value)
{
    struct vmcb_save_area *s = &vm->vmcb->save;
    uint64_t current = s->efer & ~EFER_SVME;

    if (value & ~GUEST_EFER_ALLOWED)
        return false;
    /* LME may not change while paging is on; LMA is the CPU's to set (writes of
     * it are ignored). APM §14.6.1. */
    if ((s->cr0 & CR0_PG) && ((value ^ current) & EFER_LME))
        return false;
    uint64_t efer = (value & ~EFER_LMA) | (current & EFER_LMA);
    if ((efer ^ current) & EFER_NXE)
        vm->npt.flush_pending = true; /* NXE changes what cached translations mean (APM §15.16) */
    s->efer = efer | EFER_SVME;
    vm_mark_changed(vm, VMCB_CR);
    return true;
}

static bool write_pat(struct vm *vm, uint64_t value)
{
    if (!pat_value_is_valid(value))
        return false;
    vm->vmcb->save.g_pat = value;
    vm_mark_changed(vm, VMCB_NPT); /* G_PAT is covered by the NP clean bit */
    return true;
}

static bool write_msr(struct vm *vm, uint32_t msr, uint64_t value)
{
    if (mtrr_is_mtrr_msr(msr))
        return mtrr_write(&vm->mtrrs, msr, value);
    switch (msr) {
    case MSR_AMD64_NB_CFG:
        /* Linux's amd_bus_cpu_online sets EnableCF8ExtCfg with a plain WRMSR. */
        if (value & ~NB_CFG_ENABLE_CF8_EXT_CFG)
            return false;
        vm->northbridge_config = value;
        return true;
    case MSR_EFER:
        return write_efer(vm, value);
    case MSR_IA32_CR_PAT:
        return write_pat(vm, value);
    default:
        return false;
    }
}

enum exit_action exit_msr(struct vm *vm)
{
    struct vmcb_save_area *s = &vm->vmcb->save;
    uint32_t msr = (uint32_t)vm->registers.rcx;
    bool is_write = vm->vmcb->control.exit_info_1 == SVM_MSR_EXITINFO1_WRITE;
    bool handled;

    if (is_write) {
        uint64_t value = ((vm->registers.rdx & 0xffffffffu) << 32) | (s->rax & 0xffffffffu);
        handled = write_msr(vm, msr, value);
    } else {
        uint64_t value = 0;
        handled = read_msr(vm, msr, &value);
        if (handled) {
            s->rax = value & 0xffffffffu;
            vm->registers.rdx = value >> 32;
        }
    }
    if (hypervisor.config.trace_exits)
        log_line(vm->config.name, "%s 0x%x: %s", is_write ? "WRMSR" : "RDMSR", msr,
                 handled ? "emulated" : "#GP");
    if (!handled) {
        guest_inject_exception(vm, X86_VECTOR_GP, true, 0);
        return EXIT_RESUME;
    }
    int error = guest_skip_instruction(vm);
    return error ? exit_end_undecodable(vm, error) : EXIT_RESUME;
}
