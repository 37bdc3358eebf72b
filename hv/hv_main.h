/* The hypervisor proper, entered after ExitBootServices on minisvm's own stack. */
#ifndef HV_HV_MAIN_H
#define HV_HV_MAIN_H

#include "boot/boot_info.h"

__attribute__((noreturn)) void hv_main(struct boot_info *info);

#endif
