/*
 * Unit tests for core/elf/elf.c (suite "elf"): plans of valid images field by field,
 * one malformed variant per validation rule with its exact errno, overflow cases,
 * truncation at every length, unaligned images, random mutation with plan invariants,
 * and optionally real binaries from $CLEAVE_ELF_FIXTURES.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "elf/elf.h"
#include "elf_build.h"
#include "lib/errno.h"

static const uint16_t machines[] = { ELF_MACHINE_X86_64, ELF_MACHINE_AARCH64 };

/* Plan im (serialized into an exact-size heap buffer, so ASan sees any overread). */
static int plan_image(const struct eb_image *im, const struct elf_target *t, struct elf_plan *p)
{
	uint8_t *buf = eb_alloc_write(im);
	int err;

	assert_non_null(buf);
	err = elf_plan(buf, (size_t)im->size, t, p);
	free(buf);
	return err;
}

/* Assert the properties every successful plan must have, whatever the input. */
static void check_invariants(const struct elf_plan *p, size_t size, const struct elf_target *t)
{
	vaddr_t brk = 0;
	bool entry_ok = false;

	assert_true(p->nsegs >= 1 && p->nsegs <= ELF_MAX_LOADS);
	assert_int_equal(p->phentsize, ELF_PHDR_SIZE);
	for (size_t i = 0; i < p->nsegs; i++) {
		const struct elf_segment *s = &p->segs[i];

		assert_true(s->map_start % ELF_PAGE_SIZE == 0 && s->map_end % ELF_PAGE_SIZE == 0);
		assert_true(s->map_start >= t->min_addr && s->map_start <= s->vaddr);
		assert_true(s->memsz <= s->map_end - s->vaddr && s->map_end <= t->user_top);
		assert_true(s->filesz <= s->memsz);
		assert_true(s->file_offset % ELF_PAGE_SIZE == 0);
		assert_true(s->file_offset <= size && s->file_size <= size - s->file_offset);
		assert_true(s->file_size <= s->map_end - s->map_start);
		assert_true(s->file_size == 0 || s->file_size == s->filesz + (s->vaddr - s->map_start));
		assert_true((s->prot & ~(ELF_PROT_READ | ELF_PROT_WRITE | ELF_PROT_EXEC)) == 0);
		brk = s->map_end > brk ? s->map_end : brk;
		if ((s->prot & ELF_PROT_EXEC) && p->entry >= s->vaddr && p->entry - s->vaddr < s->memsz)
			entry_ok = true;
	}
	assert_true(entry_ok);
	assert_int_equal(p->brk, brk);
}

/* Assert segment s of a plan, field by field. */
static void check_seg(const struct elf_segment *s, vaddr_t vaddr, vaddr_t start, vaddr_t end,
		      uint64_t foff, uint64_t fsize, uint64_t memsz, unsigned prot)
{
	assert_int_equal(s->vaddr, vaddr);
	assert_int_equal(s->map_start, start);
	assert_int_equal(s->map_end, end);
	assert_int_equal(s->file_offset, foff);
	assert_int_equal(s->file_size, fsize);
	assert_int_equal(s->memsz, memsz);
	assert_int_equal(s->prot, prot);
}

/* Assert the plan of the valid layout (elf_build.h) placed at biased base b. */
static void check_valid_plan(const struct elf_plan *p, vaddr_t b)
{
	assert_int_equal(p->nsegs, 2);
	check_seg(&p->segs[0], b, b, b + 0x1000, 0, 0x1000, 0x1000, ELF_PROT_READ | ELF_PROT_EXEC);
	/* data: vaddr b+0x2010, 0x10 head bytes from file page 0x1000, then 0x1f0 bytes. */
	check_seg(&p->segs[1], b + 0x2010, b + 0x2000, b + 0x6000, 0x1000, 0x200, 0x3000,
		  ELF_PROT_READ | ELF_PROT_WRITE);
	assert_int_equal(p->segs[1].filesz, EB_DATA_FILESZ);
	assert_int_equal(p->entry, b + EB_ENTRY_OFF);
	assert_int_equal(p->phdr_vaddr, b + ELF_EHDR_SIZE);
	assert_int_equal(p->phnum, EB_NPH);
	assert_int_equal(p->phentsize, ELF_PHDR_SIZE);
	assert_false(p->exec_stack);
	assert_int_equal(p->brk, b + 0x6000);
	assert_false(p->interp);
}

