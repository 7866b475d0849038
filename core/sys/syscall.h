/*
 * Syscall dispatch. Handlers are architecture-neutral functions
 *     long sys_NAME(const struct syscall_args *a)
 * acting for task_current(); they return the value for user space (>= 0 or -errno)
 * or one of proc.h's internal codes (-EKBLOCK, -EKNORESULT). Each architecture's
 * table (table_x86_64.c, table_aarch64.c; the build links one) maps that
 * architecture's Linux syscall numbers to handlers and adapts argument orders.
 */
#ifndef CLEAVE_SYSCALL_H
#define CLEAVE_SYSCALL_H

#include "../proc/proc.h"

struct syscall_args {
	unsigned long a[6];
};

typedef long (*syscall_fn)(const struct syscall_args *a);

struct syscall_entry {
	syscall_fn fn;
	const char *name;
};

/* This architecture's table: entries indexed by syscall number (NULL fn: ENOSYS). */
extern const struct syscall_entry syscall_table[];
extern const unsigned syscall_table_size;

/* Run the syscall held in t's registers for t (which must be current) and store the
 * result in its registers unless the handler blocked or stored it itself. Returns the
 * handler's raw result. */
long syscall_dispatch(struct task *t);

#endif
