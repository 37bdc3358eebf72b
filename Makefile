# minisvm: build, run and test.
#   make          build/minisvm.efi
#   make run      boot it in QEMU with OVMF (serial on the terminal)
#   make test     host unit tests, then QEMU boot tests; last line "N passed, N failed"
#   make usb      build/minisvm-usb.img, a GPT disk with an ESP, ready for dd
# Variables: QEMU=, CPU=, ACCEL= (kvm|tcg), TIMEOUT= (seconds), OVMF=

BUILD   ?= build
QEMU    ?= qemu-system-x86_64
CPU     ?=
ACCEL   ?=
TIMEOUT ?= 60
TRACE   ?=
SCHEDULE ?= sequential
OVMF    ?= /usr/share/ovmf/OVMF.fd
export QEMU CPU ACCEL TIMEOUT OVMF

# Quiet build lines ("CC file.c"); make V=1 shows the full commands.
ifeq ($(V),1)
Q :=
echo_step = @true
else
Q := @
echo_step = @echo "  $(1)	$(2)"
endif

HOST_CC := gcc
NASM    := nasm
LD      := ld
OBJCOPY := objcopy

NEWLIB      := $(BUILD)/newlib/x86_64-elf
NEWLIB_LIBC := $(NEWLIB)/lib/libc.a
GCC_INCLUDE := $(shell $(HOST_CC) -print-file-name=include)
LIBGCC      := $(shell $(HOST_CC) -print-libgcc-file-name)
EFI_INCLUDE := /usr/include/efi
EFI_LIB     := /usr/lib
FONT        := /usr/share/consolefonts/Unifont-APL8x16.psf.gz

WARNINGS := -Wall -Wextra -Werror
# The GNU-EFI application ABI: position independent, no red zone (interrupts and
# firmware calls may use the stack below rsp), 16-bit wide chars for UEFI strings,
# MS ABI for firmware calls.
EFI_CFLAGS := -std=gnu11 -O2 -g $(WARNINGS) -ffreestanding -fpic -fno-stack-protector \
	-fshort-wchar -mno-red-zone -maccumulate-outgoing-args -fno-strict-aliasing \
	-DGNU_EFI_USE_MS_ABI -nostdinc -isystem $(NEWLIB)/include -isystem $(GCC_INCLUDE) \
	-isystem $(EFI_INCLUDE) -isystem $(EFI_INCLUDE)/x86_64 -I. -I$(BUILD)/gen -MMD -MP
# -z defs: without it, ld -shared turns unresolved symbols into PLT entries that
# nothing resolves at run time, and the calls silently do nothing.
EFI_LDFLAGS := -nostdlib -znocombreloc -z defs -z noexecstack -shared -Bsymbolic \
	-T $(EFI_LIB)/elf_x86_64_efi.lds

