/* Unit tests for hv/linux/linux_layout.c: where the kernel and initrd go for exact
 * RAM sizes, each refusal with its reason, the e820 map, every zero-page field (by
 * name and by raw offset), the GDT and its VMCB attributes, the identity map.
 * See: boot.rst, "64-bit BOOT PROTOCOL"; zero-page.rst. */
#include "test.h"

#include <glob.h>
#include <stdlib.h>

#include "hv/errno.h"
#include "hv/linux/linux_layout.h"

#include "linux_images.h"

#define MIB (1ull << 20)

/* The header facts of Debian's 6.1 cloud kernel, rounded: runs at 16 MiB, needs
 * 42 MiB there while it starts. */
static struct bzimage_info debian_like_kernel(void)
{
    return (struct bzimage_info){
        .protocol_version = 0x020f,
        .setup_header_end = 0x26c,
        .setup_bytes = 0x5000,
        .kernel_bytes = 0xd80000,
        .pref_address = 0x1000000,
        .init_size = 0x2a00000,
        .kernel_alignment = 0x200000,
        .initrd_addr_max = 0x7fffffff,
        .cmdline_size = 2047,
        .xloadflags = XLF_KERNEL_64 | XLF_CAN_BE_LOADED_ABOVE_4G,
        .loadflags = LOADFLAGS_LOADED_HIGH,
        .relocatable = true,
    };
}

TEST(plan_for_128_mib_and_a_2_mib_initrd)
{
    struct bzimage_info kernel = debian_like_kernel();
    struct linux_layout layout;
    const char *why = "unset";

    EXPECT_EQ(linux_plan_layout(&kernel, 128 * MIB, 2 * MIB, 40, &layout, &why), 0);
    EXPECT_STR_EQ(why, "unset");
    EXPECT_EQ(layout.gdt_gpa, 0x1000);
    EXPECT_EQ(layout.page_tables_gpa, 0x2000);
    EXPECT_EQ(layout.stack_top_gpa, 0x7000);
    EXPECT_EQ(layout.zero_page_gpa, 0x7000);
    EXPECT_EQ(layout.cmdline_gpa, 0x8000);
    EXPECT_EQ(layout.kernel_gpa, 0x1000000);
    EXPECT_EQ(layout.entry_gpa, 0x1000200);
    EXPECT_EQ(layout.initrd_gpa, 0x7e00000);
    EXPECT_EQ(layout.initrd_bytes, 0x200000);
    EXPECT_EQ(layout.ram_bytes, 0x8000000);
}

struct placement_case {
    const char *name;
    uint64_t pref_address, kernel_alignment, init_size, kernel_bytes, initrd_addr_max;
    uint64_t ram_bytes, initrd_bytes;
    uint64_t kernel_gpa, initrd_gpa;
};

