/* The Linux x86 "zero page" (struct boot_params) and the setup header inside it:
 * the one page a boot loader fills in before it jumps to a 64-bit kernel.
 * See: Documentation/arch/x86/boot.rst, "THE REAL-MODE KERNEL HEADER" and "DETAILS
 * OF HEADER FIELDS"; Documentation/arch/x86/zero-page.rst for the rest of the page. */
#ifndef HV_LINUX_BOOT_PARAMS_H
#define HV_LINUX_BOOT_PARAMS_H

#include <stddef.h>
#include <stdint.h>

/* Only the fields minisvm reads or writes have names; the bytes between them are
 * padding named after their offset, with the fields they hold in a comment. Every
 * named field's offset is asserted below against the tables in boot.rst and
 * zero-page.rst, so that the struct cannot drift from the documents. */

/* In the kernel file, the setup header starts at 0x1f1; its length is given by the
 * jump at 0x200 (0xeb, then a signed byte offset from 0x202). A forward short jump
 * reaches 0x7f bytes at most, so the header can never end after 0x281. */
#define SETUP_HEADER_OFFSET       0x1f1
#define SETUP_HEADER_LENGTH_BYTE  0x201
#define SETUP_HEADER_JUMP_END     0x202
#define SETUP_HEADER_MAX_END      0x281

#define SETUP_HEADER_BOOT_FLAG    0xaa55
#define SETUP_HEADER_MAGIC        0x53726448u   /* "HdrS" read as a little-endian u32 */
#define SETUP_SECTOR_BYTES        512

/* loadflags (0x211) */
#define LOADFLAGS_LOADED_HIGH     0x01   /* protected-mode code loads at 1 MiB: a bzImage */
#define LOADFLAGS_QUIET           0x20
#define LOADFLAGS_CAN_USE_HEAP    0x80

/* xloadflags (0x236, protocol 2.12+) */
#define XLF_KERNEL_64                0x01   /* a 64-bit entry point at load + 0x200 */
#define XLF_CAN_BE_LOADED_ABOVE_4G   0x02

/* type_of_loader (0x210): 0xff is "undefined", for a loader without an assigned id. */
#define TYPE_OF_LOADER_UNDEFINED  0xff
/* vid_mode (0x1fa): 0xffff is "normal", the mode the kernel finds the display in. */
#define VID_MODE_NORMAL           0xffff
/* hardware_subarch (0x23c): 0 is the default x86/PC environment. */
#define HARDWARE_SUBARCH_PC       0

/* One range of the memory map handed to the kernel (zero-page.rst: e820_table). */
struct __attribute__((packed)) e820_entry {
    uint64_t addr;
    uint64_t size;
    uint32_t type;
};

_Static_assert(sizeof(struct e820_entry) == 20, "an e820 entry is 20 bytes");

#define E820_TYPE_RAM       1
#define E820_TYPE_RESERVED  2

#define BOOT_PARAMS_E820_MAX_ENTRIES 128
#define BOOT_PARAMS_BYTES            4096

/* The setup header, from 0x1f1 (offsets in the comments are from the start of the
 * file, which are also offsets in boot_params). It runs to the longest header the
 * jump can describe, so that any header copies into it whole. */
struct __attribute__((packed)) setup_header {
    uint8_t setup_sects;               /* 0x1f1 setup size in sectors; 0 means 4 */
    uint8_t unused_0x1f2[8];           /* 0x1f2 root_flags, syssize, ram_size */
    uint16_t vid_mode;                 /* 0x1fa */
    uint8_t unused_0x1fc[2];           /* 0x1fc root_dev */
    uint16_t boot_flag;                /* 0x1fe 0xaa55 */
    uint16_t jump;                     /* 0x200 0xeb, then the header length - 2 */
    uint32_t header;                   /* 0x202 "HdrS" */
    uint16_t version;                  /* 0x206 (major << 8) | minor */
    uint8_t unused_0x208[8];           /* 0x208 realmode_swtch, start_sys_seg, kernel_version */
    uint8_t type_of_loader;            /* 0x210 */
    uint8_t loadflags;                 /* 0x211 LOADFLAGS_* */
    uint8_t unused_0x212[2];           /* 0x212 setup_move_size */
    uint32_t code32_start;             /* 0x214 */
    uint32_t ramdisk_image;            /* 0x218 low 32 bits; high ones in ext_ramdisk_image */
    uint32_t ramdisk_size;             /* 0x21c */
    uint8_t unused_0x220[4];           /* 0x220 bootsect_kludge */
    uint16_t heap_end_ptr;             /* 0x224 */
    uint8_t unused_0x226[2];           /* 0x226 ext_loader_ver, ext_loader_type */
    uint32_t cmd_line_ptr;             /* 0x228 low 32 bits; high ones in ext_cmd_line_ptr */
    uint32_t initrd_addr_max;          /* 0x22c the highest byte the initrd may occupy */
    uint32_t kernel_alignment;         /* 0x230 */
    uint8_t relocatable_kernel;        /* 0x234 */
    uint8_t min_alignment;             /* 0x235 a power of two */
    uint16_t xloadflags;               /* 0x236 XLF_* */
    uint32_t cmdline_size;             /* 0x238 without the terminating NUL */
    uint32_t hardware_subarch;         /* 0x23c */
    uint8_t unused_0x240[8];           /* 0x240 hardware_subarch_data */
    uint32_t payload_offset;           /* 0x248 from the start of the protected-mode code */
    uint32_t payload_length;           /* 0x24c */
    uint64_t setup_data;               /* 0x250 a list of struct setup_data; 0 = none */
    uint64_t pref_address;             /* 0x258 */
    uint32_t init_size;                /* 0x260 */
    uint32_t handover_offset;          /* 0x264 */
    uint8_t unused_0x268[SETUP_HEADER_MAX_END - 0x268]; /* 0x268 kernel_info_offset, later fields */
};

