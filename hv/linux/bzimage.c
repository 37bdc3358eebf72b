/* Parses a bzImage in memory and refuses, by name, whatever minisvm cannot boot
 * through the 64-bit entry point. See: Documentation/arch/x86/boot.rst, "THE
 * REAL-MODE KERNEL HEADER", "DETAILS OF HEADER FIELDS", "LOADING THE REST OF THE
 * KERNEL" and "64-bit BOOT PROTOCOL". */
#include "hv/linux/bzimage.h"

#include <string.h>

#include "hv/errno.h"

/* ---- refusal text ---- */

void linux_refusal_add(struct linux_refusal *refusal, const char *words)
{
    size_t used = strlen(refusal->text);

    while (*words != '\0' && used + 1 < sizeof refusal->text)
        refusal->text[used++] = *words++;
    refusal->text[used] = '\0';
}

void linux_refusal_start(struct linux_refusal *refusal, const char *words)
{
    refusal->text[0] = '\0';
    linux_refusal_add(refusal, words);
}

static void add_number(struct linux_refusal *refusal, uint64_t value, unsigned base)
{
    char digits[24];   /* 2^64 has 20 decimal digits */
    size_t count = sizeof digits - 1;

    digits[count] = '\0';
    do {
        digits[--count] = "0123456789abcdef"[value % base];
        value /= base;
    } while (value != 0);
    linux_refusal_add(refusal, &digits[count]);
}

void linux_refusal_add_decimal(struct linux_refusal *refusal, uint64_t value)
{
    add_number(refusal, value, 10);
}

void linux_refusal_add_hex(struct linux_refusal *refusal, uint64_t value)
{
    linux_refusal_add(refusal, "0x");
    add_number(refusal, value, 16);
}

/* The version field is (major << 8) | minor, written "2.12": minor in two decimal digits. */
static void add_protocol_version(struct linux_refusal *refusal, uint16_t version)
{
    linux_refusal_add_decimal(refusal, version >> 8);
    linux_refusal_add(refusal, (version & 0xff) < 10 ? ".0" : ".");
    linux_refusal_add_decimal(refusal, version & 0xff);
}

static int refuse(struct bzimage_info *out, const char **why)
{
    *why = out->refusal.text;
    return HV_EINVAL;
}

/* ---- the checks, in the order a loader can make them ---- */

void bzimage_copy_setup_header(struct setup_header *header, const void *file,
                               uint64_t header_end)
{
    memset(header, 0, sizeof *header);
    memcpy(header, (const uint8_t *)file + SETUP_HEADER_OFFSET, header_end - SETUP_HEADER_OFFSET);
}

/* The header's length is the byte at 0x201, so the file must reach it first, then
 * hold the whole header; and the jump can only describe SETUP_HEADER_MAX_END. */
static int check_header_extent(const uint8_t *file, uint64_t file_bytes,
                               struct bzimage_info *out, const char **why)
{
    if (file_bytes < SETUP_HEADER_JUMP_END) {
        linux_refusal_start(&out->refusal, "file is ");
        linux_refusal_add_decimal(&out->refusal, file_bytes);
        linux_refusal_add(&out->refusal,
                          " bytes, too small for a setup header: its length byte is at 0x201");
        return refuse(out, why);
    }
    out->setup_header_end = SETUP_HEADER_JUMP_END + (uint64_t)file[SETUP_HEADER_LENGTH_BYTE];
    if (out->setup_header_end > SETUP_HEADER_MAX_END) {
        linux_refusal_start(&out->refusal, "setup header length byte at 0x201 is ");
        linux_refusal_add_hex(&out->refusal, file[SETUP_HEADER_LENGTH_BYTE]);
        linux_refusal_add(&out->refusal, ": a backward jump, not a header length (0x7f at most)");
        return refuse(out, why);
    }
    if (file_bytes < out->setup_header_end) {
        linux_refusal_start(&out->refusal, "truncated: the file is ");
        linux_refusal_add_decimal(&out->refusal, file_bytes);
        linux_refusal_add(&out->refusal, " bytes, but its setup header ends at ");
        linux_refusal_add_hex(&out->refusal, out->setup_header_end);
        return refuse(out, why);
    }
    return 0;
}

static int check_signatures(const struct setup_header *header, struct bzimage_info *out,
                            const char **why)
{
    if (header->boot_flag != SETUP_HEADER_BOOT_FLAG) {
        linux_refusal_start(&out->refusal, "not a Linux kernel: boot_flag at 0x1fe is ");
        linux_refusal_add_hex(&out->refusal, header->boot_flag);
        linux_refusal_add(&out->refusal, ", not 0xaa55");
        return refuse(out, why);
    }
    /* A header too short to reach 0x206 reads the signature as 0: also refused here. */
    if (header->header != SETUP_HEADER_MAGIC) {
        linux_refusal_start(&out->refusal, "not a bzImage: no HdrS signature at 0x202");
        return refuse(out, why);
    }
    return 0;
}

