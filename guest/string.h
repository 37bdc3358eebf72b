/* The few string functions the guest provides itself (string.c). */
#ifndef GUEST_STRING_H
#define GUEST_STRING_H

#include <stddef.h>

void *memset(void *destination, int value, size_t bytes);
void *memcpy(void *destination, const void *source, size_t bytes);
int memcmp(const void *left, const void *right, size_t bytes);

#endif
