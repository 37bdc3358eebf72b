/* Reads the Linux kernels and initrds that minisvm.cfg names (vmN.kernel=,
 * vmN.initrd=) from \minisvm\ on the boot volume, before ExitBootServices. */
#ifndef BOOT_LINUX_FILES_H
#define BOOT_LINUX_FILES_H

#include <efi.h>

#include "boot/boot_info.h"

/* For every VM with a kernel configured, reads its files into memory that survives
 * ExitBootServices; a file that cannot be read leaves its reason in files[N].error
 * (the hypervisor then leaves that VM out). */
void linux_files_load(EFI_HANDLE image, const struct hv_config *config,
                      struct boot_linux_files files[HV_CONFIG_VMS]);
/* The firmware's wall-clock time (UEFI GetTime), or 2000-01-01 00:00:00. */
void boot_date_read(struct boot_date *date);

#endif
