/*
 * Running processes in the hosted machine: the test acts as the CPU. It picks a
 * task, issues a syscall with that architecture's Linux number and arguments, and
 * "returns to user mode" (signal delivery) afterwards, as the kernels' trap paths do.
 */
#ifndef CLEAVE_TEST_PROC_HARNESS_H
#define CLEAVE_TEST_PROC_HARNESS_H

#include "harness.h"
#include "proc/clone.h"
#include "proc/proc.h"
#include "proc/sched.h"
#include "proc/signal.h"

/* Syscall numbers of the format under test (x86_64 or aarch64 Linux ABI). */
#ifdef HOSTED_FORMAT_x86_64
#define NR_read 0
#define NR_write 1
#define NR_close 3
#define NR_mmap 9
#define NR_rt_sigaction 13
#define NR_rt_sigprocmask 14
#define NR_rt_sigreturn 15
#define NR_pipe2 293
#define NR_getpid 39
#define NR_clone 56
#define NR_execve 59
#define NR_exit 60
#define NR_wait4 61
#define NR_kill 62
#define NR_getppid 110
#define NR_setpgid 109
#define NR_gettid 186
#define NR_futex 202
#define NR_exit_group 231
#define NR_tgkill 234
#define NR_rt_sigpending 127
#define NR_nanosleep 35
#define NR_brk 12
#else
#define NR_read 63
#define NR_write 64
#define NR_close 57
#define NR_mmap 222
#define NR_rt_sigaction 134
#define NR_rt_sigprocmask 135
#define NR_rt_sigreturn 139
#define NR_pipe2 59
#define NR_getpid 172
#define NR_clone 220
#define NR_execve 221
#define NR_exit 93
#define NR_wait4 260
#define NR_kill 129
#define NR_getppid 173
#define NR_setpgid 154
#define NR_gettid 178
#define NR_futex 98
#define NR_exit_group 94
#define NR_tgkill 131
#define NR_rt_sigpending 136
#define NR_nanosleep 101
#define NR_brk 214
#endif

/* Scratch user memory every simulated process gets (for syscall arguments). */
#define SIM_SCRATCH ((vaddr_t)0x10000000)
#define SIM_SCRATCH_SIZE ((size_t)64 << 10)

/* Create pid 1 with an empty address space plus the scratch region, default
 * handlers, an empty fd table and the root as cwd; it becomes current. */
struct task *sim_init(void);
/* Tear down every process (kill, reap) so the harness can check for leaks. */
void sim_shutdown(void);
/* Issue syscall nr with arguments as task t (made current), then return to user
 * mode (deliver signals). Returns the raw handler result (-EKBLOCK, -EKNORESULT
 * possible). */
long sim_syscall(struct task *t, long nr, unsigned long a0, unsigned long a1,
		 unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5);
/* Re-run the syscall left in t's registers (a blocked task that was woken). */
long sim_resume(struct task *t);
/* t executes the syscall instruction its registers point at again (a restarted
 * call): trap entry as the kernels do it, dispatch, return to user. */
long sim_trap_again(struct task *t);
/* The value t's registers hold as its syscall return value. */
long sim_retval(struct task *t);
/* t's user program counter and stack pointer. */
vaddr_t sim_pc(struct task *t);
vaddr_t sim_sp(struct task *t);
/* fork in the architecture's way (x86_64 fork, aarch64 clone(SIGCHLD)): returns
 * the child's first task (asserting success). */
struct task *sim_fork(struct task *parent);
/* The first live task of process pid, or NULL. */
struct task *sim_task_of(int pid);
/* A user-mode access by t at va (made current); an unresolvable fault delivers
 * SIGSEGV to t as the kernels' trap handlers do. Returns the fault result. */
enum fault_result sim_user_write(struct task *t, vaddr_t va, const void *src, size_t n);
enum fault_result sim_user_read(struct task *t, vaddr_t va, void *dst, size_t n);

/* Shorthands with fewer arguments. */
#define SYS0(t, nr) sim_syscall(t, nr, 0, 0, 0, 0, 0, 0)
#define SYS1(t, nr, a) sim_syscall(t, nr, (unsigned long)(a), 0, 0, 0, 0, 0)
#define SYS2(t, nr, a, b) sim_syscall(t, nr, (unsigned long)(a), (unsigned long)(b), 0, 0, 0, 0)
#define SYS3(t, nr, a, b, c) \
	sim_syscall(t, nr, (unsigned long)(a), (unsigned long)(b), (unsigned long)(c), 0, 0, 0)
#define SYS4(t, nr, a, b, c, d)                                                       \
	sim_syscall(t, nr, (unsigned long)(a), (unsigned long)(b), (unsigned long)(c), \
		    (unsigned long)(d), 0, 0)
#define SYS5(t, nr, a, b, c, d, e)                                                    \
	sim_syscall(t, nr, (unsigned long)(a), (unsigned long)(b), (unsigned long)(c), \
		    (unsigned long)(d), (unsigned long)(e), 0)

/* clone with neutral-order arguments, mapped to the format's argument order. */
long sim_clone(struct task *t, unsigned long flags, vaddr_t stack, vaddr_t ptid,
	       vaddr_t ctid, vaddr_t tls);

#endif
