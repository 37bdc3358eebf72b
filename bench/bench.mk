# The benchmark guest (bench/): round trips through minisvm measured from inside a
# guest. A flat 64-bit image, $(BUILD)/bench/bench.bin, built like the test guest's:
# linked by guest/guest.ld at GUEST_IMAGE_GPA (1 MiB) and entered at its first byte.
# minisvm loads it from the ESP like any user guest (guest=bench.bin), into vm0 and vm1.
#   make bench        build minisvm and bench.bin, boot them under QEMU with -icount
#                     and print the table (scripts/bench.sh, bench/README.md);
#                     ICOUNT_SHIFT=N (default 0) as in scripts/bench.sh
# Included by the top Makefile after guest/guest.mk, whose flags and objects it uses.

# bench/entry.asm must come first: _start is the image's first byte.
BENCH_ASM_SOURCES := bench/entry.asm $(filter-out bench/entry.asm,$(sort $(wildcard bench/*.asm)))
BENCH_C_SOURCES   := $(sort $(wildcard bench/*.c))
# The test guest's console, formatter, string functions, GDT and IDT, compiled once
# by guest/guest.mk. idt.c reports an unexpected exception through test.c and hands
# CPL 3 traps to user_mode.c, so those two come along (the bench never runs CPL 3).
BENCH_SHARED_OBJECTS := $(addprefix $(BUILD)/guest/,console.o format.o string.o gdt.o idt.o \
	exception_entry.o test.o user_mode.o user_mode_entry.o)
BENCH_OBJECTS := $(BENCH_ASM_SOURCES:bench/%.asm=$(BUILD)/bench/%.o) \
	$(BENCH_C_SOURCES:bench/%.c=$(BUILD)/bench/%.o) $(BENCH_SHARED_OBJECTS)

.PHONY: bench bench-guest
bench-guest: $(BUILD)/bench/bench.bin

$(BUILD)/bench/%.o: bench/%.c
	@mkdir -p $(dir $@)
	$(call echo_step,BENCHCC,$<)
	$(Q)$(HOST_CC) $(GUEST_CFLAGS) -c $< -o $@

$(BUILD)/bench/%.o: bench/%.asm
	@mkdir -p $(dir $@)
	$(call echo_step,BENCHASM,$<)
	$(Q)$(NASM) -f elf64 -g -Ibench/ -I. -MD $(@:.o=.d) -MP $< -o $@

$(BUILD)/bench/bench.elf: $(BENCH_OBJECTS) guest/guest.ld
	$(call echo_step,BENCHLD,$@)
	$(Q)$(LD) $(GUEST_LDFLAGS) $(BENCH_OBJECTS) -o $@

$(BUILD)/bench/bench.bin: $(BUILD)/bench/bench.elf
	$(call echo_step,BENCHBIN,$@)
	$(Q)$(OBJCOPY) -O binary $< $@

# Two boots under QEMU TCG with -icount (ESPs $(BUILD)/bench-esp and
# $(BUILD)/bench-esp-timer, logs in $(BUILD)/bench-logs), in parallel; each takes
# about 45 s at ICOUNT_SHIFT=0, the default, and 4 s at ICOUNT_SHIFT=4 (the same
# round-trip counts). TIMEOUT per boot: 180 s unless given.
ifeq ($(origin TIMEOUT),file)
bench: TIMEOUT = 180
endif
bench: $(BUILD)/minisvm.efi $(BUILD)/bench/bench.bin | deps
	BUILD=$(BUILD) scripts/bench.sh

# make test boots the bench guest once (tests/boot_tests.sh, scenario "bench").
test: $(BUILD)/bench/bench.bin

-include $(filter $(BUILD)/bench/%,$(BENCH_OBJECTS:.o=.d))
