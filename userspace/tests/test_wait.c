/* test_wait: wait4 status encoding, WNOHANG, pid selectors -1/0/>0, ECHILD, zombies
 * reaped once, SIGCHLD, SIG_IGN auto-reap, death by signal, reparenting of orphans. */
#include "t.h"

/* Fork a child that _exits with code; returns its pid. */
static pid_t child_exit(int code)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(code);
	return pid;
}

/* Exit codes are encoded as code << 8 (WIFEXITED, WEXITSTATUS); only 8 bits kept. */
static int wait_exit_encoding(void)
{
	int codes[] = { 0, 1, 42, 255, 256 + 7 }, i, st;

	for (i = 0; i < 5; i++) {
		pid_t pid = child_exit(codes[i]);
		CHECK(pid > 0);
		CHECK_EQ(wait4(pid, &st, 0, NULL), pid);
		CHECK(WIFEXITED(st) && !WIFSIGNALED(st));
		CHECK_EQ(WEXITSTATUS(st), codes[i] & 0xff);
		CHECK_EQ(st, (codes[i] & 0xff) << 8);
	}
	return 0;
}

/* A child killed by SIGKILL reports WIFSIGNALED with WTERMSIG 9 and no core bit. */
static int wait_killed_by_signal(void)
{
	int p[2], st;
	char c;
	pid_t pid;

	CHECK(pipe(p) == 0);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		close(p[1]);
		if (read(p[0], &c, 1) < 0)
			_exit(3);
		_exit(4);
	}
	close(p[0]);
	CHECK(kill(pid, SIGKILL) == 0);
	CHECK_EQ(wait4(pid, &st, 0, NULL), pid);
	close(p[1]);
	CHECK(WIFSIGNALED(st) && !WIFEXITED(st));
	CHECK_EQ(WTERMSIG(st), SIGKILL);
	CHECK_EQ(st, SIGKILL);
	return 0;
}

/* A real fault (store to address 0) kills the child with SIGSEGV. */
static int wait_segv(void)
{
	struct rlimit no_core = { 0, 0 };
	int st;
	pid_t pid = fork();

	CHECK(pid >= 0);
	if (pid == 0) {
		setrlimit(RLIMIT_CORE, &no_core);
		close(2); /* qemu-user reports the fault on stderr */
		*(volatile int *)0 = 1;
		_exit(3);
	}
	CHECK_EQ(wait4(pid, &st, 0, NULL), pid);
	CHECK(WIFSIGNALED(st));
	CHECK_EQ(WTERMSIG(st), SIGSEGV);
	return 0;
}

/* WNOHANG returns 0 while the child runs, its pid once it has exited. */
static int wait_wnohang(void)
{
	int p[2], st = -1;
	char c = 0;
	pid_t pid, r;

	CHECK(pipe(p) == 0);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		close(p[1]);
		_exit(read(p[0], &c, 1) == 1 ? 6 : 3);
	}
	close(p[0]);
	CHECK_EQ(wait4(pid, &st, WNOHANG, NULL), 0);
	CHECK_EQ(wait4(-1, &st, WNOHANG, NULL), 0);
	CHECK(write(p[1], &c, 1) == 1);
	close(p[1]);
	do {
		r = wait4(pid, &st, WNOHANG, NULL);
	} while (r == 0);
	CHECK_EQ(r, pid);
	CHECK_EQ(WEXITSTATUS(st), 6);
	return 0;
}

/* With no children wait4 fails with ECHILD (blocking and WNOHANG); a pid that is not
 * our child also gives ECHILD. */
static int wait_echild(void)
{
	CHECK_ERR(wait4(-1, NULL, 0, NULL), ECHILD);
	CHECK_ERR(wait4(-1, NULL, WNOHANG, NULL), ECHILD);
	CHECK_ERR(wait4(1, NULL, 0, NULL), ECHILD);
	CHECK_ERR(wait4(getpid(), NULL, 0, NULL), ECHILD);
	return 0;
}

/* A zombie is reaped exactly once. */
static int wait_reaped_once(void)
{
	pid_t pid = child_exit(0);

	CHECK(pid > 0);
	CHECK_EQ(t_wait_code(pid), 0);
	CHECK_ERR(wait4(pid, NULL, 0, NULL), ECHILD);
	CHECK_ERR(wait4(-1, NULL, WNOHANG, NULL), ECHILD);
	return 0;
}

/* wait4(pid) selects that child even when another exited first; -1 takes any. */
static int wait_pid_selectors(void)
{
	pid_t a = child_exit(1), b, r;
	int st;

	CHECK(a > 0);
	t_sleep_ms(50);
	b = child_exit(2);
	CHECK(b > 0);
	CHECK_EQ(wait4(b, &st, 0, NULL), b);
	CHECK_EQ(WEXITSTATUS(st), 2);
	r = wait4(-1, &st, 0, NULL);
	CHECK_EQ(r, a);
	CHECK_EQ(WEXITSTATUS(st), 1);
	return 0;
}

