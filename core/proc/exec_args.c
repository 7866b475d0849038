/*
 * Kernel copies of execve's argument and environment strings, with Linux's limits
 * (fs/exec.c: count(), bprm_stack_limits(), copy_strings(), copy_string_kernel(),
 * remove_arg_zero()). Strings live in page frames packed one after another; a string
 * that does not fit in one frame gets a kmalloc'd block of its own.
 */
#include "../elf/ustack.h"
#include "../hal.h"
#include "../lib/errno.h"
#include "../lib/kmem.h"
#include "../lib/string.h"
#include "../mm/frame.h"
#include "../mm/uaccess.h"
#include "exec_internal.h"

/* One storage block: a whole frame (header at its start) or a kmalloc'd block. */
struct exec_strblock {
	struct exec_strblock *next;
	paddr_t frame; /* the frame this header lives in, or 0 when kmalloc'd */
	size_t cap;    /* bytes of data[] */
	size_t used;   /* bytes of data[] holding strings */
	char data[];
};

#define PTR_SIZE 8u
#define FRAME_CAP (PAGE_SIZE - sizeof(struct exec_strblock))

/* Linux's argument space: max(min(rlimit / 4, _STK_LIM / 4 * 3), ARG_MAX). */
uint64_t exec_arg_limit(uint64_t rlimit)
{
	uint64_t limit = MIN(USTACK_STK_LIM / 4 * 3, rlimit / 4);

	return MAX(limit, (uint64_t)USTACK_ARG_MAX);
}

/* Reset a to empty. */
void exec_args_init(struct exec_args *a)
{
	memset(a, 0, sizeof(*a));
}

/* Free every block, both pointer arrays, and reset a. */
void exec_args_free(struct exec_args *a)
{
	struct exec_strblock *b = a->blocks, *next;

	for (; b; b = next) {
		next = b->next;
		if (b->frame)
			frame_put(b->frame);
		else
			kfree(b);
	}
	kfree(a->argv);
	kfree(a->envp);
	exec_args_init(a);
}

/* A new empty frame block, made current; NULL when out of memory. */
static struct exec_strblock *new_frame_block(struct exec_args *a)
{
	paddr_t pa = frame_alloc();
	struct exec_strblock *b;

	if (!pa)
		return NULL;
	b = hal_phys_to_virt(pa);
	b->frame = pa;
	b->cap = FRAME_CAP;
	b->used = 0;
	b->next = a->blocks;
	a->blocks = a->cur = b;
	return b;
}

/* A new kmalloc'd block of exactly n data bytes (not current); NULL when out of memory. */
static struct exec_strblock *new_big_block(struct exec_args *a, size_t n)
{
	struct exec_strblock *b = kmalloc(sizeof(*b) + n);

	if (!b)
		return NULL;
	b->frame = 0;
	b->cap = n;
	b->used = 0;
	b->next = a->blocks;
	a->blocks = b;
	return b;
}

/* Count a string of len bytes (NUL excluded) against Linux's limits: 0 or -E2BIG. */
static int account(struct exec_args *a, size_t len)
{
	if (len >= USTACK_MAX_ARG_STRLEN || len + 1 > a->limit - a->bytes)
		return -E2BIG;
	a->bytes += len + 1;
	return 0;
}

/* Keep the len + 1 bytes already written at the free end of b; *out gets them. */
static void commit(struct exec_strblock *b, size_t len, const char **out)
{
	*out = b->data + b->used;
	b->used += len + 1;
}

/* Room for n bytes: in the current frame, a new frame, or a block of its own
 * (nothing is committed); NULL when out of memory. */
static struct exec_strblock *reserve(struct exec_args *a, size_t n)
{
	if (a->cur && a->cur->cap - a->cur->used >= n)
		return a->cur;
	if (n <= FRAME_CAP)
		return new_frame_block(a);
	return new_big_block(a, n);
}

