/* Signals: generation (kill, tgkill), actions, masks and delivery on return to user. */
#include "signal.h"

#include "clone.h"
#include "proc_internal.h"
#include "sched.h"

#include "../hal.h"
#include "../lib/errno.h"
#include "../mm/uaccess.h"

#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2
#define SA_NODEFER 0x40000000UL
#define SA_RESETHAND 0x80000000UL
#define SA_SIGINFO 0x00000004UL
#define SA_RESTART 0x10000000UL
#define SIGSET_SIZE 8
#define UNBLOCKABLE (SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))

/* Signals whose default action is to do nothing (stops are not supported: ignored). */
#define DEFAULT_IGNORED                                                                  \
	(SIGBIT(SIGCHLD) | SIGBIT(SIGURG) | SIGBIT(SIGWINCH) | SIGBIT(SIGCONT) |            \
	 SIGBIT(SIGSTOP) | SIGBIT(SIGTSTP) | SIGBIT(SIGTTIN) | SIGBIT(SIGTTOU))

/* True when sig sent to p now would have no effect at all. */
static bool signal_ignored(struct proc *p, int sig)
{
	const struct ksigaction *act = &p->sighand->action[sig - 1];

	if (sig == SIGKILL)
		return false;
	if (act->handler == SIG_IGN)
		return true;
	return act->handler == SIG_DFL && (DEFAULT_IGNORED & SIGBIT(sig));
}

/* Kill every task of p at once and make it exit as killed by sig. */
static void proc_terminate(struct proc *p, int sig)
{
	struct task *keep = NULL, *t;

	if (p->state != PROC_ALIVE || p->group_exit)
		return;
	p->group_exit = true;
	list_for_each(t, &p->threads, group_link)
		if (t->state != TASK_DEAD)
			keep = t;
	proc_kill_other_tasks(p, keep);
	task_bury(keep);
	proc_exit(p, sig & 0x7f);
}

/* Interrupt t's restartable wait so the signal can be acted on. Its call returns
 * -EINTR, unless the handler that runs has SA_RESTART (see enter_handler); the
 * registers keep the call's arguments until delivery decides. */
static void interrupt_task(struct task *t)
{
	if (t->state != TASK_BLOCKED || !t->restart)
		return;
	t->restart = false;
	t->interrupted = true;
	sched_wake_task(t);
}

/* Settle an interrupted call before t returns to user mode (act: the handler about
 * to run, NULL when none runs): re-execute it when no handler runs or the handler has
 * SA_RESTART, else make it fail with -EINTR, as Linux's -ERESTARTSYS does. A re-run
 * starts afresh, so a restarted nanosleep sleeps its full time again. */
static void settle_interrupted(struct task *t, const struct ksigaction *act)
{
	if (!t->interrupted)
		return;
	t->interrupted = false;
	if (!act || (act->flags & SA_RESTART))
		hal_uregs_rewind_syscall(t->regs);
	else
		hal_uregs_set_return(t->regs, -EINTR);
}

/* Mark sig pending on p and wake a thread that can take it. */
static void queue_signal(struct proc *p, struct task *target, int sig)
{
	struct task *t;

	if (target) {
		target->pending |= SIGBIT(sig);
		if (!(target->sigmask & SIGBIT(sig)))
			interrupt_task(target);
		return;
	}
	p->shared_pending |= SIGBIT(sig);
	list_for_each(t, &p->threads, group_link) {
		if (t->state != TASK_DEAD && !(t->sigmask & SIGBIT(sig))) {
			interrupt_task(t);
			return;
		}
	}
}

/* Generate sig for process p, or for its task target when not NULL. */
static int signal_generate(struct proc *p, struct task *target, int sig)
{
	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	if (sig == 0 || p->state != PROC_ALIVE || signal_ignored(p, sig))
		return 0;
	if (p->pid == 1 && p->sighand->action[sig - 1].handler == SIG_DFL)
		return 0; /* init only receives signals it handles */
	if (sig == SIGKILL) {
		proc_terminate(p, SIGKILL);
		return 0;
	}
	queue_signal(p, target, sig);
	return 0;
}

