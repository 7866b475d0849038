/*
 * real_vfork(): a vfork that suspends the parent on every architecture. musl's vfork()
 * on aarch64 is clone(SIGCHLD), a plain fork (there is no vfork syscall there), so on
 * aarch64 this calls clone(CLONE_VM|CLONE_VFORK|SIGCHLD) directly, as posix_spawn
 * does: a leaf function that touches no stack, so the child and then the parent can
 * both return through it. Returns the pid, 0 in the child, or -errno (aarch64) / -1
 * with errno (elsewhere). Include it from one file per program.
 */
#ifndef CLEAVE_REAL_VFORK_H
#define CLEAVE_REAL_VFORK_H

#include <unistd.h>

#ifdef __aarch64__
pid_t real_vfork(void);
__asm__(".text\n"
	".global real_vfork\n"
	".type real_vfork, %function\n"
	"real_vfork:\n"
	"\tmov x8, #220\n"     /* __NR_clone */
	"\tmov x0, #0x4111\n"  /* CLONE_VM | CLONE_VFORK | SIGCHLD */
	"\tmov x1, #0\n"       /* same stack */
	"\tmov x2, #0\n"
	"\tmov x3, #0\n"
	"\tmov x4, #0\n"
	"\tsvc #0\n"
	"\tret\n"
	".size real_vfork, .-real_vfork\n");
#else
#define real_vfork() vfork()
#endif

#endif