HV_C_SOURCES   := $(sort $(wildcard boot/*.c hv/*.c hv/devices/*.c hv/linux/*.c mm/*.c svm/*.c))
HV_ASM_SOURCES := $(sort $(wildcard boot/*.asm hv/*.asm svm/*.asm))
HV_OBJECTS := $(HV_C_SOURCES:%.c=$(BUILD)/obj/%.o) $(HV_ASM_SOURCES:%.asm=$(BUILD)/obj/%.o) \
	$(BUILD)/obj/gen/console_font.o

.PHONY: all run test unit-test boot-test usb deps clean distclean
.DEFAULT_GOAL := all

all: $(BUILD)/minisvm.efi

deps:
	@scripts/deps.sh

$(NEWLIB_LIBC): scripts/build-newlib.sh | deps
	scripts/build-newlib.sh $(BUILD)/newlib

# Host tools run at build time.
$(BUILD)/tools/psf2c: scripts/psf2c.c | deps
	@mkdir -p $(dir $@)
	$(HOST_CC) -O2 $(WARNINGS) $< -o $@

# The world switch's VMCB and register-frame offsets, computed from the C structs.
$(BUILD)/tools/gen_vmcb_offsets: scripts/gen_vmcb_offsets.c svm/vmcb.h svm/svm_defs.h \
		svm/guest_registers.h | deps
	@mkdir -p $(dir $@)
	$(HOST_CC) -std=gnu11 $(WARNINGS) -I. $< -o $@

$(BUILD)/gen/vmcb_offsets.inc: $(BUILD)/tools/gen_vmcb_offsets
	@mkdir -p $(dir $@)
	$< > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/svm/vmrun.o: $(BUILD)/gen/vmcb_offsets.inc

# The test guest, embedded in minisvm.efi by hv/guest_image.asm.
-include guest/guest.mk
$(BUILD)/obj/hv/guest_image.o: $(BUILD)/guest/guest.bin
# The benchmark guest, loaded from the ESP by make bench (bench/bench.mk).
include bench/bench.mk

$(BUILD)/gen/console_font.c: $(FONT) $(BUILD)/tools/psf2c
	@mkdir -p $(dir $@)
	gzip -dc $(FONT) | $(BUILD)/tools/psf2c "$(notdir $(FONT)) (Debian package psf-unifont)" > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/gen/%.o: $(BUILD)/gen/%.c | $(NEWLIB_LIBC)
	@mkdir -p $(dir $@)
	$(call echo_step,CC,$<)
	$(Q)$(HOST_CC) $(EFI_CFLAGS) -c $< -o $@

$(BUILD)/obj/%.o: %.c | $(NEWLIB_LIBC) $(BUILD)/gen/console_font.c
	@mkdir -p $(dir $@)
	$(call echo_step,CC,$<)
	$(Q)$(HOST_CC) $(EFI_CFLAGS) -c $< -o $@

$(BUILD)/obj/%.o: %.asm | deps
	@mkdir -p $(dir $@)
	$(call echo_step,NASM,$<)
	$(Q)$(NASM) -f elf64 -g -I. -I$(BUILD)/gen/ -I$(BUILD)/ -MD $(@:.o=.d) -MP $< -o $@

# GNU-EFI's libefi.a defines memset and memcpy (in init.o, beside InitializeLib) as
# byte-at-a-time loops. A copy with those two symbols weak lets newlib's (8 and more
# bytes a step) serve every caller: newlib comes first on the link line, so its
# definitions are the ones pulled in, and the weak ones give way to them.
$(BUILD)/libefi-weak-string.a: $(EFI_LIB)/libefi.a | deps
	@mkdir -p $(dir $@)
	$(OBJCOPY) --weaken-symbol=memset --weaken-symbol=memcpy $< $@

$(BUILD)/minisvm.so: $(HV_OBJECTS) $(NEWLIB_LIBC) $(BUILD)/libefi-weak-string.a
	$(call echo_step,LD,$@)
	$(Q)$(LD) $(EFI_LDFLAGS) $(EFI_LIB)/crt0-efi-x86_64.o $(HV_OBJECTS) \
		$(NEWLIB)/lib/libc.a $(NEWLIB)/lib/libm.a \
		$(BUILD)/libefi-weak-string.a $(EFI_LIB)/libgnuefi.a $(LIBGCC) -o $@

$(BUILD)/minisvm.efi: $(BUILD)/minisvm.so
	$(call echo_step,EFI,$@)
	$(Q)$(OBJCOPY) -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel \
		-j .rela -j '.rel.*' -j '.rela.*' -j .reloc \
		--target efi-app-x86_64 --subsystem=10 $< $@

# The ESP as a directory, for QEMU's fat: driver.
$(BUILD)/esp/EFI/BOOT/BOOTX64.EFI: $(BUILD)/minisvm.efi
	@mkdir -p $(dir $@)
	cp $< $@

# make run TRACE=1 logs every exit by name; SCHEDULE=interleaved switches VMs at
# every hypercall.
run: $(BUILD)/esp/EFI/BOOT/BOOTX64.EFI | deps
	@mkdir -p $(BUILD)/esp/minisvm
	@printf 'trace=%s\nschedule=%s\n' "$(if $(TRACE),1,0)" "$(SCHEDULE)" \
		> $(BUILD)/esp/minisvm/minisvm.cfg
	scripts/run-qemu.sh --esp $(BUILD)/esp

usb: $(BUILD)/minisvm-usb.img

$(BUILD)/minisvm-usb.img: $(BUILD)/minisvm.efi scripts/make-usb-image.sh \
		$(BUILD)/linux/vmlinuz $(BUILD)/linux/initrd.gz | deps
	scripts/make-usb-image.sh $(BUILD)/minisvm.efi $@ $(BUILD)/linux/vmlinuz $(BUILD)/linux/initrd.gz

include tests/unit.mk
# make qemu: the patched QEMU with GMET and G_PAT (docs/qemu.md); its L1 tests.
include scripts/qemu/qemu.mk
# make linux: Debian's Linux kernel as vm0's guest; make bench-linux times its boot.
include scripts/linux.mk

# Uses the patched QEMU too when it has been built (make qemu).
test: unit-test-binary $(BUILD)/esp/EFI/BOOT/BOOTX64.EFI $(BUILD)/minisvm-usb.img $(L1_ELF) \
		$(BUILD)/linux/vmlinuz $(BUILD)/linux/initrd.gz | deps
	scripts/test.sh

clean:
	rm -rf $(BUILD)/obj $(BUILD)/gen $(BUILD)/tools $(BUILD)/tests $(BUILD)/esp \
		$(BUILD)/minisvm.so $(BUILD)/minisvm.efi $(BUILD)/minisvm-usb.img $(BUILD)/boot-tests

# Also forgets the cached newlib build.
distclean:
	rm -rf $(BUILD)

-include $(HV_OBJECTS:.o=.d)