TEST(kernel_and_initrd_placement)
{
    static const struct placement_case cases[] = {
        { "pref_address 0: 16 MiB", 0, 0x200000, 0x2a00000, 0xd80000, 0x7fffffff,
          128 * MIB, 2 * MIB, 0x1000000, 0x7e00000 },
        { "pref_address 0xfffff, below 1 MiB: 16 MiB", 0xfffff, 0x200000, 0x2a00000, 0xd80000,
          0x7fffffff, 128 * MIB, 2 * MIB, 0x1000000, 0x7e00000 },
        { "pref_address 1 MiB exactly, 4 KiB alignment", 0x100000, 0x1000, 0x2a00000, 0xd80000,
          0x7fffffff, 128 * MIB, 2 * MIB, 0x100000, 0x7e00000 },
        { "pref_address 17 MiB, 16 MiB alignment: 32 MiB", 0x1100000, 0x1000000, 0x2a00000,
          0xd80000, 0x7fffffff, 128 * MIB, 2 * MIB, 0x2000000, 0x7e00000 },
        { "16 MiB default rounded up to 64 MiB alignment", 0, 0x4000000, 0x2a00000, 0xd80000,
          0x7fffffff, 128 * MIB, 2 * MIB, 0x4000000, 0x7e00000 },
        { "initrd of 2 MiB + 1: page aligned down", 0x1000000, 0x200000, 0x2a00000, 0xd80000,
          0x7fffffff, 128 * MIB, 2 * MIB + 1, 0x1000000, 0x7dff000 },
        { "no initrd", 0x1000000, 0x200000, 0x2a00000, 0xd80000, 0x7fffffff,
          128 * MIB, 0, 0x1000000, 0 },
        { "initrd_addr_max 0x4ffffff, below the top of RAM", 0x1000000, 0x200000, 0x2a00000,
          0xd80000, 0x4ffffff, 128 * MIB, 2 * MIB, 0x1000000, 0x4e00000 },
        { "initrd_addr_max 0x4ffff00, not at a page end", 0x1000000, 0x200000, 0x2a00000,
          0xd80000, 0x4ffff00, 128 * MIB, 2 * MIB, 0x1000000, 0x4dff000 },
        { "initrd_addr_max leaves exactly room above the kernel", 0x1000000, 0x200000,
          0x2a00000, 0xd80000, 0x3bfffff, 128 * MIB, 2 * MIB, 0x1000000, 0x3a00000 },
        { "60 MiB: the initrd right after init_size", 0x1000000, 0x200000, 0x2a00000, 0xd80000,
          0x7fffffff, 60 * MIB, 2 * MIB, 0x1000000, 0x3a00000 },
        { "62 MiB, initrd of 2 MiB + 1", 0x1000000, 0x200000, 0x2a00000, 0xd80000, 0x7fffffff,
          62 * MIB, 2 * MIB + 1, 0x1000000, 0x3bff000 },
        { "1 GiB", 0x1000000, 0x200000, 0x2a00000, 0xd80000, 0x7fffffff,
          1024 * MIB, 2 * MIB, 0x1000000, 0x3fe00000 },
    };

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct placement_case *c = &cases[i];
        struct bzimage_info kernel = debian_like_kernel();
        struct linux_layout layout;
        const char *why = "unset";

        test_row("placed: %s", c->name);
        kernel.pref_address = c->pref_address;
        kernel.kernel_alignment = (uint32_t)c->kernel_alignment;
        kernel.init_size = c->init_size;
        kernel.kernel_bytes = c->kernel_bytes;
        kernel.initrd_addr_max = (uint32_t)c->initrd_addr_max;
        EXPECT_EQ(linux_plan_layout(&kernel, c->ram_bytes, c->initrd_bytes, 0, &layout, &why), 0);
        EXPECT_STR_EQ(why, "unset");
        EXPECT_EQ(layout.kernel_gpa, c->kernel_gpa);
        EXPECT_EQ(layout.entry_gpa, c->kernel_gpa + 0x200);
        EXPECT_EQ(layout.initrd_gpa, c->initrd_gpa);
    }
}

struct refusal_case {
    const char *name;
    uint64_t init_size, kernel_bytes, pref_address, initrd_addr_max, cmdline_size;
    uint64_t ram_bytes, initrd_bytes, cmdline_length;
    int error;
    const char *why;   /* NULL: accepted */
};

