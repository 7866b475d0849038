/*
 * The ELF loader fuzzer's parts (hosted code, uses libc): see fuzz/README.md.
 *
 * fuzz_elf.c   entry points: runs elf_plan() per machine and checks its results
 * fz_libelf.c  libelf's reading of the same bytes, and the differential comparison
 * fz_check.c   invariants every accepted plan must satisfy
 * fz_apply.c   the plan applied to a hosted address space, contents and leak checks
 *
 * Every finding (a disagreement, a broken invariant, a leak) ends in fz_finding(),
 * which prints what broke and aborts, so libFuzzer and AFL++ record a crash.
 */
#ifndef CLEAVE_FUZZ_H
#define CLEAVE_FUZZ_H

#include "elf/elf.h"

/* Program headers the oracle keeps: 64 KiB / 56, the most an accepted file has. */
#define FZ_MAX_PHDRS (ELF_MAX_PHDR_TABLE / ELF_PHDR_SIZE)

/* libelf's reading of one input, in core's neutral structs. */
struct fz_libelf {
	bool ok;          /* libelf gave the header and all e_phnum program headers */
	bool normalized;  /* it did so only with the section-header fields cleared */
	struct elf_ehdr eh;
	size_t phnum;     /* elf_getphdrnum() */
	struct elf_phdr ph[FZ_MAX_PHDRS];
};

/* Print "fuzz finding: ..." with the formatted reason and abort. */
_Noreturn void fz_finding(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Start libelf (once per process). */
void fz_libelf_init(void);
/* Fill out with libelf's reading of data[0, size); out->ok false when libelf refuses. */
void fz_libelf_read(const uint8_t *data, size_t size, struct fz_libelf *out);
/* Abort unless libelf read the fields an accepted plan acts on as core/elf did. */
void fz_libelf_compare(const struct fz_libelf *lf, const struct elf_target *t,
		       const struct elf_plan *plan);

/* Abort unless plan (accepted for t over size bytes described by lf) holds every
 * invariant of elf.h. */
void fz_check_plan(const struct fz_libelf *lf, const struct elf_target *t,
		   const uint8_t *data, size_t size, const struct elf_plan *plan);

/* Boot the hosted machine (RAM arena, frames) once and record the baseline counts. */
void fz_machine_boot(void);
/* The ELF machine the hosted build's page-table format belongs to. */
uint16_t fz_machine(void);
/* Build plan's image in a fresh hosted space, check contents, protections and that
 * frames and kernel objects return to baseline (also after an injected failure
 * chosen by seed). Aborts on a finding. */
void fz_apply(const struct elf_plan *plan, const uint8_t *data, uint64_t seed);

/* Per-process counts for FUZZ_STATS=1 (printed at exit). */
struct fz_stats {
	unsigned long inputs;
	unsigned long libelf_ok, libelf_normalized;
	unsigned long accepted[2];      /* per machine: x86_64, aarch64 */
	unsigned long stricter[2];      /* libelf parses a file of that machine, core refuses */
	unsigned long by_errno[2][8];   /* ... split by errno (see fuzz_elf.c) */
	unsigned long applied, apply_enomem, injected;
};
extern struct fz_stats fz_stats;

#endif
