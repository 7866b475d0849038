/* futex: tasks wait on (address space, user address) keys; wakes are counted. */
#include "futex.h"

#include "proc_internal.h"
#include "sched.h"
#include "sys_proc.h"

#include "../hal.h"
#include "../lib/errno.h"
#include "../mm/uaccess.h"

#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_REQUEUE 3
#define FUTEX_CMP_REQUEUE 4
#define FUTEX_WAIT_BITSET 9
#define FUTEX_WAKE_BITSET 10
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256

/* The one wait channel of all futex waiters; each waiter's key is in its task. */
static const char futex_chan;

struct futex_wake_ctx {
	struct aspace *as;
	vaddr_t uaddr;
	int left;
	int woken;
};

/* sched_for_each_blocked visitor: wake t if it waits on the key; false when done. */
static bool wake_one(struct task *t, void *arg)
{
	struct futex_wake_ctx *c = arg;

	if (c->left <= 0)
		return false;
	if (t->futex_as != c->as || t->futex_addr != c->uaddr)
		return true;
	t->futex_woken = true;
	sched_wake_task(t);
	c->left--;
	c->woken++;
	return true;
}

int futex_wake_addr(struct aspace *as, vaddr_t uaddr, int n)
{
	struct futex_wake_ctx c = { as, uaddr, n, 0 };

	sched_for_each_blocked(&futex_chan, wake_one, &c);
	return c.woken;
}

/* FUTEX_WAIT: sleep while *uaddr == val; 0 when woken, -EAGAIN, -ETIMEDOUT. */
static long futex_wait(vaddr_t uaddr, uint32_t val, vaddr_t utimeout)
{
	struct task *t = task_current();
	uint32_t cur;
	uint64_t rel;
	int rc;

	if (t->resumed) {
		if (t->futex_woken) {
			t->futex_woken = false;
			return 0;
		}
		if (t->deadline_ns && hal_clock_ns() >= t->deadline_ns)
			return -ETIMEDOUT;
	}
	if (uaddr & 3)
		return -EINVAL;
	if (copy_from_user(&cur, uaddr, sizeof(cur)))
		return -EFAULT;
	if (cur != val)
		return -EAGAIN;
	if (!t->resumed) {
		rel = 0;
		rc = utimeout ? timespec_from_user(utimeout, &rel) : 0;
		if (rc)
			return rc;
		t->deadline_ns = utimeout ? hal_clock_ns() + rel + 1 : 0;
	}
	t->futex_as = t->proc->as;
	t->futex_addr = uaddr;
	t->futex_woken = false;
	return sched_block(&futex_chan);
}

/* FUTEX_WAKE / FUTEX_(CMP_)REQUEUE: wake waiters (requeue wakes the rest too, which
 * futex semantics allow as spurious wake-ups). */
static long futex_wake_op(vaddr_t uaddr, int op, int n, unsigned long n2, uint32_t cmp)
{
	struct aspace *as = task_current()->proc->as;
	uint32_t cur;

	if (uaddr & 3)
		return -EINVAL;
	if (op == FUTEX_CMP_REQUEUE) {
		if (copy_from_user(&cur, uaddr, sizeof(cur)))
			return -EFAULT;
		if (cur != cmp)
			return -EAGAIN;
	}
	if (op == FUTEX_WAKE || op == FUTEX_WAKE_BITSET)
		return futex_wake_addr(as, uaddr, n);
	return futex_wake_addr(as, uaddr, n + (int)(n2 > 0x7fffffff ? 0x7fffffff : n2));
}

long sys_futex(const struct syscall_args *a)
{
	int op = (int)a->a[1] & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);

	switch (op) {
	case FUTEX_WAIT:
	case FUTEX_WAIT_BITSET:
		return futex_wait(a->a[0], (uint32_t)a->a[2], a->a[3]);
	case FUTEX_WAKE:
	case FUTEX_WAKE_BITSET:
	case FUTEX_REQUEUE:
	case FUTEX_CMP_REQUEUE:
		return futex_wake_op(a->a[0], op, (int)a->a[2], a->a[3], (uint32_t)a->a[5]);
	default:
		return -ENOSYS;
	}
}
