/* Where a Linux guest's pieces go in guest-physical memory, the memory map it is
 * told (e820), and the zero page, GDT and page tables its 64-bit entry needs.
 * See: Documentation/arch/x86/boot.rst, "64-bit BOOT PROTOCOL", "DETAILS OF HEADER
 * FIELDS" (init_size, pref_address, initrd_addr_max) and "THE KERNEL COMMAND LINE". */
#ifndef HV_LINUX_LINUX_LAYOUT_H
#define HV_LINUX_LINUX_LAYOUT_H

#include <stdint.h>

#include "hv/linux/boot_params.h"
#include "hv/linux/bzimage.h"

/* Guest RAM is GPA 0 .. ram_bytes, all of it backed and mapped; the e820 map says
 * which of it the kernel may use. The fixed part sits in low memory, below the EBDA:
 *
 *   0x000000  unused (the real-mode IVT and BIOS data area: left zero)
 *   0x001000  GDT: null, null, __BOOT_CS (0x10), __BOOT_DS (0x18)
 *   0x002000  PML4, 0x003000 PDPT, 0x004000 PD: identity map of RAM, 2 MiB pages
 *   0x005000  boot stack, 8 KiB, growing down from 0x7000
 *   0x007000  zero page (struct boot_params), RSI at entry
 *   0x008000  command line, up to 4095 bytes and a NUL
 *   0x009000  free low memory
 *   0x09f000  reserved: EBDA, VGA memory, option ROMs, BIOS (as on a PC)
 *   0x100000  free
 *   kernel_gpa  protected-mode kernel; it needs max(init_size, its size) bytes here
 *   ...       free
 *   initrd_gpa  initrd, page aligned, as high as RAM and initrd_addr_max allow
 *   ram_bytes */
#define LINUX_GDT_GPA              0x1000
#define LINUX_PAGE_TABLES_GPA      0x2000   /* three pages: PML4, PDPT, PD */
#define LINUX_STACK_BOTTOM_GPA     0x5000
#define LINUX_STACK_TOP_GPA        0x7000
#define LINUX_ZERO_PAGE_GPA        0x7000
#define LINUX_CMDLINE_GPA          0x8000
#define LINUX_CMDLINE_MAX_LENGTH   4095     /* the page at 0x8000, less the NUL */
#define LINUX_EBDA_GPA             0x9f000
#define LINUX_HIGH_MEMORY_GPA      0x100000 /* 1 MiB: where a bzImage's kernel may start */
#define LINUX_KERNEL_DEFAULT_GPA   0x1000000 /* 16 MiB, when pref_address is below 1 MiB */
#define LINUX_ENTRY_64_OFFSET      0x200    /* the 64-bit entry: load address + 0x200 */

#define LINUX_PAGE_BYTES           0x1000
#define LINUX_LARGE_PAGE_BYTES     0x200000 /* one PD entry maps 2 MiB */
#define LINUX_PAGE_TABLE_ENTRIES   512
/* One page directory maps 512 x 2 MiB: the most RAM the boot page tables can cover. */
#define LINUX_RAM_MAX_BYTES        (1ull << 30)

/* Long-mode page-table entry bits (AMD64 APM Vol. 2 §5.3.3). */
#define LINUX_PAGE_PRESENT         (1ull << 0)
#define LINUX_PAGE_WRITABLE        (1ull << 1)
#define LINUX_PAGE_LARGE           (1ull << 7)   /* PS: in a PD entry, a 2 MiB page */

/* CPU state at the 64-bit entry ("64-bit BOOT PROTOCOL"); the caller sets it in the
 * VMCB save area:
 *   - long mode with paging: EFER.LME = EFER.LMA = 1, CR0.PE = CR0.PG = 1,
 *     CR4.PAE = 1, CR3 = page_tables_gpa. The identity map covers all of RAM, so
 *     the kernel's [load, load + init_size), the zero page and the command line;
 *   - GDTR = { gdt_gpa, LINUX_GDT_BYTES - 1 }, built by linux_fill_gdt;
 *   - CS = LINUX_BOOT_CS (64-bit code, execute/read) and DS = ES = SS =
 *     LINUX_BOOT_DS (flat 4 GiB read/write), their hidden parts base 0, limit
 *     0xffffffff and the attributes below; FS and GS like DS (the protocol leaves
 *     them open; the 16-bit protocol recommends fs = gs = ds);
 *   - interrupts disabled: RFLAGS = 0x2 (IF = 0); no IDT is needed before the
 *     kernel loads its own;
 *   - RSI = zero_page_gpa, RIP = entry_gpa, RSP = stack_top_gpa; other registers 0.
 */
