; The host's two interrupt handlers: the APIC timer (vector 0x20), which only needs
; acknowledging (its work is the #VMEXIT(INTR) it causes in a guest), and the APIC's
; spurious vector (0xff), which must not be acknowledged.
; See: APM §16.4.8 (spurious interrupts), §16.5 (EOI).

bits 64
default rel
section .text

extern lapic_eoi_register
extern lapic_x2apic_mode
global lapic_timer_interrupt
global lapic_spurious_interrupt

X2APIC_EOI_MSR equ 0x80b

lapic_timer_interrupt:
    push rax
    push rcx
    push rdx
    cmp byte [lapic_x2apic_mode], 0
    jne .x2apic
    mov rax, [lapic_eoi_register]
    mov dword [rax], 0
    jmp .done
.x2apic:
    mov ecx, X2APIC_EOI_MSR
    xor eax, eax
    xor edx, edx
    wrmsr
.done:
    pop rdx
    pop rcx
    pop rax
    iretq

lapic_spurious_interrupt:
    iretq

section .note.GNU-stack noalloc noexec nowrite progbits
