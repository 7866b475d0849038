/* test_stress: process-table stress: 500 live children at once, then all reaped;
 * 1000 fork/exit/wait rounds; 1000 fork/exec/wait rounds with free memory back to
 * its starting value on Cleave. */
#include <sys/sysinfo.h>
#include <sys/utsname.h>

#include "t.h"

#define LIVE 500

/* 500 children alive at the same time (blocked on a pipe), then released and reaped. */
static int stress_500_live_children(void)
{
	int p[2], ready[2], i, n = 0, reaped = 0, st;
	char c;

	CHECK(pipe(p) == 0 && pipe(ready) == 0);
	for (i = 0; i < LIVE; i++) {
		pid_t pid = fork();
		if (pid < 0)
			break;
		if (pid == 0) {
			close(p[1]);
			close(ready[0]);
			if (write(ready[1], "r", 1) != 1)
				_exit(3);
			_exit(read(p[0], &c, 1) == 0 ? 0 : 4); /* EOF once the parent closes */
		}
		n++;
	}
	close(p[0]);
	close(ready[1]);
	for (i = 0; i < n; i++)
		if (read(ready[0], &c, 1) != 1)
			break;
	close(ready[0]);
	CHECK_EQ(i, LIVE); /* all were alive at once */
	close(p[1]);
	while (wait4(-1, &st, 0, NULL) > 0) {
		reaped++;
		CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	CHECK_EQ(errno, ECHILD);
	CHECK_EQ(n, LIVE);
	CHECK_EQ(reaped, LIVE);
	return 0;
}

/* 1000 rounds of fork, _exit, wait4. */
static int stress_fork_exit_wait(void)
{
	int i;

	for (i = 0; i < 1000; i++) {
		pid_t pid = fork();
		CHECK(pid >= 0);
		if (pid == 0)
			_exit(i % 200);
		CHECK_EQ(t_wait_code(pid), i % 200);
	}
	return 0;
}

/* True when running on the Cleave kernel, whose frame accounting is exact. */
static int on_cleave(void)
{
	struct utsname u;

	return uname(&u) == 0 && strstr(u.release, "cleave") != NULL;
}

/* Free RAM in bytes as sysinfo(2) reports it. */
static unsigned long long free_ram(void)
{
	struct sysinfo si;

	if (sysinfo(&si) != 0)
		return 0;
	return (unsigned long long)si.freeram * si.mem_unit;
}

/* 1000 rounds of fork, execve, wait4. On Cleave the free memory afterwards is
 * exactly what it was before (Linux's page cache makes it drift, so only there). */
static int stress_fork_exec_wait(void)
{
	char *argv[] = { "probe", "exit", "17", NULL }, *envp[] = { NULL };
	unsigned long long before;
	int i;

	before = free_ram();
	for (i = 0; i < 1000; i++) {
		pid_t pid = fork();
		CHECK(pid >= 0);
		if (pid == 0) {
			execve(t_helper("probe"), argv, envp);
			_exit(127);
		}
		CHECK_EQ(t_wait_code(pid), 17);
	}
	if (on_cleave())
		CHECK_EQ(free_ram(), before);
	return 0;
}

/* Run every case of this file; exit status 0 iff all passed. */
int main(int argc, char **argv)
{
	t_init(argc, argv);
	T_RUN(stress_500_live_children);
	T_RUN(stress_fork_exit_wait);
	T_RUN(stress_fork_exec_wait);
	return t_done();
}
