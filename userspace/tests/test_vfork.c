/* test_vfork: vfork shares memory and suspends the parent until the child execs or
 * exits; clone(CLONE_VM|CLONE_VFORK) via posix_spawn is covered in test_spawn. */
#include "t.h"

#include "real_vfork.h"

static volatile int shared_word;

/* The parent resumes only after the child _exits, and sees the child's write. */
static int vfork_suspends_until_exit(void)
{
	long t0 = t_now_ms();
	pid_t pid;

	SKIP_IF(t_qemu_user(), "qemu-user runs vfork as fork");

	shared_word = 0;
	pid = real_vfork();
	CHECK(pid >= 0);
	if (pid == 0) {
		struct timespec ts = { 0, 200 * 1000000L };
		nanosleep(&ts, NULL);
		shared_word = 1;
		_exit(5);
	}
	CHECK_EQ(shared_word, 1);
	CHECK(t_now_ms() - t0 >= 190);
	CHECK_EQ(t_wait_code(pid), 5);
	return 0;
}

/* The parent resumes only after the child's execve, and gets the program's status. */
static int vfork_suspends_until_exec(void)
{
	char *argv[] = { "probe", "exit", "9", NULL };
	char *envp[] = { NULL };
	const char *path = t_helper("probe");
	long t0 = t_now_ms();
	pid_t pid;

	SKIP_IF(t_qemu_user(), "qemu-user runs vfork as fork");

	shared_word = 0;
	pid = real_vfork();
	CHECK(pid >= 0);
	if (pid == 0) {
		struct timespec ts = { 0, 200 * 1000000L };
		nanosleep(&ts, NULL);
		shared_word = 2;
		execve(path, argv, envp);
		_exit(127);
	}
	CHECK_EQ(shared_word, 2);
	CHECK(t_now_ms() - t0 >= 190);
	CHECK_EQ(t_wait_code(pid), 9);
	return 0;
}

/* vfork returns 0 in the child and the child's pid (its getpid) in the parent. */
static int vfork_return_values(void)
{
	pid_t pid;

	SKIP_IF(t_qemu_user(), "qemu-user runs vfork as fork");

	shared_word = 0;
	pid = real_vfork();
	CHECK(pid >= 0);
	if (pid == 0) {
		shared_word = getpid();
		_exit(0);
	}
	CHECK(pid != getpid());
	CHECK_EQ(shared_word, pid);
	CHECK_EQ(t_wait_code(pid), 0);
	return 0;
}

/* A failed execve in the vfork child leaves the parent intact; _exit(127) reported. */
static int vfork_exec_failure(void)
{
	char *argv[] = { "nothing", NULL };
	char *envp[] = { NULL };
	pid_t pid;

	SKIP_IF(t_qemu_user(), "qemu-user runs vfork as fork");

	shared_word = 0;
	pid = real_vfork();
	CHECK(pid >= 0);
	if (pid == 0) {
		execve("/nonexistent/program", argv, envp);
		shared_word = errno;
		_exit(127);
	}
	CHECK_EQ(shared_word, ENOENT);
	CHECK_EQ(t_wait_code(pid), 127);
	return 0;
}

/* The parent's stack frame survives a vfork child that calls and returns from functions. */
static int vfork_parent_stack_intact(void)
{
	volatile int canary[16];
	pid_t pid;
	int i;


	for (i = 0; i < 16; i++)
		canary[i] = i * 3;
	pid = real_vfork();
	CHECK(pid >= 0);
	if (pid == 0)
		_exit(getppid() > 0 ? 0 : 1);
	for (i = 0; i < 16; i++)
		CHECK_EQ(canary[i], i * 3);
	CHECK_EQ(t_wait_code(pid), 0);
	return 0;
}

/* Run every case of this file; exit status 0 iff all passed. */
int main(int argc, char **argv)
{
	t_init(argc, argv);
	T_RUN(vfork_suspends_until_exit);
	T_RUN(vfork_suspends_until_exec);
	T_RUN(vfork_return_values);
	T_RUN(vfork_exec_failure);
	T_RUN(vfork_parent_stack_intact);
	return t_done();
}