/* A static ET_EXEC plans to its link addresses, on both machines. */
static void test_exec_valid(void **state)
{
	struct eb_image im;
	struct elf_plan p;

	(void)state;
	for (size_t m = 0; m < ARRAY_SIZE(machines); m++) {
		struct elf_target t = eb_target(machines[m]);

		eb_static_exec(&im, machines[m]);
		assert_int_equal(plan_image(&im, &t, &p), 0);
		assert_int_equal(p.type, ELF_TYPE_EXEC);
		assert_int_equal(p.load_bias, 0);
		check_valid_plan(&p, EB_EXEC_BASE);
		check_invariants(&p, (size_t)im.size, &t);
	}
}

/* A static PIE linked at 0 lands at pie_base: bias = pie_base. */
static void test_pie_valid(void **state)
{
	struct eb_image im;
	struct elf_plan p;

	(void)state;
	for (size_t m = 0; m < ARRAY_SIZE(machines); m++) {
		struct elf_target t = eb_target(machines[m]);

		eb_static_pie(&im, machines[m]);
		assert_int_equal(plan_image(&im, &t, &p), 0);
		assert_int_equal(p.type, ELF_TYPE_DYN);
		assert_int_equal(p.load_bias, t.pie_base);
		check_valid_plan(&p, t.pie_base);
		check_invariants(&p, (size_t)im.size, &t);
	}
}

/* A PIE whose lowest p_vaddr is 0x10234 (page 0x10000): bias = pie_base - 0x10000. */
static void test_pie_nonzero_low(void **state)
{
	struct elf_target t = eb_target(ELF_MACHINE_X86_64);
	struct eb_image im;
	struct elf_plan p;

	(void)state;
	eb_static_pie(&im, ELF_MACHINE_X86_64);
	im.ph[EB_PH_TEXT].vaddr = 0x10000;
	im.ph[EB_PH_DATA].vaddr = 0x12010;
	im.ph[EB_PH_PHDR].vaddr = 0x10040;
	im.eh.entry = 0x10000 + EB_ENTRY_OFF;
	/* Out of order on purpose: the lowest page counts, not the first header. */
	{
		struct elf_phdr tmp = im.ph[EB_PH_TEXT];

		im.ph[EB_PH_TEXT] = im.ph[EB_PH_DATA];
		im.ph[EB_PH_DATA] = tmp;
	}
	assert_int_equal(plan_image(&im, &t, &p), 0);
	assert_int_equal(p.load_bias, t.pie_base - 0x10000);
	assert_int_equal(p.segs[1].map_start, t.pie_base);
	assert_int_equal(p.segs[0].vaddr, t.pie_base + 0x2010);
	assert_int_equal(p.entry, t.pie_base + EB_ENTRY_OFF);
	assert_int_equal(p.phdr_vaddr, t.pie_base + 0x40);
	assert_int_equal(p.brk, t.pie_base + 0x6000);
}

/* A PIE linked near 2^64 is still placed at pie_base (bias wraps, addresses do not). */
static void test_pie_high_link(void **state)
{
	struct elf_target t = eb_target(ELF_MACHINE_AARCH64);
	uint64_t hi = 0xfffffffffff00000ull;
	struct eb_image im;
	struct elf_plan p;

	(void)state;
	eb_static_pie(&im, ELF_MACHINE_AARCH64);
	im.ph[EB_PH_TEXT].vaddr = hi;
	im.ph[EB_PH_DATA].vaddr = hi + EB_DATA_VADDR;
	im.ph[EB_PH_PHDR].vaddr = hi + 0x40;
	im.eh.entry = hi + EB_ENTRY_OFF;
	assert_int_equal(plan_image(&im, &t, &p), 0);
	check_valid_plan(&p, t.pie_base);
	assert_int_equal(p.load_bias, t.pie_base - hi);
	/* ... but an entry below the lowest page must not wrap into range. */
	im.eh.entry = hi - 0x1000;
	assert_int_equal(plan_image(&im, &t, &p), -EINVAL);
}

