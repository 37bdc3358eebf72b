; The first bytes of the benchmark-guest image, entered by minisvm at GUEST_IMAGE_GPA
; in 64-bit mode at CPL 0, RDI = GUEST_BOOT_INFO_GPA (guest/abi.h). The first
; instruction reads the TSC: under QEMU with -icount it counts the instructions
; executed since QEMU started, so minisvm's "tsc at efi_main" subtracted from it is
; the instruction count from efi_main to this guest's first instruction
; (scripts/bench.sh). Then as guest/entry.asm: clear .bss, move to the guest's own
; stack and call bench_main(boot_info, tsc_at_entry).

bits 64
default rel

extern bench_main
extern __bss_start
extern __bss_end

section .text.entry progbits alloc exec nowrite align=16
global _start
_start:
        rdtsc                           ; first, before anything else
        shl rdx, 32
        or rax, rdx
        mov r13, rax                    ; the TSC at entry; rep stosb leaves R13 alone
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
        mov rsi, r13
        call bench_main
        ; bench_main does not return; should it, HLT with IF=0 ends the VM.
.halt:  hlt
        jmp .halt

section .bss
align 16
kernel_stack:
        resb 32768
kernel_stack_top:

section .note.GNU-stack noalloc noexec nowrite progbits
