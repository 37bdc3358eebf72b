/* Kernel images for the Linux boot-protocol tests: a fake bzImage to break on
 * purpose, and Debian's installed cloud kernels (tests that use them have no rows
 * when none is installed: a missing package never fails a unit test). */
#ifndef TESTS_LINUX_IMAGES_H
#define TESTS_LINUX_IMAGES_H

#include <glob.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FAKE_BZIMAGE_BYTES 0x1000
#define INSTALLED_CLOUD_KERNELS "/boot/vmlinuz-*-cloud-amd64"

/* Writes value as bytes bytes, least significant first, at file[offset]. */
void put_little_endian(uint8_t *file, size_t offset, uint64_t value, unsigned bytes);
/* Fills FAKE_BZIMAGE_BYTES bytes with a kernel shaped like Debian's 6.1. */
void fake_bzimage_build(uint8_t *file);
/* The whole file in malloc'ed memory (the caller frees it), or NULL. */
uint8_t *read_whole_file(const char *path, size_t *bytes);
/* The installed cloud kernels; false (and nothing to free) when there are none. */
bool installed_cloud_kernels(glob_t *found);

#endif
