/*
 * Unit tests for core/elf/ustack.c (suite "ustack"): the built stack is parsed back
 * independently (argc, argv, envp, auxv, strings, alignment, random bytes), golden
 * addresses worked out by hand from Linux's algorithm, the empty-argv rule, and
 * E2BIG exactly at Linux's limits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "elf/elf.h"
#include "elf/ustack.h"
#include "elf_build.h"
#include "lib/errno.h"

#define TOP 0x7ffffffff000ull
#define BIG (USTACK_MAX_ARG_STRLEN + 16)

static char big[BIG]; /* 'a' * (BIG - 1) then NUL: its suffixes give any length */

/* A string of exactly n bytes (n < BIG) made of 'a'. */
static const char *str_of(size_t n)
{
	return big + (BIG - 1 - n);
}

/* Default arguments: no strings yet, distinct auxv values, random bytes 0xA0..0xAF. */
static struct ustack_args base_args(void)
{
	struct ustack_args a;

	memset(&a, 0, sizeof(a));
	a.stack_top = TOP;
	a.execfn = "/bin/prog";
	a.stack_rlimit = USTACK_STK_LIM;
	for (unsigned i = 0; i < USTACK_RANDOM_SIZE; i++)
		a.random[i] = (uint8_t)(0xa0 + i);
	a.aux = (struct ustack_aux){ .hwcap = 0x178bfbff, .hwcap2 = 2, .pagesz = 4096,
				     .clktck = 100, .phdr = 0x400040, .phent = 56, .phnum = 4,
				     .base = 0, .flags = 0, .entry = 0x401000, .uid = 1000,
				     .euid = 1001, .gid = 1002, .egid = 1003, .secure = 0 };
	return a;
}

/* The 8-byte little-endian word at user address addr of a built stack. */
static uint64_t word_at(const uint8_t *buf, const struct ustack_layout *l, vaddr_t addr)
{
	uint64_t x = 0;

	assert_true(addr >= l->sp && addr + 8 <= l->sp + l->len);
	for (unsigned i = 0; i < 8; i++)
		x |= (uint64_t)buf[addr - l->sp + i] << (8 * i);
	return x;
}

/* The NUL-terminated string at user address addr (asserting it ends inside the stack). */
static const char *str_at(const uint8_t *buf, const struct ustack_layout *l, vaddr_t addr)
{
	size_t room;

	assert_true(addr >= l->sp && addr < l->sp + l->len);
	room = l->sp + l->len - addr;
	assert_true(strnlen((const char *)buf + (addr - l->sp), room) < room);
	return (const char *)buf + (addr - l->sp);
}

/* Check a pointer vector at *at against want[0..n) and its NULL; strings must be
 * contiguous from *str upward. Advances *at past the NULL and *str past the strings. */
static void check_vector(const uint8_t *buf, const struct ustack_layout *l, vaddr_t *at,
			 const char *const *want, size_t n, vaddr_t *str)
{
	for (size_t i = 0; i < n; i++) {
		vaddr_t p = word_at(buf, l, *at);

		assert_int_equal(p, *str);
		assert_string_equal(str_at(buf, l, p), want[i]);
		*str += strlen(want[i]) + 1;
		*at += 8;
	}
	assert_int_equal(word_at(buf, l, *at), 0);
	*at += 8;
}