TEST(refusals_and_their_limits)
{
    static const struct refusal_case cases[] = {
        { "58 MiB with a 2 MiB initrd", 0x2a00000, 0xd80000, 0x1000000, 0x7fffffff, 2047,
          58 * MIB, 2 * MIB, 0, HV_ERANGE,
          "58 MiB of RAM is too small: the kernel needs [0x1000000, 0x3a00000) and the initrd "
          "0x200000 bytes above it: at least 60 MiB" },
        { "60 MiB with a 2 MiB initrd", 0x2a00000, 0xd80000, 0x1000000, 0x7fffffff, 2047,
          60 * MIB, 2 * MIB, 0, 0, NULL },
        { "60 MiB with an initrd of 2 MiB + 1", 0x2a00000, 0xd80000, 0x1000000, 0x7fffffff, 2047,
          60 * MIB, 2 * MIB + 1, 0, HV_ERANGE,
          "60 MiB of RAM is too small: the kernel needs [0x1000000, 0x3a00000) and the initrd "
          "0x200001 bytes above it: at least 62 MiB" },
        { "init_size ending one byte into a page", 0x2a00001, 0xd80000, 0x1000000, 0x7fffffff,
          2047, 60 * MIB, 2 * MIB, 0, HV_ERANGE,
          "60 MiB of RAM is too small: the kernel needs [0x1000000, 0x3a00001) and the initrd "
          "0x200000 bytes above it: at least 62 MiB" },
        { "56 MiB, no initrd", 0x2a00000, 0xd80000, 0x1000000, 0x7fffffff, 2047,
          56 * MIB, 0, 0, HV_ERANGE,
          "56 MiB of RAM is too small: the kernel needs [0x1000000, 0x3a00000): at least 58 MiB" },
        { "58 MiB, no initrd", 0x2a00000, 0xd80000, 0x1000000, 0x7fffffff, 2047,
          58 * MIB, 0, 0, 0, NULL },
        { "a file larger than init_size", 0x2a00000, 0x3000000, 0x1000000, 0x7fffffff, 2047,
          58 * MIB, 0, 0, HV_ERANGE,
          "58 MiB of RAM is too small: the kernel needs [0x1000000, 0x4000000): at least 64 MiB" },
        { "initrd_addr_max below the kernel's end plus the initrd", 0x2a00000, 0xd80000,
          0x1000000, 0x3afffff, 2047, 128 * MIB, 2 * MIB, 0, HV_ERANGE,
          "an initrd of 0x200000 bytes does not fit between the kernel's end 0x3a00000 and "
          "initrd_addr_max 0x3afffff" },
        { "initrd_addr_max below the kernel, no initrd", 0x2a00000, 0xd80000,
          0x1000000, 0xfffff, 2047, 128 * MIB, 0, 0, 0, NULL },
        { "command line of cmdline_size bytes", 0x2a00000, 0xd80000, 0x1000000, 0x7fffffff,
          2047, 128 * MIB, 0, 2047, 0, NULL },
        { "command line one byte over cmdline_size", 0x2a00000, 0xd80000, 0x1000000,
          0x7fffffff, 2047, 128 * MIB, 0, 2048, HV_ERANGE,
          "command line is 2048 bytes, the kernel takes at most 2047" },
        { "command line filling minisvm's page", 0x2a00000, 0xd80000, 0x1000000, 0x7fffffff,
          0xffffffff, 128 * MIB, 0, 4095, 0, NULL },
        { "command line one byte over minisvm's page", 0x2a00000, 0xd80000, 0x1000000,
          0x7fffffff, 0xffffffff, 128 * MIB, 0, 4096, HV_ERANGE,
          "command line is 4096 bytes, the kernel takes at most 4095" },
        { "RAM not a multiple of 2 MiB", 0x2a00000, 0xd80000, 0x1000000, 0x7fffffff, 2047,
          128 * MIB + 4096, 0, 0, HV_EINVAL,
          "guest RAM of 134221824 bytes is not a multiple of 2 MiB, the boot page size" },
        { "RAM of 1 GiB + 2 MiB", 0x2a00000, 0xd80000, 0x1000000, 0x7fffffff, 2047,
          1026 * MIB, 0, 0, HV_ERANGE,
          "guest RAM of 1026 MiB is more than 1 GiB, all that the boot page tables map" },
        { "RAM of 0 bytes", 0x2a00000, 0xd80000, 0x1000000, 0x7fffffff, 2047,
          0, 0, 0, HV_ERANGE,
          "0 MiB of RAM is too small: the kernel needs [0x1000000, 0x3a00000): at least 58 MiB" },
        { "pref_address past 1 GiB", 0x2a00000, 0xd80000, 0x40000001, 0x7fffffff, 2047,
          1024 * MIB, 0, 0, HV_ERANGE,
          "the kernel wants to run at pref_address 0x40000001, above the 1 GiB of RAM a guest "
          "can have" },
    };

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct refusal_case *c = &cases[i];
        struct bzimage_info kernel = debian_like_kernel();
        struct linux_layout layout;
        const char *why = "";

        test_row("%s: %s", c->why ? "refused" : "accepted", c->name);
        kernel.init_size = c->init_size;
        kernel.kernel_bytes = c->kernel_bytes;
        kernel.pref_address = c->pref_address;
        kernel.initrd_addr_max = (uint32_t)c->initrd_addr_max;
        kernel.cmdline_size = (uint32_t)c->cmdline_size;
        EXPECT_EQ(linux_plan_layout(&kernel, c->ram_bytes, c->initrd_bytes, c->cmdline_length,
                                    &layout, &why), c->error);
        EXPECT_STR_EQ(why, c->why ? c->why : "");
    }
}

