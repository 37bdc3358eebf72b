/* Reads and checks a Linux bzImage held in memory: the setup header's facts that a
 * 64-bit boot loader needs, and a refusal naming the cause when the file is not a
 * kernel minisvm can boot. See: Documentation/arch/x86/boot.rst, "THE REAL-MODE
 * KERNEL HEADER", "DETAILS OF HEADER FIELDS", "LOADING THE REST OF THE KERNEL". */
#ifndef HV_LINUX_BZIMAGE_H
#define HV_LINUX_BZIMAGE_H

#include <stdbool.h>
#include <stdint.h>

#include "hv/linux/boot_params.h"

/* Protocol 2.12 added xloadflags, and with it the XLF_KERNEL_64 bit that promises
 * the 64-bit entry point; minisvm uses nothing older. A 2.12 header reaches at
 * least to the end of handover_offset (added in 2.11). */
#define BZIMAGE_MIN_PROTOCOL          0x020c
#define BZIMAGE_MIN_PROTOCOL_HEADER_END 0x268
/* setup_sects == 0 means 4, for kernels older than any minisvm boots. */
#define BZIMAGE_SETUP_SECTS_IF_ZERO   4

/* A refusal carries numbers ("boot protocol 2.10 is older than 2.12"), and there is
 * no printf nor allocator here: the result struct holds the text, *why points into
 * it, and the text lives as long as that struct. */
#define LINUX_REFUSAL_BYTES 192

struct linux_refusal {
    char text[LINUX_REFUSAL_BYTES];
};

/* Builds a refusal: start with the first words, then add pieces; text that does not
 * fit is cut, the NUL always kept. Shared with linux_layout.c. */
void linux_refusal_start(struct linux_refusal *refusal, const char *words);
void linux_refusal_add(struct linux_refusal *refusal, const char *words);
void linux_refusal_add_decimal(struct linux_refusal *refusal, uint64_t value);
void linux_refusal_add_hex(struct linux_refusal *refusal, uint64_t value);   /* "0x2a" */

struct bzimage_info {
    uint16_t protocol_version;        /* e.g. 0x020f for 2.15 */
    uint64_t setup_header_end;        /* file offset: 0x202 + the byte at 0x201 */
    uint64_t setup_bytes;             /* boot sector + setup: (setup_sects + 1) * 512 */
    uint64_t kernel_bytes;            /* the protected-mode kernel: the file after the setup */
    uint64_t pref_address;            /* where the kernel prefers to run (2.10+) */
    uint64_t init_size;               /* needed from the load address to decompress and start */
    uint32_t kernel_alignment;        /* a power of two */
    uint32_t initrd_addr_max;         /* the highest byte the initrd may occupy */
    uint32_t cmdline_size;            /* the longest command line, without the NUL
                                         (the field exists from 2.06; 255 before) */
    uint16_t xloadflags;              /* XLF_* */
    uint8_t loadflags;                /* LOADFLAGS_* */
    bool relocatable;                 /* relocatable_kernel != 0 */
    struct linux_refusal refusal;     /* the text *why points to when parsing fails */
};

/* Parses the file_bytes bytes at file. Returns 0 and fills *out, or HV_EINVAL with
 * *why set to the reason (pointing into out->refusal). Never reads outside the file. */
int bzimage_parse(const void *file, uint64_t file_bytes, struct bzimage_info *out,
                  const char **why);

/* Copies the setup header, file offsets 0x1f1 up to header_end, into *header and
 * zeroes the rest of it: fields a shorter (older) header lacks read as 0. header_end
 * must be between 0x202 and SETUP_HEADER_MAX_END and inside the file, as
 * bzimage_parse checked. Used for parsing and for filling the zero page. */
void bzimage_copy_setup_header(struct setup_header *header, const void *file,
                               uint64_t header_end);

#endif
