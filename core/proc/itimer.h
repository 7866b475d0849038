/* The real-time interval timer (ITIMER_REAL) of a process: setitimer, getitimer and
 * alarm, expiring into SIGALRM from sched_tick(). Not inherited by fork, kept across
 * execve, as on Linux. ITIMER_VIRTUAL and ITIMER_PROF are not supported (-EINVAL). */
#ifndef CLEAVE_ITIMER_H
#define CLEAVE_ITIMER_H

#include "../sys/syscall.h"

/* Send SIGALRM to every live process whose real timer is due at now_ns, re-arming
 * periodic timers. Called by sched_tick(). */
void itimer_expire(uint64_t now_ns);

long sys_setitimer(const struct syscall_args *a);
long sys_getitimer(const struct syscall_args *a);
long sys_alarm(const struct syscall_args *a);

#endif