static void expect_e820(const struct e820_entry *entry, uint64_t addr, uint64_t size,
                        uint32_t type)
{
    EXPECT_EQ(entry->addr, addr);
    EXPECT_EQ(entry->size, size);
    EXPECT_EQ(entry->type, type);
}

TEST(e820_map_of_a_pc)
{
    struct e820_entry table[4];

    test_row("e820 for 128 MiB: low RAM, the EBDA-to-1-MiB hole, RAM from 1 MiB");
    memset(table, 0xa5, sizeof table);
    EXPECT_EQ(linux_build_e820(table, 4, 128 * MIB), 3);
    expect_e820(&table[0], 0, 0x9f000, E820_TYPE_RAM);
    expect_e820(&table[1], 0x9f000, 0x61000, E820_TYPE_RESERVED);
    expect_e820(&table[2], 0x100000, 0x7f00000, E820_TYPE_RAM);
    EXPECT_EQ(table[3].type, 0xa5a5a5a5);   /* untouched past the count */

    test_row("e820 for 1 GiB");
    EXPECT_EQ(linux_build_e820(table, 4, 1024 * MIB), 3);
    expect_e820(&table[2], 0x100000, 0x3ff00000, E820_TYPE_RAM);

    test_row("e820 with room for 2 entries: 2 written");
    memset(table, 0xa5, sizeof table);
    EXPECT_EQ(linux_build_e820(table, 2, 128 * MIB), 2);
    expect_e820(&table[1], 0x9f000, 0x61000, E820_TYPE_RESERVED);
    EXPECT_EQ(table[2].type, 0xa5a5a5a5);

    test_row("e820 for 1 MiB of RAM: nothing above 1 MiB");
    EXPECT_EQ(linux_build_e820(table, 4, 1 * MIB), 2);
}

static void put(uint8_t *bytes, size_t offset, uint64_t value, unsigned size)
{
    for (unsigned i = 0; i < size; i++)
        bytes[offset + i] = (uint8_t)(value >> (8 * i));
}

static uint64_t get(const uint8_t *bytes, size_t offset, unsigned size)
{
    uint64_t value = 0;

    for (unsigned i = 0; i < size; i++)
        value |= (uint64_t)bytes[offset + i] << (8 * i);
    return value;
}

/* The fake kernel of test_bzimage.c, booted with 128 MiB and a 2 MiB initrd. */
static void fill_fake_zero_page(struct boot_params *zero_page, uint8_t *file,
                                struct linux_layout *layout)
{
    struct bzimage_info kernel;
    const char *why = "";

    fake_bzimage_build(file);
    EXPECT_EQ(bzimage_parse(file, FAKE_BZIMAGE_BYTES, &kernel, &why), 0);
    EXPECT_EQ(linux_plan_layout(&kernel, 128 * MIB, 2 * MIB, 10, layout, &why), 0);
    memset(zero_page, 0xa5, sizeof *zero_page);   /* the fill must zero what it leaves */
    linux_fill_boot_params(zero_page, file, &kernel, layout);
}

