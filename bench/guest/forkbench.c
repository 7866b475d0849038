/*
 * forkbench: process-creation latency inside a guest (issue 8, part 1).
 *
 * One static musl binary, run unchanged on Cleave and on Linux, that times with
 * clock_gettime(CLOCK_MONOTONIC) each of:
 *   fork_exit    fork + child _exit(0) + waitpid
 *   fork_exec    fork + child execve(tiny) + waitpid
 *   vfork_exec   vfork + child execve(tiny) + waitpid (a real CLONE_VM|CLONE_VFORK)
 *   spawn        posix_spawn(tiny) + waitpid
 *   fork_16m     fork_exit with 16 MiB of touched private memory in the parent
 *   fork_256m    fork_exit with 256 MiB of touched private memory in the parent
 * Before each timed fork of a *_Nm case the parent writes one word in every page
 * (untimed), so every fork starts from writable, dirty pages as a running parent's.
 *
 * Output (stdout, one line per case, machine-readable; the report greps "^forkbench "):
 *   forkbench begin arch=x86_64 sys=Linux release=6.1.0-56-amd64 pid=1
 *   forkbench case=fork_exit iters=300 mean_ns=... median_ns=... min_ns=... max_ns=...
 *   forkbench end status=ok            (or status=failed after "forkbench error ..." lines)
 * As PID 1 (so the binary can be /init) it powers the machine off at the end.
 *
 *   forkbench [-p PERCENT | -n COUNT] [CASE...]   scale (or set) iteration counts;
 *                                                 run only the named cases
 * As /init the arguments come from the kernel command line after " -- ": Linux passes
 * them as argv, Cleave as the environment variable CLEAVE_CMD (split here at spaces).
 * tiny is looked up beside argv[0] ("/init" -> "/tiny").
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../userspace/tests/real_vfork.h"

#define PAGE 4096
#define WARMUP 3

static char tiny_path[256];
static char *tiny_argv[] = { "tiny", NULL };
static char *tiny_envp[] = { NULL };
static int failures;

/* One benchmark case: op() does one timed operation, returns 0 or -1 on failure. */
struct bench_case {
	const char *name;
	int (*op)(void);
	int iters;
	size_t mem_mib; /* touched private memory held by the parent, 0 for none */
};

/* Monotonic time in nanoseconds. */
static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Print a failure line for case name and count it. */
static void fail(const char *name, const char *what, int err)
{
	printf("forkbench error case=%s %s: %s\n", name, what, strerror(err));
	fflush(stdout);
	failures++;
}

/* Wait for pid; returns 0 when it exited with status 0, -1 otherwise. */
static int reap(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

/* fork + child _exit(0) + wait. */
static int op_fork_exit(void)
{
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0)
		_exit(0);
	return reap(pid);
}

/* fork + child execve(tiny) + wait. */
static int op_fork_exec(void)
{
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		execve(tiny_path, tiny_argv, tiny_envp);
		_exit(127);
	}
	return reap(pid);
}

/* vfork + child execve(tiny) + wait; the parent resumes once the child has exec'd. */
static int op_vfork_exec(void)
{
	pid_t pid = real_vfork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		execve(tiny_path, tiny_argv, tiny_envp);
		_exit(127);
	}
	return reap(pid);
}

/* posix_spawn(tiny) + wait. */
static int op_spawn(void)
{
	pid_t pid;

	if (posix_spawn(&pid, tiny_path, NULL, NULL, tiny_argv, tiny_envp))
		return -1;
	return reap(pid);
}

static const struct bench_case cases[] = {
	{ "fork_exit", op_fork_exit, 300, 0 },
	{ "fork_exec", op_fork_exec, 150, 0 },
	{ "vfork_exec", op_vfork_exec, 150, 0 },
	{ "spawn", op_spawn, 150, 0 },
	{ "fork_16m", op_fork_exit, 40, 16 },
	{ "fork_256m", op_fork_exit, 8, 256 },
};

/* qsort comparator for int64_t. */
static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* Print the statistics line of case c from n samples (sorts them). */
static void report(const struct bench_case *c, int64_t *ns, int n)
{
	int64_t sum = 0;
	int64_t median;

	qsort(ns, n, sizeof(*ns), cmp_i64);
	for (int i = 0; i < n; i++)
		sum += ns[i];
	median = n % 2 ? ns[n / 2] : (ns[n / 2 - 1] + ns[n / 2]) / 2;
	printf("forkbench case=%s iters=%d mean_ns=%lld median_ns=%lld min_ns=%lld max_ns=%lld\n",
	       c->name, n, (long long)(sum / n), (long long)median,
	       (long long)ns[0], (long long)ns[n - 1]);
	fflush(stdout);
}

