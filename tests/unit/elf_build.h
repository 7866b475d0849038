/*
 * In-memory ELF64 images for tests and fuzz seeds (hosted code, uses libc).
 *
 * An eb_image is a description: a file header, program headers written at eh.phoff,
 * up to EB_MAX_BLOBS runs of raw bytes, and a file size. eb_write() serializes it over a
 * deterministic byte pattern, writing only what fits inside the file (so a table or
 * blob that lies past the end is simply cut off, which is what the malformed
 * variants want). Start from eb_static_exec() or eb_static_pie(), then optionally
 * break one rule with eb_apply(); eb_variant_info() tells the errno elf_plan() must
 * return for it.
 */
#ifndef CLEAVE_ELF_BUILD_H
#define CLEAVE_ELF_BUILD_H

#include "elf/elf.h"

#define EB_MAX_PHDRS 32
#define EB_MAX_BLOBS 2
enum { EB_BLOB_CODE = 0, EB_BLOB_INTERP = 1 };

/* Layout of the valid images (link base B = EB_EXEC_BASE for ET_EXEC, 0 for ET_DYN). */
#define EB_EXEC_BASE 0x400000ull
#define EB_FILE_SIZE 0x1200ull     /* file size of the valid images */
#define EB_ENTRY_OFF 0x800ull      /* entry = B + this, inside the text segment, past
				      * any table of EB_MAX_PHDRS headers; the
				      * code there is exit(42) for the machine, so a real
				      * kernel that loads the image exits with status 42 */
#define EB_TEXT_SIZE 0x1000ull     /* text: offset 0, vaddr B, file = mem = this, R+X */
#define EB_DATA_OFF 0x1010ull      /* data: file offset ... */
#define EB_DATA_VADDR 0x2010ull    /* ... at B + this, R+W */
#define EB_DATA_FILESZ 0x1f0ull    /* data's file bytes end exactly at EB_FILE_SIZE */
#define EB_DATA_MEMSZ 0x3000ull    /* bss: memsz - filesz bytes */
#define EB_INTERP_OFF 0x900ull     /* where the PT_INTERP variant puts its path */

/* Indices of the program headers in the valid images. */
enum { EB_PH_PHDR = 0, EB_PH_TEXT = 1, EB_PH_DATA = 2, EB_PH_STACK = 3, EB_NPH = 4 };

struct eb_image {
	struct elf_ehdr eh;              /* written verbatim (phnum too: may differ from nph) */
	struct elf_phdr ph[EB_MAX_PHDRS];
	unsigned nph;                    /* entries of ph[] written at eh.phoff */
	uint64_t size;                   /* file size in bytes */
	struct eb_blob {
		uint64_t off;            /* file offset of the bytes */
		uint8_t bytes[64];
		size_t len;              /* 0: unused */
	} blob[EB_MAX_BLOBS];
};

/* One way to break (or legally bend) a valid image. */
enum eb_variant {
	EB_VALID,
	EB_BAD_MAGIC, EB_BAD_CLASS, EB_BAD_DATA, EB_BAD_IDENT_VERSION, EB_BAD_VERSION,
	EB_TYPE_REL, EB_TYPE_CORE, EB_BAD_MACHINE, EB_TRUNC_EHDR,
	EB_BAD_PHENTSIZE, EB_PHNUM_ZERO, EB_PHNUM_FFFF, EB_PHNUM_OVER_64K,
	EB_PHOFF_PAST_EOF, EB_PHOFF_HUGE, EB_INTERP,
	EB_FILESZ_GT_MEMSZ, EB_OFFSET_OVERFLOW, EB_FILE_PAST_EOF, EB_MISALIGNED,
	EB_VADDR_OVERFLOW, EB_VADDR_BEYOND_TOP, EB_END_BEYOND_TOP, EB_MEMSZ_HUGE,
	EB_ENTRY_OUTSIDE, EB_ENTRY_NOT_EXEC, EB_ENTRY_IN_GAP, EB_TOO_MANY_LOADS,
	EB_BELOW_MIN_ADDR, EB_PT_PHDR_OUTSIDE,
	EB_OVERLAP_HIDES_ENTRY,
	/* Accepted bends. */
	EB_NO_PT_PHDR, EB_NO_GNU_STACK, EB_EXEC_STACK, EB_WX, EB_OVERLAP, EB_OUT_OF_ORDER,
	EB_MAX_LOADS, EB_BSS_ONLY, EB_PHNUM_LIMIT,
	EB_VARIANT_COUNT
};

/* What Linux 6.18 x86_64 did with the variant under execve() (as root), measured. */
enum eb_linux {
	EB_LINUX_SAME,   /* the same errno as expect_exec / expect_dyn */
	EB_LINUX_RUNS,   /* loads and runs: exit status 42 */
	EB_LINUX_SEGV,   /* fails after the point of no return: killed by SIGSEGV */
	EB_LINUX_OTHER,  /* another result (see the variant's comment in elf_build.c) */
};

struct eb_variant_info {
	const char *name;
	int expect_exec;     /* elf_plan() result on eb_static_exec() + variant: 0 or -errno */
	int expect_dyn;      /* ... on eb_static_pie() + variant */
	enum eb_linux on_linux; /* what Linux does, for differential testing */
};

/* Name and expected elf_plan() results of variant v (v < EB_VARIANT_COUNT). */
const struct eb_variant_info *eb_variant_info(enum eb_variant v);
/* A valid static ET_EXEC for machine (layout above, base EB_EXEC_BASE). */
void eb_static_exec(struct eb_image *im, uint16_t machine);
/* A valid static PIE (ET_DYN) for machine: the same layout linked at 0. */
void eb_static_pie(struct eb_image *im, uint16_t machine);
/* Append ph (phnum follows; PT_PHDR's size too when ph[0] is PT_PHDR); false when full. */
bool eb_add_phdr(struct eb_image *im, const struct elf_phdr *ph);
/* Break or bend im as variant v says (im must come from eb_static_exec/pie). */
void eb_apply(struct eb_image *im, enum eb_variant v);
/* The target the tests use for machine: Linux's user_top, min_addr 64 KiB, pie_base. */
struct elf_target eb_target(uint16_t machine);
/* Serialize im into buf; returns im->size, or 0 when cap is smaller. */
size_t eb_write(const struct eb_image *im, uint8_t *buf, size_t cap);
/* Serialize im into a new malloc() buffer (free() it); NULL on allocation failure. */
uint8_t *eb_alloc_write(const struct eb_image *im);

#endif
