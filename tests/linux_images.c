/* Kernel images for the Linux boot-protocol tests (test_bzimage.c,
 * test_linux_layout.c): a small fake bzImage, and the Debian kernels installed on
 * the machine, read whole. See: boot.rst, "THE REAL-MODE KERNEL HEADER". */
#include "linux_images.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hv/linux/boot_params.h"

void put_little_endian(uint8_t *file, size_t offset, uint64_t value, unsigned bytes)
{
    for (unsigned i = 0; i < bytes; i++)
        file[offset + i] = (uint8_t)(value >> (8 * i));
}

/* A kernel shaped like Debian's 6.1: 3 setup sectors (setup 0x800 bytes with the boot
 * sector), then 0x800 bytes of protected-mode kernel holding a 0x600-byte payload at
 * 0x100. Bytes around the header are 0xcc, so a copy that strays shows. */
void fake_bzimage_build(uint8_t *file)
{
    memset(file, 0xcc, FAKE_BZIMAGE_BYTES);
    memset(file + SETUP_HEADER_OFFSET, 0, 0x26c - SETUP_HEADER_OFFSET);
    put_little_endian(file, 0x1f1, 3, 1);                /* setup_sects */
    put_little_endian(file, 0x1fe, 0xaa55, 2);           /* boot_flag */
    put_little_endian(file, 0x200, 0x6aeb, 2);           /* jmp 0x26c: the header ends at 0x26c */
    memcpy(file + 0x202, "HdrS", 4);
    put_little_endian(file, 0x206, 0x020f, 2);           /* protocol 2.15 */
    put_little_endian(file, 0x211, LOADFLAGS_LOADED_HIGH, 1);
    put_little_endian(file, 0x224, 0x5be0, 2);           /* heap_end_ptr */
    put_little_endian(file, 0x22c, 0x7fffffff, 4);       /* initrd_addr_max */
    put_little_endian(file, 0x230, 0x200000, 4);         /* kernel_alignment */
    put_little_endian(file, 0x234, 1, 1);                /* relocatable_kernel */
    put_little_endian(file, 0x235, 0x15, 1);             /* min_alignment */
    put_little_endian(file, 0x236, XLF_KERNEL_64 | XLF_CAN_BE_LOADED_ABOVE_4G, 2);
    put_little_endian(file, 0x238, 2047, 4);             /* cmdline_size */
    put_little_endian(file, 0x248, 0x100, 4);            /* payload_offset */
    put_little_endian(file, 0x24c, 0x600, 4);            /* payload_length */
    put_little_endian(file, 0x258, 0x1000000, 8);        /* pref_address */
    put_little_endian(file, 0x260, 0x2a00000, 4);        /* init_size */
    put_little_endian(file, 0x264, 0x190, 4);            /* handover_offset */
}

uint8_t *read_whole_file(const char *path, size_t *bytes)
{
    FILE *stream = fopen(path, "rb");
    uint8_t *data = NULL;
    long size;

    if (stream == NULL)
        return NULL;
    if (fseek(stream, 0, SEEK_END) == 0 && (size = ftell(stream)) > 0 &&
        fseek(stream, 0, SEEK_SET) == 0) {
        data = malloc((size_t)size);
        if (data != NULL && fread(data, 1, (size_t)size, stream) != (size_t)size) {
            free(data);
            data = NULL;
        }
        *bytes = (size_t)size;
    }
    fclose(stream);
    return data;
}

bool installed_cloud_kernels(glob_t *found)
{
    if (glob(INSTALLED_CLOUD_KERNELS, 0, NULL, found) == 0)
        return true;
    globfree(found);
    return false;
}