/* The serialized headers decode back to im's (blobs never overwrite the table). */
static void check_roundtrip(const struct eb_image *im)
{
	uint8_t *buf = eb_alloc_write(im);
	struct elf_ehdr eh;
	struct elf_phdr ph;

	assert_non_null(buf);
	if (im->size >= ELF_EHDR_SIZE) {
		elf_decode_ehdr(buf, &eh);
		assert_memory_equal(&eh, &im->eh, sizeof(eh));
	}
	for (unsigned i = 0; i < im->nph; i++) {
		uint64_t off = im->eh.phoff + (uint64_t)i * ELF_PHDR_SIZE;

		if (off < im->eh.phoff || off > im->size || im->size - off < ELF_PHDR_SIZE)
			break;
		elf_decode_phdr(buf + off, &ph);
		assert_memory_equal(&ph, &im->ph[i], sizeof(ph));
	}
	free(buf);
}

/* Every variant of elf_build.c gives its documented result, per machine and type. */
static void test_variants(void **state)
{
	int failures = 0;

	(void)state;
	for (size_t m = 0; m < ARRAY_SIZE(machines); m++) {
		struct elf_target t = eb_target(machines[m]);

		for (int dyn = 0; dyn < 2; dyn++) {
			for (int v = 0; v < EB_VARIANT_COUNT; v++) {
				const struct eb_variant_info *vi = eb_variant_info(v);
				int want = dyn ? vi->expect_dyn : vi->expect_exec;
				struct eb_image im;
				struct elf_plan p;
				int got;

				if (dyn)
					eb_static_pie(&im, machines[m]);
				else
					eb_static_exec(&im, machines[m]);
				eb_apply(&im, v);
				check_roundtrip(&im);
				got = plan_image(&im, &t, &p);
				if (got != want) {
					print_error("variant %s machine %u %s: got %d want %d\n", vi->name,
						    machines[m], dyn ? "dyn" : "exec", got, want);
					failures++;
				}
				if (got == 0)
					check_invariants(&p, (size_t)im.size, &t);
			}
		}
	}
	assert_int_equal(failures, 0);
}

/* Plan variant v of the x86_64 ET_EXEC; asserts success. */
static void plan_variant(enum eb_variant v, struct elf_plan *p)
{
	struct elf_target t = eb_target(ELF_MACHINE_X86_64);
	struct eb_image im;

	eb_static_exec(&im, ELF_MACHINE_X86_64);
	eb_apply(&im, v);
	assert_int_equal(plan_image(&im, &t, p), 0);
}

/* The accepted bends plan as Linux would load them. */
static void test_accepted_details(void **state)
{
	const vaddr_t b = EB_EXEC_BASE;
	struct elf_plan p;

	(void)state;
	plan_variant(EB_EXEC_STACK, &p);
	assert_true(p.exec_stack);
	plan_variant(EB_NO_GNU_STACK, &p);
	assert_false(p.exec_stack);
	plan_variant(EB_WX, &p);
	assert_int_equal(p.segs[0].prot, ELF_PROT_READ | ELF_PROT_WRITE | ELF_PROT_EXEC);
	assert_int_equal(p.segs[1].prot, ELF_PROT_READ | ELF_PROT_WRITE);
	plan_variant(EB_NO_PT_PHDR, &p); /* fallback: the PT_LOAD holding e_phoff */
	assert_int_equal(p.phdr_vaddr, b + ELF_EHDR_SIZE);
	plan_variant(EB_OVERLAP, &p); /* data first, then text over its first page */
	check_seg(&p.segs[0], b + 0x10, b, b + 0x4000, 0x1000, 0x200, 0x3000,
		  ELF_PROT_READ | ELF_PROT_WRITE);
	check_seg(&p.segs[1], b, b, b + 0x1000, 0, 0x1000, 0x1000, ELF_PROT_READ | ELF_PROT_EXEC);
	assert_int_equal(p.brk, b + 0x4000);
	plan_variant(EB_OUT_OF_ORDER, &p); /* file order is kept */
	assert_int_equal(p.segs[0].vaddr, b + EB_DATA_VADDR);
	assert_int_equal(p.segs[1].vaddr, b);
	assert_int_equal(p.brk, b + 0x6000);
	plan_variant(EB_BSS_ONLY, &p);
	check_seg(&p.segs[1], b + 0x2010, b + 0x2000, b + 0x6000, 0, 0, 0x3000,
		  ELF_PROT_READ | ELF_PROT_WRITE);
	plan_variant(EB_MAX_LOADS, &p);
	assert_int_equal(p.nsegs, ELF_MAX_LOADS);
	plan_variant(EB_PHNUM_LIMIT, &p);
	assert_int_equal(p.phnum, 1170);
	assert_int_equal(p.phdr_vaddr, b + ELF_EHDR_SIZE);
}

