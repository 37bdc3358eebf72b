/* Unit tests for hv/linux/bzimage.c: a small fake bzImage accepted field by field,
 * each refusal with its exact reason, every truncation of the file, and the real
 * Debian kernel when one is installed. See: boot.rst, "THE REAL-MODE KERNEL HEADER". */
#include "test.h"

#include <glob.h>
#include <stdlib.h>

#include "hv/errno.h"
#include "hv/linux/bzimage.h"

#include "linux_images.h"

/* Parses the first `length` bytes from a heap copy of exactly that size, so that
 * AddressSanitizer catches any read past the end. */
static int parse_copy(const uint8_t *file, size_t length, struct bzimage_info *info,
                      const char **why)
{
    uint8_t *copy = malloc(length ? length : 1);
    int result;

    memcpy(copy, file, length);
    result = bzimage_parse(copy, length, info, why);
    free(copy);
    return result;
}

TEST(fake_kernel_is_read_field_by_field)
{
    static uint8_t file[FAKE_BZIMAGE_BYTES];
    struct bzimage_info info;
    const char *why = "unset";

    fake_bzimage_build(file);
    EXPECT_EQ(parse_copy(file, sizeof file, &info, &why), 0);
    EXPECT_STR_EQ(why, "unset");
    EXPECT_EQ(info.protocol_version, 0x020f);
    EXPECT_EQ(info.setup_header_end, 0x26c);
    EXPECT_EQ(info.setup_bytes, 0x800);
    EXPECT_EQ(info.kernel_bytes, 0x800);
    EXPECT_EQ(info.pref_address, 0x1000000);
    EXPECT_EQ(info.init_size, 0x2a00000);
    EXPECT_EQ(info.kernel_alignment, 0x200000);
    EXPECT_EQ(info.initrd_addr_max, 0x7fffffff);
    EXPECT_EQ(info.cmdline_size, 2047);
    EXPECT_EQ(info.xloadflags, 0x03);
    EXPECT_EQ(info.loadflags, 0x01);
    EXPECT_TRUE(info.relocatable);
}

TEST(setup_sects_zero_means_four)
{
    static uint8_t file[FAKE_BZIMAGE_BYTES];
    struct bzimage_info info;
    const char *why = "unset";

    fake_bzimage_build(file);
    put_little_endian(file, 0x1f1, 0, 1);
    put_little_endian(file, 0x24c, 0x500, 4);   /* the payload must fit the now 0x600-byte kernel */
    EXPECT_EQ(parse_copy(file, sizeof file, &info, &why), 0);
    EXPECT_EQ(info.setup_bytes, 0xa00);
    EXPECT_EQ(info.kernel_bytes, 0x600);
}

TEST(a_non_relocatable_kernel_is_accepted)
{
    static uint8_t file[FAKE_BZIMAGE_BYTES];
    struct bzimage_info info;
    const char *why = "unset";

    fake_bzimage_build(file);
    put_little_endian(file, 0x234, 0, 1);
    EXPECT_EQ(parse_copy(file, sizeof file, &info, &why), 0);
    EXPECT_FALSE(info.relocatable);
}

struct refusal_case {
    const char *name;
    size_t offset;          /* a field to change, or 0 for none */
    uint64_t value;
    unsigned bytes;
    size_t file_bytes;
    const char *why;
};