/* Store the kernel string s (counted against the limits); 0, -E2BIG or -ENOMEM. */
static int store_kernel_string(struct exec_args *a, const char *s, const char **out)
{
	size_t len = strnlen(s, USTACK_MAX_ARG_STRLEN);
	struct exec_strblock *b;
	int err = account(a, len);

	if (err)
		return err;
	b = reserve(a, len + 1);
	if (!b)
		return -ENOMEM;
	memcpy(b->data + b->used, s, len + 1);
	commit(b, len, out);
	return 0;
}

/* Length of the user string at src, reading through scratch[0, cap); the limit
 * USTACK_MAX_ARG_STRLEN when no NUL comes within that many bytes, or -EFAULT. */
static long user_strnlen(vaddr_t src, char *scratch, size_t cap)
{
	size_t done = 0;

	while (done < USTACK_MAX_ARG_STRLEN) {
		size_t chunk = MIN(cap, USTACK_MAX_ARG_STRLEN - done);
		long n = strncpy_from_user(scratch, src + done, chunk);

		if (n < 0)
			return n;
		done += (size_t)n;
		if ((size_t)n < chunk)
			return (long)done;
	}
	return (long)done;
}

/* Store a user string longer than a frame: measure it in b (a fresh frame), then
 * copy it into a block of its own. 0, -EFAULT, -E2BIG or -ENOMEM. */
static int store_long_user_string(struct exec_args *a, vaddr_t src, struct exec_strblock *b,
				  const char **out)
{
	long len = user_strnlen(src, b->data, b->cap);
	struct exec_strblock *big;
	int err;

	if (len < 0)
		return (int)len;
	err = account(a, (size_t)len);
	if (err)
		return err;
	big = new_big_block(a, (size_t)len + 1);
	if (!big)
		return -ENOMEM;
	if (copy_from_user(big->data, src, (size_t)len))
		return -EFAULT;
	big->data[len] = '\0'; /* whatever the user changed meanwhile */
	commit(big, (size_t)len, out);
	return 0;
}

/* Copy the user string at src into b's free end if it fits: 1 when stored, 0 when
 * it does not fit, or a negative errno. */
static int try_store_user_string(struct exec_args *a, struct exec_strblock *b, vaddr_t src,
				 const char **out)
{
	size_t room = b->cap - b->used;
	long n;
	int err;

	if (room == 0)
		return 0;
	n = strncpy_from_user(b->data + b->used, src, room);
	if (n < 0)
		return (int)n;
	if ((size_t)n == room)
		return 0;
	err = account(a, (size_t)n);
	if (err)
		return err;
	commit(b, (size_t)n, out);
	return 1;
}

/* Copy the user string at src into storage; 0, -EFAULT, -E2BIG or -ENOMEM. */
static int store_user_string(struct exec_args *a, vaddr_t src, const char **out)
{
	struct exec_strblock *b;
	int r = 0;

	if (a->cur)
		r = try_store_user_string(a, a->cur, src, out);
	if (r)
		return r < 0 ? r : 0;
	b = new_frame_block(a);
	if (!b)
		return -ENOMEM;
	r = try_store_user_string(a, b, src, out);
	if (r)
		return r < 0 ? r : 0;
	return store_long_user_string(a, src, b, out);
}

/* Entry i of the user pointer array at uarr into *p; 0 or -EFAULT. */
static int user_ptr_at(vaddr_t uarr, size_t i, vaddr_t *p)
{
	uint64_t v;

	if (i > (~(vaddr_t)0 - uarr) / PTR_SIZE || copy_from_user(&v, uarr + i * PTR_SIZE, PTR_SIZE))
		return -EFAULT;
	*p = v;
	return 0;
}

/* Number of entries before the NULL of the user array at uarr (0: no array);
 * -EFAULT, or -E2BIG past EXEC_MAX_ARG_STRINGS (Linux's count()). */
