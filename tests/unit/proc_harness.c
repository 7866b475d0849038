/* The hosted "CPU" for process tests: syscalls and user accesses per task. */
#include <string.h>

#include "proc_harness.h"

#include "fs/vfs.h"
#include "lib/errno.h"
#include "proc/proc_internal.h"

#ifdef HOSTED_FORMAT_x86_64
#include "../../platform/x86_64/uregs.h"
#define NR_fork 57
#else
#include "../../platform/aarch64/uregs.h"
#endif

/* Store syscall nr and its six arguments in r as the trap entry would. */
static void load_syscall(struct uregs *r, long nr, const unsigned long a[6])
{
#ifdef HOSTED_FORMAT_x86_64
	r->rax = r->syscall_nr = (uint64_t)nr;
	r->rdi = a[0];
	r->rsi = a[1];
	r->rdx = a[2];
	r->r10 = a[3];
	r->r8 = a[4];
	r->r9 = a[5];
#else
	r->x[8] = (uint64_t)nr;
	for (int i = 0; i < 6; i++)
		r->x[i] = a[i];
#endif
}

long sim_retval(struct task *t)
{
#ifdef HOSTED_FORMAT_x86_64
	return (long)t->regs->rax;
#else
	return (long)t->regs->x[0];
#endif
}

vaddr_t sim_pc(struct task *t)
{
#ifdef HOSTED_FORMAT_x86_64
	return t->regs->rip;
#else
	return t->regs->pc;
#endif
}

vaddr_t sim_sp(struct task *t)
{
#ifdef HOSTED_FORMAT_x86_64
	return t->regs->rsp;
#else
	return t->regs->sp;
#endif
}

/* Return to user mode for t: deliver pending signals as the trap exit does. */
static void return_to_user(struct task *t)
{
	if (t->state == TASK_RUNNABLE && t->proc)
		signal_deliver(t);
}

long sim_syscall(struct task *t, long nr, unsigned long a0, unsigned long a1,
		 unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5)
{
	const unsigned long a[6] = { a0, a1, a2, a3, a4, a5 };
	long rc;

	assert_int_equal(t->state, TASK_RUNNABLE);
	task_set_current(t);
	load_syscall(t->regs, nr, a);
	rc = syscall_dispatch(t);
	return_to_user(t);
	return rc;
}

long sim_resume(struct task *t)
{
	long rc;

	assert_int_equal(t->state, TASK_RUNNABLE);
	task_set_current(t);
	rc = syscall_dispatch(t);
	return_to_user(t);
	return rc;
}

long sim_trap_again(struct task *t)
{
	long rc;

	task_set_current(t);
#ifdef HOSTED_FORMAT_x86_64
	t->regs->syscall_nr = t->regs->rax; /* what the syscall entry does */
#endif
	rc = syscall_dispatch(t);
	return_to_user(t);
	return rc;
}

struct task *sim_init(void)
{
	struct proc *p;
	struct task *t;
	int err;

	proc_reset();
	p = proc_alloc(&err);
	assert_non_null(p);
	assert_int_equal(p->pid, 1);
	p->pgid = p->sid = 1;
	p->as = aspace_create();
	p->files = fdtable_create();
	p->sighand = sighand_create();
	p->fs = fs_context_create(vfs_root());
	assert_true(p->as && p->files && p->sighand && p->fs);
	t = task_alloc(p, &err);
	assert_non_null(t);
	hal_uregs_reset(t->regs);
	sched_add(t);
	task_set_current(t);
	test_map(p->as, SIM_SCRATCH, SIM_SCRATCH_SIZE, RW, PRIV_ANON | LINUX_MAP_FIXED);
	return t;
}

/* Kill and reap every process other than init, then free init itself. */
void sim_shutdown(void)
{
	struct proc *init = proc_init(), *p, *tmp;

	list_for_each_safe(p, tmp, &proc_list, all_link) {
		if (p == init || p->state != PROC_ALIVE)
			continue;
		signal_send_proc(p, SIGKILL);
	}
	list_for_each_safe(p, tmp, &proc_list, all_link) {
		if (p == init)
			continue;
		if (p->parent != init) { /* a zombie whose parent is a zombie too */
			list_remove(&p->sibling);
			list_insert_before(&init->children, &p->sibling);
			p->parent = init;
		}
	}
	list_for_each_safe(p, tmp, &init->children, sibling)
		proc_free(p);
	task_set_current(NULL);
	aspace_activate(NULL);
	aspace_put(init->as);
	fdtable_put(init->files);
	sighand_put(init->sighand);
	fs_context_put(init->fs);
	list_first(&init->threads, struct task, group_link)->state = TASK_DEAD;
	proc_free(init);
	proc_reap_tasks();
	vfs_reset();
}

struct task *sim_task_of(int pid)
{
	struct proc *p = proc_find(pid);
	struct task *t;

	if (!p)
		return NULL;
	list_for_each(t, &p->threads, group_link)
		if (t->state != TASK_DEAD)
			return t;
	return NULL;
}

long sim_clone(struct task *t, unsigned long flags, vaddr_t stack, vaddr_t ptid,
	       vaddr_t ctid, vaddr_t tls)
{
#ifdef HOSTED_FORMAT_x86_64
	return SYS5(t, NR_clone, flags, stack, ptid, ctid, tls);
#else
	return SYS5(t, NR_clone, flags, stack, ptid, tls, ctid);
#endif
}

struct task *sim_fork(struct task *parent)
{
	long pid;
	struct task *child;

#ifdef HOSTED_FORMAT_x86_64
	pid = SYS0(parent, NR_fork);
#else
	pid = sim_clone(parent, SIGCHLD, 0, 0, 0, 0);
#endif
	assert_true(pid > 1);
	child = sim_task_of((int)pid);
	assert_non_null(child);
	assert_int_equal(sim_retval(child), 0);
	return child;
}

/* Deliver an unresolved user fault to t as the trap handler would. */
static enum fault_result fault_outcome(struct task *t, enum fault_result r)
{
	if (r == FAULT_SIGSEGV)
		signal_force_fault(t, SIGSEGV);
	else if (r == FAULT_OOM)
		signal_force_fault(t, SIGKILL);
	return r;
}

enum fault_result sim_user_write(struct task *t, vaddr_t va, const void *src, size_t n)
{
	task_set_current(t);
	return fault_outcome(t, hosted_user_write(va, src, n));
}

enum fault_result sim_user_read(struct task *t, vaddr_t va, void *dst, size_t n)
{
	task_set_current(t);
	return fault_outcome(t, hosted_user_read(va, dst, n));
}
