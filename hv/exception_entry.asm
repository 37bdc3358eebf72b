; Entry stubs for the 32 CPU exception vectors. Each stub pushes a zero where the
; CPU pushes no error code, so that every frame looks the same, then the vector;
; the common path saves the general registers and calls exception_report.
; See: APM §8.2 (vectors and error codes), §8.9.3 (long-mode interrupt stack frame).

bits 64
default rel
section .text

extern exception_report
global exception_stub_table

%macro STUB_NO_ERROR 1
exception_stub_%1:
    push 0
    push %1
    jmp exception_common
%endmacro

%macro STUB_WITH_ERROR 1
exception_stub_%1:
    push %1
    jmp exception_common
%endmacro

; Vectors whose exceptions push an error code: #DF 8, #TS 10, #NP 11, #SS 12,
; #GP 13, #PF 14, #AC 17, #CP 21, #VC 29, #SX 30.
%assign v 0
%rep 32
  %if v == 8 || v == 10 || v == 11 || v == 12 || v == 13 || v == 14 || v == 17 || v == 21 || v == 29 || v == 30
    STUB_WITH_ERROR v
  %else
    STUB_NO_ERROR v
  %endif
  %assign v v + 1
%endrep

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
    mov rdi, rsp            ; struct exception_frame *
    and rsp, -16
    cld
    call exception_report   ; does not return
.hang:
    cli
    hlt
    jmp .hang

section .data
align 8
exception_stub_table:
%assign v 0
%rep 32
    dq exception_stub_ %+ v
  %assign v v + 1
%endrep

section .note.GNU-stack noalloc noexec nowrite progbits
