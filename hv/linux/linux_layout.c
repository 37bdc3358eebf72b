/* Plans a Linux guest's memory and fills what its 64-bit entry reads: the zero page,
 * the e820 map, the GDT and the identity page tables. See: Documentation/arch/x86/
 * boot.rst, "64-bit BOOT PROTOCOL" and "DETAILS OF HEADER FIELDS"; zero-page.rst. */
#include "hv/linux/linux_layout.h"

#include <string.h>

#include "hv/errno.h"

#define MIB (1ull << 20)

static uint64_t align_up(uint64_t value, uint64_t alignment)
{
    return (value + alignment - 1) & ~(alignment - 1);
}

static uint64_t align_down(uint64_t value, uint64_t alignment)
{
    return value & ~(alignment - 1);
}

static uint64_t max_u64(uint64_t a, uint64_t b)
{
    return a > b ? a : b;
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
    return a < b ? a : b;
}

static int refuse(struct linux_layout *out, const char **why, int error)
{
    *why = out->refusal.text;
    return error;
}

/* ---- planning ---- */

/* The boot page tables map RAM with the 512 2 MiB pages of one page directory. */
static int check_ram_size(uint64_t ram_bytes, struct linux_layout *out, const char **why)
{
    if (ram_bytes % LINUX_LARGE_PAGE_BYTES != 0) {
        linux_refusal_start(&out->refusal, "guest RAM of ");
        linux_refusal_add_decimal(&out->refusal, ram_bytes);
        linux_refusal_add(&out->refusal, " bytes is not a multiple of 2 MiB, the boot page size");
        return refuse(out, why, HV_EINVAL);
    }
    if (ram_bytes > LINUX_RAM_MAX_BYTES) {
        linux_refusal_start(&out->refusal, "guest RAM of ");
        linux_refusal_add_decimal(&out->refusal, ram_bytes / MIB);
        linux_refusal_add(&out->refusal,
                          " MiB is more than 1 GiB, all that the boot page tables map");
        return refuse(out, why, HV_ERANGE);
    }
    return 0;
}

/* cmdline_size is the kernel's limit; the page at LINUX_CMDLINE_GPA is minisvm's. */
static int check_cmdline(const struct bzimage_info *kernel, uint64_t cmdline_length,
                         struct linux_layout *out, const char **why)
{
    uint64_t limit = min_u64(kernel->cmdline_size, LINUX_CMDLINE_MAX_LENGTH);

    if (cmdline_length > limit) {
        linux_refusal_start(&out->refusal, "command line is ");
        linux_refusal_add_decimal(&out->refusal, cmdline_length);
        linux_refusal_add(&out->refusal, " bytes, the kernel takes at most ");
        linux_refusal_add_decimal(&out->refusal, limit);
        return refuse(out, why, HV_ERANGE);
    }
    return 0;
}

/* A relocatable kernel runs at align_up(load address, kernel_alignment); one that is
 * not moves itself to pref_address. Loading at pref_address (aligned, which a
 * non-relocatable kernel's already is) suits both. A bzImage runs at 1 MiB or above,
 * so a smaller pref_address means "anywhere": 16 MiB, the usual default. */
static int place_kernel(const struct bzimage_info *kernel, struct linux_layout *out,
                        const char **why)
{
    uint64_t wanted = kernel->pref_address;

    if (wanted > LINUX_RAM_MAX_BYTES) {
        linux_refusal_start(&out->refusal, "the kernel wants to run at pref_address ");
        linux_refusal_add_hex(&out->refusal, wanted);
        linux_refusal_add(&out->refusal, ", above the 1 GiB of RAM a guest can have");
        return refuse(out, why, HV_ERANGE);
    }
    if (wanted < LINUX_HIGH_MEMORY_GPA)
        wanted = LINUX_KERNEL_DEFAULT_GPA;
    out->kernel_gpa = align_up(wanted, kernel->kernel_alignment);
    out->entry_gpa = out->kernel_gpa + LINUX_ENTRY_64_OFFSET;
    return 0;
}

/* The kernel decompresses and starts inside [kernel_gpa, + init_size); the file
 * itself must fit too. */
static uint64_t kernel_end(const struct bzimage_info *kernel, const struct linux_layout *out)
{
    return out->kernel_gpa + max_u64(kernel->init_size, kernel->kernel_bytes);
}

