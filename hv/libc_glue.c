/* newlib's system-call layer (built without its own syscalls): stdout and stderr go
 * to the console, sbrk hands out a fixed arena, everything else fails politely. */
#include "hv/libc_glue.h"

#include <errno.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "hv/console.h"
#include "hv/platform.h"

#undef errno
extern int errno;

static char *heap_base;
static size_t heap_bytes;
static size_t heap_used;

void libc_set_heap(void *base, size_t bytes)
{
    heap_base = base;
    heap_bytes = bytes;
    heap_used = 0;
}

void *sbrk(ptrdiff_t increment)
{
    if (!heap_base || increment < 0 || (size_t)increment > heap_bytes - heap_used) {
        errno = ENOMEM;
        return (void *)-1;
    }
    void *previous = heap_base + heap_used;
    heap_used += (size_t)increment;
    return previous;
}

int write(int fd, const void *buffer, size_t length)
{
    if (fd != 1 && fd != 2) {
        errno = EBADF;
        return -1;
    }
    console_write(buffer, length);
    return (int)length;
}

int read(int fd, void *buffer, size_t length)
{
    (void)fd;
    (void)buffer;
    (void)length;
    errno = EBADF;
    return -1;
}

int close(int fd)
{
    (void)fd;
    errno = EBADF;
    return -1;
}

int fstat(int fd, struct stat *st)
{
    (void)fd;
    st->st_mode = S_IFCHR;
    return 0;
}

int isatty(int fd)
{
    return fd <= 2;
}

off_t lseek(int fd, off_t offset, int whence)
{
    (void)fd;
    (void)offset;
    (void)whence;
    errno = ESPIPE;
    return -1;
}

int getpid(void)
{
    return 1;
}

int kill(int pid, int signal)
{
    (void)pid;
    (void)signal;
    errno = EINVAL;
    return -1;
}

void _exit(int status)
{
    log_line("hv", "libc exit(%d)", status);
    platform_finish(status == 0 ? MINISVM_OK : MINISVM_HOST_FAULT);
}