TEST(zero_page_fields_by_name)
{
    static uint8_t file[FAKE_BZIMAGE_BYTES];
    static struct boot_params zero_page;
    struct linux_layout layout;
    const struct setup_header *header = &zero_page.hdr;

    fill_fake_zero_page(&zero_page, file, &layout);
    /* copied from the kernel */
    EXPECT_EQ(header->setup_sects, 3);
    EXPECT_EQ(header->boot_flag, 0xaa55);
    EXPECT_EQ(header->jump, 0x6aeb);
    EXPECT_EQ(header->header, 0x53726448);
    EXPECT_EQ(header->version, 0x020f);
    EXPECT_EQ(header->heap_end_ptr, 0x5be0);
    EXPECT_EQ(header->initrd_addr_max, 0x7fffffff);
    EXPECT_EQ(header->kernel_alignment, 0x200000);
    EXPECT_EQ(header->relocatable_kernel, 1);
    EXPECT_EQ(header->min_alignment, 0x15);
    EXPECT_EQ(header->xloadflags, 0x03);
    EXPECT_EQ(header->cmdline_size, 2047);
    EXPECT_EQ(header->payload_offset, 0x100);
    EXPECT_EQ(header->payload_length, 0x600);
    EXPECT_EQ(header->pref_address, 0x1000000);
    EXPECT_EQ(header->init_size, 0x2a00000);
    EXPECT_EQ(header->handover_offset, 0x190);
    /* written by the loader */
    EXPECT_EQ(header->type_of_loader, 0xff);
    EXPECT_EQ(header->loadflags, LOADFLAGS_LOADED_HIGH);
    EXPECT_EQ(header->vid_mode, 0xffff);
    EXPECT_EQ(header->code32_start, 0x1000000);
    EXPECT_EQ(header->ramdisk_image, 0x7e00000);
    EXPECT_EQ(header->ramdisk_size, 0x200000);
    EXPECT_EQ(header->cmd_line_ptr, 0x8000);
    EXPECT_EQ(header->hardware_subarch, 0);
    EXPECT_EQ(header->setup_data, 0);
    EXPECT_EQ(zero_page.ext_ramdisk_image, 0);
    EXPECT_EQ(zero_page.ext_ramdisk_size, 0);
    EXPECT_EQ(zero_page.ext_cmd_line_ptr, 0);
    EXPECT_EQ(zero_page.acpi_rsdp_addr, 0);
    EXPECT_EQ(zero_page.sentinel, 0);
    EXPECT_EQ(zero_page.e820_entries, 3);
    expect_e820(&zero_page.e820_table[0], 0, 0x9f000, E820_TYPE_RAM);
    expect_e820(&zero_page.e820_table[1], 0x9f000, 0x61000, E820_TYPE_RESERVED);
    expect_e820(&zero_page.e820_table[2], 0x100000, 0x7f00000, E820_TYPE_RAM);
}

/* The same page built byte by byte from the offsets in boot.rst and zero-page.rst:
 * equal in all 4096 bytes, so every offset is right and nothing else was written
 * (the file's 0xcc bytes around the header were not copied, the 0xa5 were cleared). */