_Static_assert(sizeof(struct setup_header) == SETUP_HEADER_MAX_END - SETUP_HEADER_OFFSET,
               "the setup header struct runs to the furthest end the jump can give");

struct __attribute__((packed)) boot_params {
    uint8_t unused_0x000[0x070];        /* 0x000 screen_info (zero: no VGA), apm, tboot, ist */
    uint64_t acpi_rsdp_addr;            /* 0x070 0 = no RSDP given: the kernel searches */
    uint8_t unused_0x078[0x0c0 - 0x078];/* 0x078 hd0/hd1_info, sys_desc_table, olpc */
    uint32_t ext_ramdisk_image;         /* 0x0c0 ramdisk_image bits 63:32 */
    uint32_t ext_ramdisk_size;          /* 0x0c4 ramdisk_size bits 63:32 */
    uint32_t ext_cmd_line_ptr;          /* 0x0c8 cmd_line_ptr bits 63:32 */
    uint8_t unused_0x0cc[0x1e8 - 0x0cc];/* 0x0cc cc_blob_address, edid_info, efi_info, ... */
    uint8_t e820_entries;               /* 0x1e8 */
    uint8_t unused_0x1e9[6];            /* 0x1e9 eddbuf_entries ... secure_boot */
    uint8_t sentinel;                   /* 0x1ef must stay 0, see linux_fill_boot_params */
    uint8_t unused_0x1f0;               /* 0x1f0 */
    struct setup_header hdr;            /* 0x1f1 */
    uint8_t unused_0x281[0x2d0 - SETUP_HEADER_MAX_END]; /* 0x281 edd_mbr_sig_buffer */
    struct e820_entry e820_table[BOOT_PARAMS_E820_MAX_ENTRIES]; /* 0x2d0 */
    uint8_t unused_0xcd0[BOOT_PARAMS_BYTES - 0xcd0]; /* 0xcd0 eddbuf */
};

#define BOOT_PARAMS_OFFSET(field, offset) \
    _Static_assert(offsetof(struct boot_params, field) == (offset), "boot_params." #field)

BOOT_PARAMS_OFFSET(acpi_rsdp_addr, 0x070);
BOOT_PARAMS_OFFSET(ext_ramdisk_image, 0x0c0);
BOOT_PARAMS_OFFSET(ext_ramdisk_size, 0x0c4);
BOOT_PARAMS_OFFSET(ext_cmd_line_ptr, 0x0c8);
BOOT_PARAMS_OFFSET(e820_entries, 0x1e8);
BOOT_PARAMS_OFFSET(sentinel, 0x1ef);
BOOT_PARAMS_OFFSET(hdr, 0x1f1);
BOOT_PARAMS_OFFSET(hdr.setup_sects, 0x1f1);
BOOT_PARAMS_OFFSET(hdr.vid_mode, 0x1fa);
BOOT_PARAMS_OFFSET(hdr.boot_flag, 0x1fe);
BOOT_PARAMS_OFFSET(hdr.jump, 0x200);
BOOT_PARAMS_OFFSET(hdr.header, 0x202);
BOOT_PARAMS_OFFSET(hdr.version, 0x206);
BOOT_PARAMS_OFFSET(hdr.type_of_loader, 0x210);
BOOT_PARAMS_OFFSET(hdr.loadflags, 0x211);
BOOT_PARAMS_OFFSET(hdr.code32_start, 0x214);
BOOT_PARAMS_OFFSET(hdr.ramdisk_image, 0x218);
BOOT_PARAMS_OFFSET(hdr.ramdisk_size, 0x21c);
BOOT_PARAMS_OFFSET(hdr.heap_end_ptr, 0x224);
BOOT_PARAMS_OFFSET(hdr.cmd_line_ptr, 0x228);
BOOT_PARAMS_OFFSET(hdr.initrd_addr_max, 0x22c);
BOOT_PARAMS_OFFSET(hdr.kernel_alignment, 0x230);
BOOT_PARAMS_OFFSET(hdr.relocatable_kernel, 0x234);
BOOT_PARAMS_OFFSET(hdr.min_alignment, 0x235);
BOOT_PARAMS_OFFSET(hdr.xloadflags, 0x236);
BOOT_PARAMS_OFFSET(hdr.cmdline_size, 0x238);
BOOT_PARAMS_OFFSET(hdr.hardware_subarch, 0x23c);
BOOT_PARAMS_OFFSET(hdr.payload_offset, 0x248);
BOOT_PARAMS_OFFSET(hdr.payload_length, 0x24c);
BOOT_PARAMS_OFFSET(hdr.setup_data, 0x250);
BOOT_PARAMS_OFFSET(hdr.pref_address, 0x258);
BOOT_PARAMS_OFFSET(hdr.init_size, 0x260);
BOOT_PARAMS_OFFSET(hdr.handover_offset, 0x264);
BOOT_PARAMS_OFFSET(e820_table, 0x2d0);
BOOT_PARAMS_OFFSET(e820_table[BOOT_PARAMS_E820_MAX_ENTRIES - 1], 0x2d0 + 127 * 20);

_Static_assert(sizeof(struct boot_params) == BOOT_PARAMS_BYTES, "the zero page is one 4 KiB page");

#endif
