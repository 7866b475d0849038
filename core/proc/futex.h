/* futex(2): the wait/wake primitive under musl's threads and thread joins. */
#ifndef CLEAVE_FUTEX_H
#define CLEAVE_FUTEX_H

#include "../sys/syscall.h"

struct aspace;

/* Wake up to n tasks waiting on the futex word at uaddr in as; returns how many. */
int futex_wake_addr(struct aspace *as, vaddr_t uaddr, int n);
/* futex(uaddr, op, val, timeout, uaddr2, val3): WAIT, WAKE, REQUEUE, CMP_REQUEUE,
 * WAIT_BITSET, WAKE_BITSET (bitsets treated as all ones), private or shared. */
long sys_futex(const struct syscall_args *a);

#endif
