# x86_64 kernel: core/lib + core/mm + platform/x86_64, linked at the higher half and
# booted by QEMU through the PVH ELF note. Included from the top-level Makefile, which
# defines BUILD, Q, WARN and CORE_CFLAGS.
#   make kernel-x86_64             build $(BUILD)/x86_64/cleave.elf
#   make qemu-x86_64               boot it interactively (-nographic; Ctrl-A x quits)
#   make qemu-x86_64 MODE=test     boot with cleave.test=1 under tests/qemu/run-qemu.sh;
#                                  the exit status is 0 only when every test passed
#   make qemu-x86_64 GDB=1         wait for gdb on :1234 (prints the command to attach)

X86_DIR := $(BUILD)/x86_64
X86_ELF := $(X86_DIR)/cleave.elf
X86_LDS := platform/x86_64/linker.ld

X86_CORE_SRCS := $(wildcard core/lib/*.c core/mm/*.c)
X86_PLAT_SRCS := $(wildcard platform/x86_64/*.c platform/x86_64/*.S)
X86_OBJS := $(patsubst %,$(X86_DIR)/%.o,$(basename $(X86_CORE_SRCS) $(X86_PLAT_SRCS)))

X86_CC := gcc
X86_LD := ld
# Freestanding kernel code model: no red zone (interrupts use the stack), no SSE/x87
# (the kernel never saves FPU state for itself), addresses in the top 2 GiB.
X86_KFLAGS := $(CORE_CFLAGS) -O2 -g -mno-red-zone -mcmodel=kernel -mgeneral-regs-only \
	-fno-pic -fno-pie -fno-stack-protector -nostdlib -fno-asynchronous-unwind-tables \
	-fno-omit-frame-pointer -fcf-protection=none -MMD -MP
X86_INC := -Icore -Iplatform/x86_64
X86_LDFLAGS := -nostdlib -static -no-pie -z max-page-size=0x1000 -z noexecstack \
	--no-warn-rwx-segments

X86_QEMU := qemu-system-x86_64 -machine q35 -cpu max,la57=off -m 512M -no-reboot -nic none \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04
X86_APPEND ?= init=/init
X86_TEST_APPEND ?= init=/init cleave.test=1
X86_TEST_TIMEOUT ?= 60

$(X86_DIR)/core/%.o: core/%.c
	@mkdir -p $(@D)
	$(Q)$(X86_CC) $(X86_KFLAGS) -Icore -c $< -o $@

$(X86_DIR)/platform/x86_64/%.o: platform/x86_64/%.c
	@mkdir -p $(@D)
	$(Q)$(X86_CC) $(X86_KFLAGS) $(X86_INC) -c $< -o $@

$(X86_DIR)/platform/x86_64/%.o: platform/x86_64/%.S
	@mkdir -p $(@D)
	$(Q)$(X86_CC) $(X86_KFLAGS) $(X86_INC) -c $< -o $@

$(X86_ELF): $(X86_OBJS) $(X86_LDS)
	$(Q)$(X86_LD) $(X86_LDFLAGS) -T $(X86_LDS) -o $@ $(X86_OBJS)

kernel-x86_64: $(X86_ELF)
KERNEL_TARGETS += kernel-x86_64

ifeq ($(MODE),test)
qemu-x86_64: $(X86_ELF)
	$(Q)tests/qemu/run-qemu.sh --timeout $(X86_TEST_TIMEOUT) --log $(X86_DIR)/boot-test.log \
		-- $(X86_QEMU) -display none -serial stdio -monitor none -kernel $(X86_ELF) \
		-append "$(X86_TEST_APPEND)"
else
# QEMU exits with status 1 after a clean power-off (isa-debug-exit value 0).
qemu-x86_64: $(X86_ELF)
	$(if $(GDB),@echo "attach with: gdb -ex 'target remote :1234' $(X86_ELF)" \
		"(use hbreak: the kernel starts with paging off)")
	$(Q)$(X86_QEMU) -nographic $(if $(GDB),-s -S) -kernel $(X86_ELF) \
		-append "$(X86_APPEND)" || [ $$? -eq 1 ]
endif

clean-x86_64:
	rm -rf $(X86_DIR)

.PHONY: kernel-x86_64 qemu-x86_64 clean-x86_64
-include $(X86_OBJS:.o=.d)

# Boot-test ring for make test.
test-qemu-x86_64:
	$(Q)$(DEPS) qemu
	$(Q)$(MAKE) --no-print-directory qemu-x86_64 MODE=test
TEST_RINGS += test-qemu-x86_64
.PHONY: test-qemu-x86_64
