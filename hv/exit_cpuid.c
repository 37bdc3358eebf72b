/* CPUID as the guest sees it: the host's answers, minus what minisvm does not give
 * the guest (SVM, XSAVE/AVX, whose state the world switch does not carry), plus
 * the hypervisor bit and minisvm's own leaf 0x40000000 ("minisvm").
 * See: APM §15.9 (CPUID intercept), Vol. 3 Appendix E (CPUID). */
#include "hv/exit.h"

#include <string.h>

#include "hv/guest_state.h"
#include "hv/x86.h"

#define CPUID_HYPERVISOR_BASE      0x40000000u
#define CPUID_HYPERVISOR_LAST      0x400000ffu
#define CPUID_1_ECX_XSAVE          (1u << 26)
#define CPUID_1_ECX_OSXSAVE        (1u << 27)
#define CPUID_1_ECX_AVX            (1u << 28)
#define CPUID_1_ECX_HYPERVISOR     (1u << 31)
#define CPUID_7_EBX_AVX2           (1u << 5)
#define CPUID_80000001_ECX_SVM     (1u << 2)
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
    if (leaf == CPUID_SVM_LEAF)
        return r;
    r = cpuid(leaf, subleaf);
    switch (leaf) {
    case 1:
        r.ecx &= ~(CPUID_1_ECX_XSAVE | CPUID_1_ECX_OSXSAVE | CPUID_1_ECX_AVX);
        r.ecx |= CPUID_1_ECX_HYPERVISOR;
        break;
    case 7:
        if (subleaf == 0)
            r.ebx &= ~CPUID_7_EBX_AVX2;
        break;
    case 0xd:
        r = (struct cpuid_result){ 0, 0, 0, 0 };
        break;
    case 0x80000001u:
        r.ecx &= ~CPUID_80000001_ECX_SVM;
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