/* Build a, then parse the result back and check every byte class against a. */
static void build_and_check(const struct ustack_args *a, struct ustack_layout *l)
{
	static const char *const empty[1] = { "" };
	const char *const *argv = a->argc ? a->argv : empty;
	uint8_t *buf;
	vaddr_t at, str, top = a->stack_top;
	size_t n;

	assert_int_equal(ustack_measure(a, l), 0);
	buf = malloc(l->len);
	assert_non_null(buf);
	assert_int_equal(ustack_build(a, buf, l->len, l), 0);
	assert_int_equal(l->sp % 16, 0);
	assert_int_equal(l->sp + l->len, top);
	assert_int_equal(word_at(buf, l, l->sp), a->argc ? a->argc : 1);
	at = l->sp + 8;
	str = l->arg_start;
	assert_int_equal(l->argv, at);
	check_vector(buf, l, &at, argv, a->argc ? a->argc : 1, &str);
	assert_int_equal(l->arg_end, str);
	assert_int_equal(l->envp, at);
	check_vector(buf, l, &at, a->envp, a->envc, &str);
	assert_int_equal(l->env_end, str);
	assert_int_equal(l->execfn, str);
	assert_string_equal(str_at(buf, l, str), a->execfn);
	str += strlen(a->execfn) + 1;
	assert_int_equal(str + 8, top);
	assert_int_equal(word_at(buf, l, top - 8), 0);
	assert_int_equal(l->auxv, at);
	/* auxv ends 0 or 8 zero bytes below the random bytes (0..15 with a platform string,
	 * which leaves the random bytes unaligned). */
	n = l->auxc * 16;
	assert_true(l->random >= at + n && l->random - (at + n) < (a->aux.platform ? 16 : 9));
	assert_true(a->aux.platform || (l->random - (at + n)) % 8 == 0);
	for (vaddr_t z = at + n; z < l->random; z++)
		assert_int_equal(buf[z - l->sp], 0);
	assert_memory_equal(buf + (l->random - l->sp), a->random, USTACK_RANDOM_SIZE);
	if (!a->aux.platform)
		assert_int_equal(l->random, ALIGN_DOWN(l->arg_start, 16) - 16);
	free(buf);
}

/* Read the auxv of a built stack into pairs[]; returns the pair count with AT_NULL. */
static size_t read_auxv(const uint8_t *buf, const struct ustack_layout *l, uint64_t pairs[][2],
			size_t max)
{
	size_t n = 0;

	for (vaddr_t at = l->auxv; n < max; at += 16) {
		pairs[n][0] = word_at(buf, l, at);
		pairs[n][1] = word_at(buf, l, at + 8);
		if (pairs[n++][0] == AT_NULL)
			break;
	}
	return n;
}

/* A typical stack parses back exactly, with Linux's auxv order and values. */
static void test_basic(void **state)
{
	static const char *const argv[] = { "prog", "-x", "hello world" };
	static const char *const envp[] = { "A=1", "PATH=/bin:/usr/bin" };
	struct ustack_args a = base_args();
	struct ustack_layout l;
	uint64_t aux[32][2];
	uint8_t *buf;

	(void)state;
	a.argv = argv;
	a.argc = 3;
	a.envp = envp;
	a.envc = 2;
	build_and_check(&a, &l);
	buf = malloc(l.len);
	assert_non_null(buf);
	assert_int_equal(ustack_build(&a, buf, l.len, &l), 0);
	assert_int_equal(read_auxv(buf, &l, aux, 32), 18);
	const uint64_t want[18][2] = {
		{ AT_HWCAP, 0x178bfbff }, { AT_PAGESZ, 4096 }, { AT_CLKTCK, 100 },
		{ AT_PHDR, 0x400040 }, { AT_PHENT, 56 }, { AT_PHNUM, 4 }, { AT_BASE, 0 },
		{ AT_FLAGS, 0 }, { AT_ENTRY, 0x401000 }, { AT_UID, 1000 }, { AT_EUID, 1001 },
		{ AT_GID, 1002 }, { AT_EGID, 1003 }, { AT_SECURE, 0 }, { AT_RANDOM, l.random },
		{ AT_HWCAP2, 2 }, { AT_EXECFN, l.execfn }, { AT_NULL, 0 },
	};
	assert_memory_equal(aux, want, sizeof(want));
	free(buf);
}

/* Golden addresses worked out by hand from Linux's algorithm (no randomisation). */
static void test_golden(void **state)
{
	static const char *const one[] = { "a" };
	static const char *const two[] = { "a", "b" };
	struct ustack_args a = base_args();
	struct ustack_layout l;

	(void)state;
	a.execfn = "/a";
	a.argv = one;
	a.argc = 1;
	/* execfn at f000-8-3 = eff5; "a" at eff3; random at eff0-16 = efe0; 18 pairs =
	 * 0x120 bytes -> eec0; items 4 -> eea0 (already 16-aligned). */
	build_and_check(&a, &l);
	assert_int_equal(l.execfn, 0x7fffffffeff5ull);
	assert_int_equal(l.arg_start, 0x7fffffffeff3ull);
	assert_int_equal(l.random, 0x7fffffffefe0ull);
	assert_int_equal(l.auxv, 0x7fffffffeec0ull);
	assert_int_equal(l.sp, 0x7fffffffeea0ull);
	assert_int_equal(l.len, 0x160);
	/* Two args: items 5 -> eec0 - 40 = ee98 -> ee90; auxv at ee90+8+24+8 = eeb8, an
	 * 8-byte hole above it, below random. */
	a.argv = two;
	a.argc = 2;
	build_and_check(&a, &l);
	assert_int_equal(l.arg_start, 0x7fffffffeff1ull);
	assert_int_equal(l.sp, 0x7fffffffee90ull);
	assert_int_equal(l.auxv, 0x7fffffffeeb8ull);
}

