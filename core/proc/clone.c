/* clone, fork and vfork with Linux's flag rules. */
#include "proc_internal.h"
#include "sched.h"
#include "signal.h"

#include "../fs/vfs.h"
#include "../hal.h"
#include "../lib/errno.h"
#include "../lib/kmem.h"
#include "../lib/string.h"
#include "../mm/aspace.h"
#include "../mm/uaccess.h"
#include "clone.h"

/* Flags this kernel implements; namespaces, ptrace and io contexts are refused. */
#define CLONE_SUPPORTED                                                                \
	(CSIGNAL | CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_VFORK |     \
	 CLONE_PARENT | CLONE_THREAD | CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID | \
	 CLONE_CHILD_CLEARTID | CLONE_DETACHED | CLONE_CHILD_SETTID)

enum fork_mode proc_fork_mode = FORK_COW;

/* Linux's consistency rules for clone flags: 0 or -EINVAL. */
static int check_clone_flags(unsigned long flags)
{
	if (flags & ~(unsigned long)CLONE_SUPPORTED)
		return -EINVAL;
	if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
		return -EINVAL;
	if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
		return -EINVAL;
	if ((flags & CSIGNAL) > NSIG)
		return -EINVAL;
	if ((flags & (CLONE_PARENT | CLONE_THREAD)) && task_current()->proc->pid == 1 &&
	    (flags & CLONE_PARENT))
		return -EINVAL; /* init has no parent to share */
	return 0;
}

/* Give child p the parent's contexts, shared or copied per flags: 0 or -ENOMEM. */
static int clone_contexts(struct proc *parent, struct proc *p, unsigned long flags,
			  enum fork_mode mode)
{
	int rc;

	if (flags & CLONE_VM) {
		aspace_get(parent->as);
		p->as = parent->as;
	} else if ((rc = aspace_fork(parent->as, mode, &p->as)) != 0) {
		return rc;
	}
	if (flags & CLONE_FILES) {
		fdtable_get(parent->files);
		p->files = parent->files;
	} else if (!(p->files = fdtable_copy(parent->files))) {
		return -ENOMEM;
	}
	if (flags & CLONE_SIGHAND) {
		parent->sighand->refs++;
		p->sighand = parent->sighand;
	} else if (!(p->sighand = sighand_copy(parent->sighand))) {
		return -ENOMEM;
	}
	if (flags & CLONE_FS) {
		parent->fs->refs++;
		p->fs = parent->fs;
	} else if (!(p->fs = fs_context_create(parent->fs->cwd))) {
		return -ENOMEM;
	}
	return 0;
}

/* Release the contexts of a child that never ran (clone failed half-way). */
static void drop_contexts(struct proc *p)
{
	if (p->as)
		aspace_put(p->as);
	if (p->files)
		fdtable_put(p->files);
	sighand_put(p->sighand);
	fs_context_put(p->fs);
}

/* Write a tid to user address uaddr in space as when it is a writable mapping. */
static void store_tid(struct aspace *as, vaddr_t uaddr, int tid)
{
	struct vma *v = vma_find(&as->vmas, uaddr);
	int32_t value = tid;

	if (v && (v->prot & VM_WRITE) && vma_find(&as->vmas, uaddr + 3) == v)
		aspace_write(as, uaddr, &value, sizeof(value));
}

/* A new process (or thread in the caller's process) per flags, with its first task
 * ready to return 0 to user mode; *out gets the task. */
static int clone_task(const struct clone_request *rq, struct task **out)
{
	struct task *cur = task_current(), *t;
	struct proc *parent = cur->proc, *p;
	int err;

	if (rq->flags & CLONE_THREAD) {
		t = task_alloc(parent, &err);
		if (!t)
			return err;
		*out = t;
		return 0;
	}
	p = proc_alloc(&err);
	if (!p)
		return err;
	err = clone_contexts(parent, p, rq->flags, rq->mode);
	t = err ? NULL : task_alloc(p, &err);
	if (!t) {
		drop_contexts(p);
		proc_free(p);
		return err;
	}
	p->parent = (rq->flags & CLONE_PARENT) ? parent->parent : parent;
	list_insert_before(&p->parent->children, &p->sibling);
	p->exit_signal = (int)(rq->flags & CSIGNAL);
	p->pgid = parent->pgid;
	p->sid = parent->sid;
	memcpy(p->comm, parent->comm, sizeof(p->comm));
	*out = t;
	return 0;
}

/* Set up the new task's registers, signal state and tid words. */
static void clone_finish(const struct clone_request *rq, struct task *t)
{
	struct task *cur = task_current();

	memcpy(t->regs, cur->regs, hal_uregs_size());
	hal_uregs_set_return(t->regs, 0);
	if (rq->stack)
		hal_uregs_set_sp(t->regs, rq->stack);
	if (rq->flags & CLONE_SETTLS)
		hal_uregs_set_tls(t->regs, rq->tls);
	t->sigmask = cur->sigmask;
	t->pending = 0;
	t->clear_child_tid = (rq->flags & CLONE_CHILD_CLEARTID) ? rq->child_tid : 0;
	if (rq->flags & CLONE_CHILD_SETTID)
		store_tid(t->proc->as, rq->child_tid, t->tid);
	if (rq->flags & CLONE_PARENT_SETTID)
		store_tid(cur->proc->as, rq->parent_tid, t->tid);
	sched_add(t);
}

long proc_clone(const struct clone_request *rq)
{
	struct task *cur = task_current(), *t = NULL;
	int rc = check_clone_flags(rq->flags);

	if (rc)
		return rc;
	proc_reap_tasks();
	rc = clone_task(rq, &t);
	if (rc)
		return rc;
	clone_finish(rq, t);
	if (!(rq->flags & CLONE_VFORK))
		return t->tid;
	/* The parent sleeps until the child execs or exits; its result is the tid. */
	t->proc->vfork_parent = cur;
	hal_uregs_set_return(cur->regs, t->tid);
	sched_block_noresult(cur, t->proc);
	return -EKNORESULT;
}

long sys_fork(const struct syscall_args *a)
{
	struct clone_request rq = { .flags = SIGCHLD, .mode = proc_fork_mode };

	(void)a;
	return proc_clone(&rq);
}

long sys_vfork(const struct syscall_args *a)
{
	struct clone_request rq = { .flags = CLONE_VM | CLONE_VFORK | SIGCHLD };

	(void)a;
	return proc_clone(&rq);
}