#define LINUX_BOOT_CS              0x10   /* __BOOT_CS */
#define LINUX_BOOT_DS              0x18   /* __BOOT_DS */
/* Slot 1 (selector 0x08) stays null: nothing loads it, and a stray load of it faults
 * instead of silently working. */
#define LINUX_GDT_ENTRIES          4
#define LINUX_GDT_BYTES            (LINUX_GDT_ENTRIES * 8)

/* Base 0, limit 0xfffff with G = 1 (4 GiB), present, DPL 0, S = 1, and the accessed
 * bit already set, so that the CPU never writes the GDT when a selector is loaded
 * and the VMCB's hidden copy equals what a reload would give.
 *   code: type 0xb (execute/read, accessed), L = 1, D = 0 (64-bit code);
 *   data: type 0x3 (read/write, accessed), D/B = 1. */
#define LINUX_DESCRIPTOR_CODE64    0x00af9b000000ffffull
#define LINUX_DESCRIPTOR_DATA      0x00cf93000000ffffull

/* The VMCB keeps a segment's attributes compressed into 12 bits: descriptor bits
 * 47:40 (type, S, DPL, P) in attrib 7:0 and bits 55:52 (AVL, L, D/B, G) in 11:8
 * (APM Vol. 2 §15.5.1 "Basic Operation"; Appendix B Table B-2, the save area). */
#define LINUX_VMCB_ATTRIB(descriptor) \
    ((uint16_t)((((descriptor) >> 40) & 0xff) | ((((descriptor) >> 52) & 0xf) << 8)))
#define LINUX_BOOT_CS_ATTRIB       LINUX_VMCB_ATTRIB(LINUX_DESCRIPTOR_CODE64)   /* 0x0a9b */
#define LINUX_BOOT_DS_ATTRIB       LINUX_VMCB_ATTRIB(LINUX_DESCRIPTOR_DATA)     /* 0x0c93 */
#define LINUX_BOOT_SEGMENT_LIMIT   0xffffffffu

struct linux_layout {
    uint64_t gdt_gpa;
    uint64_t page_tables_gpa;        /* PML4; the PDPT and PD follow, one page each */
    uint64_t stack_top_gpa;
    uint64_t zero_page_gpa;
    uint64_t cmdline_gpa;
    uint64_t kernel_gpa;             /* where the protected-mode kernel is copied */
    uint64_t entry_gpa;              /* kernel_gpa + 0x200 */
    uint64_t initrd_gpa;             /* 0 when there is no initrd */
    uint64_t initrd_bytes;
    uint64_t ram_bytes;
    struct linux_refusal refusal;    /* the text *why points to when planning fails */
};

/* Places everything for a kernel bzimage_parse accepted, ram_bytes of RAM, an initrd
 * of initrd_bytes (0: none) and a command line of cmdline_length bytes without its
 * NUL. Returns 0, or HV_ERANGE / HV_EINVAL with *why (in out->refusal) when the RAM
 * size is unusable, the command line too long, the RAM too small, or the initrd
 * cannot sit below initrd_addr_max. */
int linux_plan_layout(const struct bzimage_info *kernel, uint64_t ram_bytes,
                      uint64_t initrd_bytes, uint64_t cmdline_length,
                      struct linux_layout *out, const char **why);

/* Writes the guest's memory map: low RAM, the reserved EBDA-to-1-MiB hole, then RAM
 * from 1 MiB up. Writes at most capacity entries; returns how many it wrote. */
unsigned linux_build_e820(struct e820_entry *table, unsigned capacity, uint64_t ram_bytes);

/* Fills the zero page: zeroed, the kernel's setup header copied in, then the fields
 * a loader writes (see linux_layout.c). kernel_file is the whole bzImage. */
void linux_fill_boot_params(struct boot_params *zero_page, const void *kernel_file,
                            const struct bzimage_info *kernel,
                            const struct linux_layout *layout);

/* Fills three contiguous pages (the host's view of page_tables_gpa) with an identity
 * map of [0, ram_bytes) in 2 MiB pages: PML4[0] -> PDPT, PDPT[0] -> PD, PD[i] = i * 2 MiB. */
void linux_fill_page_tables(uint64_t *three_pages, uint64_t page_tables_gpa, uint64_t ram_bytes);

/* Fills count GDT slots: null, null, LINUX_DESCRIPTOR_CODE64, LINUX_DESCRIPTOR_DATA,
 * and null for any slot past those four. */
void linux_fill_gdt(uint64_t *gdt_entries, unsigned count);

#endif
