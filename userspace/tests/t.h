/* t.h: tiny test library for the Cleave userspace conformance suite.
 *
 * Protocol (read by userspace/runtests): a test program is a static executable that
 * writes TAP to stdout: one line "ok N - name" or "not ok N - name # reason" per case,
 * diagnostics as lines starting with "#", and the plan "1..N" at the end. It exits 0
 * when every case passed and 1 otherwise. The runner renumbers the cases across all
 * programs; a program that crashes, hangs or exits non-zero without a failed case is
 * reported as one extra failed case. Each case runs in the test process itself.
 *
 * Usage:
 *   static int case_x(void) { CHECK(1 + 1 == 2); return 0; }
 *   int main(int argc, char **argv) { t_init(argc, argv); T_RUN(case_x); return t_done(); }
 */
#ifndef CLEAVE_T_H
#define CLEAVE_T_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct t_state {
	int num;          /* cases run so far */
	int failed;       /* cases failed so far */
	char dir[512];    /* directory holding this test program */
	char tmp[64];     /* scratch directory made by t_tmpdir(), removed by t_done() */
	const char *skip; /* set by SKIP_IF: reason the current case was skipped */
};
static struct t_state t_st;

/* Print a diagnostic line "# file:line: message" to stdout (TAP comment). */
static inline void t_diag(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	printf("# %s:%d: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

/* Fail the current case (return 1) when cond is false, printing the condition. */
#define CHECK(cond) do { \
	if (!(cond)) { \
		t_diag(__FILE__, __LINE__, "check failed: %s (errno %d %s)", #cond, errno, strerror(errno)); \
		return 1; \
	} } while (0)

/* Fail the current case when two long values differ, printing both. */
#define CHECK_EQ(a, b) do { \
	long t_a_ = (long)(a), t_b_ = (long)(b); \
	if (t_a_ != t_b_) { \
		t_diag(__FILE__, __LINE__, "%s == %ld, expected %s == %ld", #a, t_a_, #b, t_b_); \
		return 1; \
	} } while (0)

/* Fail the current case unless expr returns -1 with errno == err. */
#define CHECK_ERR(expr, err) do { \
	errno = 0; \
	long t_r_ = (long)(expr); \
	if (t_r_ != -1 || errno != (err)) { \
		t_diag(__FILE__, __LINE__, "%s returned %ld errno %d (%s), expected -1 errno %d (%s)", \
		       #expr, t_r_, errno, strerror(errno), (err), strerror(err)); \
		return 1; \
	} } while (0)

/* Return 1 when running under qemu-user on a foreign host (the host test harness
 * sets CLEAVE_QEMU_USER=1): vfork is emulated as fork, envp order is reversed, an
 * invalid ELF is rejected by qemu after the exec. Never set on Cleave or real Linux. */
static inline int t_qemu_user(void)
{
	const char *v = getenv("CLEAVE_QEMU_USER");

	return v && v[0] == '1';
}

/* Skip (pass with a TAP SKIP directive) the current case when cond holds. */
#define SKIP_IF(cond, why) do { if (cond) { t_st.skip = (why); return 0; } } while (0)

/* Remember where this program lives (absolute dir of argv[0]); line-buffer stdout. */
static inline void t_init(int argc, char **argv)
{
	const char *slash = argc > 0 ? strrchr(argv[0], '/') : NULL;
	size_t n = slash ? (size_t)(slash - argv[0]) : 0;

	char cwd[256] = ".";

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!slash || argv[0][0] != '/')
		if (!getcwd(cwd, sizeof(cwd)))
			snprintf(cwd, sizeof(cwd), ".");
	if (!slash)
		snprintf(t_st.dir, sizeof(t_st.dir), "%s", cwd);
	else if (n == 0)
		snprintf(t_st.dir, sizeof(t_st.dir), "/");
	else if (argv[0][0] == '/')
		snprintf(t_st.dir, sizeof(t_st.dir), "%.*s", (int)n, argv[0]);
	else
		snprintf(t_st.dir, sizeof(t_st.dir), "%s/%.*s", cwd, (int)n, argv[0]);
	printf("TAP version 13\n");
}

/* Run one case fn (returns 0 on pass) and print its TAP line. */
static inline void t_run(const char *name, int (*fn)(void))
{
	int r;

	fflush(stdout);
	t_st.skip = NULL;
	r = fn();
	t_st.num++;
	if (r == 0 && t_st.skip) {
		printf("ok %d - %s # SKIP %s\n", t_st.num, name, t_st.skip);
	} else if (r == 0) {
		printf("ok %d - %s\n", t_st.num, name);
	} else {
		t_st.failed++;
		printf("not ok %d - %s\n", t_st.num, name);
	}
	fflush(stdout);
}
#define T_RUN(fn) t_run(#fn, fn)

/* Print the plan; returns the exit status for main (0 iff all cases passed). */
static inline int t_done(void)
{
	if (t_st.tmp[0])
		rmdir(t_st.tmp);
	printf("1..%d\n", t_st.num);
	fflush(stdout);
	return t_st.failed ? 1 : 0;
}

/* Return the path of helper program name (in helpers/ next to this program). */
static inline const char *t_helper(const char *name)
{
	static char buf[4][600];
	static int next;
	char *p = buf[next++ & 3];

	snprintf(p, sizeof(buf[0]), "%s/helpers/%s", t_st.dir, name);
	return p;
}

/* Return the path of a system program (bin/name beside the tests directory). */
static inline const char *t_bin(const char *name)
{
	static char buf[4][600];
	static int next;
	char *p = buf[next++ & 3];

	snprintf(p, sizeof(buf[0]), "%s/../bin/%s", t_st.dir, name);
	return p;
}

/* Wait for pid; returns its raw wait status, or -1 if wait4 failed. */
static inline int t_wait(pid_t pid)
{
	int st = 0;
	pid_t r;

	do {
		r = wait4(pid, &st, 0, NULL);
	} while (r < 0 && errno == EINTR);
	return r == pid ? st : -1;
}

/* Wait for pid; returns its exit code, 128+signal if killed, or -1 on wait failure. */
static inline int t_wait_code(pid_t pid)
{
	int st = t_wait(pid);

	if (st == -1)
		return -1;
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return -1;
}

/* Read from fd until EOF or n-1 bytes into buf (NUL-terminated); returns bytes read. */
static inline ssize_t t_read_all(int fd, char *buf, size_t n)
{
	size_t got = 0;
	ssize_t r;

	while (got + 1 < n) {
		r = read(fd, buf + got, n - 1 - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	buf[got] = '\0';
	return (ssize_t)got;
}

/* Run argv[0] (path) with argv and envp, capturing stdout into out; returns the
 * raw wait status or -1. The child gets stdin from /dev/null-less pipe (closed). */
static inline int t_run_capture(const char *path, char *const argv[], char *const envp[],
				char *out, size_t outsz)
{
	int p[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid < 0)
		goto fail;
	if (pid == 0) {
		dup2(p[1], 1);
		execve(path, argv, envp);
		_exit(127);
	}
	close(p[1]);
	t_read_all(p[0], out, outsz);
	close(p[0]);
	return t_wait(pid);
fail:
	close(p[0]);
	close(p[1]);
	return -1;
}

/* Monotonic time in milliseconds. */
static inline long t_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Sleep for ms milliseconds (restarting after signals). */
static inline void t_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Return a writable scratch directory (created once), or NULL when none exists. */
static inline const char *t_tmpdir(void)
{
	char *dir = t_st.tmp;
	static const char *cands[] = { "/tmp", "/dev/shm", "." };
	size_t i;

	if (dir[0])
		return dir;
	for (i = 0; i < sizeof(cands) / sizeof(cands[0]); i++) {
		snprintf(dir, sizeof(t_st.tmp), "%s/cleave-t-XXXXXX", cands[i]);
		if (mkdtemp(dir))
			return dir;
	}
	dir[0] = '\0';
	return NULL;
}

#endif