TEST(zero_page_equals_one_built_from_the_documented_offsets)
{
    static uint8_t file[FAKE_BZIMAGE_BYTES];
    static struct boot_params zero_page;
    static uint8_t expected[BOOT_PARAMS_BYTES];
    struct linux_layout layout;
    const uint8_t *raw = (const uint8_t *)&zero_page;
    size_t differences = 0;

    fill_fake_zero_page(&zero_page, file, &layout);
    memset(expected, 0, sizeof expected);
    put(expected, 0x1e8, 3, 1);             /* e820_entries */
    put(expected, 0x1f1, 3, 1);             /* setup_sects */
    put(expected, 0x1fa, 0xffff, 2);        /* vid_mode */
    put(expected, 0x1fe, 0xaa55, 2);        /* boot_flag */
    put(expected, 0x200, 0x6aeb, 2);        /* jump */
    memcpy(expected + 0x202, "HdrS", 4);
    put(expected, 0x206, 0x020f, 2);        /* version */
    put(expected, 0x210, 0xff, 1);          /* type_of_loader */
    put(expected, 0x211, 0x01, 1);          /* loadflags */
    put(expected, 0x214, 0x1000000, 4);     /* code32_start */
    put(expected, 0x218, 0x7e00000, 4);     /* ramdisk_image */
    put(expected, 0x21c, 0x200000, 4);      /* ramdisk_size */
    put(expected, 0x224, 0x5be0, 2);        /* heap_end_ptr */
    put(expected, 0x228, 0x8000, 4);        /* cmd_line_ptr */
    put(expected, 0x22c, 0x7fffffff, 4);    /* initrd_addr_max */
    put(expected, 0x230, 0x200000, 4);      /* kernel_alignment */
    put(expected, 0x234, 1, 1);             /* relocatable_kernel */
    put(expected, 0x235, 0x15, 1);          /* min_alignment */
    put(expected, 0x236, 0x03, 2);          /* xloadflags */
    put(expected, 0x238, 2047, 4);          /* cmdline_size */
    put(expected, 0x248, 0x100, 4);         /* payload_offset */
    put(expected, 0x24c, 0x600, 4);         /* payload_length */
    put(expected, 0x258, 0x1000000, 8);     /* pref_address */
    put(expected, 0x260, 0x2a00000, 4);     /* init_size */
    put(expected, 0x264, 0x190, 4);         /* handover_offset */
    put(expected, 0x2d0 + 0 * 20 + 8, 0x9f000, 8);
    put(expected, 0x2d0 + 0 * 20 + 16, 1, 4);
    put(expected, 0x2d0 + 1 * 20, 0x9f000, 8);
    put(expected, 0x2d0 + 1 * 20 + 8, 0x61000, 8);
    put(expected, 0x2d0 + 1 * 20 + 16, 2, 4);
    put(expected, 0x2d0 + 2 * 20, 0x100000, 8);
    put(expected, 0x2d0 + 2 * 20 + 8, 0x7f00000, 8);
    put(expected, 0x2d0 + 2 * 20 + 16, 1, 4);

    for (size_t offset = 0; offset < BOOT_PARAMS_BYTES; offset++) {
        if (raw[offset] != expected[offset] && differences++ < 8)
            printf("#   zero page byte 0x%03zx is 0x%02x, expected 0x%02x\n", offset,
                   raw[offset], expected[offset]);
    }
    EXPECT_EQ(differences, 0);
    EXPECT_EQ(get(raw, 0x202, 4), SETUP_HEADER_MAGIC);
}

TEST(zero_page_addresses_above_4_gib_use_the_ext_fields)
{
    static uint8_t file[FAKE_BZIMAGE_BYTES];
    static struct boot_params zero_page;
    struct bzimage_info kernel;
    struct linux_layout layout = {
        .kernel_gpa = 0x1000000, .cmdline_gpa = 0x200008000ull,
        .initrd_gpa = 0x123456000ull, .initrd_bytes = 0x100200000ull, .ram_bytes = 128 * MIB,
    };
    const uint8_t *raw = (const uint8_t *)&zero_page;
    const char *why = "";

    fake_bzimage_build(file);
    EXPECT_EQ(bzimage_parse(file, FAKE_BZIMAGE_BYTES, &kernel, &why), 0);
    linux_fill_boot_params(&zero_page, file, &kernel, &layout);
    EXPECT_EQ(get(raw, 0x218, 4), 0x23456000);   /* ramdisk_image */
    EXPECT_EQ(get(raw, 0x0c0, 4), 0x1);          /* ext_ramdisk_image */
    EXPECT_EQ(get(raw, 0x21c, 4), 0x00200000);   /* ramdisk_size */
    EXPECT_EQ(get(raw, 0x0c4, 4), 0x1);          /* ext_ramdisk_size */
    EXPECT_EQ(get(raw, 0x228, 4), 0x00008000);   /* cmd_line_ptr */
    EXPECT_EQ(get(raw, 0x0c8, 4), 0x2);          /* ext_cmd_line_ptr */
}

