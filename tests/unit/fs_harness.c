/* A current process for the file-syscall suites. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fs_harness.h"
#include "proc/proc_internal.h"

struct task *fs_task;
struct proc *fs_proc;
static vaddr_t str_next;
static int saved_stderr = -1;
static FILE *capture;

/* A process that is not init (init ignores default-action signals). */
static struct proc *alloc_proc(void)
{
	int err;
	struct proc *p = proc_alloc(&err), *q;

	assert_non_null(p);
	if (p->pid != 1)
		return p;
	q = proc_alloc(&err);
	assert_non_null(q);
	proc_free(p);
	return q;
}

int fs_setup(void **state)
{
	struct proc *p;
	int err;

	machine_setup(state);
	vfs_reset();
	p = fs_proc = alloc_proc();
	p->pgid = p->sid = p->pid;
	p->as = aspace_create();
	p->files = fdtable_create();
	p->sighand = sighand_create();
	p->fs = fs_context_create(vfs_root());
	assert_true(p->as && p->files && p->sighand && p->fs);
	fs_task = task_alloc(p, &err);
	assert_non_null(fs_task);
	hal_uregs_reset(fs_task->regs);
	sched_add(fs_task);
	task_set_current(fs_task);
	test_map(p->as, UBUF, UBUF_SIZE + USTR_SIZE, RW, PRIV_ANON | LINUX_MAP_FIXED);
	test_map(p->as, URO, PAGE_SIZE, VM_READ, PRIV_ANON | LINUX_MAP_FIXED);
	str_next = USTR;
	fs_stat_layout = FS_STAT_X86_64;
	return 0;
}

int fs_teardown(void **state)
{
	struct proc *p = fs_proc;

	fs_unblock();
	sched_remove(fs_task);
	task_set_current(NULL);
	aspace_activate(NULL);
	fdtable_put(p->files);
	aspace_put(p->as);
	sighand_put(p->sighand);
	fs_context_put(p->fs);
	fs_task->state = TASK_DEAD;
	proc_free(p);
	vfs_reset();
	return machine_teardown(state);
}

vaddr_t ustr(const char *s)
{
	size_t n = strlen(s) + 1;
	vaddr_t va = str_next;

	assert_true(va + n <= USTR + USTR_SIZE);
	uput(va, s, n);
	str_next += (n + 7) & ~(size_t)7;
	return va;
}

void uput(vaddr_t va, const void *src, size_t n)
{
	assert_int_equal(hosted_user_write(va, src, n), FAULT_HANDLED);
}

void uget(vaddr_t va, void *dst, size_t n)
{
	assert_int_equal(hosted_user_read(va, dst, n), FAULT_HANDLED);
}

long fs_open(const char *path, unsigned flags, unsigned mode)
{
	return SC(sys_openat, (unsigned long)AT_FDCWD, ustr(path), flags, mode);
}

void fs_unblock(void)
{
	if (fs_task->state == TASK_BLOCKED)
		sched_wake_task(fs_task);
}

void console_capture_start(void)
{
	fflush(stderr);
	capture = tmpfile();
	assert_non_null(capture);
	saved_stderr = dup(2);
	assert_true(saved_stderr >= 0);
	assert_true(dup2(fileno(capture), 2) == 2);
}

size_t console_capture_stop(char *buf, size_t size)
{
	size_t n;

	fflush(stderr);
	assert_true(dup2(saved_stderr, 2) == 2);
	close(saved_stderr);
	rewind(capture);
	n = fread(buf, 1, size - 1, capture);
	buf[n] = 0;
	fclose(capture);
	return n;
}

long wr(long fd, const char *s)
{
	uput(UBUF, s, strlen(s));
	return SC(sys_write, fd, UBUF, strlen(s));
}

long rd(long fd, char *out, size_t n)
{
	long r = SC(sys_read, fd, UBUF, n);

	if (r > 0)
		uget(UBUF, out, (size_t)r);
	out[r > 0 ? r : 0] = 0;
	return r;
}
