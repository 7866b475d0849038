/* ITIMER_REAL: a per-process deadline and period; see itimer.h. */
#include "itimer.h"

#include "proc_internal.h"
#include "signal.h"

#include "../hal.h"
#include "../lib/errno.h"
#include "../mm/uaccess.h"

#define ITIMER_REAL 0
#define NSEC_PER_USEC 1000ULL
#define NSEC_PER_SEC 1000000000ULL
#define USEC_PER_SEC 1000000

/* Linux struct itimerval on 64-bit: {interval, value}, each {tv_sec, tv_usec}. */
struct kitimerval {
	int64_t interval_sec, interval_usec, value_sec, value_usec;
};

/* ns from a timeval pair; -EINVAL when out of range (negative, usec >= 1e6). */
static int64_t timeval_to_ns(int64_t sec, int64_t usec)
{
	if (sec < 0 || usec < 0 || usec >= USEC_PER_SEC || sec > (int64_t)(1ULL << 33))
		return -EINVAL;
	return sec * (int64_t)NSEC_PER_SEC + usec * (int64_t)NSEC_PER_USEC;
}

/* p's timer as an itimerval at time now (value rounded up to whole microseconds,
 * never 0 while armed, as Linux reports it). */
static struct kitimerval itimer_get(const struct proc *p, uint64_t now)
{
	struct kitimerval v = { 0, 0, 0, 0 };
	uint64_t left;

	v.interval_sec = (int64_t)(p->itimer_interval_ns / NSEC_PER_SEC);
	v.interval_usec = (int64_t)(p->itimer_interval_ns % NSEC_PER_SEC / NSEC_PER_USEC);
	if (!p->itimer_deadline_ns)
		return v;
	left = p->itimer_deadline_ns > now ? p->itimer_deadline_ns - now : 1;
	left = (left + NSEC_PER_USEC - 1) / NSEC_PER_USEC; /* microseconds, rounded up */
	v.value_sec = (int64_t)(left / USEC_PER_SEC);
	v.value_usec = (int64_t)(left % USEC_PER_SEC);
	return v;
}

/* Arm p's timer to fire value_ns from now (0 disarms), then every interval_ns. */
static void itimer_set(struct proc *p, uint64_t now, uint64_t value_ns, uint64_t interval_ns)
{
	p->itimer_deadline_ns = value_ns ? now + value_ns : 0;
	p->itimer_interval_ns = value_ns ? interval_ns : 0;
}

void itimer_expire(uint64_t now_ns)
{
	struct proc *p;

	list_for_each(p, &proc_list, all_link) {
		if (p->state != PROC_ALIVE || !p->itimer_deadline_ns || p->itimer_deadline_ns > now_ns)
			continue;
		if (p->itimer_interval_ns)
			while (p->itimer_deadline_ns <= now_ns)
				p->itimer_deadline_ns += p->itimer_interval_ns;
		else
			p->itimer_deadline_ns = 0;
		signal_send_proc(p, SIGALRM);
	}
}

long sys_setitimer(const struct syscall_args *a)
{
	struct proc *p = task_current()->proc;
	uint64_t now = hal_clock_ns();
	struct kitimerval v = { 0, 0, 0, 0 }, old;
	int64_t value, interval;

	if ((int)a->a[0] != ITIMER_REAL)
		return -EINVAL;
	if (a->a[1] && copy_from_user(&v, a->a[1], sizeof(v)))
		return -EFAULT;
	value = timeval_to_ns(v.value_sec, v.value_usec);
	interval = timeval_to_ns(v.interval_sec, v.interval_usec);
	if (value < 0 || interval < 0)
		return -EINVAL;
	old = itimer_get(p, now);
	if (a->a[2] && copy_to_user(a->a[2], &old, sizeof(old)))
		return -EFAULT;
	itimer_set(p, now, (uint64_t)value, (uint64_t)interval);
	return 0;
}

long sys_getitimer(const struct syscall_args *a)
{
	struct kitimerval v;

	if ((int)a->a[0] != ITIMER_REAL)
		return -EINVAL;
	v = itimer_get(task_current()->proc, hal_clock_ns());
	return copy_to_user(a->a[1], &v, sizeof(v)) ? -EFAULT : 0;
}

long sys_alarm(const struct syscall_args *a)
{
	struct proc *p = task_current()->proc;
	uint64_t now = hal_clock_ns();
	struct kitimerval old = itimer_get(p, now);

	itimer_set(p, now, (uint64_t)(unsigned)a->a[0] * NSEC_PER_SEC, 0);
	/* Seconds left on the old alarm, rounded to nearest (at least 1 if armed). */
	return old.value_sec + (old.value_usec >= USEC_PER_SEC / 2 ||
				(!old.value_sec && old.value_usec));
}
