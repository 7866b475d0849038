/* Process identity, groups, time, limits and system information syscalls. */
#include "clone.h"
#include "proc_internal.h"
#include "sched.h"
#include "signal.h"
#include "sys_proc.h"

#include "../hal.h"
#include "../lib/errno.h"
#include "../lib/string.h"
#include "../mm/frame.h"
#include "../mm/uaccess.h"

#define NSEC_PER_SEC 1000000000ULL
#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME 7
#define TIMER_ABSTIME 1
#define RLIM_INFINITY (~0ULL)

long sys_getpid(const struct syscall_args *a)
{
	(void)a;
	return task_current()->proc->pid;
}

long sys_gettid(const struct syscall_args *a)
{
	(void)a;
	return task_current()->tid;
}

long sys_getppid(const struct syscall_args *a)
{
	struct proc *parent = task_current()->proc->parent;

	(void)a;
	return parent ? parent->pid : 0;
}

long sys_getuid(const struct syscall_args *a)
{
	(void)a;
	return 0; /* every process runs as root: there are no other users */
}

long sys_set_tid_address(const struct syscall_args *a)
{
	struct task *t = task_current();

	t->clear_child_tid = a->a[0];
	return t->tid;
}

long sys_set_robust_list(const struct syscall_args *a)
{
	/* Robust futex lists matter only when a thread dies holding a lock; the list is
	 * validated as Linux does but not walked at exit. */
	return a->a[1] == 24 ? 0 : -EINVAL;
}

/* The process with pid (0: the caller), or NULL. */
static struct proc *proc_or_self(int pid)
{
	return pid == 0 ? task_current()->proc : proc_find(pid);
}

long sys_setpgid(const struct syscall_args *a)
{
	struct proc *self = task_current()->proc, *p = proc_or_self((int)a->a[0]);
	int pgid = (int)a->a[1];

	if (pgid < 0)
		return -EINVAL;
	if (!p || (p != self && p->parent != self))
		return -ESRCH;
	if (p->sid != self->sid || p->pid == p->sid)
		return -EPERM;
	p->pgid = pgid ? pgid : p->pid;
	return 0;
}

long sys_getpgid(const struct syscall_args *a)
{
	struct proc *p = proc_or_self((int)a->a[0]);

	return p ? p->pgid : -ESRCH;
}

long sys_getpgrp(const struct syscall_args *a)
{
	(void)a;
	return task_current()->proc->pgid;
}

long sys_getsid(const struct syscall_args *a)
{
	struct proc *p = proc_or_self((int)a->a[0]);

	return p ? p->sid : -ESRCH;
}

long sys_setsid(const struct syscall_args *a)
{
	struct proc *self = task_current()->proc, *p;

	(void)a;
	list_for_each(p, &proc_list, all_link)
		if (p->pgid == self->pid)
			return -EPERM; /* already a group leader */
	self->sid = self->pgid = self->pid;
	return self->sid;
}

long sys_sched_yield(const struct syscall_args *a)
{
	(void)a;
	return 0; /* the caller goes to the back of the run queue when it returns */
}

/* Current time of clock id in ns since its epoch, or -EINVAL. */
static int64_t clock_now(int id)
{
	switch (id) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		return (int64_t)hal_clock_ns(); /* no wall clock: realtime starts at boot */
	default:
		return -EINVAL;
	}
}

long sys_clock_gettime(const struct syscall_args *a)
{
	int64_t now = clock_now((int)a->a[0]), ts[2];

	if (now < 0)
		return now;
	ts[0] = now / (int64_t)NSEC_PER_SEC;
	ts[1] = now % (int64_t)NSEC_PER_SEC;
	return copy_to_user(a->a[1], ts, sizeof(ts)) ? -EFAULT : 0;
}

long sys_gettimeofday(const struct syscall_args *a)
{
	int64_t now = (int64_t)hal_clock_ns(), tv[2];

	tv[0] = now / (int64_t)NSEC_PER_SEC;
	tv[1] = now % (int64_t)NSEC_PER_SEC / 1000;
	if (a->a[0] && copy_to_user(a->a[0], tv, sizeof(tv)))
		return -EFAULT;
	return 0;
}

/* Sleep until the absolute deadline (ns on the monotonic clock); restartable. */
static long sleep_until(uint64_t deadline)
{
	struct task *t = task_current();

	if (hal_clock_ns() >= deadline)
		return 0;
	t->deadline_ns = deadline;
	return sched_block(&t->deadline_ns);
}

int timespec_from_user(vaddr_t uts, uint64_t *ns)
{
	int64_t ts[2];

	if (copy_from_user(ts, uts, sizeof(ts)))
		return -EFAULT;
	if (ts[0] < 0 || ts[1] < 0 || ts[1] >= (int64_t)NSEC_PER_SEC)
		return -EINVAL;
	*ns = (uint64_t)ts[0] * NSEC_PER_SEC + (uint64_t)ts[1];
	return 0;
}

