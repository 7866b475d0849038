/* The one scheduling entry the platforms call on every return to user mode. */
#include "run.h"

#include "proc_internal.h"
#include "sched.h"
#include "signal.h"

#include "../sys/syscall.h"

/* Finish t's way back to user mode: re-run a woken syscall, deliver signals.
 * Returns true when t can enter user mode now. */
static bool prepare_for_user(struct task *t)
{
	task_set_current(t);
	if (t->resumed)
		syscall_dispatch(t);
	if (t->state == TASK_RUNNABLE)
		signal_deliver(t);
	return t->state == TASK_RUNNABLE;
}

struct task *proc_schedule(struct task *prev, bool preempt)
{
	bool passed_prev = false;
	struct task *t;

	if (prev && prev->state == TASK_RUNNABLE && !preempt && prepare_for_user(prev))
		return prev;
	for (unsigned tries = 0; tries < 1u << 20; tries++) {
		t = sched_pick_next();
		if (!t)
			break;
		if (t == prev && preempt && !passed_prev) {
			passed_prev = true; /* everyone else gets a turn first */
			continue;
		}
		if (prepare_for_user(t)) {
			proc_reap_tasks();
			return t;
		}
	}
	proc_reap_tasks();
	return NULL;
}
