/*
 * Unit tests for exec_prepare() (suite "exec"): the new image read back through
 * aspace_read() (segments, bss, protections, stack, auxv), every errno before the
 * point of no return with the caller's space untouched and nothing leaked, `#!`
 * scripts (parser cases measured on Linux 6.18), and fault injection at every
 * allocation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf/ustack.h"
#include "exec_fixtures.h"
#include "fs/vfs.h"
#include "mm/vma.h"
#include "proc/exec_internal.h"

#define B EB_EXEC_BASE
#define P 4096ull

/* Run exec_prepare with the default target. */
static int run(vaddr_t path, vaddr_t argv, vaddr_t envp, struct exec_image *img)
{
	struct exec_target t = ex_target();

	return exec_prepare(NULL, path, argv, envp, &t, img);
}

/* exec_prepare must fail with err, leaving the caller as it was and nothing leaked. */
static void expect_fail(vaddr_t path, vaddr_t argv, vaddr_t envp, int err)
{
	struct exec_image img;
	struct ex_snapshot s;

	ex_snap(&s);
	memset(&img, 0xa5, sizeof(img));
	assert_int_equal(run(path, argv, envp, &img), err);
	assert_null(img.as);
	ex_snap_expect(&s);
}

/* Like expect_fail for path EX_PROG-style names given as kernel strings. */
static void expect_fail_path(const char *path, int err)
{
	const char *argv[] = { "x" };

	expect_fail(ex_str(path), ex_vec(argv, 1), 0, err);
}

/* The VMA of img's space containing va (asserting there is one). */
static struct vma *vma_at(const struct exec_image *img, vaddr_t va)
{
	struct vma *v = vma_find(&img->as->vmas, va);

	assert_non_null(v);
	return v;
}

/* Assert [va, va+n) of as reads as the bytes at want. */
static void expect_bytes(struct aspace *as, vaddr_t va, const uint8_t *want, size_t n)
{
	uint8_t *got = malloc(n);

	assert_non_null(got);
	assert_int_equal(aspace_read(as, va, got, n), 0);
	assert_memory_equal(got, want, n);
	free(got);
}

/* Assert [va, va+n) of as reads as zeroes. */
static void expect_zero(struct aspace *as, vaddr_t va, size_t n)
{
	uint8_t *z = calloc(1, n);

	assert_non_null(z);
	expect_bytes(as, va, z, n);
	free(z);
}

/* ---- a valid ELF ------------------------------------------------------------------ */

/* Segments, bss, protections, entry, brk of the valid ET_EXEC. */
static void test_elf_segments(void **state)
{
	const char *argv[] = { "prog" };
	struct exec_image img;
	struct ex_snapshot s;
	size_t size;
	uint8_t *file = ex_elf(false, EX_MACHINE, EB_VALID, &size);

	(void)state;
	ex_snap(&s);
	assert_int_equal(run(ex_str(EX_PROG), ex_vec(argv, 1), 0, &img), 0);
	assert_true(img.entry == B + EB_ENTRY_OFF);
	assert_true(img.brk_start == B + 0x6000);
	assert_true(img.as->brk_start == img.brk_start && img.as->brk == img.brk_start);
	expect_bytes(img.as, B, file, EB_TEXT_SIZE);
	assert_int_equal(vma_at(&img, B)->prot, VM_READ | VM_EXEC);
	assert_null(vma_find(&img.as->vmas, B + 0x1000)); /* gap between the segments */
	expect_bytes(img.as, B + 0x2000, file + 0x1000, 0x200); /* head + data */
	expect_zero(img.as, B + 0x2200, 0x6000 - 0x2200);       /* partial page + bss */
	assert_int_equal(vma_at(&img, B + 0x2000)->prot, VM_READ | VM_WRITE);
	assert_true(vma_at(&img, B + 0x5fff)->end == B + 0x6000);
	assert_null(vma_find(&img.as->vmas, B + 0x6000));
	assert_string_equal(img.comm, "prog");
	assert_false(img.exec_stack);
	exec_image_discard(&img);
	assert_null(img.as);
	exec_image_discard(&img); /* a zeroed image is ignored */
	free(file);
	/* The arena holds the strings written above: compare only what exec could touch. */
	assert_ptr_equal(aspace_current(), ex_user);
	assert_int_equal(frames_free_count(), s.free_frames);
	assert_int_equal(kmem_live_objects(), s.live_objects);
}

