/* Architecture-neutral syscall dispatch through the linked architecture's table. */
#include "syscall.h"

#include "../hal.h"
#include "../lib/errno.h"

long syscall_dispatch(struct task *t)
{
	long nr = hal_uregs_syscall_nr(t->regs), rc;
	struct syscall_args args;

	for (unsigned i = 0; i < 6; i++)
		args.a[i] = hal_uregs_syscall_arg(t->regs, i);
	if (!t->resumed)
		t->deadline_ns = 0;
	if (nr < 0 || (unsigned long)nr >= syscall_table_size || !syscall_table[nr].fn)
		rc = -ENOSYS;
	else
		rc = syscall_table[nr].fn(&args);
	t->resumed = false;
	if (rc != -EKBLOCK && rc != -EKNORESULT)
		hal_uregs_set_return(t->regs, rc);
	return rc;
}