/*
 * Depths below stack_top measured on Linux 6.18 x86_64 (setarch -R, env -i A=1
 * PATH=/bin ./dump x yy zzz): execfn 0xf, envp[0] 0x1d, argv[0] 0x2d, AT_PLATFORM
 * 0x37, AT_RANDOM 0x47; Linux had 23 auxv pairs (AT_SYSINFO_EHDR and two AT_RSEQ_*
 * more than Cleave's 20), giving sp depth 0x200 there and 0x1d0 here.
 */
static void test_matches_linux(void **state)
{
	static const char *const argv[] = { "./dump", "x", "yy", "zzz" };
	static const char *const envp[] = { "A=1", "PATH=/bin" };
	struct ustack_args a = base_args();
	struct ustack_layout l;

	(void)state;
	a.argv = argv;
	a.argc = 4;
	a.envp = envp;
	a.envc = 2;
	a.execfn = "./dump";
	a.aux.platform = "x86_64";
	a.aux.minsigstksz = 0x440;
	build_and_check(&a, &l);
	assert_int_equal(TOP - l.execfn, 0xf);
	assert_int_equal(TOP - l.env_start, 0x1d);
	assert_int_equal(TOP - l.arg_start, 0x2d);
	assert_int_equal(TOP - l.platform, 0x37);
	assert_int_equal(TOP - l.random, 0x47);
	assert_int_equal(l.auxc, 20);
	assert_int_equal(TOP - l.sp, 0x1d0);
	/* The same formula with Linux's 23 pairs gives Linux's 0x200. */
	assert_int_equal(ALIGN_UP(0x47 + 23 * 16 + (4 + 2 + 3) * 8, 16), 0x200);
}

/* argc == 0 gets argv = { "" } and argc 1, as Linux >= 5.18. */
static void test_empty_argv(void **state)
{
	static const char *const envp[] = { "X=y" };
	struct ustack_args a = base_args();
	struct ustack_layout l;

	(void)state;
	a.envp = envp;
	a.envc = 1;
	build_and_check(&a, &l);
	assert_int_equal(l.argc, 1);
	assert_int_equal(l.arg_end, l.arg_start + 1);
	a.envc = 0;
	a.envp = NULL;
	build_and_check(&a, &l);
}

/* Optional AT_MINSIGSTKSZ (first) and AT_PLATFORM (after AT_EXECFN, string below strings). */
static void test_optional_aux(void **state)
{
	struct ustack_args a = base_args();
	struct ustack_layout l;
	uint64_t aux[32][2];
	uint8_t *buf;
	size_t n;

	(void)state;
	a.aux.platform = "x86_64";
	a.aux.minsigstksz = 2048;
	build_and_check(&a, &l);
	buf = malloc(l.len);
	assert_non_null(buf);
	assert_int_equal(ustack_build(&a, buf, l.len, &l), 0);
	n = read_auxv(buf, &l, aux, 32);
	assert_int_equal(n, 20);
	assert_int_equal(aux[0][0], AT_MINSIGSTKSZ);
	assert_int_equal(aux[0][1], 2048);
	assert_int_equal(aux[1][0], AT_HWCAP);
	assert_int_equal(aux[17][0], AT_EXECFN);
	assert_int_equal(aux[18][0], AT_PLATFORM);
	assert_int_equal(aux[18][1], l.platform);
	assert_int_equal(l.platform, ALIGN_DOWN(l.arg_start, 16) - 7);
	assert_int_equal(l.random, l.platform - 16);
	assert_string_equal(str_at(buf, &l, l.platform), "x86_64");
	free(buf);
}