/* The stack: argc, argv, envp, auxv values and strings, alignment, the stack VMA. */
static void test_elf_stack(void **state)
{
	const char *argv[] = { "prog", "-x", "hello world" };
	const char *envp[] = { "A=1", "HOME=/" };
	struct exec_target t = ex_target();
	struct exec_image img;
	struct ex_stack st;
	struct vma *sv;
	size_t size;
	uint8_t *file = ex_elf(false, EX_MACHINE, EB_VALID, &size), rnd[16];
	char *s;

	(void)state;
	assert_int_equal(exec_prepare(NULL, ex_str(EX_PROG), ex_vec(argv, 3), ex_vec(envp, 2), &t,
				      &img), 0);
	ex_stack_read(&img, &st);
	assert_int_equal(st.argc, 3);
	assert_int_equal(img.argc, 3);
	for (int i = 0; i < 3; i++)
		assert_string_equal(st.argv[i], argv[i]);
	assert_int_equal(st.envc, 2);
	assert_string_equal(st.envp[0], "A=1");
	assert_string_equal(st.envp[1], "HOME=/");
	assert_true(st.aux[AT_PAGESZ] == 4096 && st.aux[AT_CLKTCK] == 100);
	assert_true(st.aux[AT_ENTRY] == B + EB_ENTRY_OFF);
	assert_true(st.aux[AT_PHNUM] == EB_NPH && st.aux[AT_PHENT] == ELF_PHDR_SIZE);
	expect_bytes(img.as, st.aux[AT_PHDR], file + ELF_EHDR_SIZE, EB_NPH * ELF_PHDR_SIZE);
	assert_true(st.aux[AT_HWCAP] == t.hwcap && st.aux[AT_HWCAP2] == t.hwcap2);
	assert_true(st.aux_seen[AT_BASE] && st.aux[AT_BASE] == 0);
	assert_true(st.aux_seen[AT_UID] && st.aux[AT_UID] == 0 && st.aux[AT_SECURE] == 0);
	assert_int_equal(aspace_read(img.as, st.aux[AT_RANDOM], rnd, 16), 0);
	assert_memory_equal(rnd, t.random, 16);
	s = ex_read_str(img.as, st.aux[AT_EXECFN]);
	assert_string_equal(s, EX_PROG);
	free(s);
	assert_true(st.aux[AT_EXECFN] == img.execfn);
	s = ex_read_str(img.as, st.aux[AT_PLATFORM]);
	assert_string_equal(s, EX_PLATFORM);
	free(s);
	assert_int_equal(st.aux_order[0], AT_HWCAP);
	assert_int_equal(st.aux_order[st.auxc - 1], AT_NULL);
	/* The stack VMA: grows down, RW, ends at user_top, 128 KiB below sp's page. */
	sv = vma_at(&img, img.sp);
	assert_true(sv->end == t.user_top && img.stack_top == t.user_top);
	assert_true(sv->start == (img.sp & ~(P - 1)) - EXEC_STACK_EXPAND);
	assert_int_equal(sv->prot, VM_READ | VM_WRITE);
	assert_true(sv->flags & VMA_GROWSDOWN);
	assert_true(ex_read64(img.as, t.user_top - 8) == 0); /* the end marker */
	assert_true(img.arg_start < img.arg_end && img.arg_end == img.env_start);
	s = ex_read_str(img.as, img.arg_start);
	assert_string_equal(s, "prog");
	free(s);
	ex_stack_free(&st);
	exec_image_discard(&img);
	free(file);
}