/* Write one word in each page of [mem, mem+len): every page private, present, dirty. */
static void touch(volatile char *mem, size_t len, int round)
{
	for (size_t off = 0; off < len; off += PAGE)
		mem[off] = (char)(round + off / PAGE);
}

/* Run case c with iters timed iterations (after WARMUP untimed ones) and report it. */
static void run_case(const struct bench_case *c, int iters)
{
	size_t len = c->mem_mib << 20;
	char *mem = NULL;
	int64_t *ns = calloc(iters, sizeof(*ns));

	if (!ns) {
		fail(c->name, "calloc", errno);
		return;
	}
	if (len) {
		mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (mem == MAP_FAILED) {
			free(ns);
			fail(c->name, "mmap", errno);
			return;
		}
	}
	for (int i = -WARMUP; i < iters; i++) {
		int64_t t0;

		if (mem)
			touch(mem, len, i);
		t0 = now_ns();
		if (c->op()) {
			fail(c->name, "operation", errno);
			break;
		}
		if (i >= 0)
			ns[i] = now_ns() - t0;
		if (i == iters - 1)
			report(c, ns, iters);
	}
	if (mem)
		munmap(mem, len);
	free(ns);
}

/* As Linux's PID 1 from an initramfs without /dev/console, fds 0-2 are closed:
 * mount devtmpfs and open the console. Does nothing when stdout is open. */
static void ensure_console(void)
{
	int fd;

	if (fcntl(1, F_GETFD) >= 0)
		return;
	mkdir("/dev", 0755);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	fd = open("/dev/console", O_RDWR);
	if (fd < 0)
		return;
	for (int i = 0; i < 3; i++)
		if (fd != i)
			dup2(fd, i);
	if (fd > 2)
		close(fd);
}

/* tiny lives beside argv[0]: "/init" -> "/tiny", "x/forkbench" -> "x/tiny". */
static void find_tiny(const char *argv0)
{
	const char *slash = strrchr(argv0, '/');
	int dirlen = slash ? (int)(slash - argv0) : 1;

	snprintf(tiny_path, sizeof(tiny_path), "%.*s/tiny", dirlen, slash ? argv0 : ".");
}

/* True when case name was asked for (no names given: every case). */
static int wanted(const char *name, char **names, int n)
{
	if (!n)
		return 1;
	for (int i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return 1;
	return 0;
}

/* Print the begin line: architecture, kernel name and release, pid. */
static void print_header(void)
{
	struct utsname u;

	if (uname(&u))
		strcpy(u.sysname, "unknown"), strcpy(u.release, "unknown");
#ifdef __aarch64__
	const char *arch = "aarch64";
#else
	const char *arch = "x86_64";
#endif
	printf("forkbench begin arch=%s sys=%s release=%s pid=%d\n", arch, u.sysname,
	       u.release, (int)getpid());
	fflush(stdout);
}

/* Cleave hands init the command line's " -- " tail as CLEAVE_CMD: make it argv[1..]
 * when argv has nothing else. Returns the new argc. */
static int args_from_env(int argc, char ***argvp)
{
	static char *args[16];
	static char buf[256];
	const char *cmd = getenv("CLEAVE_CMD");
	int n = 0;

	if (argc != 1 || !cmd)
		return argc;
	snprintf(buf, sizeof(buf), "%s", cmd);
	args[n++] = (*argvp)[0];
	for (char *tok = strtok(buf, " "); tok && n < 15; tok = strtok(NULL, " "))
		args[n++] = tok;
	args[n] = NULL;
	*argvp = args;
	return n;
}

int main(int argc, char **argv)
{
	int percent = 100, count = 0, first = 1;

	ensure_console();
	argc = args_from_env(argc, &argv);
	for (; first + 1 < argc && argv[first][0] == '-'; first += 2) {
		if (!strcmp(argv[first], "-p"))
			percent = atoi(argv[first + 1]);
		else if (!strcmp(argv[first], "-n"))
			count = atoi(argv[first + 1]);
	}
	find_tiny(argc > 0 ? argv[0] : "/init");
	print_header();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int iters = count ? count : cases[i].iters * percent / 100;

		if (wanted(cases[i].name, argv + first, argc - first))
			run_case(&cases[i], iters > 0 ? iters : 1);
	}
	printf("forkbench end status=%s\n", failures ? "failed" : "ok");
	fflush(stdout);
	if (getpid() == 1) {
		reboot(RB_POWER_OFF);
		for (;;)
			pause();
	}
	return failures ? 1 : 0;
}
