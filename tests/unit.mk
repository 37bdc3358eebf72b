# Host-side unit tests: the modules that do not touch hardware, compiled with the
# host gcc under AddressSanitizer and UBSan, linked with every tests/test_*.c.

UNIT_MODULES := \
	hv/config.c hv/errno.c hv/framebuffer.c \
	mm/page_alloc.c mm/pagetable.c mm/npt.c mm/pat.c mm/npt_walk.c mm/guest_walk.c \
	svm/features.c svm/vmcb_check.c svm/msrpm.c svm/iopm.c svm/exit_names.c \
	svm/insn_length.c hv/mtrr.c $(wildcard hv/devices/*.c hv/linux/*.c)

UNIT_CFLAGS := -std=gnu11 -g -O1 $(WARNINGS) -fsanitize=address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer -I. -I$(BUILD)/gen -MMD -MP

UNIT_SOURCES := $(sort $(wildcard tests/test_*.c)) tests/linux_images.c $(wildcard $(UNIT_MODULES))
UNIT_OBJECTS := $(UNIT_SOURCES:%.c=$(BUILD)/tests/obj/%.o) $(BUILD)/tests/obj/gen/console_font.o

$(BUILD)/tests/obj/gen/%.o: $(BUILD)/gen/%.c
	@mkdir -p $(dir $@)
	$(call echo_step,HOSTCC,$<)
	$(Q)$(HOST_CC) $(UNIT_CFLAGS) -c $< -o $@

$(BUILD)/tests/obj/%.o: %.c | $(BUILD)/gen/console_font.c
	@mkdir -p $(dir $@)
	$(call echo_step,HOSTCC,$<)
	$(Q)$(HOST_CC) $(UNIT_CFLAGS) -c $< -o $@

$(BUILD)/tests/unit: $(UNIT_OBJECTS)
	$(call echo_step,HOSTLD,$@)
	$(Q)$(HOST_CC) $(UNIT_CFLAGS) $^ -o $@

.PHONY: unit-test-binary
unit-test-binary: $(BUILD)/tests/unit

unit-test: $(BUILD)/tests/unit
	$(BUILD)/tests/unit

-include $(UNIT_OBJECTS:.o=.d)
