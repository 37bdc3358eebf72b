/* The few system calls newlib needs, implemented on minisvm's own console and heap. */
#ifndef HV_LIBC_GLUE_H
#define HV_LIBC_GLUE_H

#include <stddef.h>

/* Gives malloc its arena (allocated from the firmware before ExitBootServices). */
void libc_set_heap(void *base, size_t bytes);

#endif