/* wait4(0) waits for a child in our process group; one in another group is skipped. */
static int wait_process_group(void)
{
	int p[2], st;
	char c = 0;
	pid_t other, same;

	CHECK(pipe(p) == 0);
	other = fork();
	CHECK(other >= 0);
	if (other == 0) {
		close(p[1]);
		_exit(read(p[0], &c, 1) >= 0 ? 5 : 3);
	}
	CHECK(setpgid(other, other) == 0);
	same = child_exit(4);
	CHECK(same > 0);
	CHECK_EQ(wait4(0, &st, 0, NULL), same);
	CHECK_EQ(WEXITSTATUS(st), 4);
	CHECK_EQ(wait4(0, &st, WNOHANG, NULL), -1); /* other group only: ECHILD */
	CHECK_EQ(errno, ECHILD);
	CHECK_EQ(wait4(-other, &st, WNOHANG, NULL), 0);
	close(p[0]);
	close(p[1]);
	CHECK_EQ(wait4(-other, &st, 0, NULL), other);
	CHECK_EQ(WEXITSTATUS(st), 5);
	return 0;
}

static volatile sig_atomic_t chld_seen;

/* SIGCHLD handler for wait_sigchld. */
static void on_chld(int sig)
{
	(void)sig;
	chld_seen = 1;
}

/* The parent receives SIGCHLD when a child exits. */
static int wait_sigchld(void)
{
	struct sigaction sa = { .sa_handler = on_chld };
	pid_t pid;
	int i;

	chld_seen = 0;
	CHECK(sigaction(SIGCHLD, &sa, NULL) == 0);
	pid = child_exit(0);
	CHECK(pid > 0);
	for (i = 0; i < 500 && !chld_seen; i++)
		t_sleep_ms(10);
	signal(SIGCHLD, SIG_DFL);
	CHECK_EQ(chld_seen, 1);
	CHECK_EQ(t_wait_code(pid), 0);
	return 0;
}

/* With SIGCHLD ignored, children are reaped automatically: wait4 ends in ECHILD. */
static int wait_sigchld_ignored_autoreap(void)
{
	pid_t pid;

	signal(SIGCHLD, SIG_IGN);
	pid = child_exit(3);
	CHECK(pid > 0);
	errno = 0;
	pid_t r = wait4(pid, NULL, 0, NULL);
	signal(SIGCHLD, SIG_DFL);
	CHECK_EQ(r, -1);
	CHECK_EQ(errno, ECHILD);
	return 0;
}

/* wait4 fills in the rusage when asked. */
static int wait_rusage(void)
{
	struct rusage ru;
	pid_t pid = child_exit(0);

	memset(&ru, 0xff, sizeof(ru));
	CHECK(pid > 0);
	CHECK_EQ(wait4(pid, NULL, 0, &ru), pid);
	CHECK(ru.ru_utime.tv_sec >= 0 && ru.ru_utime.tv_usec >= 0 && ru.ru_utime.tv_usec < 1000000);
	CHECK(ru.ru_stime.tv_sec >= 0 && ru.ru_stime.tv_usec >= 0 && ru.ru_stime.tv_usec < 1000000);
	return 0;
}

/* An orphan is reparented to PID 1 (the init of its pid namespace) when its parent
 * exits, and the old parent's exit is reported to us as usual. */
static int wait_orphan_reparented(void)
{
	int p[2], code;
	pid_t mid, got[2] = { 0, 0 };

	CHECK(pipe(p) == 0);
	mid = fork();
	CHECK(mid >= 0);
	if (mid == 0) {
		pid_t me = getpid(), g = fork();
		if (g < 0)
			_exit(3);
		if (g == 0) {
			int i;
			for (i = 0; i < 1000 && getppid() == me; i++)
				t_sleep_ms(5);
			got[0] = getppid();
			got[1] = me;
			if (write(p[1], got, sizeof(got)) != sizeof(got))
				_exit(4);
			_exit(0);
		}
		_exit(0);
	}
	close(p[1]);
	CHECK_EQ(t_wait_code(mid), 0);
	CHECK_EQ(t_read_all(p[0], (char *)got, sizeof(got) + 1), sizeof(got));
	close(p[0]);
	code = got[0];
	CHECK_EQ(got[1], mid);
	CHECK_EQ(code, 1);
	return 0;
}

/* Run every case of this file; exit status 0 iff all passed. */
int main(int argc, char **argv)
{
	t_init(argc, argv);
	T_RUN(wait_exit_encoding);
	T_RUN(wait_killed_by_signal);
	T_RUN(wait_segv);
	T_RUN(wait_wnohang);
	T_RUN(wait_echild);
	T_RUN(wait_reaped_once);
	T_RUN(wait_pid_selectors);
	T_RUN(wait_process_group);
	T_RUN(wait_sigchld);
	T_RUN(wait_sigchld_ignored_autoreap);
	T_RUN(wait_rusage);
	T_RUN(wait_orphan_reparented);
	return t_done();
}
