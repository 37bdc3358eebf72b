/* Enables SVM on the current CPU. EFER.SVME makes VMRUN, VMLOAD, VMSAVE, CLGI and
 * STGI legal; VM_HSAVE_PA names a 4 KiB page where VMRUN keeps the host state it
 * restores at #VMEXIT (its format is the CPU's business, APM says not to touch it).
 * See: APM §15.4 (enabling SVM), §15.30.4 (VM_HSAVE_PA), §15.5.2 (VMSAVE/VMLOAD). */
#include "svm/svm_enable.h"

#include "hv/x86.h"

int svm_enable(struct svm_cpu *cpu, int (*pages_alloc)(uint64_t count, uint64_t align, uint64_t *pa))
{
    int error = pages_alloc(1, 4096, &cpu->host_save_area_pa);
    if (error)
        return error;
    error = pages_alloc(1, 4096, &cpu->host_vmsave_pa);
    if (error)
        return error;
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
    wrmsr(MSR_VM_HSAVE_PA, cpu->host_save_area_pa);
    return 0;
}

void svm_disable(void)
{
    wrmsr(MSR_VM_HSAVE_PA, 0);
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) & ~EFER_SVME);
}
