# ELF loader fuzzing (issue 7, fuzz/README.md): the libFuzzer harness and its AFL++
# build, one binary per hosted page-table format, all outputs under $(BUILD)/fuzz/.
#   make fuzz        time-bounded campaign, both formats side by side (FUZZ_SECONDS)
#   make fuzz-smoke  replay every seed and corpus file, then a short campaign; ends
#                    with "N passed, N failed" (a test ring)
#   make fuzz-afl    the AFL++ build: $(BUILD)/fuzz/afl_elf-<format>
#   make fuzz-afl-run  afl-fuzz for FUZZ_SECONDS on the x86_64 AFL++ build
#   make fuzz-cov    line coverage of core/elf and the applier over every corpus

FUZZ_DIR := $(BUILD)/fuzz
FUZZ_FORMATS := x86_64 aarch64
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 15
# Real static binaries copied into the seeds (from $(BUILD)/userspace-<arch>/).
FUZZ_US_SEEDS := bin/true bin/echo bin/cat

FUZZ_CORE_SRCS := $(filter-out core/lib/string.c core/sys/table_%.c,$(wildcard core/lib/*.c \
	core/mm/*.c core/elf/*.c core/proc/*.c core/fs/*.c core/sys/*.c))
FUZZ_HOSTED_SRCS := $(filter-out platform/hosted/hw_%.c,$(wildcard platform/hosted/*.c))
FUZZ_HARNESS_SRCS := fuzz/fuzz_elf.c fuzz/fz_libelf.c fuzz/fz_check.c fuzz/fz_apply.c \
	tests/unit/elf_build.c
FUZZ_INC := -Icore -Iplatform/hosted -Itests/unit -Ifuzz
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CC_lf := clang
FUZZ_CC_afl := afl-clang-fast
FUZZ_CC_cov := clang
FUZZ_FLAGS_lf := -O1 -g $(FUZZ_SAN) -fsanitize=fuzzer-no-link
FUZZ_FLAGS_afl := -O1 -g $(FUZZ_SAN)
FUZZ_FLAGS_cov := -O0 -g -fprofile-instr-generate -fcoverage-mapping
FUZZ_LINK_lf := -fsanitize=fuzzer
FUZZ_LINK_afl :=
FUZZ_LINK_cov :=
FUZZ_MAIN_lf :=
FUZZ_MAIN_afl := fuzz/afl_driver.c
FUZZ_MAIN_cov := fuzz/afl_driver.c
FUZZ_BIN_lf := fuzz_elf
FUZZ_BIN_afl := afl_elf
FUZZ_BIN_cov := cov_elf

# $(1)=format $(2)=kind (lf: libFuzzer, afl: AFL++, cov: replay with line coverage): objects and binary of one build.
define fuzz_build
FZD_$(1)_$(2) := $(FUZZ_DIR)/$(2)-$(1)
FZOBJS_$(1)_$(2) := $$(patsubst %.c,$$(FZD_$(1)_$(2))/%.o,$(FUZZ_CORE_SRCS) $(FUZZ_HOSTED_SRCS) \
	$(wildcard platform/$(1)/pte.c platform/$(1)/uregs.c platform/$(1)/sigframe.c \
	platform/hosted/hw_$(1).c core/sys/table_$(1).c))
FZHOBJS_$(1)_$(2) := $$(patsubst %.c,$$(FZD_$(1)_$(2))/%.o,$(FUZZ_HARNESS_SRCS) $(FUZZ_MAIN_$(2)))

$$(FZD_$(1)_$(2))/core/%.o: core/%.c
	@mkdir -p $$(@D)
	$(Q)$(FUZZ_CC_$(2)) $$(CORE_CFLAGS) -fno-builtin-memcpy $(FUZZ_FLAGS_$(2)) -DCLEAVE_HOSTED -MMD -MP -Icore -c $$< -o $$@

$$(FZD_$(1)_$(2))/platform/%.o: platform/%.c
	@mkdir -p $$(@D)
	$(Q)$(FUZZ_CC_$(2)) -std=gnu11 $$(WARN) $(FUZZ_FLAGS_$(2)) -DCLEAVE_HOSTED -DHOSTED_FORMAT_$(1) -MMD -MP $(FUZZ_INC) -c $$< -o $$@

$$(FZD_$(1)_$(2))/%.o: %.c
	@mkdir -p $$(@D)
	$(Q)$(FUZZ_CC_$(2)) -std=gnu11 $$(WARN) $(FUZZ_FLAGS_$(2)) -DCLEAVE_HOSTED -DHOSTED_FORMAT_$(1) -MMD -MP $(FUZZ_INC) -c $$< -o $$@

$$(FZD_$(1)_$(2))/libcleave.a: $$(FZOBJS_$(1)_$(2))
	$(Q)rm -f $$@ && ar rcs $$@ $$^

$(FUZZ_DIR)/$(FUZZ_BIN_$(2))-$(1): $$(FZHOBJS_$(1)_$(2)) $$(FZD_$(1)_$(2))/libcleave.a
	$(Q)$(FUZZ_CC_$(2)) $(FUZZ_FLAGS_$(2)) $(FUZZ_LINK_$(2)) $$^ -lelf -o $$@

-include $$(FZOBJS_$(1)_$(2):.o=.d) $$(FZHOBJS_$(1)_$(2):.o=.d)
endef

$(foreach f,$(FUZZ_FORMATS),$(foreach k,lf afl cov,$(eval $(call fuzz_build,$(f),$(k)))))

FUZZ_LF_BINS := $(addprefix $(FUZZ_DIR)/fuzz_elf-,$(FUZZ_FORMATS))
FUZZ_AFL_BINS := $(addprefix $(FUZZ_DIR)/afl_elf-,$(FUZZ_FORMATS))
FUZZ_US_FILES := $(foreach a,x86_64 aarch64,$(addprefix $(BUILD)/userspace-$(a)/,$(FUZZ_US_SEEDS)))

# The seed generator: plain host build of elf_build.c and core/elf/elf.c.
$(FUZZ_DIR)/gen_seeds: fuzz/gen_seeds.c tests/unit/elf_build.c core/elf/elf.c tests/unit/elf_build.h core/elf/elf.h
	@mkdir -p $(@D)
	$(Q)gcc -std=gnu11 $(WARN) -O1 -g -DCLEAVE_HOSTED $(FUZZ_INC) $(filter %.c,$^) -o $@

# Generated seeds: every elf_build variant for both machines, plus real binaries.
$(FUZZ_DIR)/seeds/.stamp: $(FUZZ_DIR)/gen_seeds $(FUZZ_US_FILES)
	$(Q)rm -rf $(@D) && mkdir -p $(@D)
	$(Q)$(FUZZ_DIR)/gen_seeds $(@D)
	$(Q)for a in x86_64 aarch64; do for p in $(FUZZ_US_SEEDS); do \
		cp $(BUILD)/userspace-$$a/$$p $(@D)/$$a-userspace-$$(basename $$p); done; done
	$(Q)touch $@

fuzz-build: | deps-fuzz
	$(Q)$(MAKE) --no-print-directory fuzz-bins

fuzz-bins: $(FUZZ_LF_BINS) $(FUZZ_DIR)/seeds/.stamp

# make fuzz: both formats side by side for FUZZ_SECONDS; the corpus grows in
# $(FUZZ_DIR)/corpus-<format>, crashes land in $(FUZZ_DIR)/artifacts-<format>/.
fuzz: fuzz-build
	$(Q)fuzz/campaign.sh $(FUZZ_SECONDS) $(FUZZ_DIR) $(FUZZ_DIR) "$(FUZZ_FORMATS)" \
		$(FUZZ_DIR)/seeds fuzz/corpus

# make fuzz-smoke: every seed and corpus file under each format, then a short run.
fuzz-smoke: fuzz-build
	$(Q)fuzz/smoke.sh $(FUZZ_SMOKE_SECONDS) $(FUZZ_DIR) "$(FUZZ_FORMATS)" \
		$(FUZZ_DIR)/seeds fuzz/corpus

fuzz-afl: | deps-fuzz
	$(Q)$(MAKE) --no-print-directory fuzz-afl-bins

fuzz-afl-bins: $(FUZZ_AFL_BINS) $(FUZZ_DIR)/seeds/.stamp

# make fuzz-afl-run: AFL++ on the x86_64 build for FUZZ_SECONDS (findings in
# $(FUZZ_DIR)/afl-out/default/crashes/).
fuzz-afl-run: fuzz-afl
	$(Q)AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1 AFL_AUTORESUME=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
		afl-fuzz -V $(FUZZ_SECONDS) -t 5000 -i $(FUZZ_DIR)/seeds -o $(FUZZ_DIR)/afl-out \
		-- $(FUZZ_DIR)/afl_elf-x86_64

# make fuzz-cov: replay seeds, fuzz/corpus and any campaign corpus on the x86_64
# coverage build; per-file line and branch coverage of the ELF code.
FUZZ_COV_FILES := core/elf/elf.c core/proc/exec_load.c core/elf/ustack.c
fuzz-cov: | deps-fuzz
	$(Q)$(MAKE) --no-print-directory $(FUZZ_DIR)/cov_elf-x86_64 $(FUZZ_DIR)/seeds/.stamp
	$(Q)rm -f $(FUZZ_DIR)/cov-*.profraw
	$(Q)find $(FUZZ_DIR)/seeds fuzz/corpus $(wildcard $(FUZZ_DIR)/corpus-*) -type f \
		! -name '.*' ! -name '*.md' | LLVM_PROFILE_FILE=$(FUZZ_DIR)/cov-%p.profraw \
		xargs $(FUZZ_DIR)/cov_elf-x86_64
	$(Q)llvm-profdata merge -o $(FUZZ_DIR)/cov.profdata $(FUZZ_DIR)/cov-*.profraw
	$(Q)llvm-cov report $(FUZZ_DIR)/cov_elf-x86_64 -instr-profile=$(FUZZ_DIR)/cov.profdata \
		$(FUZZ_COV_FILES)

deps-fuzz:
	$(Q)$(DEPS) fuzz

clean-fuzz:
	rm -rf $(FUZZ_DIR)

.PHONY: fuzz-cov fuzz fuzz-build fuzz-bins fuzz-afl-bins fuzz-smoke fuzz-afl fuzz-afl-run deps-fuzz clean-fuzz
TEST_RINGS += fuzz-smoke