int signal_send_proc(struct proc *p, int sig)
{
	return signal_generate(p, NULL, sig);
}

int signal_send_pgrp(int pgid, int sig)
{
	struct proc *p, *tmp;
	bool found = false;

	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	list_for_each_safe(p, tmp, &proc_list, all_link) {
		if (p->pgid != pgid || p->state != PROC_ALIVE)
			continue;
		found = true;
		signal_generate(p, NULL, sig);
	}
	return found ? 0 : -ESRCH;
}

/* kill(-1, sig): every process but init and the caller. */
static int signal_send_all(int sig)
{
	struct proc *self = task_current()->proc, *p, *tmp;
	bool found = false;

	list_for_each_safe(p, tmp, &proc_list, all_link) {
		if (p->pid == 1 || p == self || p->state != PROC_ALIVE)
			continue;
		found = true;
		signal_generate(p, NULL, sig);
	}
	return found ? 0 : -ESRCH;
}

long sys_kill(const struct syscall_args *a)
{
	int pid = (int)a->a[0], sig = (int)a->a[1];
	struct proc *p;

	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	if (pid > 0) {
		p = proc_find(pid);
		return p ? signal_generate(p, NULL, sig) : -ESRCH;
	}
	if (pid == 0)
		return signal_send_pgrp(task_current()->proc->pgid, sig);
	if (pid == -1)
		return signal_send_all(sig);
	if (pid == -2147483647 - 1)
		return -ESRCH;
	return signal_send_pgrp(-pid, sig);
}

/* The live task with tid in process tgid (tgid < 0: any process), or NULL. */
static struct task *find_task(int tgid, int tid)
{
	struct proc *p;
	struct task *t;

	list_for_each(p, &proc_list, all_link) {
		if (tgid > 0 && p->pid != tgid)
			continue;
		list_for_each(t, &p->threads, group_link)
			if (t->tid == tid && t->state != TASK_DEAD)
				return t;
	}
	return NULL;
}

/* Send sig to one thread: tgkill/tkill. */
static long send_to_thread(int tgid, int tid, int sig)
{
	struct task *t;

	if (tid <= 0 || (tgid <= 0 && tgid != -1) || sig < 0 || sig > NSIG)
		return -EINVAL;
	t = find_task(tgid, tid);
	if (!t)
		return -ESRCH;
	return signal_generate(t->proc, t, sig);
}

long sys_tgkill(const struct syscall_args *a)
{
	return send_to_thread((int)a->a[0], (int)a->a[1], (int)a->a[2]);
}

long sys_tkill(const struct syscall_args *a)
{
	return send_to_thread(-1, (int)a->a[0], (int)a->a[1]);
}

/* Remove sig from every pending set of p (it became ignored). */
static void discard_pending(struct proc *p, int sig)
{
	struct task *t;

	p->shared_pending &= ~SIGBIT(sig);
	list_for_each(t, &p->threads, group_link)
		t->pending &= ~SIGBIT(sig);
}

long sys_rt_sigaction(const struct syscall_args *a)
{
	int sig = (int)a->a[0];
	vaddr_t uact = a->a[1], uold = a->a[2];
	struct proc *p = task_current()->proc;
	struct ksigaction act;

	if (a->a[3] != SIGSET_SIZE || sig < 1 || sig > NSIG)
		return -EINVAL;
	if (uact && (sig == SIGKILL || sig == SIGSTOP))
		return -EINVAL;
	if (uact && copy_from_user(&act, uact, sizeof(act)))
		return -EFAULT;
	if (uold && copy_to_user(uold, &p->sighand->action[sig - 1], sizeof(act)))
		return -EFAULT;
	if (!uact)
		return 0;
	act.mask &= ~UNBLOCKABLE;
	p->sighand->action[sig - 1] = act;
	if (signal_ignored(p, sig))
		discard_pending(p, sig);
	return 0;
}