/* A static PIE goes to pie_base; exec-stack and W+X files are honoured. */
static void test_elf_pie_and_flags(void **state)
{
	struct exec_target t = ex_target();
	struct exec_image img;
	size_t size;
	uint8_t *file;

	(void)state;
	file = ex_elf(true, EX_MACHINE, EB_VALID, &size);
	ex_install("/pie", 0755, file, size);
	assert_int_equal(run(ex_str("/pie"), 0, 0, &img), 0);
	assert_true(img.entry == t.pie_base + EB_ENTRY_OFF);
	expect_bytes(img.as, t.pie_base, file, EB_TEXT_SIZE);
	exec_image_discard(&img);
	free(file);

	file = ex_elf(false, EX_MACHINE, EB_EXEC_STACK, &size);
	ex_install("/xstack", 0755, file, size);
	free(file);
	assert_int_equal(run(ex_str("/xstack"), 0, 0, &img), 0);
	assert_true(img.exec_stack);
	assert_int_equal(vma_at(&img, img.sp)->prot, VM_READ | VM_WRITE | VM_EXEC);
	exec_image_discard(&img);

	file = ex_elf(false, EX_MACHINE, EB_WX, &size);
	ex_install("/wx", 0755, file, size);
	free(file);
	assert_int_equal(run(ex_str("/wx"), 0, 0, &img), 0);
	assert_int_equal(vma_at(&img, B)->prot, VM_READ | VM_WRITE | VM_EXEC);
	exec_image_discard(&img);
}

/* Overlapping segments: the later one replaces whole pages (text last stays R+X). */
static void test_elf_overlap(void **state)
{
	struct exec_image img;
	size_t size;
	uint8_t *file = ex_elf(false, EX_MACHINE, EB_OVERLAP, &size);

	(void)state;
	ex_install("/ovl", 0755, file, size);
	assert_int_equal(run(ex_str("/ovl"), 0, 0, &img), 0);
	assert_int_equal(vma_at(&img, B)->prot, VM_READ | VM_EXEC);
	expect_bytes(img.as, B, file, EB_TEXT_SIZE);
	assert_int_equal(vma_at(&img, B + 0x1000)->prot, VM_READ | VM_WRITE);
	expect_zero(img.as, B + 0x1000, 0x3000); /* the rest of data's bss */
	exec_image_discard(&img);
	free(file);
}

/* Every variant of the ELF builder gives elf_plan()'s errno (or runs), both types. */
static void test_elf_variants(void **state)
{
	struct exec_image img;
	struct ex_snapshot s;

	(void)state;
	for (int pie = 0; pie < 2; pie++) {
		for (int v = 0; v < EB_VARIANT_COUNT; v++) {
			const struct eb_variant_info *info = eb_variant_info((enum eb_variant)v);
			int want = pie ? info->expect_dyn : info->expect_exec, rc;
			size_t size;
			uint8_t *file = ex_elf(pie, EX_MACHINE, (enum eb_variant)v, &size);

			ex_install("/v", 0755, file, size);
			free(file);
			ex_snap(&s);
			rc = run(ex_str("/v"), 0, 0, &img);
			if (rc != want)
				fail_msg("variant %s (pie %d): %d, want %d", info->name, pie, rc, want);
			if (rc == 0)
				exec_image_discard(&img);
			else
				assert_null(img.as);
			assert_int_equal(frames_free_count(), s.free_frames);
			assert_int_equal(kmem_live_objects(), s.live_objects);
		}
	}
}

/* A segment in the stack's region is -ENOMEM before the point of no return. */
static void test_elf_segment_hits_stack(void **state)
{
	struct exec_target t = ex_target();
	struct eb_image im;
	uint8_t *file;

	(void)state;
	eb_static_exec(&im, EX_MACHINE);
	im.ph[EB_PH_DATA].vaddr = t.user_top - 0x10000 + (EB_DATA_OFF & 0xfff);
	file = eb_alloc_write(&im);
	ex_install("/high", 0755, file, im.size);
	free(file);
	expect_fail_path("/high", -ENOMEM);
}

/* ---- errors before the image -------------------------------------------------------- */