/* clock_nanosleep core: flags TIMER_ABSTIME or 0; first call computes the deadline. */
static long do_nanosleep(int clock, int flags, vaddr_t ureq)
{
	struct task *t = task_current();
	uint64_t req;
	int rc;

	if (t->resumed)
		return sleep_until(t->deadline_ns);
	if (clock_now(clock) < 0 || clock == CLOCK_MONOTONIC_RAW)
		return -EINVAL;
	rc = timespec_from_user(ureq, &req);
	if (rc)
		return rc;
	return sleep_until((flags & TIMER_ABSTIME) ? req : hal_clock_ns() + req);
}

long sys_nanosleep(const struct syscall_args *a)
{
	return do_nanosleep(CLOCK_MONOTONIC, 0, a->a[0]);
}

long sys_clock_nanosleep(const struct syscall_args *a)
{
	return do_nanosleep((int)a->a[0], (int)a->a[1], a->a[2]);
}

long sys_uname(const struct syscall_args *a)
{
	char u[6][65];

	memset(u, 0, sizeof(u));
	kstrlcpy(u[0], "Linux", 65); /* programs test for Linux; we keep its ABI */
	kstrlcpy(u[1], "cleave", 65);
	kstrlcpy(u[2], "6.1.0-cleave", 65);
	kstrlcpy(u[3], "#1 Cleave", 65);
	kstrlcpy(u[4], hal_pt_geometry()->name, 65);
	kstrlcpy(u[5], "(none)", 65);
	return copy_to_user(a->a[0], u, sizeof(u)) ? -EFAULT : 0;
}

long sys_sysinfo(const struct syscall_args *a)
{
	struct {
		int64_t uptime;
		uint64_t loads[3], totalram, freeram, sharedram, bufferram, totalswap, freeswap;
		uint16_t procs, pad;
		uint32_t pad2;
		uint64_t totalhigh, freehigh;
		uint32_t mem_unit;
		char reserved[4];
	} info;

	memset(&info, 0, sizeof(info));
	info.uptime = (int64_t)(hal_clock_ns() / NSEC_PER_SEC);
	info.totalram = frames_total_count() * PAGE_SIZE;
	info.freeram = frames_free_count() * PAGE_SIZE;
	info.procs = (uint16_t)proc_count();
	info.mem_unit = 1;
	return copy_to_user(a->a[0], &info, sizeof(info)) ? -EFAULT : 0;
}

/* The limits programs ask for: (soft, hard) of resource, or -EINVAL. */
static int rlimit_of(unsigned resource, uint64_t lim[2])
{
	switch (resource) {
	case 3: /* RLIMIT_STACK */
		lim[0] = 8 << 20;
		lim[1] = RLIM_INFINITY;
		return 0;
	case 6: /* RLIMIT_NPROC */
		lim[0] = lim[1] = PROC_LIMIT;
		return 0;
	case 7: /* RLIMIT_NOFILE */
		lim[0] = lim[1] = 256;
		return 0;
	default:
		if (resource >= 16)
			return -EINVAL;
		lim[0] = lim[1] = RLIM_INFINITY;
		return 0;
	}
}

long sys_prlimit64(const struct syscall_args *a)
{
	uint64_t lim[2];
	int pid = (int)a->a[0], rc = rlimit_of((unsigned)a->a[1], lim);

	if (rc)
		return rc;
	if (pid && !proc_find(pid))
		return -ESRCH;
	if (a->a[2])
		return -EPERM; /* limits are fixed in this kernel */
	if (a->a[3] && copy_to_user(a->a[3], lim, sizeof(lim)))
		return -EFAULT;
	return 0;
}

long sys_getrlimit(const struct syscall_args *a)
{
	uint64_t lim[2];
	int rc = rlimit_of((unsigned)a->a[0], lim);

	if (rc)
		return rc;
	return copy_to_user(a->a[1], lim, sizeof(lim)) ? -EFAULT : 0;
}

long sys_umask(const struct syscall_args *a)
{
	static unsigned mask = 022;
	unsigned old = mask;

	mask = (unsigned)a->a[0] & 0777;
	return old;
}

long sys_reboot(const struct syscall_args *a)
{
	if ((uint32_t)a->a[0] != 0xfee1deadu ||
	    ((uint32_t)a->a[1] != 672274793u && (uint32_t)a->a[1] != 85072278u &&
	     (uint32_t)a->a[1] != 369367448u && (uint32_t)a->a[1] != 537993216u))
		return -EINVAL;
	switch ((uint32_t)a->a[2]) {
	case 0x4321fedcu: /* RB_POWER_OFF */
	case 0xcdef0123u: /* RB_HALT_SYSTEM */
		hal_halt(HAL_HALT_POWEROFF);
	case 0x01234567u: /* RB_AUTOBOOT: no reset path; powering off is the honest end */
		hal_halt(HAL_HALT_POWEROFF);
	case 0x00000000u: /* RB_DISABLE_CAD */
	case 0x89abcdefu: /* RB_ENABLE_CAD */
		return 0;
	default:
		return -EINVAL;
	}
}