long sys_rt_sigprocmask(const struct syscall_args *a)
{
	struct task *t = task_current();
	int how = (int)a->a[0];
	vaddr_t uset = a->a[1], uold = a->a[2];
	uint64_t set, old = t->sigmask;

	if (a->a[3] != SIGSET_SIZE)
		return -EINVAL;
	if (uset && how != SIG_BLOCK && how != SIG_UNBLOCK && how != SIG_SETMASK)
		return -EINVAL;
	if (uset && copy_from_user(&set, uset, sizeof(set)))
		return -EFAULT;
	if (uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	if (!uset)
		return 0;
	if (how == SIG_BLOCK)
		t->sigmask |= set;
	else if (how == SIG_UNBLOCK)
		t->sigmask &= ~set;
	else
		t->sigmask = set;
	t->sigmask &= ~UNBLOCKABLE;
	return 0;
}

long sys_rt_sigpending(const struct syscall_args *a)
{
	struct task *t = task_current();
	uint64_t set = (t->pending | t->proc->shared_pending) & t->sigmask;

	if (a->a[1] != SIGSET_SIZE)
		return -EINVAL;
	return copy_to_user(a->a[0], &set, sizeof(set)) ? -EFAULT : 0;
}

long sys_rt_sigreturn(const struct syscall_args *a)
{
	struct task *t = task_current();
	uint64_t mask;

	(void)a;
	if (hal_signal_pop_frame(t->regs, &mask)) {
		proc_terminate(t->proc, SIGSEGV);
		return -EKNORESULT;
	}
	t->sigmask = mask & ~UNBLOCKABLE;
	return -EKNORESULT;
}

/* Take the lowest deliverable signal of t off its pending sets; 0 when none. */
static int dequeue_signal(struct task *t)
{
	uint64_t ready = (t->pending | t->proc->shared_pending) & ~t->sigmask;
	int sig;

	if (!ready)
		return 0;
	sig = __builtin_ctzll(ready) + 1;
	if (t->pending & SIGBIT(sig))
		t->pending &= ~SIGBIT(sig);
	else
		t->proc->shared_pending &= ~SIGBIT(sig);
	return sig;
}

/* Run the user handler for sig: push a frame and update the mask and action. */
static void enter_handler(struct task *t, int sig, struct ksigaction *act)
{
	settle_interrupted(t, act);
	if (hal_signal_push_frame(t->regs, sig, act, t->sigmask)) {
		proc_terminate(t->proc, SIGSEGV);
		return;
	}
	t->sigmask |= act->mask;
	if (!(act->flags & SA_NODEFER))
		t->sigmask |= SIGBIT(sig);
	t->sigmask &= ~UNBLOCKABLE;
	if (act->flags & SA_RESETHAND) {
		act->handler = SIG_DFL;
		act->flags &= ~SA_SIGINFO;
	}
}

void signal_deliver(struct task *t)
{
	struct ksigaction *act;
	int sig;

	while (t->state == TASK_RUNNABLE && (sig = dequeue_signal(t)) != 0) {
		act = &t->proc->sighand->action[sig - 1];
		if (act->handler == SIG_IGN)
			continue;
		if (act->handler != SIG_DFL) {
			enter_handler(t, sig, act);
			return;
		}
		if (DEFAULT_IGNORED & SIGBIT(sig))
			continue;
		proc_terminate(t->proc, sig);
		return;
	}
	settle_interrupted(t, NULL);
}

void signal_force_fault(struct task *t, int sig)
{
	struct ksigaction *act = &t->proc->sighand->action[sig - 1];

	/* A fault the program blocks or ignores cannot be retried: it kills, as Linux. */
	if ((t->sigmask & SIGBIT(sig)) || act->handler == SIG_IGN) {
		act->handler = SIG_DFL;
		t->sigmask &= ~SIGBIT(sig);
	}
	t->pending |= SIGBIT(sig);
	signal_deliver(t);
}

void signal_reset_on_exec(struct proc *p)
{
	for (int i = 0; i < NSIG; i++) {
		struct ksigaction *act = &p->sighand->action[i];

		if (act->handler != SIG_IGN)
			act->handler = SIG_DFL;
		act->flags = 0;
		act->restorer = 0;
		act->mask = 0;
	}
}
