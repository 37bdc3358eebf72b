; Probes: the instructions the tests provoke faults and interrupts with, written in
; assembly so that nothing runs between arming an expectation and the access, and
; so that the recovery label sits right after the faulting instruction.
; See: guest/abi.h (HC_EXPECT_NPF), APM Vol. 2 §15.25.6 (#NPF), §8.2 (exceptions),
; Vol. 3 "STI", "POPF" and "HLT" (when interrupts are recognised).

bits 64
default rel

%include "registers.inc"

%define HC_EXPECT_NPF 2
%define PROBE_SENTINEL 0x5e5e5e5e5e5e5e5e
%define RFLAGS_IF (1 << 9)

section .text

; ---- Nested page faults, with minisvm's expected-fault protocol ----------------
; Each probe arms HC_EXPECT_NPF with its recovery label and then makes one access.
; It returns the arming result in RAX: 0 when armed. After a #NPF minisvm resumes
; at the recovery label with every register as at the access, so RAX is still 0.
; When no fault happens the caller sees report->count unchanged and disarms.

; int64_t npf_probe_read(uint64_t address, struct npf_report *report, uint64_t *value)
; *value = the 8 bytes read, or PROBE_SENTINEL when the read faulted.
global npf_probe_read, npf_probe_read_access
npf_probe_read:
        mov r8, rdi                     ; address
        mov r9, rdx                     ; value
        mov rcx, PROBE_SENTINEL
        lea rdi, [npf_probe_read_resume]
        xor edx, edx
        mov eax, HC_EXPECT_NPF
        vmmcall
        test rax, rax
        jnz npf_probe_read_end
npf_probe_read_access:
        mov rcx, [r8]
npf_probe_read_resume:
        mov [r9], rcx
npf_probe_read_end:
        ret

; int64_t npf_probe_write(uint64_t address, struct npf_report *report, uint64_t value)
global npf_probe_write, npf_probe_write_access
npf_probe_write:
        mov r8, rdi                     ; address
        mov r9, rdx                     ; value
        lea rdi, [npf_probe_write_resume]
        xor edx, edx
        mov eax, HC_EXPECT_NPF
        vmmcall
        test rax, rax
        jnz npf_probe_write_resume
npf_probe_write_access:
        mov [r8], r9
npf_probe_write_resume:
        ret

; int64_t npf_probe_fetch(uint64_t address, struct npf_report *report)
; Calls address, which must hold a ret. A fetch fault happens after the call has
; pushed its return address, so the recovery path takes RSP back from R9.
global npf_probe_fetch
npf_probe_fetch:
        mov r8, rdi                     ; target
        mov r9, rsp
        lea rdi, [npf_probe_fetch_resume]
        xor edx, edx
        mov eax, HC_EXPECT_NPF
        vmmcall
        test rax, rax
        jnz npf_probe_fetch_end
        call r8
npf_probe_fetch_resume:
        mov rsp, r9
npf_probe_fetch_end:
        ret

; int64_t npf_probe_registers(uint64_t address, struct npf_report *report)
; Loads every general-purpose register from npf_register_patterns (RAX holds the
; address), sets CF, reads [RAX], and at the recovery label stores every register,
; RSP and RFLAGS, so the test can check that the resumed state is the faulting one.
global npf_probe_registers, npf_probe_registers_access
global npf_register_patterns, npf_register_snapshot
global npf_register_rsp_before, npf_register_flags_before, npf_register_flags_after
npf_probe_registers:
        PUSH_CALLEE_SAVED
        mov [registers_address], rdi
        lea rdi, [npf_probe_registers_resume]
        xor edx, edx
        mov eax, HC_EXPECT_NPF
        vmmcall
        mov [registers_arm_result], rax
        test rax, rax
        jnz npf_probe_registers_end
        LOAD_REGISTERS_FROM npf_register_patterns
        mov rax, [registers_address]
        stc                             ; a flag the resumed state must still have
        pushfq
        pop qword [npf_register_flags_before]   ; neither pop nor mov changes RFLAGS
        mov [npf_register_rsp_before], rsp
npf_probe_registers_access:
        mov rax, [rax]
npf_probe_registers_resume:
        pushfq
        pop qword [npf_register_flags_after]
        STORE_REGISTERS_TO npf_register_snapshot
npf_probe_registers_end:
        mov rax, [registers_arm_result]
        POP_CALLEE_SAVED
        ret

; uint64_t hypercall_probe_registers(uint64_t number)
; Makes hypercall number with every other register loaded from
; npf_register_patterns, stores them all to npf_register_snapshot afterwards and
; returns RAX: the ABI says a hypercall changes RAX and nothing else.
global hypercall_probe_registers
hypercall_probe_registers:
        PUSH_CALLEE_SAVED
        mov rax, rdi
        LOAD_REGISTERS_FROM npf_register_patterns
        mov [npf_register_rsp_before], rsp
        vmmcall
        STORE_REGISTERS_TO npf_register_snapshot
        POP_CALLEE_SAVED
        ret

; ---- Exceptions the guest's own IDT takes (idt.c: exception_expect) --------------
; PROBE name: the code before the instruction, then name_instruction: the faulting
; instruction, then name_resume: the recovery label, then ret.
%macro PROBE 1
global %1, %1_instruction, %1_resume
%1:
%endmacro
%macro PROBE_INSTRUCTION 1
%1_instruction:
%endmacro
%macro PROBE_RESUME 1
%1_resume:
        ret
%endmacro

; The SVM instructions (APM Vol. 3, "VMRUN" ... "INVLPGA"): minisvm intercepts
; them all and injects #UD, as a CPU without SVM would raise.
PROBE probe_vmrun
        xor eax, eax                    ; VMCB address 0: never a valid one
PROBE_INSTRUCTION probe_vmrun
        vmrun                           ; 0F 01 D8
PROBE_RESUME probe_vmrun

PROBE probe_vmload
        xor eax, eax
PROBE_INSTRUCTION probe_vmload
        vmload                          ; 0F 01 DA
PROBE_RESUME probe_vmload

PROBE probe_vmsave
        xor eax, eax
PROBE_INSTRUCTION probe_vmsave
        vmsave                          ; 0F 01 DB
PROBE_RESUME probe_vmsave

PROBE probe_stgi
PROBE_INSTRUCTION probe_stgi
        stgi                            ; 0F 01 DC
PROBE_RESUME probe_stgi

PROBE probe_clgi
PROBE_INSTRUCTION probe_clgi
        clgi                            ; 0F 01 DD
PROBE_RESUME probe_clgi

PROBE probe_skinit
        xor eax, eax
PROBE_INSTRUCTION probe_skinit
        skinit                          ; 0F 01 DE
PROBE_RESUME probe_skinit

PROBE probe_invlpga
        xor eax, eax                    ; virtual address
        xor ecx, ecx                    ; ASID
PROBE_INSTRUCTION probe_invlpga
        invlpga                         ; 0F 01 DF
PROBE_RESUME probe_invlpga

; uint64_t probe_rdmsr(uint32_t msr): EDX:EAX, or PROBE_SENTINEL after a fault.
PROBE probe_rdmsr
        mov ecx, edi
        mov rax, PROBE_SENTINEL
        mov rdx, rax
PROBE_INSTRUCTION probe_rdmsr
        rdmsr
        shl rdx, 32
        mov eax, eax
        or rax, rdx
PROBE_RESUME probe_rdmsr

; void probe_wrmsr(uint32_t msr, uint64_t value)
PROBE probe_wrmsr
        mov ecx, edi
        mov eax, esi
        mov rdx, rsi
        shr rdx, 32
PROBE_INSTRUCTION probe_wrmsr
        wrmsr
PROBE_RESUME probe_wrmsr

; uint64_t probe_read(uint64_t address): a plain read, for guest #PF tests.
PROBE probe_read
        mov rax, PROBE_SENTINEL
PROBE_INSTRUCTION probe_read
        mov rax, [rdi]
PROBE_RESUME probe_read

PROBE probe_undefined
PROBE_INSTRUCTION probe_undefined
        ud2
PROBE_RESUME probe_undefined

; #BP is a trap: the pushed RIP is the resume label, after the int3.
PROBE probe_breakpoint
PROBE_INSTRUCTION probe_breakpoint
        int3
PROBE_RESUME probe_breakpoint

PROBE probe_divide_by_zero
        xor ecx, ecx
        mov eax, 1
        xor edx, edx
PROBE_INSTRUCTION probe_divide_by_zero
        div rcx
PROBE_RESUME probe_divide_by_zero

; ---- Where a pending external interrupt is taken (interrupts.c) -----------------
; Each probe ends with IF=0: the interrupt a test expects must come at the
; instruction that opens the window, and its handler sees name_resume as the RIP
; it interrupted; cli there closes the window again.
%macro INTERRUPT_PROBE_RESUME 1
%1_resume:
        cli
        ret
%endmacro

; void probe_halt(void): sti; hlt. STI holds interrupts off for one instruction,
; so an interrupt, pending or not, can only end the halt: RIP after the HLT.
PROBE probe_halt
        sti
PROBE_INSTRUCTION probe_halt
        hlt
INTERRUPT_PROBE_RESUME probe_halt

; void probe_port_write(uint16_t port, uint8_t value): OUT with IF as the caller
; left it; the tests set it with sti well before, so the OUT is past STI's shadow.
PROBE probe_port_write
        mov edx, edi
        mov eax, esi
PROBE_INSTRUCTION probe_port_write
        out dx, al
INTERRUPT_PROBE_RESUME probe_port_write

; void probe_enable_by_popf(void): POPF that sets IF. Unlike STI it opens the
; window with no delay: an interrupt waiting for IF is taken right after it.
PROBE probe_enable_by_popf
        pushfq
        or qword [rsp], RFLAGS_IF
PROBE_INSTRUCTION probe_enable_by_popf
        popfq
INTERRUPT_PROBE_RESUME probe_enable_by_popf

section .bss
alignb 8
registers_address:          resq 1
registers_arm_result:       resq 1
npf_register_patterns:      resq 16
npf_register_snapshot:      resq 16
npf_register_rsp_before:    resq 1
npf_register_flags_before:  resq 1
npf_register_flags_after:   resq 1

section .note.GNU-stack noalloc noexec nowrite progbits
