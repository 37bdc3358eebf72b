; The first bytes of the test-guest image, entered by minisvm at GUEST_IMAGE_GPA in
; 64-bit mode at CPL 0, RDI = GUEST_BOOT_INFO_GPA (guest/abi.h): guest_main(boot_info)
; after the common start (guest/entry.inc).

bits 64
default rel

%include "guest/entry.inc"

extern guest_main

section .text.entry progbits alloc exec nowrite align=16
global _start
_start:
        GUEST_START guest_main

section .note.GNU-stack noalloc noexec nowrite progbits