static int refuse_small_ram(uint64_t ram_bytes, uint64_t end_of_kernel, uint64_t lowest_top,
                            struct linux_layout *out, const char **why)
{
    linux_refusal_start(&out->refusal, "");
    linux_refusal_add_decimal(&out->refusal, ram_bytes / MIB);
    linux_refusal_add(&out->refusal, " MiB of RAM is too small: the kernel needs [");
    linux_refusal_add_hex(&out->refusal, out->kernel_gpa);
    linux_refusal_add(&out->refusal, ", ");
    linux_refusal_add_hex(&out->refusal, end_of_kernel);
    if (out->initrd_bytes != 0) {
        linux_refusal_add(&out->refusal, ") and the initrd ");
        linux_refusal_add_hex(&out->refusal, out->initrd_bytes);
        linux_refusal_add(&out->refusal, " bytes above it: at least ");
    } else {
        linux_refusal_add(&out->refusal, "): at least ");
    }
    linux_refusal_add_decimal(&out->refusal, align_up(lowest_top, LINUX_LARGE_PAGE_BYTES) / MIB);
    linux_refusal_add(&out->refusal, " MiB");
    return refuse(out, why, HV_ERANGE);
}

/* The initrd goes as high as it may, page aligned downwards, and must stay clear of
 * the kernel: its top must be at least lowest_top, the kernel's end rounded up to a
 * page plus the initrd's size. The same bound gives the smallest RAM that works. */
static int place_initrd(const struct bzimage_info *kernel, struct linux_layout *out,
                        const char **why)
{
    uint64_t end_of_kernel = kernel_end(kernel, out);
    uint64_t lowest_top = align_up(end_of_kernel, LINUX_PAGE_BYTES) + out->initrd_bytes;
    uint64_t initrd_top = min_u64(out->ram_bytes, (uint64_t)kernel->initrd_addr_max + 1);

    if (out->ram_bytes < lowest_top)
        return refuse_small_ram(out->ram_bytes, end_of_kernel, lowest_top, out, why);
    if (out->initrd_bytes == 0)
        return 0;
    if (initrd_top < lowest_top) {
        linux_refusal_start(&out->refusal, "an initrd of ");
        linux_refusal_add_hex(&out->refusal, out->initrd_bytes);
        linux_refusal_add(&out->refusal, " bytes does not fit between the kernel's end ");
        linux_refusal_add_hex(&out->refusal, end_of_kernel);
        linux_refusal_add(&out->refusal, " and initrd_addr_max ");
        linux_refusal_add_hex(&out->refusal, kernel->initrd_addr_max);
        return refuse(out, why, HV_ERANGE);
    }
    out->initrd_gpa = align_down(initrd_top - out->initrd_bytes, LINUX_PAGE_BYTES);
    return 0;
}

int linux_plan_layout(const struct bzimage_info *kernel, uint64_t ram_bytes,
                      uint64_t initrd_bytes, uint64_t cmdline_length,
                      struct linux_layout *out, const char **why)
{
    int error;

    memset(out, 0, sizeof *out);
    out->gdt_gpa = LINUX_GDT_GPA;
    out->page_tables_gpa = LINUX_PAGE_TABLES_GPA;
    out->stack_top_gpa = LINUX_STACK_TOP_GPA;
    out->zero_page_gpa = LINUX_ZERO_PAGE_GPA;
    out->cmdline_gpa = LINUX_CMDLINE_GPA;
    out->ram_bytes = ram_bytes;
    out->initrd_bytes = initrd_bytes;

    error = check_ram_size(ram_bytes, out, why);
    if (error)
        return error;
    error = check_cmdline(kernel, cmdline_length, out, why);
    if (error)
        return error;
    error = place_kernel(kernel, out, why);
    if (error)
        return error;
    return place_initrd(kernel, out, why);
}

/* ---- what the guest reads ---- */

/* Like a PC: RAM below the EBDA, the EBDA-VGA-ROM-BIOS hole reserved (the guest's
 * RAM is there, but a kernel expects firmware there and must not be handed it),
 * then RAM from 1 MiB to the end. */
unsigned linux_build_e820(struct e820_entry *table, unsigned capacity, uint64_t ram_bytes)
{
    const struct e820_entry map[] = {
        { 0, LINUX_EBDA_GPA, E820_TYPE_RAM },
        { LINUX_EBDA_GPA, LINUX_HIGH_MEMORY_GPA - LINUX_EBDA_GPA, E820_TYPE_RESERVED },
        { LINUX_HIGH_MEMORY_GPA, ram_bytes - LINUX_HIGH_MEMORY_GPA, E820_TYPE_RAM },
    };
    unsigned count = ram_bytes > LINUX_HIGH_MEMORY_GPA ? 3 : 2;

    if (count > capacity)
        count = capacity;
    memcpy(table, map, count * sizeof map[0]);
    return count;
}