static int check_protocol(const struct setup_header *header, struct bzimage_info *out,
                          const char **why)
{
    if (header->version < BZIMAGE_MIN_PROTOCOL) {
        linux_refusal_start(&out->refusal, "boot protocol ");
        add_protocol_version(&out->refusal, header->version);
        linux_refusal_add(&out->refusal,
                          " is older than 2.12, the first with a 64-bit entry point (Linux 3.8)");
        return refuse(out, why);
    }
    /* Past this check every field read below is inside the header, none read as a 0
     * that the header merely lacked. */
    if (out->setup_header_end < BZIMAGE_MIN_PROTOCOL_HEADER_END) {
        linux_refusal_start(&out->refusal, "setup header ends at ");
        linux_refusal_add_hex(&out->refusal, out->setup_header_end);
        linux_refusal_add(&out->refusal, ", too short for boot protocol ");
        add_protocol_version(&out->refusal, header->version);
        linux_refusal_add(&out->refusal, " (a 2.12 header reaches 0x268)");
        return refuse(out, why);
    }
    if (!(header->loadflags & LOADFLAGS_LOADED_HIGH)) {
        linux_refusal_start(&out->refusal, "a zImage: LOADED_HIGH (loadflags bit 0) is clear, "
                                           "only a bzImage loads at 1 MiB");
        return refuse(out, why);
    }
    if (!(header->xloadflags & XLF_KERNEL_64)) {
        linux_refusal_start(&out->refusal, "no 64-bit entry point (XLF_KERNEL_64)");
        return refuse(out, why);
    }
    return 0;
}

static void read_facts(const struct setup_header *header, uint64_t file_bytes,
                       struct bzimage_info *out)
{
    uint64_t setup_sects = header->setup_sects ? header->setup_sects : BZIMAGE_SETUP_SECTS_IF_ZERO;

    out->protocol_version = header->version;
    out->setup_bytes = (setup_sects + 1) * SETUP_SECTOR_BYTES;   /* + 1: the boot sector */
    out->kernel_bytes = file_bytes > out->setup_bytes ? file_bytes - out->setup_bytes : 0;
    out->pref_address = header->pref_address;
    out->init_size = header->init_size;
    out->kernel_alignment = header->kernel_alignment;
    out->initrd_addr_max = header->initrd_addr_max;
    out->cmdline_size = header->cmdline_size;
    out->xloadflags = header->xloadflags;
    out->loadflags = header->loadflags;
    out->relocatable = header->relocatable_kernel != 0;
}

/* The file must hold what the header says is in it: something after the setup, and
 * the whole compressed payload. */
static int check_sizes(const struct setup_header *header, uint64_t file_bytes,
                       struct bzimage_info *out, const char **why)
{
    uint64_t payload_end = (uint64_t)header->payload_offset + header->payload_length;

    if (out->kernel_bytes == 0) {
        linux_refusal_start(&out->refusal, "truncated: the file is ");
        linux_refusal_add_decimal(&out->refusal, file_bytes);
        linux_refusal_add(&out->refusal, " bytes, but the real-mode setup alone takes ");
        linux_refusal_add_decimal(&out->refusal, out->setup_bytes);
        linux_refusal_add(&out->refusal, " (setup_sects ");
        linux_refusal_add_decimal(&out->refusal, header->setup_sects);
        linux_refusal_add(&out->refusal, ")");
        return refuse(out, why);
    }
    if (out->kernel_bytes < payload_end) {
        linux_refusal_start(&out->refusal, "truncated: the protected-mode kernel is ");
        linux_refusal_add_decimal(&out->refusal, out->kernel_bytes);
        linux_refusal_add(&out->refusal, " bytes, but its compressed payload ends at ");
        linux_refusal_add_decimal(&out->refusal, payload_end);
        linux_refusal_add(&out->refusal, " (payload_offset + payload_length)");
        return refuse(out, why);
    }
    return 0;
}

static int check_placement_fields(struct bzimage_info *out, const char **why)
{
    uint32_t alignment = out->kernel_alignment;

    if (alignment == 0 || (alignment & (alignment - 1)) != 0) {
        linux_refusal_start(&out->refusal, "kernel_alignment ");
        linux_refusal_add_hex(&out->refusal, alignment);
        linux_refusal_add(&out->refusal, " is not a power of two");
        return refuse(out, why);
    }
    if (out->init_size == 0) {
        linux_refusal_start(&out->refusal, "init_size is 0: the kernel does not say how much "
                                           "memory it needs to start");
        return refuse(out, why);
    }
    return 0;
}

int bzimage_parse(const void *file, uint64_t file_bytes, struct bzimage_info *out,
                  const char **why)
{
    struct setup_header header;
    int error;

    memset(out, 0, sizeof *out);
    error = check_header_extent(file, file_bytes, out, why);
    if (error)
        return error;
    /* From here on the fields are read from a copy: inside the header, whatever the
     * file's alignment, and zero past the header's end. */
    bzimage_copy_setup_header(&header, file, out->setup_header_end);
    error = check_signatures(&header, out, why);
    if (error)
        return error;
    error = check_protocol(&header, out, why);
    if (error)
        return error;
    read_facts(&header, file_bytes, out);
    error = check_sizes(&header, file_bytes, out, why);
    if (error)
        return error;
    return check_placement_fields(out, why);
}
