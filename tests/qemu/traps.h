/* Helpers shared by the per-architecture trap tests (tests/qemu/<arch>/): TAP
 * reporting and running a case in a child process. Header-only: each test is one
 * static program. */
#ifndef CLEAVE_QEMU_TRAPS_H
#define CLEAVE_QEMU_TRAPS_H

#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static int cases, failed;

/* Print one TAP line for a case. */
static inline void report(int ok, const char *name)
{
	printf("%sok %d - %s\n", ok ? "" : "not ", ++cases, name);
	failed += !ok;
}

/* Run fn in a child; returns its wait status. */
static inline int in_child(void (*fn)(void))
{
	int st = 0;
	pid_t c = fork();

	if (c == 0) {
		fn();
		_exit(0);
	}
	waitpid(c, &st, 0);
	return st;
}

/* True when wait status st means "killed by sig". */
static inline int killed_by(int st, int sig)
{
	return WIFSIGNALED(st) && WTERMSIG(st) == sig;
}

#endif
