/* core/proc's internal interface between its files (not for other subsystems). */
#ifndef CLEAVE_PROC_INTERNAL_H
#define CLEAVE_PROC_INTERNAL_H

#include "proc.h"

/* Allocate a pid not used by any process, task or process group; -EAGAIN if none. */
int pid_alloc(void);
/* Return a pid to the pool. */
void pid_free(int pid);

/* A new process with a fresh pid and no tasks or contexts; NULL on -ENOMEM/-EAGAIN
 * (*err says which). */
struct proc *proc_alloc(int *err);
/* Free a process struct whose contexts are already released (a reaped zombie). */
void proc_free(struct proc *p);
/* A new task of p (tid = p->pid for the first one) with zeroed registers; NULL on
 * -ENOMEM/-EAGAIN (*err). The task is not yet runnable. */
struct task *task_alloc(struct proc *p, int *err);
/* Free a dead task that is not running. */
void task_free(struct task *t);
/* Mark t dead and off every queue; its memory is freed later by proc_reap_tasks(). */
void task_bury(struct task *t);
/* Free buried tasks other than the current one. */
void proc_reap_tasks(void);

/* New default signal handlers; NULL on -ENOMEM. */
struct sighand *sighand_create(void);
/* A copy of h for fork (handlers inherited); NULL on -ENOMEM. */
struct sighand *sighand_copy(const struct sighand *h);
/* Drop a reference to h. */
void sighand_put(struct sighand *h);
/* A new fs context with cwd; NULL on -ENOMEM. */
struct fs_context *fs_context_create(struct inode *cwd);
/* Drop a reference to fs. */
void fs_context_put(struct fs_context *fs);

/* Release everything a dying process holds (space, files, handlers, cwd), reparent
 * its children, make it a zombie with status and notify its parent. */
void proc_exit(struct proc *p, int status);
/* Kill every task of p other than keep (exit_group, exec, fatal signals). */
void proc_kill_other_tasks(struct proc *p, struct task *keep);
/* Wake p's vfork parent if it is waiting for p. */
void proc_release_vfork_parent(struct proc *p);

/* exec from a non-leader thread: t takes over the process's pid as its tid and the
 * dead leader's task is freed. */
void proc_take_over_leader(struct task *t);
/* execve for the current task (see execve.c): -errno, or -EKNORESULT on success. */
long proc_execve(vaddr_t upath, vaddr_t uargv, vaddr_t uenvp);

/* Start pid numbering again at 1 (no process may exist): hosted tests boot afresh. */
void proc_reset(void);

/* The global process list (struct proc, by all_link). */
extern struct list proc_list;

#endif
