/* Signals: Linux numbers, default actions, sending and delivery decisions. */
#ifndef CLEAVE_SIGNAL_H
#define CLEAVE_SIGNAL_H

#include "proc.h"

#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGSTKFLT 16
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define SIGTSTP 20
#define SIGTTIN 21
#define SIGTTOU 22
#define SIGURG 23
#define SIGXCPU 24
#define SIGXFSZ 25
#define SIGVTALRM 26
#define SIGPROF 27
#define SIGWINCH 28
#define SIGIO 29
#define SIGPWR 30
#define SIGSYS 31

#define SIG_DFL 0
#define SIG_IGN 1

/* The bit of signal sig (1..NSIG) in a 64-bit signal set. */
#define SIGBIT(sig) (1ULL << ((sig) - 1))

/* Send sig to process p (process-directed); 0 or -EINVAL. sig 0 only checks. */
int signal_send_proc(struct proc *p, int sig);
/* Send sig to every process in process group pgid; 0, -ESRCH or -EINVAL. */
int signal_send_pgrp(int pgid, int sig);

/* On return to user mode: act on t's deliverable signals (run a handler, ignore, or
 * terminate the process). */
void signal_deliver(struct task *t);
/* A synchronous fault (SIGSEGV, SIGBUS, SIGILL...) in t: deliver sig now; a blocked
 * or ignored fault signal kills the process, as on Linux. */
void signal_force_fault(struct task *t, int sig);
/* execve: caught signals go back to SIG_DFL; ignored ones stay ignored. */
void signal_reset_on_exec(struct proc *p);

struct syscall_args;
long sys_kill(const struct syscall_args *a);
long sys_tgkill(const struct syscall_args *a);
long sys_tkill(const struct syscall_args *a);
long sys_rt_sigaction(const struct syscall_args *a);
long sys_rt_sigprocmask(const struct syscall_args *a);
long sys_rt_sigpending(const struct syscall_args *a);
long sys_rt_sigreturn(const struct syscall_args *a);

#endif