static long count_user_ptrs(vaddr_t uarr)
{
	size_t n = 0;
	vaddr_t p;

	if (uarr == 0)
		return 0;
	for (;;) {
		if (user_ptr_at(uarr, n, &p))
			return -EFAULT;
		if (p == 0)
			return (long)n;
		if (n >= EXEC_MAX_ARG_STRINGS)
			return -E2BIG;
		n++;
	}
}

/* Copy n strings of the user array uarr into v[], last first (Linux's order). */
static int copy_user_strings(struct exec_args *a, vaddr_t uarr, const char **v, size_t n)
{
	vaddr_t p;
	int err;

	while (n-- > 0) {
		err = user_ptr_at(uarr, n, &p);
		if (!err)
			err = store_user_string(a, p, &v[n]);
		if (err)
			return err;
	}
	return 0;
}

/* Set the limits for argc/envc entries and count the path; 0 or -E2BIG. */
static int set_limits(struct exec_args *a, size_t argc, size_t envc, const char *path)
{
	uint64_t ptrs = ((uint64_t)MAX(argc, (size_t)1) + envc) * PTR_SIZE;

	a->limit = exec_arg_limit(USTACK_STK_LIM);
	if (a->limit <= ptrs)
		return -E2BIG;
	a->limit -= ptrs;
	return account(a, strnlen(path, USTACK_MAX_ARG_STRLEN));
}

/* Allocate argv[] (at least one slot) and envp[]; 0 or -ENOMEM. */
static int alloc_arrays(struct exec_args *a, size_t argc, size_t envc)
{
	a->argv = kmalloc(MAX(argc, (size_t)1) * sizeof(*a->argv));
	if (!a->argv)
		return -ENOMEM;
	if (envc) {
		a->envp = kmalloc(envc * sizeof(*a->envp));
		if (!a->envp)
			return -ENOMEM;
	}
	return 0;
}

/* Count and copy argv/envp from the current space (see exec_internal.h). */
int exec_args_copy_user(struct exec_args *a, const char *path, vaddr_t uargv, vaddr_t uenvp)
{
	long argc = count_user_ptrs(uargv), envc;
	int err = (int)argc;

	if (argc < 0)
		goto fail;
	envc = count_user_ptrs(uenvp);
	err = (int)envc;
	if (envc < 0)
		goto fail;
	err = set_limits(a, (size_t)argc, (size_t)envc, path);
	if (!err)
		err = alloc_arrays(a, (size_t)argc, (size_t)envc);
	if (!err)
		err = copy_user_strings(a, uenvp, a->envp, (size_t)envc);
	if (!err)
		err = copy_user_strings(a, uargv, a->argv, (size_t)argc);
	if (err)
		goto fail;
	a->argc = (size_t)argc;
	a->envc = (size_t)envc;
	if (argc == 0) { /* Linux >= 5.18: argv = { "" } */
		err = store_kernel_string(a, "", &a->argv[0]);
		a->argc = 1;
	}
fail:
	return err;
}

/* Rewrite argv for a script (see exec_internal.h). */
int exec_args_script(struct exec_args *a, const char *script, const char *iname,
		     const char *iarg, const char **stored_iname)
{
	size_t extra = iarg ? 2 : 1, argc, i = 0;
	const char *s, *g = NULL, *n, **v;
	int err;

	a->bytes -= strnlen(a->argv[0], USTACK_MAX_ARG_STRLEN) + 1; /* remove_arg_zero */
	err = store_kernel_string(a, script, &s);
	if (!err && iarg)
		err = store_kernel_string(a, iarg, &g);
	if (!err)
		err = store_kernel_string(a, iname, &n);
	if (err)
		return err;
	argc = a->argc + extra; /* minus argv[0], plus iname, iarg?, script */
	v = kmalloc(argc * sizeof(*v));
	if (!v)
		return -ENOMEM;
	v[i++] = n;
	if (g)
		v[i++] = g;
	v[i++] = s;
	memcpy(v + i, a->argv + 1, (a->argc - 1) * sizeof(*v));
	kfree(a->argv);
	a->argv = v;
	a->argc = argc;
	*stored_iname = n;
	return 0;
}
