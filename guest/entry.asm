; The first bytes of the test-guest image, entered by minisvm at GUEST_IMAGE_GPA in
; 64-bit mode at CPL 0, RDI = GUEST_BOOT_INFO_GPA (guest/abi.h). Clears .bss (the
; flat image does not contain it and guest RAM need not be zero), moves to the
; guest's own stack and calls guest_main(boot_info).

bits 64
default rel

extern guest_main
extern __bss_start
extern __bss_end

section .text.entry progbits alloc exec nowrite align=16
global _start
_start:
        cli
        cld                             ; the C ABI wants DF = 0
        mov r12, rdi                    ; boot info GPA; rep stosb uses RDI
        lea rdi, [__bss_start]
        lea rcx, [__bss_end]
        sub rcx, rdi
        xor eax, eax
        rep stosb
        lea rsp, [kernel_stack_top]
        xor ebp, ebp                    ; ends frame-pointer walks in a debugger
        mov rdi, r12
        call guest_main
        ; guest_main does not return; should it, HLT with IF=0 ends the VM.
.halt:  hlt
        jmp .halt

section .bss
align 16
kernel_stack:
        resb 32768
kernel_stack_top:

section .note.GNU-stack noalloc noexec nowrite progbits
