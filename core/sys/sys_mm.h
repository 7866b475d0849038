/* Memory syscalls (see sys_mm.c). */
#ifndef CLEAVE_SYS_MM_H
#define CLEAVE_SYS_MM_H

#include "../sys/syscall.h"
#include "../mm/aspace.h"

long sys_mmap(const struct syscall_args *a);
long sys_munmap(const struct syscall_args *a);
long sys_mprotect(const struct syscall_args *a);
long sys_brk(const struct syscall_args *a);
long sys_madvise(const struct syscall_args *a);

#endif
