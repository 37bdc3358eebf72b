/* Output on COM1, a small printf, the exception report and the exit through
 * QEMU's isa-debug-exit device. */
#include <stdarg.h>
#include "l1.h"

#define COM1 0x3f8
#define DEBUG_EXIT_PORT 0xf4

static void putc_serial(char c)
{
    if (c == '\n')
        putc_serial('\r');
    while (!(inb(COM1 + 5) & 0x20))     /* transmitter holding register empty */
        ;
    outb(COM1, c);
}

static void put_number(uint64_t v, unsigned base, int width, char pad, bool negative)
{
    char buf[24];
    int n = 0;
    do {
        buf[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    if (negative)
        buf[n++] = '-';
    while (width-- > n)
        putc_serial(pad);
    while (n)
        putc_serial(buf[--n]);
}

/* Supports %s %c %d %u %x with an optional 0 flag, width and l/ll. */
void print(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            putc_serial(*fmt);
            continue;
        }
        char pad = ' ';
        int width = 0;
        bool is_long = false;
        fmt++;
        if (*fmt == '0')
            pad = '0', fmt++;
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (*fmt++ - '0');
        while (*fmt == 'l')
            is_long = true, fmt++;
        switch (*fmt) {
        case 's': {
            const char *s = va_arg(ap, const char *);
            while (*s)
                putc_serial(*s++);
            break;
        }
        case 'c':
            putc_serial((char)va_arg(ap, int));
            break;
        case 'd': {
            int64_t v = is_long ? va_arg(ap, int64_t) : va_arg(ap, int);
            put_number(v < 0 ? -(uint64_t)v : (uint64_t)v, 10, width, pad, v < 0);
            break;
        }
        case 'u':
        case 'x': {
            uint64_t v = is_long ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);
            put_number(v, *fmt == 'u' ? 10 : 16, width, pad, false);
            break;
        }
        default:
            putc_serial('%');
            putc_serial(*fmt);
        }
    }
    va_end(ap);
}

void *memcpy(void *d, const void *s, size_t n)
{
    uint8_t *dp = d;
    const uint8_t *sp = s;
    while (n--)
        *dp++ = *sp++;
    return d;
}

void *memset(void *d, int c, size_t n)
{
    uint8_t *dp = d;
    while (n--)
        *dp++ = (uint8_t)c;
    return d;
}

/* isa-debug-exit ends QEMU with status (code << 1) | 1. */
_Noreturn void qemu_exit(unsigned code)
{
    outl(DEBUG_EXIT_PORT, code);
    for (;;)
        __asm__ volatile("cli; hlt");
}

_Noreturn void l1_exception(uint64_t vector, uint64_t error, uint64_t rip)
{
    print("Bail out! L1 exception %lu, error code 0x%lx at RIP %lx\n", vector, error, rip);
    qemu_exit(2);
}

struct idt_gate {
    uint16_t offset_low, selector;
    uint8_t ist, type;
    uint16_t offset_mid;
    uint32_t offset_high, reserved;
} __attribute__((packed));

static struct idt_gate idt[32] __attribute__((aligned(16)));

void idt_install(void)
{
    extern const uint64_t exception_stubs[32];
    for (int v = 0; v < 32; v++) {
        uint64_t a = exception_stubs[v];
        idt[v] = (struct idt_gate){ (uint16_t)a, 0x08, 0, 0x8e, (uint16_t)(a >> 16),
                                    (uint32_t)(a >> 32), 0 };
    }
    struct { uint16_t limit; uint64_t base; } __attribute__((packed)) idtr = {
        sizeof(idt) - 1, (uint64_t)idt };
    __asm__ volatile("lidt %0" :: "m"(idtr));
}
