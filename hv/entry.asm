; hv_start(struct boot_info *info, void *stack_top): the step from the firmware's
; stack to minisvm's own, then hv_main(info), which never returns.
; System V ABI: info in rdi, stack_top in rsi.

bits 64
default rel
section .text

extern hv_main
global hv_start

hv_start:
    mov rsp, rsi
    and rsp, -16            ; the ABI wants 16-byte alignment at the call
    xor ebp, ebp            ; end of the frame-pointer chain for the register dump
    call hv_main
.hang:
    cli
    hlt
    jmp .hang

section .note.GNU-stack noalloc noexec nowrite progbits