/* Path resolution and permission errors. */
static void test_errors_path(void **state)
{
	static char name[PATH_MAX + 1];

	(void)state;
	ex_install("/bin/noexec", 0644, "\x7f" "ELF", 4);
	expect_fail_path("/nope", -ENOENT);
	expect_fail_path("", -ENOENT);
	expect_fail_path("/bin/prog/x", -ENOTDIR);
	expect_fail_path("/bin/noexec", -EACCES);
	expect_fail_path("/bin", -EACCES);
	expect_fail_path("/", -EACCES);
	memset(name, 'a', PATH_MAX);
	expect_fail_path(name, -ENAMETOOLONG); /* no NUL within PATH_MAX bytes */
	name[0] = '/';
	memset(name + 1, 'b', 300);
	name[301] = '\0';
	expect_fail_path(name, -ENAMETOOLONG); /* a component over NAME_MAX */
}

/* Files that are not executables. */
static void test_errors_noexec(void **state)
{
	size_t size;
	uint8_t *file;

	(void)state;
	ex_install("/text", 0755, "hello world\n", 12);
	ex_install("/empty", 0755, "", 0);
	ex_install("/one", 0755, "#", 1);
	file = ex_elf(false, EX_OTHER_MACHINE, EB_VALID, &size);
	ex_install("/other", 0755, file, size);
	free(file);
	file = ex_elf(false, EX_MACHINE, EB_INTERP, &size);
	ex_install("/dyn", 0755, file, size);
	free(file);
	expect_fail_path("/text", -ENOEXEC);
	expect_fail_path("/empty", -ENOEXEC);
	expect_fail_path("/one", -ENOEXEC);
	expect_fail_path("/other", -ENOEXEC);
	expect_fail_path("/dyn", -ENOEXEC);
}

/* Bad user pointers are -EFAULT; the file is opened first (Linux >= 6.8). */
static void test_errors_efault(void **state)
{
	const char *argv[] = { "a", "b" };
	vaddr_t good = ex_vec(argv, 2), path = ex_str(EX_PROG), top = hal_pt_geometry()->user_top;
	uint64_t bad_entry[3] = { 0, 0x1234, 0 };
	char tail[16];

	(void)state;
	bad_entry[0] = ex_str("ok");
	vaddr_t bad_vec = ex_put(bad_entry, sizeof(bad_entry));
	expect_fail(0, good, 0, -EFAULT);
	expect_fail(EX_UEND + 0x10000, good, 0, -EFAULT);
	expect_fail(top + 16, good, 0, -EFAULT);
	memset(tail, 'p', sizeof(tail)); /* a path running off the arena without a NUL */
	assert_int_equal(aspace_write(ex_user, EX_UEND - sizeof(tail), tail, sizeof(tail)), 0);
	expect_fail(EX_UEND - sizeof(tail), good, 0, -EFAULT);
	expect_fail(path, EX_UEND + 0x1000, 0, -EFAULT); /* argv array unmapped */
	expect_fail(path, good, EX_UEND + 0x1000, -EFAULT);
	expect_fail(path, bad_vec, 0, -EFAULT);           /* a bad string in argv */
	expect_fail(path, good, bad_vec, -EFAULT);        /* ... in envp */
	expect_fail(path, EX_UEND - 16, 0, -EFAULT);      /* argv runs off without NULL */
	expect_fail(path, top - 8, 0, -EFAULT);
	expect_fail(ex_str("/nope"), EX_UEND + 0x1000, 0, -ENOENT);
}

/* MAX_ARG_STRLEN per string and the total argument space (exact boundaries). */
static void test_errors_e2big(void **state)
{
	const size_t max = USTACK_MAX_ARG_STRLEN; /* with the NUL */
	char *s = malloc(max + 1);
	uint64_t vec[18];
	vaddr_t path = ex_str(EX_PROG), longest, too_long, fill;
	struct exec_image img;
	struct ex_stack st;
	size_t room;

	(void)state;
	memset(s, 'a', max);
	s[max] = '\0';
	too_long = ex_put(s, max + 1);         /* max bytes before the NUL */
	longest = too_long + 1;                /* max - 1 bytes: the longest allowed */
	vec[0] = ex_str("p");
	vec[1] = too_long;
	vec[2] = 0;
	expect_fail(path, ex_put(vec, 3 * 8), 0, -E2BIG);
	expect_fail(path, 0, ex_put(vec, 3 * 8), -E2BIG);
	vec[1] = longest;
	assert_int_equal(run(path, ex_put(vec, 3 * 8), 0, &img), 0);
	ex_stack_read(&img, &st);
	assert_int_equal(strlen(st.argv[1]), max - 1);
	ex_stack_free(&st);
	exec_image_discard(&img);
	/* 16 strings: 15 of max bytes and one filling the space exactly. */
	room = exec_arg_limit(USTACK_STK_LIM) - 16 * 8 - (strlen(EX_PROG) + 1) - 15 * max;
	for (int i = 0; i < 15; i++)
		vec[i] = longest;
	fill = too_long + max - (room - 1); /* a suffix of room - 1 chars + NUL */
	vec[15] = fill;
	vec[16] = 0;
	assert_int_equal(run(path, ex_put(vec, 17 * 8), 0, &img), 0);
	assert_int_equal(img.argc, 16);
	exec_image_discard(&img);
	vec[15] = fill - 1;
	expect_fail(path, ex_put(vec, 17 * 8), 0, -E2BIG);
	free(s);
}

