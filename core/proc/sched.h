/*
 * The scheduler: a round-robin run queue of runnable tasks and wait channels.
 * Tasks block only between syscalls (see proc.h's blocking model), so switching
 * never needs to preserve a half-finished kernel path.
 */
#ifndef CLEAVE_SCHED_H
#define CLEAVE_SCHED_H

#include "proc.h"

/* Block the current task on chan and return -EKBLOCK for its syscall to return;
 * the syscall is re-run from the start when the task is woken. */
long sched_block(const void *chan);
/* Block t on chan without re-running its syscall on wake (its result is stored). */
void sched_block_noresult(struct task *t, const void *chan);
/* Wake every task blocked on chan. */
void sched_wake(const void *chan);
/* Wake t if it is blocked (signal delivery, deadline). */
void sched_wake_task(struct task *t);
/* Put a new or woken task on the run queue. */
void sched_add(struct task *t);
/* Take a task off the run queue (it blocked or died). */
void sched_remove(struct task *t);
/* The next runnable task in round-robin order (it is moved to the queue's tail),
 * or NULL when none is runnable. */
struct task *sched_pick_next(void);
/* Call fn(t, ctx) for each task blocked on chan until fn returns false. */
void sched_for_each_blocked(const void *chan, bool (*fn)(struct task *t, void *ctx),
			    void *ctx);
/* Wake tasks whose deadline is at or before now_ns. */
void sched_tick(uint64_t now_ns);

#endif
