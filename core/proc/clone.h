/* clone(2): flags and the architecture-neutral request the syscall tables build. */
#ifndef CLEAVE_CLONE_H
#define CLEAVE_CLONE_H

#include "../mm/aspace.h"
#include "../sys/syscall.h"

#define CSIGNAL 0x000000ffUL
#define CLONE_VM 0x00000100UL
#define CLONE_FS 0x00000200UL
#define CLONE_FILES 0x00000400UL
#define CLONE_SIGHAND 0x00000800UL
#define CLONE_PIDFD 0x00001000UL
#define CLONE_PTRACE 0x00002000UL
#define CLONE_VFORK 0x00004000UL
#define CLONE_PARENT 0x00008000UL
#define CLONE_THREAD 0x00010000UL
#define CLONE_NEWNS 0x00020000UL
#define CLONE_SYSVSEM 0x00040000UL
#define CLONE_SETTLS 0x00080000UL
#define CLONE_PARENT_SETTID 0x00100000UL
#define CLONE_CHILD_CLEARTID 0x00200000UL
#define CLONE_DETACHED 0x00400000UL
#define CLONE_UNTRACED 0x00800000UL
#define CLONE_CHILD_SETTID 0x01000000UL

/* One clone call with its arguments already in architecture-neutral order. */
struct clone_request {
	unsigned long flags;
	vaddr_t stack;      /* new user stack pointer, 0 = same as the parent */
	vaddr_t parent_tid; /* CLONE_PARENT_SETTID target (parent's memory) */
	vaddr_t child_tid;  /* CLONE_CHILD_SETTID / CLEARTID target (child's memory) */
	vaddr_t tls;        /* CLONE_SETTLS value */
	enum fork_mode mode;/* how a non-CLONE_VM child gets its memory */
};

/* How fork copies memory (FORK_COW; FORK_EAGER for comparisons and benchmarks). */
extern enum fork_mode proc_fork_mode;

/* Create a task per rq for the current task: returns the new tid to the caller, or
 * -errno (-EINVAL bad flags, -EAGAIN process limit, -ENOMEM); with CLONE_VFORK the
 * caller blocks until the child execs or exits and -EKNORESULT is returned. */
long proc_clone(const struct clone_request *rq);

/* x86_64 fork(2) and vfork(2) (aarch64 has neither: its libc uses clone). */
long sys_fork(const struct syscall_args *a);
long sys_vfork(const struct syscall_args *a);

#endif
