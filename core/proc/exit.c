/* exit, exit_group, wait4: zombies, reparenting, SIGCHLD and status encoding. */
#include "clone.h"
#include "futex.h"
#include "proc_internal.h"
#include "sched.h"
#include "signal.h"

#include "../fs/vfs.h"
#include "../hal.h"
#include "../lib/errno.h"
#include "../lib/kprintf.h"
#include "../mm/aspace.h"
#include "../mm/uaccess.h"

#define WNOHANG 0x00000001
#define WUNTRACED 0x00000002
#define WCONTINUED 0x00000008
#define WNOTHREAD 0x20000000
#define WALL 0x40000000
#define WCLONE 0x80000000
#define SA_NOCLDWAIT 0x00000002
#define RUSAGE_SIZE 144 /* struct rusage on both 64-bit ABIs */

void proc_release_vfork_parent(struct proc *p)
{
	if (!p->vfork_parent)
		return;
	sched_wake_task(p->vfork_parent);
	p->vfork_parent = NULL;
}

/* CLONE_CHILD_CLEARTID: zero the tid word and wake one futex waiter (thread join). */
static void clear_child_tid(struct task *t)
{
	struct aspace *as = t->proc->as;
	struct vma *v;
	int32_t zero = 0;

	if (!t->clear_child_tid || !as)
		return;
	v = vma_find(&as->vmas, t->clear_child_tid);
	if (v && (v->prot & VM_WRITE) && vma_find(&as->vmas, t->clear_child_tid + 3) == v) {
		aspace_write(as, t->clear_child_tid, &zero, sizeof(zero));
		futex_wake_addr(as, t->clear_child_tid, 1);
	}
	t->clear_child_tid = 0;
}

void proc_kill_other_tasks(struct proc *p, struct task *keep)
{
	struct task *t, *tmp;

	list_for_each_safe(t, tmp, &p->threads, group_link) {
		if (t == keep || t->state == TASK_DEAD)
			continue;
		clear_child_tid(t);
		task_bury(t);
	}
}

/* Hand p's children to init; zombies among them are announced to init. */
static void reparent_children(struct proc *p)
{
	struct proc *init = proc_init(), *c, *tmp;
	bool zombies = false;

	list_for_each_safe(c, tmp, &p->children, sibling) {
		list_remove(&c->sibling);
		c->parent = init;
		list_insert_before(&init->children, &c->sibling);
		zombies |= c->state == PROC_ZOMBIE;
	}
	if (zombies) {
		signal_send_proc(init, SIGCHLD);
		sched_wake(init);
	}
}

/* True when the parent asked not to keep zombies (SIGCHLD ignored or SA_NOCLDWAIT). */
static bool parent_discards_zombies(struct proc *parent)
{
	const struct ksigaction *act = &parent->sighand->action[SIGCHLD - 1];

	return act->handler == SIG_IGN || (act->flags & SA_NOCLDWAIT);
}

/* Tell the parent a child is now a zombie, or reap it at once if it does not care. */
static void notify_parent(struct proc *p)
{
	struct proc *parent = p->parent;

	if (parent_discards_zombies(parent)) {
		proc_free(p);
	} else if (p->exit_signal) {
		signal_send_proc(parent, p->exit_signal);
	}
	sched_wake(parent);
}

void proc_exit(struct proc *p, int status)
{
	if (p->pid == 1)
		panic("init exited with status 0x%x", (unsigned)status);
	proc_release_vfork_parent(p);
	if (aspace_current() == p->as)
		aspace_activate(NULL);
	aspace_put(p->as);
	fdtable_put(p->files);
	sighand_put(p->sighand);
	fs_context_put(p->fs);
	p->as = NULL;
	p->files = NULL;
	p->sighand = NULL;
	p->fs = NULL;
	reparent_children(p);
	p->state = PROC_ZOMBIE;
	p->wait_status = status;
	notify_parent(p);
}

/* End the current task; the process ends with status when it was the last one. */
static long exit_current_task(int status)
{
	struct task *t = task_current();
	struct proc *p = t->proc;

	clear_child_tid(t);
	task_bury(t);
	if (p->nr_threads == 0)
		proc_exit(p, status);
	return -EKNORESULT;
}

long proc_exit_group(int status)
{
	struct task *t = task_current();

	t->proc->group_exit = true;
	proc_kill_other_tasks(t->proc, t);
	return exit_current_task(status);
}

long sys_exit(const struct syscall_args *a)
{
	return exit_current_task(((int)a->a[0] & 0xff) << 8);
}

long sys_exit_group(const struct syscall_args *a)
{
	return proc_exit_group(((int)a->a[0] & 0xff) << 8);
}

/* True when child c is selected by wait4's pid argument for waiter w. */
static bool wait_selects(const struct proc *c, int pid, const struct proc *w)
{
	if (pid > 0)
		return c->pid == pid;
	if (pid == -1)
		return true;
	if (pid == 0)
		return c->pgid == w->pgid;
	return c->pgid == -pid;
}

/* True when c's kind (clone child or not) matches the __WCLONE/__WALL options. */
static bool wait_kind_matches(const struct proc *c, int options)
{
	bool clone_child = c->exit_signal != SIGCHLD;

	if (options & WALL)
		return true;
	return clone_child == ((options & WCLONE) != 0);
}

/* Report zombie c to user memory and free it: its pid, or -EFAULT (c stays). */
static long reap_zombie(struct proc *c, vaddr_t ustatus, vaddr_t urusage)
{
	static const char zero_rusage[RUSAGE_SIZE];
	int32_t status = c->wait_status;
	int pid = c->pid;

	if (ustatus && copy_to_user(ustatus, &status, sizeof(status)))
		return -EFAULT;
	if (urusage && copy_to_user(urusage, zero_rusage, sizeof(zero_rusage)))
		return -EFAULT;
	proc_free(c);
	return pid;
}

long proc_wait4(int pid, vaddr_t ustatus, int options, vaddr_t urusage)
{
	struct proc *w = task_current()->proc, *c;
	bool any = false;

	if ((unsigned)options & ~(unsigned)(WNOHANG | WUNTRACED | WCONTINUED | WNOTHREAD |
					    WCLONE | WALL))
		return -EINVAL;
	if (pid == -2147483647 - 1)
		return -ESRCH;
	list_for_each(c, &w->children, sibling) {
		if (!wait_selects(c, pid, w) || !wait_kind_matches(c, options))
			continue;
		any = true;
		if (c->state == PROC_ZOMBIE)
			return reap_zombie(c, ustatus, urusage);
	}
	if (!any)
		return -ECHILD;
	if (options & WNOHANG)
		return 0;
	return sched_block(w);
}

long sys_wait4(const struct syscall_args *a)
{
	return proc_wait4((int)a->a[0], a->a[1], (int)a->a[2], a->a[3]);
}
