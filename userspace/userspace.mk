# Userspace: static musl programs (init, sh, runtests, utilities, conformance suite)
# built for both architectures into rootfs trees $(BUILD)/userspace-<arch>/:
#   init  bin/{sh,runtests,echo,cat,...}  tests/test_*  tests/helpers/*
# Toolchains: x86_64 uses musl-gcc (musl-tools); aarch64 uses userspace/musl-gcc-aarch64,
# a wrapper around aarch64-linux-gnu-gcc and the sysroot from scripts/musl-sysroot.sh.
#   make userspace            build both trees
#   make userspace-host-test  run the suite on host Linux: x86_64 natively, aarch64 via
#                             qemu-aarch64 (binfmt_misc, see userspace/host-binfmt.sh)

US_ARCHS := x86_64 aarch64
US_SYSROOT_aarch64 := $(BUILD)/sysroot-aarch64
US_CC_x86_64 := musl-gcc
US_CC_aarch64 := MUSL_SYSROOT=$(US_SYSROOT_aarch64) userspace/musl-gcc-aarch64
US_CFLAGS := -std=gnu11 $(WARN) -O2 -static -no-pie -fno-strict-aliasing
US_LDLIBS_tests :=
US_TEST_TIMEOUT ?= 120

# Program table: output path inside the rootfs -> its source files.
US_PROG_init := $(wildcard userspace/init/*.c)
US_PROG_bin/sh := $(wildcard userspace/sh/*.c)
US_PROG_bin/runtests := $(wildcard userspace/runtests/*.c)
US_UTILS := $(patsubst userspace/bin/%.c,bin/%,$(wildcard userspace/bin/*.c))
US_TESTS := $(patsubst userspace/%.c,%,$(wildcard userspace/tests/test_*.c))
US_HELPERS := $(patsubst userspace/%.c,%,$(wildcard userspace/tests/helpers/*.c))
$(foreach p,$(US_UTILS) $(US_TESTS) $(US_HELPERS),$(eval US_PROG_$(p) := userspace/$(p).c))
US_PROGS := init bin/sh bin/runtests $(US_UTILS) $(US_TESTS) $(US_HELPERS)
# Data files of the suite (scripts, bad executables), copied with these modes.
US_DATA_755 := tests/helpers/script tests/helpers/script2 tests/helpers/badinterp tests/helpers/garbage
US_DATA_644 := tests/helpers/noexec

$(US_SYSROOT_aarch64)/usr/lib/aarch64-linux-musl/libc.a:
	$(Q)scripts/musl-sysroot.sh $(US_SYSROOT_aarch64)

# $(1)=arch $(2)=program: objects and link rule of one program for one arch.
define us_prog
US_OBJS_$(1)_$(2) := $$(patsubst userspace/%.c,$(BUILD)/userspace-obj-$(1)/%.o,$$(US_PROG_$(2)))
$(BUILD)/userspace-$(1)/$(2): $$(US_OBJS_$(1)_$(2))
	@mkdir -p $$(@D)
	$(Q)$(US_CC_$(1)) $(US_CFLAGS) $$^ $$(if $$(filter tests/%,$(2)),$(US_LDLIBS_tests)) -o $$@
US_BINS_$(1) += $(BUILD)/userspace-$(1)/$(2)
endef

# $(1)=arch: compile rule, programs, data files and the tree target of one arch.
define us_arch
$(BUILD)/userspace-obj-$(1)/%.o: userspace/%.c | $(if $(filter aarch64,$(1)),$(US_SYSROOT_aarch64)/usr/lib/aarch64-linux-musl/libc.a)
	@mkdir -p $$(@D)
	$(Q)$(US_CC_$(1)) $(US_CFLAGS) -MMD -MP -c $$< -o $$@
$(foreach p,$(US_PROGS),$(eval $(call us_prog,$(1),$(p))))
$(foreach f,$(US_DATA_755),$(BUILD)/userspace-$(1)/$(f)): $(BUILD)/userspace-$(1)/%: userspace/%
	@mkdir -p $$(@D)
	$(Q)install -m 0755 $$< $$@
$(foreach f,$(US_DATA_644),$(BUILD)/userspace-$(1)/$(f)): $(BUILD)/userspace-$(1)/%: userspace/%
	@mkdir -p $$(@D)
	$(Q)install -m 0644 $$< $$@
userspace-$(1): $$(US_BINS_$(1)) $(addprefix $(BUILD)/userspace-$(1)/,$(US_DATA_755) $(US_DATA_644))
-include $$(shell find $(BUILD)/userspace-obj-$(1) -name '*.d' 2>/dev/null)
.PHONY: userspace-$(1)
endef

$(foreach a,$(US_ARCHS),$(eval $(call us_arch,$(a))))

userspace: $(addprefix userspace-,$(US_ARCHS))

# Run the suite (and a shell/init smoke test) on the host for both architectures;
# the last line is the total "N passed, N failed".
userspace-host-test:
	$(Q)$(DEPS) musl qemu
	$(Q)$(MAKE) --no-print-directory userspace
	$(Q)userspace/host-test.sh $(BUILD) $(US_TEST_TIMEOUT) $(US_ARCHS)

clean-userspace:
	rm -rf $(BUILD)/userspace-*

.PHONY: userspace userspace-host-test clean-userspace

TEST_RINGS += userspace-host-test
