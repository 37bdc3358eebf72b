/* minisvm's own page tables and host PAT (hPAT), replacing the firmware's. */
#ifndef HV_HOST_PAGING_H
#define HV_HOST_PAGING_H

#include "boot/boot_info.h"

/* Programs hPAT, builds the identity map and switches CR3 to it. */
int host_paging_init(const struct boot_info *info);

#endif