/* PT_INTERP is reported when the target allows it, with Linux's checks on the path. */
static void test_interp_allowed(void **state)
{
	struct elf_target t = eb_target(ELF_MACHINE_X86_64);
	struct eb_image im, base;
	struct elf_plan p;
	unsigned last;

	(void)state;
	t.allow_interp = true;
	eb_static_exec(&base, ELF_MACHINE_X86_64);
	eb_apply(&base, EB_INTERP);
	last = base.nph - 1;
	assert_int_equal(plan_image(&base, &t, &p), 0);
	assert_true(p.interp);
	assert_int_equal(p.interp_offset, EB_INTERP_OFF);
	assert_int_equal(p.interp_size, 11);
	im = base;
	im.blob[EB_BLOB_INTERP].bytes[10] = 'x'; /* not NUL-terminated */
	assert_int_equal(plan_image(&im, &t, &p), -ENOEXEC);
	im = base;
	im.ph[last].filesz = 1;
	assert_int_equal(plan_image(&im, &t, &p), -ENOEXEC);
	im.ph[last].filesz = ELF_MAX_INTERP + 1;
	assert_int_equal(plan_image(&im, &t, &p), -ENOEXEC);
	im.ph[last].filesz = 11;
	im.ph[last].offset = im.size - 5;
	assert_int_equal(plan_image(&im, &t, &p), -EIO);
	im.ph[last].offset = UINT64_MAX - 4;
	assert_int_equal(plan_image(&im, &t, &p), -EIO);
}

/* Overflow corner cases beyond the variants: all-ones fields everywhere. */
static void test_overflow_corners(void **state)
{
	struct elf_target t = eb_target(ELF_MACHINE_X86_64);
	struct eb_image im;
	struct elf_plan p;

	(void)state;
	eb_static_exec(&im, ELF_MACHINE_X86_64);
	im.eh.phoff = UINT64_MAX;
	assert_int_equal(plan_image(&im, &t, &p), -ENOEXEC);
	eb_static_exec(&im, ELF_MACHINE_X86_64);
	im.eh.phoff = im.size - EB_NPH * ELF_PHDR_SIZE + 1; /* one byte short */
	assert_int_equal(plan_image(&im, &t, &p), -ENOEXEC);
	eb_static_exec(&im, ELF_MACHINE_X86_64);
	im.ph[EB_PH_DATA].offset = UINT64_MAX;
	im.ph[EB_PH_DATA].filesz = UINT64_MAX;
	im.ph[EB_PH_DATA].memsz = UINT64_MAX;
	assert_int_equal(plan_image(&im, &t, &p), -EINVAL);
	eb_static_exec(&im, ELF_MACHINE_X86_64);
	im.ph[EB_PH_DATA].vaddr = UINT64_MAX;
	im.ph[EB_PH_DATA].memsz = 1;
	assert_int_equal(plan_image(&im, &t, &p), -EINVAL);
	eb_static_exec(&im, ELF_MACHINE_X86_64);
	im.ph[EB_PH_DATA].vaddr = t.user_top - EB_DATA_MEMSZ; /* ends exactly at the top */
	im.ph[EB_PH_DATA].offset = 0x1000;
	assert_int_equal(plan_image(&im, &t, &p), 0);
	assert_int_equal(p.brk, t.user_top);
	eb_static_exec(&im, ELF_MACHINE_X86_64);
	im.eh.entry = UINT64_MAX;
	assert_int_equal(plan_image(&im, &t, &p), -EINVAL);
	eb_static_exec(&im, ELF_MACHINE_X86_64);
	im.eh.entry = EB_EXEC_BASE + EB_TEXT_SIZE; /* one past the text */
	assert_int_equal(plan_image(&im, &t, &p), -EINVAL);
	eb_static_exec(&im, ELF_MACHINE_X86_64); /* no PT_LOAD at all: no entry segment */
	im.ph[EB_PH_TEXT].type = ELF_PT_NOTE;
	im.ph[EB_PH_DATA].type = ELF_PT_NOTE;
	im.ph[EB_PH_PHDR].type = ELF_PT_NULL;
	assert_int_equal(plan_image(&im, &t, &p), -EINVAL);
	eb_static_exec(&im, ELF_MACHINE_X86_64); /* empty PT_LOAD (memsz 0) is harmless */
	im.ph[EB_PH_STACK] = im.ph[EB_PH_DATA];
	im.ph[EB_PH_STACK].vaddr = EB_EXEC_BASE + 0x10000;
	im.ph[EB_PH_STACK].filesz = im.ph[EB_PH_STACK].memsz = 0;
	assert_int_equal(plan_image(&im, &t, &p), 0);
	assert_int_equal(p.nsegs, 3);
	assert_int_equal(p.segs[2].map_start, p.segs[2].map_end);
	assert_int_equal(p.brk, EB_EXEC_BASE + 0x10000);
}

