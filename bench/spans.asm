; The measured spans of the benchmark guest: each function reads the TSC, executes
; one instruction that minisvm intercepts, reads the TSC again and returns the
; difference. Written in assembly so that the span holds exactly the instructions
; listed here, whatever the compiler does: under QEMU's -icount the difference is an
; instruction count, and every instruction in the span is part of it.
; Called from bench/main.c; prototypes in bench/spans.h.
; See: APM Vol. 3 RDTSC and LFENCE (LFENCE keeps RDTSC from running ahead of the
; instructions before it), APM Vol. 2 §15.9-§15.13 (the intercepts measured here).

bits 64
default rel

; The span's first TSC read: R8 keeps it (RDTSC writes EDX:EAX). Counted in the
; span: the SHL, OR and MOV after the first RDTSC, then the case's own instructions,
; then the LFENCE and RDTSC of SPAN_END. An empty span (span_empty) measures them.
%macro SPAN_BEGIN 0
        lfence
        rdtsc
        shl rdx, 32
        or rax, rdx
        mov r8, rax
%endmacro

; The second read; returns the span in RAX and leaves its end in span_end_tsc,
; where the yield case finds how long the guest ran between two spans.
%macro SPAN_END 0
        lfence
        rdtsc
        shl rdx, 32
        or rax, rdx
        mov [span_end_tsc], rax
        sub rax, r8
%endmacro

section .text

; uint64_t span_empty(void): the measurement's own cost, around no instruction.
global span_empty
span_empty:
        SPAN_BEGIN
        SPAN_END
        ret

; uint64_t span_cpuid_leaf0(void): CPUID with EAX = ECX = 0 (the vendor leaf).
global span_cpuid_leaf0
span_cpuid_leaf0:
        push rbx                        ; CPUID writes EBX, which the caller keeps
        SPAN_BEGIN
        xor eax, eax
        xor ecx, ecx
        cpuid
        SPAN_END
        pop rbx
        ret

; uint64_t span_vmmcall(uint64_t number): VMMCALL with RAX = number, RDI as it came
; (the number again) as the first argument; the result is dropped.
global span_vmmcall
span_vmmcall:
        SPAN_BEGIN
        mov rax, rdi
        vmmcall
        SPAN_END
        ret

; uint64_t span_out8(uint64_t port, uint64_t value): OUT DX, AL.
global span_out8
span_out8:
        SPAN_BEGIN
        mov edx, edi
        mov eax, esi
        out dx, al
        SPAN_END
        ret

; uint64_t span_in8(uint64_t port): IN AL, DX; the byte read is dropped.
global span_in8
span_in8:
        SPAN_BEGIN
        mov edx, edi
        in al, dx
        SPAN_END
        ret

; uint64_t span_rdmsr(uint64_t msr): RDMSR; the value read is dropped.
global span_rdmsr
span_rdmsr:
        SPAN_BEGIN
        mov ecx, edi
        rdmsr
        SPAN_END
        ret

; uint64_t span_wrmsr(uint64_t msr, uint64_t value): WRMSR of value.
global span_wrmsr
span_wrmsr:
        mov r9, rsi
        shr r9, 32                      ; the high half, prepared outside the span
        SPAN_BEGIN
        mov ecx, edi
        mov eax, esi
        mov edx, r9d
        wrmsr
        SPAN_END
        ret

; uint64_t span_npf_write(uint64_t address): one byte store to address, which the
; caller made read-only in the nested page tables and announced with HC_EXPECT_NPF,
; recovery RIP span_npf_recovery. minisvm resumes the guest there with every
; register as it was at the store, so the span's start is still in R8.
global span_npf_write
global span_npf_recovery
span_npf_write:
        SPAN_BEGIN
        mov byte [rdi], 0               ; #NPF: the write is not done
span_npf_recovery:
        SPAN_END
        ret

; uint64_t tsc_scan(uint64_t reads, uint64_t threshold, uint64_t *deltas,
;                   uint64_t capacity, uint64_t *smallest)
; Reads the TSC `reads` times (at least 3) in a tight loop and stores each difference
; between two successive reads that exceeds threshold (something happened in
; between: an exit) in deltas, up to capacity of them (at least 1); returns how many
; it stored, and the smallest difference seen, the loop's own cost, in *smallest.
; Every moment of the loop lies between two reads, so no exit goes unseen, and every
; difference spans one pass of the same instructions: the first read, which has no
; previous one, takes the same path with a difference too large to be the smallest
; and is dropped at .exit_seen, off the loop's path.
global tsc_scan
tsc_scan:
        push rbx
        push r12
        mov r12, rdi                    ; RDI = R12: the first pass
        mov r9, rdx                     ; deltas: RDTSC writes RDX
        mov r10, rcx                    ; capacity
        mov r11, -1                     ; the smallest difference so far
        xor ebx, ebx                    ; differences stored
        xor ecx, ecx                    ; the previous read: none yet
.read:
        lfence
        rdtsc
        shl rdx, 32
        or rax, rdx
        mov rdx, rax
        sub rax, rcx                    ; since the previous read
        mov rcx, rdx
        cmp rax, r11
        cmovb r11, rax
        cmp rax, rsi
        ja .exit_seen
.next:
        dec rdi
        jnz .read
.done:
        mov [r8], r11
        mov rax, rbx
        pop r12
        pop rbx
        ret
.exit_seen:
        cmp rdi, r12
        je .next                        ; the first read: no difference to keep
        mov [r9 + rbx * 8], rax
        inc rbx
        cmp rbx, r10
        jb .next
        jmp .done

section .bss
align 8
global span_end_tsc
span_end_tsc:
        resq 1

section .note.GNU-stack noalloc noexec nowrite progbits