TEST(each_refusal_names_its_cause)
{
    static const struct refusal_case cases[] = {
        { "file ends before the length byte", 0, 0, 0, 0x201,
          "file is 513 bytes, too small for a setup header: its length byte is at 0x201" },
        { "length byte is a backward jump", 0x201, 0x80, 1, FAKE_BZIMAGE_BYTES,
          "setup header length byte at 0x201 is 0x80: a backward jump, not a header length "
          "(0x7f at most)" },
        { "file ends inside the header", 0, 0, 0, 0x26b,
          "truncated: the file is 619 bytes, but its setup header ends at 0x26c" },
        { "boot_flag 0x1234", 0x1fe, 0x1234, 2, FAKE_BZIMAGE_BYTES,
          "not a Linux kernel: boot_flag at 0x1fe is 0x1234, not 0xaa55" },
        { "HdrT instead of HdrS", 0x205, 'T', 1, FAKE_BZIMAGE_BYTES,
          "not a bzImage: no HdrS signature at 0x202" },
        { "header ends before its signature", 0x201, 0x02, 1, FAKE_BZIMAGE_BYTES,
          "not a bzImage: no HdrS signature at 0x202" },
        { "protocol 2.10", 0x206, 0x020a, 2, FAKE_BZIMAGE_BYTES,
          "boot protocol 2.10 is older than 2.12, the first with a 64-bit entry point "
          "(Linux 3.8)" },
        { "protocol 2.05", 0x206, 0x0205, 2, FAKE_BZIMAGE_BYTES,
          "boot protocol 2.05 is older than 2.12, the first with a 64-bit entry point "
          "(Linux 3.8)" },
        { "protocol 2.15 header ending at 0x260", 0x201, 0x5e, 1, FAKE_BZIMAGE_BYTES,
          "setup header ends at 0x260, too short for boot protocol 2.15 (a 2.12 header "
          "reaches 0x268)" },
        { "a zImage", 0x211, 0x00, 1, FAKE_BZIMAGE_BYTES,
          "a zImage: LOADED_HIGH (loadflags bit 0) is clear, only a bzImage loads at 1 MiB" },
        { "a 32-bit kernel", 0x236, XLF_CAN_BE_LOADED_ABOVE_4G, 2, FAKE_BZIMAGE_BYTES,
          "no 64-bit entry point (XLF_KERNEL_64)" },
        { "setup_sects 7: the setup is the whole file", 0x1f1, 7, 1, FAKE_BZIMAGE_BYTES,
          "truncated: the file is 4096 bytes, but the real-mode setup alone takes 4096 "
          "(setup_sects 7)" },
        { "setup_sects 255", 0x1f1, 255, 1, FAKE_BZIMAGE_BYTES,
          "truncated: the file is 4096 bytes, but the real-mode setup alone takes 131072 "
          "(setup_sects 255)" },
        { "payload one byte longer than the kernel", 0x24c, 0x701, 4, FAKE_BZIMAGE_BYTES,
          "truncated: the protected-mode kernel is 2048 bytes, but its compressed payload "
          "ends at 2049 (payload_offset + payload_length)" },
        { "payload_offset + payload_length past 4 GiB", 0x248, 0xffffffffffffffffull, 8,
          FAKE_BZIMAGE_BYTES,
          "truncated: the protected-mode kernel is 2048 bytes, but its compressed payload "
          "ends at 8589934590 (payload_offset + payload_length)" },
        { "kernel_alignment 3 MiB", 0x230, 0x300000, 4, FAKE_BZIMAGE_BYTES,
          "kernel_alignment 0x300000 is not a power of two" },
        { "kernel_alignment 0", 0x230, 0, 4, FAKE_BZIMAGE_BYTES,
          "kernel_alignment 0x0 is not a power of two" },
        { "init_size 0", 0x260, 0, 4, FAKE_BZIMAGE_BYTES,
          "init_size is 0: the kernel does not say how much memory it needs to start" },
    };
    static uint8_t file[FAKE_BZIMAGE_BYTES];

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct refusal_case *c = &cases[i];
        struct bzimage_info info;
        const char *why = "unset";

        test_row("refused: %s", c->name);
        fake_bzimage_build(file);
        if (c->bytes != 0)
            put_little_endian(file, c->offset, c->value, c->bytes);
        EXPECT_EQ(parse_copy(file, c->file_bytes, &info, &why), HV_EINVAL);
        EXPECT_STR_EQ(why, c->why);
    }
}

TEST(a_long_refusal_is_cut_not_overrun)
{
    struct linux_refusal refusal;

    linux_refusal_start(&refusal, "x");
    for (int i = 0; i < 100; i++)
        linux_refusal_add_hex(&refusal, 0xffffffffffffffffull);
    EXPECT_EQ(strlen(refusal.text), LINUX_REFUSAL_BYTES - 1);
    linux_refusal_start(&refusal, "");
    linux_refusal_add_decimal(&refusal, 18446744073709551615ull);
    EXPECT_STR_EQ(refusal.text, "18446744073709551615");
}

