/* CPUID as the guest sees it: the host's answers, minus what minisvm does not give
 * the guest (SVM; XSAVE/AVX, whose state the world switch does not carry; the
 * local APIC and x2APIC, TSC-deadline and MONITOR/MWAIT, because the guest's PC has
 * only the 8259A PIC and HLT is its way to sleep; RDTSCP/RDPID, whose TSC_AUX MSR is
 * not switched per VM), plus the hypervisor bit and minisvm's own leaf 0x40000000
 * ("minisvm").
 * See: APM §15.9 (CPUID intercept), Vol. 3 Appendix E (CPUID). */
#include "hv/exit.h"

#include <string.h>

#include "hv/guest_state.h"
#include "hv/x86.h"

#define CPUID_HYPERVISOR_BASE      0x40000000u
#define CPUID_HYPERVISOR_LAST      0x400000ffu
#define CPUID_1_ECX_MONITOR        (1u << 3)
#define CPUID_1_ECX_X2APIC         (1u << 21)
#define CPUID_1_ECX_TSC_DEADLINE   (1u << 24)
#define CPUID_1_ECX_XSAVE          (1u << 26)
#define CPUID_1_ECX_OSXSAVE        (1u << 27)
#define CPUID_1_ECX_AVX            (1u << 28)
#define CPUID_1_ECX_HYPERVISOR     (1u << 31)
#define CPUID_1_EDX_APIC           (1u << 9)
#define CPUID_7_EBX_AVX2           (1u << 5)
#define CPUID_7_ECX_RDPID          (1u << 22)
#define CPUID_80000001_ECX_SVM     (1u << 2)
#define CPUID_80000001_ECX_EXTAPIC (1u << 3)
#define CPUID_80000001_ECX_MWAITX  (1u << 29)
#define CPUID_80000001_EDX_APIC    (1u << 9)
#define CPUID_80000001_EDX_RDTSCP  (1u << 27)
#define CPUID_MWAIT_LEAF           0x5u
#define CPUID_SVM_LEAF             0x8000000au

static struct cpuid_result guest_cpuid(uint32_t leaf, uint32_t subleaf)
{
    struct cpuid_result r = { 0, 0, 0, 0 };

    if (leaf >= CPUID_HYPERVISOR_BASE && leaf <= CPUID_HYPERVISOR_LAST) {
        if (leaf == CPUID_HYPERVISOR_BASE) {
            static const char signature[12] = "minisvm";  /* NUL-padded to 12 */
            r.eax = CPUID_HYPERVISOR_BASE;                /* the highest leaf we define */
            memcpy(&r.ebx, signature + 0, 4);
            memcpy(&r.ecx, signature + 4, 4);
            memcpy(&r.edx, signature + 8, 4);
        }
        return r;
    }
    if (leaf == CPUID_SVM_LEAF || leaf == CPUID_MWAIT_LEAF)
        return r;
    r = cpuid(leaf, subleaf);
    switch (leaf) {
    case 1:
        r.ecx &= ~(CPUID_1_ECX_MONITOR | CPUID_1_ECX_X2APIC | CPUID_1_ECX_TSC_DEADLINE |
                   CPUID_1_ECX_XSAVE | CPUID_1_ECX_OSXSAVE | CPUID_1_ECX_AVX);
        r.ecx |= CPUID_1_ECX_HYPERVISOR;
        r.edx &= ~CPUID_1_EDX_APIC;
        break;
    case 7:
        if (subleaf == 0) {
            r.ebx &= ~CPUID_7_EBX_AVX2;
            r.ecx &= ~CPUID_7_ECX_RDPID;
        }
        break;
    case 0xd:
        r = (struct cpuid_result){ 0, 0, 0, 0 };
        break;
    case 0x80000001u:
        r.ecx &= ~(CPUID_80000001_ECX_SVM | CPUID_80000001_ECX_EXTAPIC |
                   CPUID_80000001_ECX_MWAITX);
        r.edx &= ~(CPUID_80000001_EDX_APIC | CPUID_80000001_EDX_RDTSCP);
        break;
    }
    return r;
}

enum exit_action exit_cpuid(struct vm *vm)
{
    struct vmcb_save_area *s = &vm->vmcb->save;
    struct cpuid_result r = guest_cpuid((uint32_t)s->rax, (uint32_t)vm->registers.rcx);

    /* 32-bit results zero-extend into the 64-bit registers. */
    s->rax = r.eax;
    vm->registers.rbx = r.ebx;
    vm->registers.rcx = r.ecx;
    vm->registers.rdx = r.edx;
    int error = guest_skip_instruction(vm);
    return error ? exit_end_undecodable(vm, error) : EXIT_RESUME;
}