TEST(gdt_and_the_matching_vmcb_attributes)
{
    uint64_t gdt[6];

    test_row("GDT: null, null, __BOOT_CS, __BOOT_DS, then null");
    memset(gdt, 0xa5, sizeof gdt);
    linux_fill_gdt(gdt, 6);
    EXPECT_EQ(gdt[0], 0);
    EXPECT_EQ(gdt[1], 0);
    EXPECT_EQ(gdt[LINUX_BOOT_CS / 8], 0x00af9b000000ffffull);
    EXPECT_EQ(gdt[LINUX_BOOT_DS / 8], 0x00cf93000000ffffull);
    EXPECT_EQ(gdt[4], 0);
    EXPECT_EQ(gdt[5], 0);
    EXPECT_EQ(LINUX_BOOT_CS, 0x10);
    EXPECT_EQ(LINUX_BOOT_DS, 0x18);
    EXPECT_EQ(LINUX_GDT_BYTES, 32);

    test_row("room for 2 slots: only 2 written");
    memset(gdt, 0xa5, sizeof gdt);
    linux_fill_gdt(gdt, 2);
    EXPECT_EQ(gdt[1], 0);
    EXPECT_EQ(gdt[2], 0xa5a5a5a5a5a5a5a5ull);

    /* attrib 7:0 = type, S, DPL, P; 11:8 = AVL, L, D/B, G */
    test_row("CS attrib 0x0a9b: type 0xb execute/read accessed, S, P, L, G");
    EXPECT_EQ(LINUX_BOOT_CS_ATTRIB, 0x0a9b);
    EXPECT_EQ(LINUX_BOOT_CS_ATTRIB & 0xf, 0xb);
    EXPECT_EQ((LINUX_BOOT_CS_ATTRIB >> 4) & 1, 1);    /* S */
    EXPECT_EQ((LINUX_BOOT_CS_ATTRIB >> 5) & 3, 0);    /* DPL */
    EXPECT_EQ((LINUX_BOOT_CS_ATTRIB >> 7) & 1, 1);    /* P */
    EXPECT_EQ((LINUX_BOOT_CS_ATTRIB >> 9) & 1, 1);    /* L */
    EXPECT_EQ((LINUX_BOOT_CS_ATTRIB >> 10) & 1, 0);   /* D: must be 0 with L */
    EXPECT_EQ((LINUX_BOOT_CS_ATTRIB >> 11) & 1, 1);   /* G */

    test_row("DS attrib 0x0c93: type 0x3 read/write accessed, S, P, D/B, G");
    EXPECT_EQ(LINUX_BOOT_DS_ATTRIB, 0x0c93);
    EXPECT_EQ(LINUX_BOOT_DS_ATTRIB & 0xf, 0x3);
    EXPECT_EQ((LINUX_BOOT_DS_ATTRIB >> 4) & 1, 1);
    EXPECT_EQ((LINUX_BOOT_DS_ATTRIB >> 7) & 1, 1);
    EXPECT_EQ((LINUX_BOOT_DS_ATTRIB >> 9) & 1, 0);
    EXPECT_EQ((LINUX_BOOT_DS_ATTRIB >> 10) & 1, 1);
    EXPECT_EQ((LINUX_BOOT_DS_ATTRIB >> 11) & 1, 1);

    test_row("descriptors: base 0, limit 0xfffff pages = 4 GiB");
    for (unsigned slot = 2; slot < 4; slot++) {
        uint64_t descriptor = slot == 2 ? LINUX_DESCRIPTOR_CODE64 : LINUX_DESCRIPTOR_DATA;
        uint64_t base = ((descriptor >> 16) & 0xffffff) | ((descriptor >> 56) << 24);
        uint64_t limit = (descriptor & 0xffff) | (((descriptor >> 48) & 0xf) << 16);

        EXPECT_EQ(base, 0);
        EXPECT_EQ((limit + 1) << 12, 1ull << 32);
    }
}