/* Every small shape keeps sp 16-aligned and parses back exactly. */
static void test_shapes(void **state)
{
	const char *argv[6], *envp[6];
	struct ustack_args a = base_args();
	struct ustack_layout l;

	(void)state;
	for (size_t argc = 0; argc < 6; argc++) {
		for (size_t envc = 0; envc < 6; envc++) {
			for (size_t len = 0; len < 20; len++) {
				for (size_t i = 0; i < 6; i++)
					argv[i] = envp[i] = str_of((len + i) % 20);
				a.argv = argv;
				a.argc = argc;
				a.envp = envp;
				a.envc = envc;
				a.execfn = str_of(len);
				a.aux.platform = (len & 1) ? "aarch64" : NULL;
				build_and_check(&a, &l);
			}
		}
	}
}

/* Each string may be MAX_ARG_STRLEN bytes with its NUL, not one more. */
static void test_strlen_limit(void **state)
{
	const char *longest = str_of(USTACK_MAX_ARG_STRLEN - 1);
	const char *argv[1];
	struct ustack_args a = base_args();
	struct ustack_layout l;

	(void)state;
	a.argv = argv;
	a.argc = 1;
	argv[0] = longest;
	assert_int_equal(ustack_measure(&a, &l), 0);
	argv[0] = longest - 1;
	assert_int_equal(ustack_measure(&a, &l), -E2BIG);
	argv[0] = "x";
	a.envp = argv;
	a.envc = 1;
	a.execfn = longest - 1;
	assert_int_equal(ustack_measure(&a, &l), -E2BIG);
	a.execfn = longest;
	assert_int_equal(ustack_measure(&a, &l), 0);
}

/* Fill argv with strings totalling exactly total bytes (NULs included); n strings. */
static void fill_total(const char **argv, size_t n, uint64_t total)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t share = total / (n - i);

		argv[i] = str_of((size_t)share - 1);
		total -= share;
	}
}

/* All strings may fill limit - pointers exactly; one byte more is E2BIG (per rlimit). */
static void test_total_limit(void **state)
{
	static const struct { uint64_t rlimit, limit; } cases[] = {
		{ USTACK_STK_LIM, 2u << 20 },       /* default: a quarter of 8 MiB */
		{ 0, USTACK_ARG_MAX },              /* tiny rlimit: ARG_MAX still allowed */
		{ UINT64_MAX, 6u << 20 },           /* unlimited: 3/4 of _STK_LIM */
		{ 1u << 20, 256u << 10 },           /* a quarter */
		{ 256u << 10, USTACK_ARG_MAX },     /* a quarter (64 KiB) is raised to ARG_MAX */
		{ 64ull << 20, 6u << 20 },
	};
	static const char *argv[64];
	struct ustack_args a = base_args();
	struct ustack_layout l;

	(void)state;
	for (size_t c = 0; c < ARRAY_SIZE(cases); c++) {
		size_t n = 60;
		uint64_t room = cases[c].limit - n * 8 - (strlen(a.execfn) + 1);

		a.stack_rlimit = cases[c].rlimit;
		a.argv = argv;
		a.argc = n;
		fill_total(argv, n, room);
		assert_int_equal(ustack_measure(&a, &l), 0);
		fill_total(argv, n, room + 1);
		assert_int_equal(ustack_measure(&a, &l), -E2BIG);
	}
	/* The "" of an empty argv counts too, and max(argc, 1) pointers. */
	a.stack_rlimit = 0;
	a.argc = 0;
	a.execfn = str_of(USTACK_ARG_MAX - 8 - 2); /* + NUL + "" = limit - 8 */
	assert_int_equal(ustack_measure(&a, &l), 0);
	a.execfn = str_of(USTACK_ARG_MAX - 8 - 1);
	assert_int_equal(ustack_measure(&a, &l), -E2BIG);
}

/* Pointer space and string counts are checked before any string is touched. */
static void test_count_limits(void **state)
{
	struct ustack_args a = base_args();
	struct ustack_layout l;

	(void)state;
	a.stack_rlimit = 0; /* limit = ARG_MAX = 16384 pointers */
	a.argv = NULL;
	a.argc = USTACK_ARG_MAX / 8;
	assert_int_equal(ustack_measure(&a, &l), -E2BIG);
	a.argc = USTACK_ARG_MAX / 8 - 1; /* fits: then the NULL array is a fault */
	a.execfn = "/"; /* 2 of the 8 bytes left */
	assert_int_equal(ustack_measure(&a, &l), -EFAULT);
	a.argc = (size_t)USTACK_MAX_ARG_STRINGS + 1;
	a.stack_rlimit = UINT64_MAX;
	assert_int_equal(ustack_measure(&a, &l), -E2BIG);
	a.argc = 0;
	a.envc = SIZE_MAX;
	assert_int_equal(ustack_measure(&a, &l), -E2BIG);
}

