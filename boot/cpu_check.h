/* The start-up check of the CPU: prints the SVM feature table and decides whether
 * minisvm can run here (SVM present, not disabled by firmware, nested paging). */
#ifndef BOOT_CPU_CHECK_H
#define BOOT_CPU_CHECK_H

#include "svm/features.h"

/* Reads CPUID and VM_CR, logs the table, returns the verdict. */
enum svm_support cpu_check(struct svm_features *features);

#endif
