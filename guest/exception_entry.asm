; The entry stubs of the guest's IDT: one per exception vector 0-31 and one for
; int 0x80 (the way back from CPL 3). Each builds a struct exception_frame (idt.h)
; and calls exception_dispatch(), which may change the frame (RIP, CS, SS, RSP,
; RAX) before the stub returns through it with IRETQ.
; See: APM Vol. 2 §8.2 (vectors), §8.9.3 (long-mode interrupt stack frame).

bits 64
default rel

extern exception_dispatch

; The CPU pushes an error code for these vectors only (#DF, #TS, #NP, #SS, #GP,
; #PF, #AC, #CP, #VC, #SX); the others get a 0 so every frame has the same shape.
%macro EXCEPTION_STUB 1
exception_stub_%1:
%if (%1 == 8) || (%1 >= 10 && %1 <= 14) || (%1 == 17) || (%1 == 21) || (%1 == 29) || (%1 == 30)
%else
        push 0
%endif
        push %1
        jmp exception_common
%endmacro

section .text

%assign vector 0
%rep 32
EXCEPTION_STUB vector
%assign vector vector + 1
%endrep
EXCEPTION_STUB 128                      ; int 0x80

; 15 GPRs + vector + error code + the CPU's 5 words = 22 words = 176 bytes, a
; multiple of 16: as the CPU aligns RSP to 16 before pushing, the call below
; meets the ABI's alignment.
exception_common:
        push rax
        push rbx
        push rcx
        push rdx
        push rsi
        push rdi
        push rbp
        push r8
        push r9
        push r10
        push r11
        push r12
        push r13
        push r14
        push r15
        cld
        mov rdi, rsp
        call exception_dispatch
        pop r15
        pop r14
        pop r13
        pop r12
        pop r11
        pop r10
        pop r9
        pop r8
        pop rbp
        pop rdi
        pop rsi
        pop rdx
        pop rcx
        pop rbx
        pop rax
        add rsp, 16                     ; vector and error code
        iretq

section .rodata
align 8
global exception_stub_table
exception_stub_table:
%assign vector 0
%rep 32
        dq exception_stub_ %+ vector
%assign vector vector + 1
%endrep
global system_call_stub
system_call_stub:
        dq exception_stub_128

section .note.GNU-stack noalloc noexec nowrite progbits