/* A target that is unaligned or inconsistent is refused with -EINVAL before any parsing. */
static void test_bad_target(void **state)
{
	struct eb_image im;
	struct elf_plan p;
	struct elf_target t;

	(void)state;
	eb_static_exec(&im, ELF_MACHINE_X86_64);
	t = eb_target(ELF_MACHINE_X86_64);
	t.user_top = 0;
	assert_int_equal(plan_image(&im, &t, &p), -EINVAL);
	t = eb_target(ELF_MACHINE_X86_64);
	t.user_top += 1;
	assert_int_equal(plan_image(&im, &t, &p), -EINVAL);
	t = eb_target(ELF_MACHINE_X86_64);
	t.pie_base = t.user_top;
	assert_int_equal(plan_image(&im, &t, &p), -EINVAL);
	t = eb_target(ELF_MACHINE_X86_64);
	t.min_addr = 0x123;
	assert_int_equal(plan_image(&im, &t, &p), -EINVAL);
	t = eb_target(ELF_MACHINE_X86_64);
	t.min_addr = 0; /* page 0 allowed: the below-min variant loads */
	eb_apply(&im, EB_BELOW_MIN_ADDR);
	assert_int_equal(plan_image(&im, &t, &p), 0);
	assert_int_equal(p.segs[0].map_start, 0);
	assert_int_equal(elf_plan(NULL, 0, &t, &p), -ENOEXEC);
}

/* Plan every prefix of im (exact-size heap copies); only the full length may succeed. */
static void truncate_all(const struct eb_image *im, const struct elf_target *t, size_t step)
{
	uint8_t *full = eb_alloc_write(im);
	struct elf_plan p;

	assert_non_null(full);
	for (size_t len = 0; len < im->size; len += step) {
		uint8_t *buf = malloc(len ? len : 1);
		int err;

		assert_non_null(buf);
		memcpy(buf, full, len);
		err = elf_plan(buf, len, t, &p);
		free(buf);
		if (err == 0)
			check_invariants(&p, len, t);
		else
			assert_true(err == -ENOEXEC || err == -EINVAL || err == -EIO ||
				    err == -ENOMEM || err == -EPERM);
	}
	free(full);
}

/* Truncated valid images of every length 0..size fail cleanly (never crash). */
static void test_truncated(void **state)
{
	struct eb_image im;

	(void)state;
	for (size_t m = 0; m < ARRAY_SIZE(machines); m++) {
		struct elf_target t = eb_target(machines[m]);

		eb_static_exec(&im, machines[m]);
		truncate_all(&im, &t, 1);
		eb_static_pie(&im, machines[m]);
		truncate_all(&im, &t, 1);
		for (int v = 0; v < EB_VARIANT_COUNT; v++) {
			eb_static_exec(&im, machines[m]);
			eb_apply(&im, v);
			truncate_all(&im, &t, 61);
		}
	}
}

/* Images at every misalignment 0..15 plan identically. */
static void test_unaligned(void **state)
{
	struct elf_target t = eb_target(ELF_MACHINE_AARCH64);
	struct elf_plan ref, p;
	struct eb_image im;
	uint8_t *buf;

	(void)state;
	eb_static_pie(&im, ELF_MACHINE_AARCH64);
	buf = malloc((size_t)im.size + 16);
	assert_non_null(buf);
	assert_int_equal(plan_image(&im, &t, &ref), 0);
	for (size_t off = 0; off < 16; off++) {
		eb_write(&im, buf + off, (size_t)im.size);
		assert_int_equal(elf_plan(buf + off, (size_t)im.size, &t, &p), 0);
		assert_memory_equal(&p, &ref, sizeof(p));
	}
	free(buf);
}

