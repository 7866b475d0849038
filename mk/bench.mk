# make bench: performance benchmarks (issue 8). Not part of `make test`.
# Include from the top-level Makefile AFTER mk/hosted.mk (reuses CORE_SRCS,
# HOSTED_SRCS, CORE_CFLAGS, WARN).
#   make bench            build and run every benchmark; regenerates bench/RESULTS.md
#                         and bench/fork_latency.png
#   make bench-hosted     only the hosted fork benchmark (sections under $(BUILD)/bench)
# Knobs: BENCH_FORMATS="x86_64 aarch64" (first one gets bench/fork_latency.png),
#        BENCH_ROUNDS=7 (median of), BENCH_MAX_MIB=1024 (sizes 1 MiB .. this).
# Timed runs happen one after another in a single recipe, so -j does not overlap them.

ifndef CORE_SRCS
$(error mk/bench.mk must be included after mk/hosted.mk)
endif

BENCH_DIR := $(BUILD)/bench
BENCH_FORMATS ?= x86_64
BENCH_ROUNDS ?= 7
BENCH_MAX_MIB ?= 1024
# Benchmarks are built optimised, not with the unit-test flags.
BENCH_OPT := -O2 -g
BENCH_SRCS := $(wildcard bench/*.c)

# ---- In-guest benchmarks (issue 8, part 1) go here -------------------------------
# Each target in BENCH_GUEST_TARGETS must boot its kernels, run the benchmark and
# write one Markdown section to a file listed in BENCH_GUEST_SECTIONS (under
# $(BENCH_DIR)); `make bench` runs them after the hosted benchmark and appends the
# sections to bench/RESULTS.md in this order. Give each target `| bench-hosted` as
# an order-only prerequisite so its timed runs never overlap the hosted ones.
#
# bench-guest: forkbench (bench/guest/forkbench.c) as /init, with /tiny, in one
# initramfs per architecture; both Cleave and Debian's Linux 6.1 boot it in the same
# QEMU (-cpu, 512 MiB, same command line), once under -icount shift=0,sleep=off and
# GUEST_ROUNDS times on the wall clock, kernels alternating; bench/guest/report.sh
# writes $(BENCH_DIR)/guest.md. Knobs: GUEST_ARCHS, GUEST_ROUNDS, GUEST_ARGS (forkbench
# arguments, e.g. "-p 20 fork_exit"). bench/guest/profile.sh profiles one case.
GUEST_DIR := $(BENCH_DIR)/guest
GUEST_ARCHS ?= x86_64 aarch64
GUEST_ROUNDS ?= 3
GUEST_ARGS ?=
GUEST_LINUX := $(BUILD)/linux-6.1
GUEST_KERNEL_x86_64 := $(BUILD)/x86_64/cleave.elf
GUEST_KERNEL_aarch64 := $(BUILD)/aarch64/cleave.bin
GUEST_LINUX_x86_64 := $(GUEST_LINUX)/amd64/boot/vmlinuz-6.1.0-56-amd64
GUEST_LINUX_aarch64 := $(GUEST_LINUX)/arm64/boot/vmlinuz-6.1.0-56-arm64
GUEST_LIBC_aarch64 := $(BUILD)/sysroot-aarch64/usr/lib/aarch64-linux-musl/libc.a

# $(1)=arch: the two programs (userspace.mk's musl toolchain and flags) and the cpio.
define guest_arch
$(GUEST_DIR)/$(1)/rootfs/init: bench/guest/forkbench.c | $(GUEST_LIBC_$(1))
	@mkdir -p $$(@D)
	$(Q)$$(US_CC_$(1)) $$(US_CFLAGS) $$< -o $$@
$(GUEST_DIR)/$(1)/rootfs/tiny: bench/guest/tiny.c | $(GUEST_LIBC_$(1))
	@mkdir -p $$(@D)
	$(Q)$$(US_CC_$(1)) $$(US_CFLAGS) $$< -o $$@
$(GUEST_DIR)/$(1)/initramfs.cpio: $(GUEST_DIR)/$(1)/rootfs/init $(GUEST_DIR)/$(1)/rootfs/tiny
	$(Q)cd $(GUEST_DIR)/$(1)/rootfs && printf 'init\ntiny\n' | \
		cpio -o -H newc -R 0:0 --quiet > $$(abspath $$@).tmp
	$(Q)mv $$@.tmp $$@
endef
$(foreach a,$(GUEST_ARCHS),$(eval $(call guest_arch,$(a))))

$(GUEST_LINUX_x86_64) $(GUEST_LINUX_aarch64): bench/guest/fetch-linux.sh
	$(Q)bench/guest/fetch-linux.sh $(GUEST_LINUX)

guest-build: $(foreach a,$(GUEST_ARCHS),$(GUEST_DIR)/$(a)/initramfs.cpio \
	$(GUEST_KERNEL_$(a)) $(GUEST_LINUX_$(a)))

# Timed boots run one after another in this one recipe; under `make bench` only after
# the hosted benchmark (`make bench-guest` alone does not run that).
bench-guest: guest-build | $(if $(filter bench,$(MAKECMDGOALS)),bench-hosted)
	$(Q)bench/guest/run.sh -o $(GUEST_DIR) -r $(GUEST_ROUNDS) -a "$(GUEST_ARGS)" \
		$(foreach a,$(GUEST_ARCHS),$(a):$(GUEST_KERNEL_$(a)):$(GUEST_LINUX_$(a)):$(GUEST_DIR)/$(a)/initramfs.cpio)
	$(Q)bench/guest/report.sh $(GUEST_DIR) $(GUEST_ARCHS) > $(BENCH_DIR)/guest.md
	@echo "wrote $(BENCH_DIR)/guest.md"

.PHONY: guest-build bench-guest
BENCH_GUEST_TARGETS := bench-guest
BENCH_GUEST_SECTIONS := $(BENCH_DIR)/guest.md
# -----------------------------------------------------------------------------------

# Image name for format $(1): the first format gets the name RESULTS.md features.
bench_png = $(if $(filter $(1),$(firstword $(BENCH_FORMATS))),fork_latency.png,fork_latency-$(1).png)

# $(1)=format: core + platform/hosted + that PTE codec, -O2, linked with bench/*.c.
define bench_build
BDIR_$(1) := $(BENCH_DIR)/obj-$(1)
BOBJS_$(1) := $$(patsubst %.c,$$(BDIR_$(1))/%.o,$(CORE_SRCS) $(HOSTED_SRCS) \
	$(wildcard platform/$(1)/pte.c platform/$(1)/uregs.c platform/$(1)/sigframe.c platform/hosted/hw_$(1).c core/sys/table_$(1).c))

$$(BDIR_$(1))/core/%.o: core/%.c
	@mkdir -p $$(@D)
	$(Q)gcc $(CORE_CFLAGS) -fno-builtin-memcpy $(BENCH_OPT) -DCLEAVE_HOSTED -MMD -MP -Icore -c $$< -o $$@

$$(BDIR_$(1))/platform/%.o: platform/%.c
	@mkdir -p $$(@D)
	$(Q)gcc -std=gnu11 $(WARN) $(BENCH_OPT) -DCLEAVE_HOSTED -DHOSTED_FORMAT_$(1) -MMD -MP -Icore -Iplatform/hosted -c $$< -o $$@

$$(BDIR_$(1))/bench/%.o: bench/%.c
	@mkdir -p $$(@D)
	$(Q)gcc -std=gnu11 $(WARN) $(BENCH_OPT) -DCLEAVE_HOSTED -DHOSTED_FORMAT_$(1) -MMD -MP -Icore -Iplatform/hosted -Ibench -c $$< -o $$@

$$(BDIR_$(1))/libcleave.a: $$(BOBJS_$(1))
	$(Q)rm -f $$@ && ar rcs $$@ $$^

$(BENCH_DIR)/hosted_fork-$(1): $$(patsubst bench/%.c,$$(BDIR_$(1))/bench/%.o,$(BENCH_SRCS)) $$(BDIR_$(1))/libcleave.a
	$(Q)gcc $(BENCH_OPT) $$^ -lm -o $$@

-include $$(BOBJS_$(1):.o=.d) $$(patsubst bench/%.c,$$(BDIR_$(1))/bench/%.d,$(BENCH_SRCS))
endef

$(foreach f,$(BENCH_FORMATS),$(eval $(call bench_build,$(f))))

bench-build: $(addprefix $(BENCH_DIR)/hosted_fork-,$(BENCH_FORMATS))

# Run the hosted benchmark per format (one after another), then plot each.
bench-hosted: bench-build | deps-bench
	$(Q)$(foreach f,$(BENCH_FORMATS),\
		$(BENCH_DIR)/hosted_fork-$(f) -r $(BENCH_ROUNDS) -m $(BENCH_MAX_MIB) \
			-d $(BENCH_DIR)/hosted-$(f).dat -o $(BENCH_DIR)/hosted-$(f).md \
			-p $(call bench_png,$(f)) && \
		gnuplot -e "datafile='$(BENCH_DIR)/hosted-$(f).dat'; outfile='bench/$(call bench_png,$(f))'; format='$(f)'" \
			bench/plot.gp && ) true

# Everything, then bench/RESULTS.md from the sections in order.
bench: bench-hosted $(BENCH_GUEST_TARGETS)
	$(Q){ cat bench/results-head.md; \
	      for s in $(foreach f,$(BENCH_FORMATS),$(BENCH_DIR)/hosted-$(f).md) $(BENCH_GUEST_SECTIONS); \
	      do echo; cat "$$s"; done; } > bench/RESULTS.md.tmp
	$(Q)mv bench/RESULTS.md.tmp bench/RESULTS.md
	@echo "wrote bench/RESULTS.md"

# gnuplot comes from bench/packages.txt (scripts/deps.sh group "bench").
deps-bench:
	$(Q)$(DEPS) unit bench

.PHONY: bench bench-build bench-hosted deps-bench