static uint32_t low_32(uint64_t value)
{
    return (uint32_t)value;
}

static uint32_t high_32(uint64_t value)
{
    return (uint32_t)(value >> 32);
}

/* The header is the kernel's, copied from the file; the loader then writes its own
 * fields ("DETAILS OF HEADER FIELDS", type write/modify). Fields left alone:
 *   - sentinel (0x1ef) stays 0: the copy starts at 0x1f1. A nonzero sentinel tells
 *     the kernel the loader copied more than the header, and it then clears fields;
 *   - heap_end_ptr, and CAN_USE_HEAP clear: the heap serves the real-mode setup
 *     code, which the 64-bit entry skips;
 *   - screen_info stays zero (no VGA console, so the decompressor writes none);
 *   - acpi_rsdp_addr stays 0: no ACPI tables are given. */
void linux_fill_boot_params(struct boot_params *zero_page, const void *kernel_file,
                            const struct bzimage_info *kernel,
                            const struct linux_layout *layout)
{
    struct setup_header *header = &zero_page->hdr;

    memset(zero_page, 0, sizeof *zero_page);
    bzimage_copy_setup_header(header, kernel_file, kernel->setup_header_end);

    header->type_of_loader = TYPE_OF_LOADER_UNDEFINED;   /* no assigned loader id */
    header->loadflags = LOADFLAGS_LOADED_HIGH;           /* QUIET clear: early messages print */
    header->vid_mode = VID_MODE_NORMAL;
    header->code32_start = low_32(layout->kernel_gpa);   /* (reloc): where the kernel is */
    header->hardware_subarch = HARDWARE_SUBARCH_PC;
    header->setup_data = 0;                              /* no setup_data list */

    header->ramdisk_image = low_32(layout->initrd_gpa);
    zero_page->ext_ramdisk_image = high_32(layout->initrd_gpa);
    header->ramdisk_size = low_32(layout->initrd_bytes);
    zero_page->ext_ramdisk_size = high_32(layout->initrd_bytes);
    header->cmd_line_ptr = low_32(layout->cmdline_gpa);
    zero_page->ext_cmd_line_ptr = high_32(layout->cmdline_gpa);

    zero_page->acpi_rsdp_addr = 0;
    zero_page->e820_entries = (uint8_t)linux_build_e820(zero_page->e820_table,
                                                        BOOT_PARAMS_E820_MAX_ENTRIES,
                                                        layout->ram_bytes);
}

void linux_fill_page_tables(uint64_t *three_pages, uint64_t page_tables_gpa, uint64_t ram_bytes)
{
    uint64_t *pml4 = three_pages;
    uint64_t *pdpt = three_pages + LINUX_PAGE_TABLE_ENTRIES;
    uint64_t *pd = three_pages + 2 * LINUX_PAGE_TABLE_ENTRIES;
    uint64_t pages = min_u64(ram_bytes / LINUX_LARGE_PAGE_BYTES, LINUX_PAGE_TABLE_ENTRIES);

    memset(three_pages, 0, 3 * LINUX_PAGE_BYTES);
    pml4[0] = (page_tables_gpa + LINUX_PAGE_BYTES) | LINUX_PAGE_PRESENT | LINUX_PAGE_WRITABLE;
    pdpt[0] = (page_tables_gpa + 2 * LINUX_PAGE_BYTES) | LINUX_PAGE_PRESENT | LINUX_PAGE_WRITABLE;
    for (uint64_t i = 0; i < pages; i++)
        pd[i] = i * LINUX_LARGE_PAGE_BYTES | LINUX_PAGE_PRESENT | LINUX_PAGE_WRITABLE |
                LINUX_PAGE_LARGE;
}

void linux_fill_gdt(uint64_t *gdt_entries, unsigned count)
{
    /* Indexed by selector / 8. */
    static const uint64_t descriptors[LINUX_GDT_ENTRIES] = {
        [LINUX_BOOT_CS / 8] = LINUX_DESCRIPTOR_CODE64,
        [LINUX_BOOT_DS / 8] = LINUX_DESCRIPTOR_DATA,
    };

    for (unsigned i = 0; i < count; i++)
        gdt_entries[i] = i < LINUX_GDT_ENTRIES ? descriptors[i] : 0;
}