/* ---- argv edge cases and scripts ---------------------------------------------------- */

/* NULL or empty argv gives { "" } (Linux >= 5.18); NULL envp is empty. */
static void test_empty_argv(void **state)
{
	uint64_t empty = 0;
	struct exec_image img;
	struct ex_stack st;

	(void)state;
	for (int i = 0; i < 2; i++) {
		vaddr_t argv = i ? ex_put(&empty, 8) : 0;

		assert_int_equal(run(ex_str(EX_PROG), argv, 0, &img), 0);
		ex_stack_read(&img, &st);
		assert_int_equal(st.argc, 1);
		assert_string_equal(st.argv[0], "");
		assert_int_equal(st.envc, 0);
		ex_stack_free(&st);
		exec_image_discard(&img);
	}
}

/* Parse text (zero-filled to the buffer size) as a `#!` line. */
static int parse(const char *text, size_t len, struct exec_shebang *sb, char *buf)
{
	memset(buf, 0, EXEC_BINPRM_BUF_SIZE);
	memcpy(buf, text, len < EXEC_BINPRM_BUF_SIZE ? len : EXEC_BINPRM_BUF_SIZE);
	return exec_script_parse(buf, sb);
}

/* The `#!` parser against cases run on Linux 6.18. */
static void test_script_parse(void **state)
{
	char buf[EXEC_BINPRM_BUF_SIZE], text[400], want[300];
	struct exec_shebang sb;

	(void)state;
#define PARSE(t) parse(t, sizeof(t) - 1, &sb, buf)
	assert_int_equal(PARSE("#!/bin/echo  a  b  \n"), 0);
	assert_string_equal(sb.name, "/bin/echo");
	assert_string_equal(sb.arg, "a  b");
	assert_int_equal(PARSE("#! \t/bin/echo\tx\t\n"), 0);
	assert_string_equal(sb.name, "/bin/echo");
	assert_string_equal(sb.arg, "x");
	assert_int_equal(PARSE("#!/bin/echo"), 0);
	assert_null(sb.arg);
	assert_int_equal(PARSE("#!/bin/echo \n"), 0);
	assert_null(sb.arg);
	assert_int_equal(PARSE("#!/bin/echo a\0b c\n"), 0);
	assert_string_equal(sb.arg, "a");
	assert_int_equal(PARSE("#!/bin/echo ab\r\n"), 0);
	assert_string_equal(sb.arg, "ab\r");
	assert_int_equal(PARSE("#!\n"), -ENOEXEC);
	assert_int_equal(PARSE("#!   \n"), -ENOEXEC);
	assert_int_equal(PARSE("#!"), 0); /* an empty name (Linux then fails the open) */
	assert_string_equal(sb.name, "");
	assert_null(sb.arg);
	assert_int_equal(PARSE("#!  "), 0);
	assert_string_equal(sb.name, "");
	assert_int_equal(PARSE("#/bin/echo\n"), -ENOEXEC);
	/* No newline in the buffer: a name reaching the end is cut off: -ENOEXEC. */
	snprintf(text, sizeof(text), "#!/bin/%0300d", 0);
	assert_int_equal(parse(text, strlen(text), &sb, buf), -ENOEXEC);
	/* ... an argument reaching the end loses the buffer's last byte. */
	memset(text, 'x', sizeof(text));
	memcpy(text, "#!/bin/echo ", 12);
	assert_int_equal(parse(text, 312, &sb, buf), 0);
	memset(want, 'x', 243);
	want[243] = '\0';
	assert_string_equal(sb.arg, want);
	memset(text, 'y', sizeof(text));
	memcpy(text, "#!/bin/echo ", 12);
	memcpy(text + 253, " zz", 3);
	assert_int_equal(parse(text, 256, &sb, buf), 0);
	memset(want, 'y', 241);
	memcpy(want + 241, " z", 3);
	assert_string_equal(sb.arg, want);
#undef PARSE
}

