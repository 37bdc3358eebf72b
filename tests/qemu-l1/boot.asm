; Entry of the L1 test program: QEMU's multiboot (v1) loader starts us in 32-bit
; protected mode with paging off. We build identity page tables for the first
; 1 GiB with 2 MiB pages, enter long mode (APM vol. 2, 14.6) with EFER.NXE set
; (so that nested NX is usable, APM 15.25.7), install an IDT that reports any
; unexpected exception, and call l1_main().

MB_MAGIC equ 0x1BADB002
MB_FLAGS equ 0

section .multiboot
align 4
        dd MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)

section .bss
align 4096
boot_pml4:  resb 4096
boot_pdpt:  resb 4096
boot_pd:    resb 4096
stack:      resb 16384
stack_top:

section .data
align 8
gdt:    dq 0
        dq 0x00209A0000000000           ; 0x08: 64-bit code, DPL 0
        dq 0x0000920000000000           ; 0x10: data
gdt_end:
gdt_ptr:
        dw gdt_end - gdt - 1
        dq gdt

section .text
bits 32
global _start
_start:
        cli
        mov esp, stack_top
        ; Zero the three table pages, then link PML4 -> PDPT -> PD.
        mov edi, boot_pml4
        xor eax, eax
        mov ecx, 3 * 4096 / 4
        rep stosd
        mov dword [boot_pml4], boot_pdpt + 3      ; P | RW
        mov dword [boot_pdpt], boot_pd + 3
        ; 512 x 2 MiB = the first 1 GiB, identity, P | RW | PS.
        mov edi, boot_pd
        mov eax, 0x83
        mov ecx, 512
.fill:  mov [edi], eax
        add eax, 0x200000
        add edi, 8
        loop .fill

        mov eax, cr4
        or eax, 1 << 5                  ; CR4.PAE
        mov cr4, eax
        mov eax, boot_pml4
        mov cr3, eax
        mov ecx, 0xC0000080             ; EFER
        rdmsr
        or eax, (1 << 8) | (1 << 11)    ; LME | NXE
        wrmsr
        mov eax, cr0
        or eax, 0x80010001              ; PG | WP | PE
        mov cr0, eax
        lgdt [gdt_ptr]
        jmp 0x08:long_mode

bits 64
extern l1_main
long_mode:
        mov ax, 0x10
        mov ds, ax
        mov es, ax
        mov ss, ax
        xor eax, eax
        mov fs, ax
        mov gs, ax
        mov rsp, stack_top
        call l1_main
.hang:  hlt
        jmp .hang

; Exception stubs: push a dummy error code where the CPU pushes none, then the
; vector, and hand both and the faulting RIP to l1_exception() (never returns).
extern l1_exception
%macro STUB 1
stub_%1:
%if (%1 == 8) || (%1 >= 10 && %1 <= 14) || (%1 == 17) || (%1 == 21) || (%1 == 29) || (%1 == 30)
%else
        push 0
%endif
        push %1
        jmp exception_common
%endmacro
%assign v 0
%rep 32
STUB v
%assign v v + 1
%endrep
exception_common:
        mov rdi, [rsp]                  ; vector
        mov rsi, [rsp + 8]              ; error code
        mov rdx, [rsp + 16]             ; RIP
        and rsp, -16
        call l1_exception

section .rodata
global exception_stubs
align 8
exception_stubs:
%assign v 0
%rep 32
        dq stub_ %+ v
%assign v v + 1
%endrep

section .note.GNU-stack noalloc noexec nowrite progbits
