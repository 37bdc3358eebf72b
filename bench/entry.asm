; The first bytes of the benchmark-guest image, entered by minisvm at GUEST_IMAGE_GPA
; in 64-bit mode at CPL 0, RDI = GUEST_BOOT_INFO_GPA (guest/abi.h). The first
; instruction reads the TSC: under QEMU with -icount it counts the instructions
; executed since QEMU started, so minisvm's "tsc at efi_main" subtracted from it is
; the instruction count from efi_main to this guest's first instruction
; (scripts/bench.sh). Then the common start (guest/entry.inc) calls
; bench_main(boot_info, tsc_at_entry).

bits 64
default rel

%include "guest/entry.inc"

extern bench_main

section .text.entry progbits alloc exec nowrite align=16
global _start
_start:
        rdtsc                           ; first, before anything else
        shl rdx, 32
        or rax, rdx
        mov r13, rax                    ; the TSC at entry: bench_main's second argument
        GUEST_START bench_main

section .note.GNU-stack noalloc noexec nowrite progbits
