/* minisvm's run-time configuration, read from \minisvm\minisvm.cfg on the boot
 * volume when present: one "key=value" per line, '#' starts a comment. */
#ifndef HV_CONFIG_H
#define HV_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

enum hv_selftest {
    HV_SELFTEST_NONE,
    HV_SELFTEST_HOST_EXCEPTION,  /* raise #UD in the host to show the exception report */
    HV_SELFTEST_REFUSED_VMCB,    /* break vm1's VMCB: vmcb_check must refuse it by name */
    HV_SELFTEST_VMEXIT_INVALID,  /* break it behind vmcb_check's back: VMRUN must fail */
    HV_SELFTEST_HUNG_GUEST,      /* the broken VM spins instead of triple-faulting */
    HV_SELFTEST_COUNT
};

#define HV_CONFIG_NAME_BYTES 32
#define HV_DEFAULT_WATCHDOG_SECONDS 60
#define HV_MAX_WATCHDOG_SECONDS 86400

#define HV_CONFIG_VMS 4
/* vmN.kernel= and vmN.initrd=: a path below \minisvm\ on the boot volume, '/'
 * between its parts ("linux/vmlinuz"). */
#define HV_CONFIG_PATH_BYTES 64
/* vmN.cmdline=: the Linux command line (the kernel's own limit is checked later,
 * against its setup header). */
#define HV_CONFIG_CMDLINE_BYTES 1024
/* vmN.ram=: MiB of guest RAM, even (NPT maps it in 2 MiB pages), up to 1 GiB. */
#define HV_CONFIG_MIN_RAM_MIB 2
#define HV_CONFIG_MAX_RAM_MIB 1024

/* A per-VM setting: the built-in choice unless minisvm.cfg says otherwise. */
enum hv_vm_setting {
    HV_VM_SETTING_DEFAULT,
    HV_VM_SETTING_OFF,        /* vmN.gmet=off, vmN.pat=passthrough */
    HV_VM_SETTING_ON,         /* vmN.gmet=on,  vmN.pat=intercept */
};

struct hv_config {
    /* vmN.gmet=on|off and vmN.pat=intercept|passthrough, N = 0..3 */
    enum hv_vm_setting vm_gmet[HV_CONFIG_VMS];
    enum hv_vm_setting vm_pat_intercept[HV_CONFIG_VMS];
    /* vmN.kernel=, vmN.initrd=, vmN.cmdline=: boot a Linux kernel in VM N ("" = none). */
    char vm_kernel[HV_CONFIG_VMS][HV_CONFIG_PATH_BYTES];
    char vm_initrd[HV_CONFIG_VMS][HV_CONFIG_PATH_BYTES];
    char vm_cmdline[HV_CONFIG_VMS][HV_CONFIG_CMDLINE_BYTES];
    unsigned vm_ram_mib[HV_CONFIG_VMS];    /* vmN.ram=MiB; 0 = the built-in size */
    /* guest=NAME: run \minisvm\NAME instead of the built-in test guest ("" = built-in). */
    char guest_file[HV_CONFIG_NAME_BYTES];
    enum hv_selftest selftest;
    bool trace_exits;
    bool interleave;       /* schedule=interleaved: switch VMs at every hypercall */
    unsigned watchdog_seconds; /* watchdog=N: end a VM still running after N s (0: never) */
    unsigned vm_limit;     /* vms=N: run at most vm0..vmN-1 (0: as many as configured) */
};

void config_set_defaults(struct hv_config *config);
/* Parses the text of a configuration file. Unknown keys and bad values are
 * reported through the callback and otherwise ignored. */
void config_parse(struct hv_config *config, const char *text, size_t length,
                  void (*report)(const char *message));

#endif
