/* Process identity, group, time and limit syscalls (see sys_proc.c). */
#ifndef CLEAVE_SYS_PROC_H
#define CLEAVE_SYS_PROC_H

#include "../sys/syscall.h"

long sys_getpid(const struct syscall_args *a);
long sys_gettid(const struct syscall_args *a);
long sys_getppid(const struct syscall_args *a);
long sys_getuid(const struct syscall_args *a);
long sys_set_tid_address(const struct syscall_args *a);
long sys_set_robust_list(const struct syscall_args *a);
long sys_setpgid(const struct syscall_args *a);
long sys_getpgid(const struct syscall_args *a);
long sys_getpgrp(const struct syscall_args *a);
long sys_getsid(const struct syscall_args *a);
long sys_setsid(const struct syscall_args *a);
long sys_sched_yield(const struct syscall_args *a);
long sys_clock_gettime(const struct syscall_args *a);
long sys_gettimeofday(const struct syscall_args *a);
long sys_nanosleep(const struct syscall_args *a);
long sys_clock_nanosleep(const struct syscall_args *a);
long sys_uname(const struct syscall_args *a);
long sys_sysinfo(const struct syscall_args *a);
long sys_prlimit64(const struct syscall_args *a);
long sys_getrlimit(const struct syscall_args *a);
long sys_umask(const struct syscall_args *a);
long sys_reboot(const struct syscall_args *a);
long sys_exit(const struct syscall_args *a);
long sys_exit_group(const struct syscall_args *a);
long sys_wait4(const struct syscall_args *a);
long sys_execve(const struct syscall_args *a);

/* Read a user struct timespec as nanoseconds: 0, -EFAULT or -EINVAL (negative or
 * tv_nsec out of range). */
int timespec_from_user(vaddr_t uts, uint64_t *ns);
/* exit_group for the current task with a Linux wait status (kernel use). */
long proc_exit_group(int status);
/* wait4 for the current task. */
long proc_wait4(int pid, vaddr_t ustatus, int options, vaddr_t urusage);

#endif
