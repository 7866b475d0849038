/*
 * Processes (thread groups) and tasks (threads), Linux style: a process owns an
 * address space, an fd table, signal handlers and a cwd, each of which clone() may
 * share with another process; its tasks share all of them.
 *
 * Blocking model: a syscall never sleeps half-way. A handler that must wait marks
 * the task blocked on a channel and returns -EKBLOCK; when woken the task re-runs
 * the same syscall from the start (so handlers are written to be restartable up to
 * the point where they block). A handler that has already stored its result (vfork's
 * parent, exit, a successful execve) returns -EKNORESULT. See core/proc/sched.h.
 */
#ifndef CLEAVE_PROC_H
#define CLEAVE_PROC_H

#include "../lib/list.h"
#include "../lib/types.h"

struct aspace;
struct fdtable;
struct inode;
struct uregs;

/* Kernel-internal syscall results, never seen by user code. */
#define EKBLOCK 1001    /* task blocked: re-run the syscall when woken */
#define EKNORESULT 1002 /* result already stored (or the task is gone): store nothing */

#define NSIG 64
#define PID_MAX 32768      /* pids are 1..PID_MAX-1, allocated cyclically */
#define PROC_LIMIT 1024    /* live processes (tasks count too); fork gives EAGAIN */

/* A Linux kernel sigaction (rt_sigaction's struct on x86_64 and aarch64). */
struct ksigaction {
	vaddr_t handler;     /* SIG_DFL 0, SIG_IGN 1, else a user address */
	unsigned long flags; /* SA_* */
	vaddr_t restorer;
	uint64_t mask;
};

/* Signal handlers, shared by CLONE_SIGHAND. */
struct sighand {
	unsigned refs;
	struct ksigaction action[NSIG]; /* index = signal number - 1 */
};

/* Working directory, shared by CLONE_FS. */
struct fs_context {
	unsigned refs;
	struct inode *cwd;
};

enum proc_state { PROC_ALIVE, PROC_ZOMBIE };

struct proc {
	int pid;                  /* = thread-group id = tid of the first task */
	enum proc_state state;
	struct proc *parent;
	struct list children;     /* struct proc, by sibling */
	struct list sibling;      /* in parent->children */
	struct list threads;      /* struct task, by group_link */
	unsigned nr_threads;      /* live tasks */
	struct aspace *as;        /* shared with CLONE_VM processes (refcounted) */
	struct fdtable *files;    /* shared with CLONE_FILES */
	struct sighand *sighand;  /* shared with CLONE_SIGHAND */
	struct fs_context *fs;    /* shared with CLONE_FS */
	uint64_t shared_pending;  /* process-directed pending signals */
	int pgid;                 /* process group (job control, terminal signals) */
	int sid;                  /* session */
	int exit_signal;          /* sent to the parent at exit (SIGCHLD, or 0) */
	int wait_status;          /* Linux wait status once a zombie */
	uint64_t itimer_deadline_ns; /* ITIMER_REAL: next SIGALRM (0: disarmed) */
	uint64_t itimer_interval_ns; /* ITIMER_REAL period (0: one shot) */
	bool group_exit;          /* exit_group or a fatal signal is tearing it down */
	struct task *vfork_parent;/* blocked until this process execs or exits */
	char comm[16];
	struct list all_link;     /* in the global process list */
};

enum task_state { TASK_RUNNABLE, TASK_BLOCKED, TASK_DEAD };

struct task {
	int tid;
	struct proc *proc;
	struct uregs *regs;       /* user state; syscall results are written here */
	enum task_state state;
	const void *wait_chan;    /* what a blocked task waits for */
	bool restart;             /* on wake, re-run the syscall in regs */
	bool resumed;             /* the syscall being run is a re-run after a wake */
	bool futex_woken;         /* woken by FUTEX_WAKE (not by a timeout or signal) */
	bool interrupted;         /* a signal broke its wait: -EINTR, or restart (SA_RESTART) */
	struct aspace *futex_as;  /* futex key while blocked in FUTEX_WAIT */
	vaddr_t futex_addr;
	uint64_t deadline_ns;     /* wake by this time (0: none), e.g. nanosleep */
	uint64_t sigmask;         /* blocked signals (per thread, as in Linux) */
	uint64_t pending;         /* thread-directed pending signals */
	vaddr_t clear_child_tid;  /* CLONE_CHILD_CLEARTID / set_tid_address */
	struct list group_link;   /* in proc->threads */
	struct list run_link;     /* in the scheduler's run queue when runnable */
	void *platform;           /* the platform's per-task data (kernel stack...) */
};

/* The task running on this CPU (the one whose syscall is being handled). */
struct task *task_current(void);
/* Make t the current task and activate its address space. */
void task_set_current(struct task *t);

/* Look up a live or zombie process by pid; NULL if none. */
struct proc *proc_find(int pid);
/* The init process (pid 1), or NULL before it exists. */
struct proc *proc_init(void);
/* Number of processes (alive or zombie) in the system. */
unsigned proc_count(void);

#endif
