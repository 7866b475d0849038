/* Fixtures for the exec suite (see exec_fixtures.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec_fixtures.h"
#include "fs/vfs.h"
#include "mm/vma.h"

struct aspace *ex_user;
static vaddr_t ex_next;

int ex_setup(void **state)
{
	static uint8_t zeros[65536];
	uint8_t *elf;
	size_t size;

	machine_setup(state);
	vfs_reset();
	ex_user = aspace_create();
	assert_non_null(ex_user);
	test_map(ex_user, EX_UBASE, EX_USIZE, RW, PRIV_ANON | LINUX_MAP_FIXED);
	for (size_t off = 0; off < EX_USIZE; off += sizeof(zeros)) /* every page present */
		assert_int_equal(aspace_write(ex_user, EX_UBASE + off, zeros, sizeof(zeros)), 0);
	aspace_activate(ex_user);
	ex_next = EX_UBASE;
	elf = ex_elf(false, EX_MACHINE, EB_VALID, &size);
	ex_install(EX_PROG, 0755, elf, size);
	free(elf);
	return 0;
}

int ex_teardown(void **state)
{
	failpoint_arm(0);
	aspace_activate(NULL);
	aspace_put(ex_user);
	ex_user = NULL;
	vfs_reset();
	return machine_teardown(state);
}

vaddr_t ex_put(const void *p, size_t n)
{
	vaddr_t at = ex_next;

	assert_true(n <= EX_UEND - at);
	assert_int_equal(aspace_write(ex_user, at, p, n), 0);
	ex_next = (at + n + 7) & ~(vaddr_t)7;
	return at;
}

vaddr_t ex_str(const char *s)
{
	return ex_put(s, strlen(s) + 1);
}

vaddr_t ex_vec(const char *const *v, size_t n)
{
	uint64_t ptrs[EX_MAXV + 1];

	assert_true(n <= EX_MAXV);
	for (size_t i = 0; i < n; i++)
		ptrs[i] = ex_str(v[i]);
	ptrs[n] = 0;
	return ex_put(ptrs, (n + 1) * sizeof(ptrs[0]));
}

struct exec_target ex_target(void)
{
	struct elf_target et = eb_target(EX_MACHINE);
	struct exec_target t = {
		.machine = EX_MACHINE,
		.user_top = hal_pt_geometry()->user_top,
		.pie_base = et.pie_base,
		.hwcap = 0x178bfbff,
		.hwcap2 = 0x2,
		.platform = EX_PLATFORM,
	};

	assert_true(t.user_top == et.user_top);
	for (unsigned i = 0; i < EXEC_RANDOM_SIZE; i++)
		t.random[i] = (uint8_t)(0xc0 + i);
	return t;
}

uint8_t *ex_elf(bool pie, uint16_t machine, enum eb_variant v, size_t *size)
{
	struct eb_image im;
	uint8_t *p;

	if (pie)
		eb_static_pie(&im, machine);
	else
		eb_static_exec(&im, machine);
	eb_apply(&im, v);
	p = eb_alloc_write(&im);
	assert_non_null(p);
	*size = im.size;
	return p;
}

void ex_install(const char *path, unsigned mode, const void *data, size_t size)
{
	assert_int_equal(vfs_create_file(path, mode, data, size), 0);
}

void ex_script(const char *path, const char *text)
{
	ex_install(path, 0755, text, strlen(text));
}

/* FNV-1a over the whole arena, read through the kernel view. */
static uint64_t arena_sum(void)
{
	static uint8_t buf[65536];
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t off = 0; off < EX_USIZE; off += sizeof(buf)) {
		assert_int_equal(aspace_read(ex_user, EX_UBASE + off, buf, sizeof(buf)), 0);
		for (size_t i = 0; i < sizeof(buf); i++)
			h = (h ^ buf[i]) * 0x100000001b3ull;
	}
	return h;
}

void ex_snap(struct ex_snapshot *s)
{
	s->free_frames = frames_free_count();
	s->live_objects = kmem_live_objects();
	s->vmas = aspace_vma_count(ex_user);
	s->sum = arena_sum();
	s->current = aspace_current();
}

void ex_snap_expect(const struct ex_snapshot *s)
{
	assert_int_equal(frames_free_count(), s->free_frames);
	assert_int_equal(kmem_live_objects(), s->live_objects);
	assert_int_equal(aspace_vma_count(ex_user), s->vmas);
	assert_true(arena_sum() == s->sum);
	assert_ptr_equal(aspace_current(), s->current);
}

uint64_t ex_read64(struct aspace *as, vaddr_t va)
{
	uint64_t x = 0;

	assert_int_equal(aspace_read(as, va, &x, sizeof(x)), 0);
	return x;
}

char *ex_read_str(struct aspace *as, vaddr_t va)
{
	size_t cap = 4096, n = 0;
	char *s = malloc(cap);

	assert_non_null(s);
	for (;;) {
		if (n == cap) {
			cap *= 2;
			s = realloc(s, cap);
			assert_non_null(s);
		}
		assert_int_equal(aspace_read(as, va + n, s + n, 1), 0);
		if (s[n] == '\0')
			return s;
		n++;
		assert_true(n < (1u << 20));
	}
}

/* Read a NULL-terminated pointer vector at *at into v (at most EX_MAXV). */
static size_t read_vector(struct aspace *as, vaddr_t *at, char **v)
{
	size_t n = 0;
	uint64_t p;

	while ((p = ex_read64(as, *at)) != 0) {
		assert_true(n < EX_MAXV);
		v[n++] = ex_read_str(as, p);
		*at += 8;
	}
	*at += 8;
	return n;
}

void ex_stack_read(const struct exec_image *img, struct ex_stack *st)
{
	vaddr_t at = img->sp + 8;
	uint64_t type;

	memset(st, 0, sizeof(*st));
	assert_true(img->sp % 16 == 0);
	st->argc = ex_read64(img->as, img->sp);
	assert_true(st->argc <= EX_MAXV);
	assert_int_equal(read_vector(img->as, &at, st->argv), st->argc);
	st->envc = read_vector(img->as, &at, st->envp);
	do {
		type = ex_read64(img->as, at);
		assert_true(type < 64 && st->auxc < 40);
		st->aux_order[st->auxc++] = (unsigned)type;
		st->aux[type] = ex_read64(img->as, at + 8);
		st->aux_seen[type] = true;
		at += 16;
	} while (type != 0);
}

void ex_stack_free(struct ex_stack *st)
{
	for (size_t i = 0; i < st->argc; i++)
		free(st->argv[i]);
	for (size_t i = 0; i < st->envc; i++)
		free(st->envp[i]);
	memset(st, 0, sizeof(*st));
}
