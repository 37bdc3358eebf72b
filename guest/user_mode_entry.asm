; Entering CPL 3 and coming back (user_mode.c drives it), and the routines the
; tests run at CPL 3.
; See: APM Vol. 2 §8.9.3 (IRETQ to a lower privilege level), §4.12 (privilege).

bits 64
default rel

%include "registers.inc"

%define KERNEL_DATA_SELECTOR 0x10
%define USER_DATA_SELECTOR   (0x18 | 3)
%define USER_CODE_SELECTOR   (0x20 | 3)
%define USER_MODE_RETURN_VALUE 0x5eedc0de
%define MSR_EFER             0xc0000080

section .text

; uint64_t user_mode_enter(uint64_t user_rip, uint64_t user_rsp)
; Returns RAX as set by user_mode_trap(): RDI at int 0x80, or 0 after an exception.
global user_mode_enter
user_mode_enter:
        PUSH_CALLEE_SAVED
        mov [user_mode_kernel_rsp], rsp
        push USER_DATA_SELECTOR         ; SS
        push rsi                        ; RSP
        push 0x2                        ; RFLAGS: IF = 0, IOPL = 0 (port I/O at CPL 3 is #GP)
        push USER_CODE_SELECTOR         ; CS: RPL 3 makes IRETQ drop to CPL 3
        push rdi                        ; RIP
        iretq

; Reached by IRETQ from the trap handler at CPL 0, with SS = kernel data.
global user_mode_exit
user_mode_exit:
        mov rsp, [user_mode_kernel_rsp]
        ; IRETQ to CPL 3 nulled DS and ES (their DPL 0 < CPL 3); give them back.
        mov cx, KERNEL_DATA_SELECTOR
        mov ds, cx
        mov es, cx
        POP_CALLEE_SAVED
        ret

section .data
global user_mode_kernel_rsp
user_mode_kernel_rsp:
        dq 0
; A kernel-only (U/S = 0) variable for the user #PF test.
global user_mode_kernel_only_data
user_mode_kernel_only_data:
        dq 0x6b65726e656c           ; "kernel"

; Code that runs at CPL 3: its own page-aligned section, mapped U/S = 1.
section .user_text progbits alloc exec nowrite align=16

global user_return_value
user_return_value:
        mov edi, USER_MODE_RETURN_VALUE
        int 0x80
        ud2                             ; never reached: int 0x80 does not come back

global user_halt, user_halt_instruction
user_halt:
user_halt_instruction:
        hlt                             ; privileged: #GP(0) at CPL 3
        mov edi, 1                      ; reached only if hlt did not fault
        int 0x80

global user_write_msr, user_write_msr_instruction
user_write_msr:
        mov ecx, MSR_EFER
        xor eax, eax
        xor edx, edx
user_write_msr_instruction:
        wrmsr                           ; privileged: #GP(0) at CPL 3, before any intercept
        mov edi, 1
        int 0x80

global user_read_kernel_data, user_read_kernel_data_instruction
user_read_kernel_data:
user_read_kernel_data_instruction:
        mov rax, [user_mode_kernel_only_data]
        mov edi, 1
        int 0x80

section .note.GNU-stack noalloc noexec nowrite progbits
