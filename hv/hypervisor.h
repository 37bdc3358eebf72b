/* What minisvm knows about the machine it took over, shared by the hypervisor's
 * subsystems: the CPU's SVM features, this CPU's SVM pages and the configuration. */
#ifndef HV_HYPERVISOR_H
#define HV_HYPERVISOR_H

#include <stdint.h>

#include "boot/boot_info.h"
#include "hv/config.h"
#include "svm/features.h"
#include "svm/svm_enable.h"

struct hypervisor {
    struct svm_features features;
    struct svm_cpu cpu;
    struct hv_config config;
    const uint8_t *guest_image;     /* what every VM loads at GUEST_IMAGE_GPA */
    uint64_t guest_image_bytes;
    struct boot_date boot_date;     /* the firmware's clock at start: the guests' CMOS clocks */
};

extern struct hypervisor hypervisor;

#endif