/* Every length of the fake kernel, 0 to all of it: each is refused with the reason
 * for where it was cut, until the payload is whole. */
TEST(every_truncation_is_refused_without_reading_past_the_end)
{
    static uint8_t file[FAKE_BZIMAGE_BYTES];
    struct {
        const char *name;
        size_t first, last;
    } spans[] = {
        { "0..0x201: before the length byte", 0, 0x201 },
        { "0x202..0x26b: inside the header", 0x202, 0x26b },
        { "0x26c..0x800: inside the setup", 0x26c, 0x800 },
        { "0x801..0xeff: inside the payload", 0x801, 0xeff },
        { "0xf00..0x1000: payload whole", 0xf00, 0x1000 },
    };

    fake_bzimage_build(file);
    for (size_t s = 0; s < sizeof spans / sizeof spans[0]; s++) {
        test_row("truncated at %s", spans[s].name);
        for (size_t length = spans[s].first; length <= spans[s].last; length++) {
            struct bzimage_info info;
            const char *why = "";
            char expected[LINUX_REFUSAL_BYTES];
            int result = parse_copy(file, length, &info, &why);

            if (length < 0x202)
                snprintf(expected, sizeof expected, "file is %zu bytes, too small for a setup "
                         "header: its length byte is at 0x201", length);
            else if (length < 0x26c)
                snprintf(expected, sizeof expected, "truncated: the file is %zu bytes, but its "
                         "setup header ends at 0x26c", length);
            else if (length <= 0x800)
                snprintf(expected, sizeof expected, "truncated: the file is %zu bytes, but the "
                         "real-mode setup alone takes 2048 (setup_sects 3)", length);
            else if (length < 0xf00)
                snprintf(expected, sizeof expected, "truncated: the protected-mode kernel is %zu "
                         "bytes, but its compressed payload ends at 1792 (payload_offset + "
                         "payload_length)", length - 0x800);
            else
                expected[0] = '\0';
            EXPECT_EQ(result, expected[0] ? HV_EINVAL : 0);
            EXPECT_STR_EQ(why, expected);
        }
    }
}

/* Debian's linux-image-cloud-amd64, when installed: no rows when it is absent. */
TEST(the_installed_debian_cloud_kernel_parses)
{
    glob_t found;

    if (!installed_cloud_kernels(&found))
        return;
    for (size_t i = 0; i < found.gl_pathc; i++) {
        const char *path = found.gl_pathv[i];
        size_t bytes = 0;
        uint8_t *file = read_whole_file(path, &bytes);
        struct bzimage_info info;
        const char *why = "";

        test_row("%s parses", path);
        EXPECT_TRUE(file != NULL);
        if (file == NULL)
            continue;
        EXPECT_EQ(bzimage_parse(file, bytes, &info, &why), 0);
        EXPECT_STR_EQ(why, "");
        EXPECT_EQ(info.setup_bytes + info.kernel_bytes, bytes);
        EXPECT_TRUE(info.protocol_version >= BZIMAGE_MIN_PROTOCOL);
        EXPECT_TRUE(info.xloadflags & XLF_KERNEL_64);
        EXPECT_TRUE(info.relocatable);
        printf("# %s: %zu bytes, protocol %u.%02u, setup %llu bytes, kernel %llu bytes, "
               "pref_address 0x%llx, init_size 0x%llx, kernel_alignment 0x%x, "
               "initrd_addr_max 0x%x, cmdline_size %u, xloadflags 0x%x, loadflags 0x%x, "
               "relocatable %d\n",
               path, bytes, info.protocol_version >> 8, info.protocol_version & 0xff,
               (unsigned long long)info.setup_bytes, (unsigned long long)info.kernel_bytes,
               (unsigned long long)info.pref_address, (unsigned long long)info.init_size,
               info.kernel_alignment, info.initrd_addr_max, info.cmdline_size,
               info.xloadflags, info.loadflags, info.relocatable);
        free(file);
    }
    globfree(&found);
}
