/* Turning SVM on for this CPU: EFER.SVME, the host save area, the host's VMSAVE page. */
#ifndef SVM_SVM_ENABLE_H
#define SVM_SVM_ENABLE_H

#include <stdint.h>

struct svm_cpu {
    uint64_t host_save_area_pa;   /* VM_HSAVE_PA: the CPU's own, format undefined */
    uint64_t host_vmsave_pa;      /* minisvm's VMSAVE/VMLOAD page for host FS/GS/TR... */
};

/* pages_alloc gives zeroed, 4 KiB-aligned pages; 0 or an HV_E* error. */
int svm_enable(struct svm_cpu *cpu, int (*pages_alloc)(uint64_t count, uint64_t align, uint64_t *pa));
void svm_disable(void);

#endif
