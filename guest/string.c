/* memset, memcpy and memcmp for the guest: gcc may emit calls to them even with
 * -ffreestanding (for struct copies and zeroing), so a libc-free image needs them.
 * memset and memcpy use the string instructions: a plain C loop could be turned
 * back into a call to memset by the optimiser, recursing forever. */
#include <stddef.h>
#include <stdint.h>

void *memset(void *destination, int value, size_t bytes)
{
    void *d = destination;

    __asm__ volatile("rep stosb" : "+D"(d), "+c"(bytes) : "a"(value) : "memory");
    return destination;
}

void *memcpy(void *destination, const void *source, size_t bytes)
{
    void *d = destination;

    __asm__ volatile("rep movsb" : "+D"(d), "+S"(source), "+c"(bytes) : : "memory");
    return destination;
}

int memcmp(const void *left, const void *right, size_t bytes)
{
    const uint8_t *l = left, *r = right;

    for (size_t i = 0; i < bytes; i++)
        if (l[i] != r[i])
            return l[i] < r[i] ? -1 : 1;
    return 0;
}