/* A script runs its interpreter with argv [interp, arg, script, argv[1..]]. */
static void test_script_exec(void **state)
{
	const char *argv[] = { "s", "1", "2" };
	struct exec_image img;
	struct ex_stack st;
	char *fn;

	(void)state;
	ex_script("/s", "#!/bin/prog  -a  b  \nrest of the script\n");
	assert_int_equal(run(ex_str("/s"), ex_vec(argv, 3), 0, &img), 0);
	assert_true(img.entry == B + EB_ENTRY_OFF);
	ex_stack_read(&img, &st);
	assert_int_equal(st.argc, 5);
	assert_string_equal(st.argv[0], EX_PROG);
	assert_string_equal(st.argv[1], "-a  b");
	assert_string_equal(st.argv[2], "/s");
	assert_string_equal(st.argv[3], "1");
	assert_string_equal(st.argv[4], "2");
	fn = ex_read_str(img.as, st.aux[AT_EXECFN]);
	assert_string_equal(fn, "/s"); /* AT_EXECFN and comm keep the script's name */
	free(fn);
	assert_string_equal(img.comm, "s");
	ex_stack_free(&st);
	exec_image_discard(&img);
	/* No argument, empty argv: [interp, script]. */
	ex_script("/t", "#!" EX_PROG "\n");
	assert_int_equal(run(ex_str("/t"), 0, 0, &img), 0);
	ex_stack_read(&img, &st);
	assert_int_equal(st.argc, 2);
	assert_string_equal(st.argv[0], EX_PROG);
	assert_string_equal(st.argv[1], "/t");
	ex_stack_free(&st);
	exec_image_discard(&img);
}

/* A relative path is resolved from cwd and kept as given in argv and AT_EXECFN. */
static void test_script_relative(void **state)
{
	struct exec_target t = ex_target();
	struct exec_image img;
	struct ex_stack st;
	struct inode *bin;

	(void)state;
	ex_script("/bin/rel", "#!prog x\n"); /* the interpreter is relative too */
	assert_int_equal(vfs_lookup(NULL, "/bin", &bin), 0);
	assert_int_equal(exec_prepare(bin, ex_str("rel"), 0, 0, &t, &img), 0);
	ex_stack_read(&img, &st);
	assert_int_equal(st.argc, 3);
	assert_string_equal(st.argv[0], "prog");
	assert_string_equal(st.argv[1], "x");
	assert_string_equal(st.argv[2], "rel");
	ex_stack_free(&st);
	exec_image_discard(&img);
}

/* Five nested scripts run; a sixth is -ELOOP (measured on Linux 6.18). */
static void test_script_nesting(void **state)
{
	struct exec_image img;
	struct ex_stack st;
	char path[16], text[32];

	(void)state;
	for (int i = 1; i <= 6; i++) {
		snprintf(path, sizeof(path), "/c%d", i);
		snprintf(text, sizeof(text), "#!/c%d\n", i + 1);
		ex_script(path, text);
	}
	ex_script("/c6", "#!" EX_PROG "\n");
	assert_int_equal(run(ex_str("/c2"), 0, 0, &img), 0); /* c2..c6: five scripts */
	ex_stack_read(&img, &st);
	assert_int_equal(st.argc, 6);
	assert_string_equal(st.argv[0], EX_PROG);
	assert_string_equal(st.argv[1], "/c6");
	assert_string_equal(st.argv[5], "/c2");
	ex_stack_free(&st);
	exec_image_discard(&img);
	expect_fail(ex_str("/c1"), 0, 0, -ELOOP); /* six */
	ex_script("/loop", "#!/loop\n");
	expect_fail(ex_str("/loop"), 0, 0, -ELOOP);
}

