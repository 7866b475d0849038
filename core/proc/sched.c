/* Round-robin run queue and wait channels (single CPU). */
#include "sched.h"
#include "itimer.h"

#include "../lib/errno.h"
#include "../lib/kprintf.h"

static struct list run_queue = LIST_INIT(run_queue);
static struct list blocked = LIST_INIT(blocked); /* blocked tasks, by run_link */

void sched_add(struct task *t)
{
	list_remove(&t->run_link);
	t->state = TASK_RUNNABLE;
	t->wait_chan = NULL;
	list_insert_before(&run_queue, &t->run_link);
}

void sched_remove(struct task *t)
{
	list_remove(&t->run_link);
}

/* Move t from the run queue to the blocked list, waiting on chan. */
static void block_on(struct task *t, const void *chan, bool restart)
{
	KASSERT(t->state == TASK_RUNNABLE);
	list_remove(&t->run_link);
	t->state = TASK_BLOCKED;
	t->wait_chan = chan;
	t->restart = restart;
	list_insert_before(&blocked, &t->run_link);
}

long sched_block(const void *chan)
{
	block_on(task_current(), chan, true);
	return -EKBLOCK;
}

void sched_block_noresult(struct task *t, const void *chan)
{
	block_on(t, chan, false);
}

void sched_wake_task(struct task *t)
{
	if (t->state == TASK_BLOCKED) {
		t->resumed = t->restart;
		sched_add(t);
	}
}

void sched_wake(const void *chan)
{
	struct task *t, *tmp;

	list_for_each_safe(t, tmp, &blocked, run_link)
		if (t->wait_chan == chan)
			sched_wake_task(t);
}

struct task *sched_pick_next(void)
{
	struct task *t;

	if (list_empty(&run_queue))
		return NULL;
	t = list_first(&run_queue, struct task, run_link);
	list_remove(&t->run_link);
	list_insert_before(&run_queue, &t->run_link);
	return t;
}

void sched_tick(uint64_t now_ns)
{
	struct task *t, *tmp;

	list_for_each_safe(t, tmp, &blocked, run_link)
		if (t->deadline_ns && t->deadline_ns <= now_ns)
			sched_wake_task(t);
	itimer_expire(now_ns);
}

void sched_for_each_blocked(const void *chan, bool (*fn)(struct task *t, void *ctx),
			    void *ctx)
{
	struct task *t, *tmp;

	list_for_each_safe(t, tmp, &blocked, run_link)
		if (t->wait_chan == chan && !fn(t, ctx))
			return;
}
