/*
 * How a platform drives processes. Its trap entry saves the user registers into the
 * current task's struct uregs, then:
 *   - syscall:   syscall_dispatch(t) (core/sys/syscall.h), then proc_schedule(t, false)
 *   - timer:     sched_tick(now), then proc_schedule(t, true) (preemption)
 *   - user fault: mm_fault(); if unresolved, signal_force_fault(t, SIGSEGV), then
 *                proc_schedule(t, false)
 * and resumes whichever task proc_schedule returns in user mode (switching kernel
 * stacks and address space as needed). NULL means nothing can run: the platform waits
 * for an interrupt, calls sched_tick(), and asks again with proc_schedule(NULL, false).
 */
#ifndef CLEAVE_RUN_H
#define CLEAVE_RUN_H

#include "proc.h"

/* The task to resume in user mode after prev trapped (prev may be NULL, blocked or
 * dead; preempt: prefer another runnable task). Re-runs the syscalls of tasks woken
 * from a block and delivers signals on the way, so the returned task is ready to
 * enter user mode. NULL when no task is runnable. */
struct task *proc_schedule(struct task *prev, bool preempt);

#endif