/* Interpreter errors: missing, a directory, no x bit, no name. */
static void test_script_errors(void **state)
{
	(void)state;
	ex_install("/bin/plain", 0644, "#!/bin/prog\n", 12);
	ex_script("/m", "#!/missing/interp -x\n");
	ex_script("/d", "#!/bin\n");
	ex_script("/n", "#!/bin/plain\n");
	ex_script("/e", "#!   \n");
	ex_script("/g", "#!/text\n");
	ex_install("/z", 0755, "#!\0/bin/prog\n", 13);
	ex_install("/text", 0755, "hello\n", 6);
	expect_fail_path("/m", -ENOENT);
	expect_fail_path("/d", -EACCES);
	expect_fail_path("/n", -EACCES);
	expect_fail_path("/e", -ENOEXEC);
	expect_fail_path("/g", -ENOEXEC);
	expect_fail_path("/z", -EACCES); /* Linux 6.18: the empty name is the cwd */
	expect_fail_path("/bin/plain", -EACCES); /* the script itself needs x too */
}

/* ---- fault injection ----------------------------------------------------------------- */

/* Fail the k-th allocation for k = 1.. until exec_prepare succeeds: each failure is
 * -ENOMEM with the caller untouched and nothing leaked. */
static void fault_loop(vaddr_t path, vaddr_t argv, vaddr_t envp, unsigned long min_points)
{
	struct exec_image img;
	struct ex_snapshot s;
	unsigned long k;
	int rc;

	ex_snap(&s);
	for (k = 1;; k++) {
		failpoint_arm(k);
		rc = run(path, argv, envp, &img);
		if (!failpoint_fired())
			break;
		failpoint_arm(0);
		if (rc != -ENOMEM)
			fail_msg("allocation %lu: %d", k, rc);
		assert_null(img.as);
		ex_snap_expect(&s);
	}
	failpoint_arm(0);
	assert_int_equal(rc, 0);
	assert_true(k > min_points);
	exec_image_discard(&img);
	ex_snap_expect(&s);
}

static void test_fault_injection_elf(void **state)
{
	const char *argv[] = { "prog", "a", "b" };
	const char *envp[] = { "X=1" };

	(void)state;
	fault_loop(ex_str(EX_PROG), ex_vec(argv, 3), ex_vec(envp, 1), 10);
}

static void test_fault_injection_script(void **state)
{
	const char *argv[] = { "s", "a" };

	(void)state;
	ex_script("/s1", "#!/s2 one\n");
	ex_script("/s2", "#!" EX_PROG " two\n");
	fault_loop(ex_str("/s1"), ex_vec(argv, 2), 0, 10);
}

static void test_fault_injection_long_string(void **state)
{
	char *s = malloc(3 * P);
	uint64_t vec[3];

	(void)state;
	memset(s, 'q', 3 * P - 1);
	s[3 * P - 1] = '\0';
	vec[0] = ex_str("p");
	vec[1] = ex_put(s, 3 * P);
	vec[2] = 0;
	free(s);
	fault_loop(ex_str(EX_PROG), ex_put(vec, sizeof(vec)), 0, 10);
}

#define T(f) cmocka_unit_test_setup_teardown(f, ex_setup, ex_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_elf_segments),
		T(test_elf_stack),
		T(test_elf_pie_and_flags),
		T(test_elf_overlap),
		T(test_elf_variants),
		T(test_elf_segment_hits_stack),
		T(test_errors_path),
		T(test_errors_noexec),
		T(test_errors_efault),
		T(test_errors_e2big),
		T(test_empty_argv),
		T(test_script_parse),
		T(test_script_exec),
		T(test_script_relative),
		T(test_script_nesting),
		T(test_script_errors),
		T(test_fault_injection_elf),
		T(test_fault_injection_script),
		T(test_fault_injection_long_string),
	};

	return cmocka_run_group_tests_name("exec", tests, NULL, NULL);
}