/* xorshift64: deterministic pseudo-random numbers for the mutation test. */
static uint64_t rng_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Random byte and word mutations of the headers: success implies every invariant. */
static void test_mutations(void **state)
{
	static const uint64_t words[] = { 0, 1, 0xfff, 0x1000, 0x7fffffffffffull,
					  0x800000000000ull, UINT64_MAX, UINT64_MAX - 0xfff };
	struct elf_target t = eb_target(ELF_MACHINE_X86_64);
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	struct eb_image im;
	struct elf_plan p;
	uint8_t *buf;
	int ok = 0;

	(void)state;
	eb_static_exec(&im, ELF_MACHINE_X86_64);
	buf = malloc((size_t)im.size);
	assert_non_null(buf);
	for (int iter = 0; iter < 20000; iter++) {
		size_t hdr = ELF_EHDR_SIZE + EB_NPH * ELF_PHDR_SIZE;

		if (iter % 2)
			eb_static_pie(&im, ELF_MACHINE_X86_64);
		else
			eb_static_exec(&im, ELF_MACHINE_X86_64);
		eb_write(&im, buf, (size_t)im.size);
		for (int k = (int)(rng_next(&seed) % 4); k >= 0; k--) {
			uint64_t r = rng_next(&seed);
			size_t at = (size_t)(r % (hdr - 8));

			if (r & (1ull << 40))
				memcpy(buf + at, &words[(r >> 41) % ARRAY_SIZE(words)], 8);
			else
				buf[at] = (uint8_t)(r >> 48);
		}
		if (elf_plan(buf, (size_t)im.size, &t, &p) == 0) {
			check_invariants(&p, (size_t)im.size, &t);
			ok++;
		}
	}
	free(buf);
	assert_true(ok > 0);
}

/* Read a whole file into a malloc() buffer; NULL when unreadable or empty. */
static uint8_t *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	struct stat st;

	if (!f)
		return NULL;
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
		buf = malloc((size_t)st.st_size);
		if (buf && fread(buf, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
			free(buf);
			buf = NULL;
		}
		*size = (size_t)st.st_size;
	}
	fclose(f);
	return buf;
}

/* Real static binaries in $CLEAVE_ELF_FIXTURES (if set) plan successfully. */
static void test_fixtures(void **state)
{
	const char *dir = getenv("CLEAVE_ELF_FIXTURES");
	struct dirent *de;
	int planned = 0;
	DIR *d;

	(void)state;
	if (!dir || !*dir)
		skip();
	d = opendir(dir);
	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		char path[4096];
		struct elf_target t;
		struct elf_plan p;
		size_t size = 0;
		uint8_t *buf;
		int err;

		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		buf = read_file(path, &size);
		if (!buf || size < ELF_EHDR_SIZE || memcmp(buf, "\177ELF", 4) != 0) {
			free(buf);
			continue;
		}
		t = eb_target((uint16_t)(buf[18] | buf[19] << 8));
		err = elf_plan(buf, size, &t, &p);
		print_message("# fixture %s: %d, %zu segments, entry %#llx\n", de->d_name, err,
			      p.nsegs, (unsigned long long)p.entry);
		assert_int_equal(err, 0);
		check_invariants(&p, size, &t);
		free(buf);
		planned++;
	}
	closedir(d);
	assert_true(planned > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exec_valid),
		cmocka_unit_test(test_pie_valid),
		cmocka_unit_test(test_pie_nonzero_low),
		cmocka_unit_test(test_pie_high_link),
		cmocka_unit_test(test_variants),
		cmocka_unit_test(test_accepted_details),
		cmocka_unit_test(test_interp_allowed),
		cmocka_unit_test(test_overflow_corners),
		cmocka_unit_test(test_bad_target),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_unaligned),
		cmocka_unit_test(test_mutations),
		cmocka_unit_test(test_fixtures),
	};

	return cmocka_run_group_tests_name("elf", tests, NULL, NULL);
}
