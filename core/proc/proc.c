/* Processes and tasks: pids, allocation, lookup and the shared contexts. */
#include "proc_internal.h"
#include "sched.h"
#include "signal.h"

#include "../fs/vfs.h"
#include "../hal.h"
#include "../lib/errno.h"
#include "../lib/kmem.h"
#include "../lib/kprintf.h"
#include "../lib/string.h"
#include "../mm/aspace.h"

struct list proc_list = LIST_INIT(proc_list);
static struct list buried = LIST_INIT(buried); /* dead tasks, by run_link */
static uint64_t pid_used[PID_MAX / 64];
static int last_pid;
static unsigned nr_procs;
static struct task *current_task;

struct task *task_current(void)
{
	return current_task;
}

void task_set_current(struct task *t)
{
	current_task = t;
	if (t && t->proc->as != aspace_current())
		aspace_activate(t->proc->as);
}

/* True when pid is in use as a pid, tid, pgid or sid. */
static bool pid_in_use(int pid)
{
	struct proc *p;

	if (pid_used[pid / 64] & (1ULL << (pid % 64)))
		return true;
	list_for_each(p, &proc_list, all_link)
		if (p->pgid == pid || p->sid == pid)
			return true;
	return false;
}

int pid_alloc(void)
{
	for (int i = 1; i < PID_MAX; i++) {
		int pid = (last_pid + i) % PID_MAX;

		if (pid == 0 || pid_in_use(pid))
			continue;
		pid_used[pid / 64] |= 1ULL << (pid % 64);
		last_pid = pid;
		return pid;
	}
	return -EAGAIN;
}

void pid_free(int pid)
{
	pid_used[pid / 64] &= ~(1ULL << (pid % 64));
}

struct proc *proc_alloc(int *err)
{
	struct proc *p;

	*err = -EAGAIN;
	if (nr_procs >= PROC_LIMIT)
		return NULL;
	*err = -ENOMEM;
	p = kmalloc(sizeof(*p));
	if (!p)
		return NULL;
	p->pid = pid_alloc();
	if (p->pid < 0) {
		*err = p->pid;
		kfree(p);
		return NULL;
	}
	list_init(&p->children);
	list_init(&p->sibling);
	list_init(&p->threads);
	p->state = PROC_ALIVE;
	p->exit_signal = SIGCHLD;
	list_insert_before(&proc_list, &p->all_link);
	nr_procs++;
	return p;
}

void proc_free(struct proc *p)
{
	struct task *t, *tmp;

	list_for_each_safe(t, tmp, &p->threads, group_link) {
		KASSERT(t->state == TASK_DEAD);
		list_remove(&t->group_link);
		t->proc = NULL;
		if (t != current_task)
			task_free(t);
		else /* still on its way out of the CPU: freed by proc_reap_tasks() */
			list_insert_before(&buried, &t->run_link);
	}
	list_remove(&p->sibling);
	list_remove(&p->all_link);
	pid_free(p->pid);
	nr_procs--;
	kfree(p);
}

struct task *task_alloc(struct proc *p, int *err)
{
	struct task *t = kmalloc(sizeof(*t));

	*err = -ENOMEM;
	if (!t)
		goto fail;
	t->regs = kmalloc(hal_uregs_size());
	if (!t->regs)
		goto fail;
	t->tid = list_empty(&p->threads) ? p->pid : pid_alloc();
	if (t->tid < 0) {
		*err = t->tid;
		goto fail;
	}
	t->proc = p;
	t->state = TASK_RUNNABLE;
	list_init(&t->run_link);
	list_insert_before(&p->threads, &t->group_link);
	p->nr_threads++;
	return t;
fail:
	if (t)
		kfree(t->regs);
	kfree(t);
	return NULL;
}

void task_free(struct task *t)
{
	list_remove(&t->run_link);
	if (t->proc) {
		list_remove(&t->group_link);
		if (t->tid != t->proc->pid)
			pid_free(t->tid);
	}
	hal_task_free(t);
	kfree(t->regs);
	kfree(t);
}

void task_bury(struct task *t)
{
	struct proc *p = t->proc;

	if (t->state == TASK_DEAD)
		return;
	list_remove(&t->run_link);
	t->state = TASK_DEAD;
	p->nr_threads--;
	/* A thread other than the leader goes away on its own; the leader's struct
	 * stays with its process until the process is reaped. */
	if (t->tid != p->pid) {
		list_remove(&t->group_link);
		pid_free(t->tid);
		t->proc = NULL;
		list_insert_before(&buried, &t->run_link);
	}
}

void proc_reap_tasks(void)
{
	struct task *t, *tmp;

	list_for_each_safe(t, tmp, &buried, run_link)
		if (t != current_task)
			task_free(t);
}

struct proc *proc_find(int pid)
{
	struct proc *p;

	list_for_each(p, &proc_list, all_link)
		if (p->pid == pid)
			return p;
	return NULL;
}

struct proc *proc_init(void)
{
	return proc_find(1);
}

unsigned proc_count(void)
{
	return nr_procs;
}

struct sighand *sighand_create(void)
{
	struct sighand *h = kmalloc(sizeof(*h));

	if (h)
		h->refs = 1;
	return h;
}

struct sighand *sighand_copy(const struct sighand *h)
{
	struct sighand *c = sighand_create();

	if (c)
		memcpy(c->action, h->action, sizeof(c->action));
	return c;
}

void sighand_put(struct sighand *h)
{
	if (h && --h->refs == 0)
		kfree(h);
}

struct fs_context *fs_context_create(struct inode *cwd)
{
	struct fs_context *fs = kmalloc(sizeof(*fs));

	if (fs) {
		fs->refs = 1;
		fs->cwd = cwd;
	}
	return fs;
}

void fs_context_put(struct fs_context *fs)
{
	if (fs && --fs->refs == 0)
		kfree(fs);
}

void proc_take_over_leader(struct task *t)
{
	struct proc *p = t->proc;
	struct task *leader, *tmp;

	list_for_each_safe(leader, tmp, &p->threads, group_link) {
		if (leader->tid != p->pid)
			continue;
		KASSERT(leader->state == TASK_DEAD);
		list_remove(&leader->group_link);
		leader->proc = NULL;
		list_insert_before(&buried, &leader->run_link);
	}
	pid_free(t->tid);
	t->tid = p->pid;
}

void proc_reset(void)
{
	KASSERT(list_empty(&proc_list) && nr_procs == 0);
	memset(pid_used, 0, sizeof(pid_used));
	last_pid = 0;
	current_task = NULL;
}
