# The test guest (guest/): a flat 64-bit image, $(BUILD)/guest/guest.bin, loaded by
# minisvm at GUEST_IMAGE_GPA (1 MiB) and entered at its first byte.
# Included by the top Makefile, which defines BUILD, HOST_CC, NASM, LD, OBJCOPY,
# WARNINGS, Q and echo_step. The guest has no libc and shares only guest/abi.h
# with the hypervisor.

# Not position independent: the image is linked at 1 MiB and runs there, so the
# small code model reaches everything. No red zone: exceptions and interrupts at
# CPL 0 push onto the current stack, below RSP. No SSE: nobody saves those registers.
GUEST_CFLAGS := -std=gnu11 -O2 -g $(WARNINGS) -ffreestanding -fno-pic -fno-pie \
	-mno-red-zone -mgeneral-regs-only -fno-stack-protector -nostdlib -static \
	-mcmodel=small -fno-asynchronous-unwind-tables -I. -MMD -MP
GUEST_LDFLAGS := -nostdlib -static -z max-page-size=4096 -T guest/guest.ld

GUEST_C_SOURCES   := $(sort $(wildcard guest/*.c guest/tests/*.c))
GUEST_ASM_SOURCES := $(sort $(wildcard guest/*.asm))
# entry.o first: _start must be the image's first byte (guest.ld keeps .text.entry first too).
GUEST_OBJECTS := $(BUILD)/guest/entry.o \
	$(filter-out $(BUILD)/guest/entry.o,$(GUEST_ASM_SOURCES:guest/%.asm=$(BUILD)/guest/%.o)) \
	$(GUEST_C_SOURCES:guest/%.c=$(BUILD)/guest/%.o)

.PHONY: guest
guest: $(BUILD)/guest/guest.bin

$(BUILD)/guest/%.o: guest/%.c
	@mkdir -p $(dir $@)
	$(call echo_step,GUESTCC,$<)
	$(Q)$(HOST_CC) $(GUEST_CFLAGS) -c $< -o $@

$(BUILD)/guest/%.o: guest/%.asm
	@mkdir -p $(dir $@)
	$(call echo_step,GUESTASM,$<)
	$(Q)$(NASM) -f elf64 -g -Iguest/ -I. -MD $(@:.o=.d) -MP $< -o $@

$(BUILD)/guest/guest.elf: $(GUEST_OBJECTS) guest/guest.ld
	$(call echo_step,GUESTLD,$@)
	$(Q)$(LD) $(GUEST_LDFLAGS) $(GUEST_OBJECTS) -o $@

$(BUILD)/guest/guest.bin: $(BUILD)/guest/guest.elf
	$(call echo_step,GUESTBIN,$@)
	$(Q)$(OBJCOPY) -O binary $< $@

-include $(GUEST_OBJECTS:.o=.d)