/* Caller mistakes fail cleanly and the buffer stays untouched. */
static void test_bad_calls(void **state)
{
	static const char *const holey[] = { "a", NULL };
	struct ustack_args a = base_args();
	struct ustack_layout l;
	uint8_t buf[1024];

	(void)state;
	memset(buf, 0xee, sizeof(buf));
	assert_int_equal(ustack_measure(&a, &l), 0);
	assert_int_equal(ustack_build(&a, buf, l.len - 1, &l), -ENOMEM);
	assert_int_equal(ustack_build(&a, NULL, 0, &l), -ENOMEM);
	a.stack_top = TOP + 8;
	assert_int_equal(ustack_build(&a, buf, sizeof(buf), &l), -EINVAL);
	a.stack_top = 0x100; /* too low for the stack */
	assert_int_equal(ustack_build(&a, buf, sizeof(buf), &l), -EFAULT);
	a = base_args();
	a.argv = holey;
	a.argc = 2;
	assert_int_equal(ustack_build(&a, buf, sizeof(buf), &l), -EFAULT);
	a.argc = 1;
	a.execfn = NULL;
	assert_int_equal(ustack_build(&a, buf, sizeof(buf), &l), -EFAULT);
	for (size_t i = 0; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 0xee);
	/* The exact size works and writes exactly len bytes. */
	a = base_args();
	assert_int_equal(ustack_build(&a, buf, sizeof(buf), &l), 0);
	assert_true(l.len < sizeof(buf));
	for (size_t i = l.len; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 0xee);
}

/* The auxv values of a real plan: AT_PHDR/PHENT/PHNUM/ENTRY from elf_plan(). */
static void test_aux_init(void **state)
{
	struct elf_target t = eb_target(ELF_MACHINE_AARCH64);
	struct ustack_args a = base_args();
	struct ustack_layout l;
	struct elf_plan plan;
	struct eb_image im;
	uint64_t aux[32][2];
	uint8_t *img, *buf;

	(void)state;
	eb_static_pie(&im, ELF_MACHINE_AARCH64);
	img = eb_alloc_write(&im);
	assert_non_null(img);
	assert_int_equal(elf_plan(img, (size_t)im.size, &t, &plan), 0);
	free(img);
	a.aux.hwcap = 0x1234;
	ustack_aux_init(&a.aux, &plan);
	assert_int_equal(a.aux.hwcap, 0);
	assert_int_equal(ustack_measure(&a, &l), 0);
	buf = malloc(l.len);
	assert_non_null(buf);
	assert_int_equal(ustack_build(&a, buf, l.len, &l), 0);
	read_auxv(buf, &l, aux, 32);
	assert_int_equal(aux[1][1], 4096);
	assert_int_equal(aux[2][1], 100);
	assert_int_equal(aux[3][0], AT_PHDR);
	assert_int_equal(aux[3][1], t.pie_base + ELF_EHDR_SIZE);
	assert_int_equal(aux[4][1], ELF_PHDR_SIZE);
	assert_int_equal(aux[5][1], EB_NPH);
	assert_int_equal(aux[6][1], 0);
	assert_int_equal(aux[8][1], t.pie_base + EB_ENTRY_OFF);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_golden),
		cmocka_unit_test(test_matches_linux),
		cmocka_unit_test(test_empty_argv),
		cmocka_unit_test(test_optional_aux),
		cmocka_unit_test(test_shapes),
		cmocka_unit_test(test_strlen_limit),
		cmocka_unit_test(test_total_limit),
		cmocka_unit_test(test_count_limits),
		cmocka_unit_test(test_bad_calls),
		cmocka_unit_test(test_aux_init),
	};

	memset(big, 'a', BIG - 1);
	return cmocka_run_group_tests_name("ustack", tests, NULL, NULL);
}