static void check_identity_map(uint64_t ram_bytes, unsigned large_pages)
{
    static uint64_t pages[3 * LINUX_PAGE_TABLE_ENTRIES];
    const uint64_t *pml4 = pages, *pdpt = pages + 512, *pd = pages + 1024;
    unsigned nonzero = 0;

    memset(pages, 0xa5, sizeof pages);
    linux_fill_page_tables(pages, 0x2000, ram_bytes);
    EXPECT_EQ(pml4[0], 0x3003);   /* the PDPT at 0x3000, present, writable */
    EXPECT_EQ(pdpt[0], 0x4003);   /* the PD at 0x4000 */
    EXPECT_EQ(pd[0], 0x83);       /* 0..2 MiB, present, writable, 2 MiB page */
    EXPECT_EQ(pd[1], 0x200083);
    EXPECT_EQ(pd[large_pages - 1], (uint64_t)(large_pages - 1) * 0x200000 | 0x83);
    if (large_pages < 512)
        EXPECT_EQ(pd[large_pages], 0);
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++)
        nonzero += pages[i] != 0;
    EXPECT_EQ(nonzero, 2 + large_pages);
    for (unsigned i = 0; i < large_pages; i++) {
        if (pd[i] != ((uint64_t)i * 0x200000 | 0x83))
            EXPECT_EQ(pd[i], (uint64_t)i * 0x200000 | 0x83);
    }
}

TEST(identity_map_with_2_mib_pages)
{
    test_row("128 MiB: 64 PD entries, up to 0x7e00000");
    check_identity_map(128 * MIB, 64);
    test_row("1 GiB: all 512 PD entries, up to 0x3fe00000");
    check_identity_map(1024 * MIB, 512);
}

/* The installed Debian kernel and its initrd, when present: no rows when absent. */
TEST(the_installed_debian_cloud_kernel_fits)
{
    glob_t found;

    if (!installed_cloud_kernels(&found))
        return;
    for (size_t i = 0; i < found.gl_pathc; i++) {
        const char *path = found.gl_pathv[i];
        size_t bytes = 0, initrd_bytes = 0;
        uint8_t *file = read_whole_file(path, &bytes);
        char initrd_path[512];
        uint8_t *initrd;
        struct bzimage_info kernel;
        struct linux_layout layout;
        static struct boot_params zero_page;
        const char *why = "";

        test_row("%s: 256 MiB, its initrd, a zero page", path);
        EXPECT_TRUE(file != NULL);
        if (file == NULL)
            continue;
        snprintf(initrd_path, sizeof initrd_path, "/boot/initrd.img-%s",
                 path + strlen("/boot/vmlinuz-"));
        initrd = read_whole_file(initrd_path, &initrd_bytes);
        free(initrd);
        EXPECT_EQ(bzimage_parse(file, bytes, &kernel, &why), 0);
        EXPECT_EQ(linux_plan_layout(&kernel, 256 * MIB, initrd_bytes, 40, &layout, &why), 0);
        EXPECT_STR_EQ(why, "");
        linux_fill_boot_params(&zero_page, file, &kernel, &layout);
        EXPECT_EQ(zero_page.hdr.version, kernel.protocol_version);
        EXPECT_EQ(zero_page.hdr.init_size, kernel.init_size);
        EXPECT_EQ(zero_page.hdr.ramdisk_size, initrd_bytes);
        printf("# %s: kernel at 0x%llx, entry 0x%llx, initrd (%s, %zu bytes) at 0x%llx\n",
               path, (unsigned long long)layout.kernel_gpa,
               (unsigned long long)layout.entry_gpa, initrd_path, initrd_bytes,
               (unsigned long long)layout.initrd_gpa);
        if (linux_plan_layout(&kernel, 2 * MIB, initrd_bytes, 40, &layout, &why) != 0)
            printf("# with 2 MiB: %s\n", why);
        free(file);
    }
    globfree(&found);
}
