/* runtests: run test programs with fork+execve under a per-test timeout and print
 * one aggregated TAP stream, then "N passed, N failed".
 *
 * Usage: runtests [-t SECONDS] [DIR|PROGRAM]...   (default: /tests, 60 s per program)
 * A DIR contributes its executable regular files in name order (subdirectories such as
 * helpers/ are skipped). Each program's stdout is read through a pipe: its "ok"/"not ok"
 * lines become cases "prog: name" renumbered across the run, "#" lines pass through,
 * other lines become diagnostics, its own plan lines are dropped. A program that
 * crashes, times out or exits non-zero without reporting a failure adds one failed case
 * ("# crashed by signal 11", "# timeout", "# exit status 3"); a program that reports no
 * cases and exits 0 counts as one passed case. Exit status 0 iff nothing failed.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

struct run {
	int num;       /* cases printed so far (the TAP counter) */
	int passed;
	int failed;
	int skipped;   /* passed cases carrying a "# SKIP" directive */
	unsigned timeout;
};

struct prog {
	const char *path;
	const char *name;     /* basename, used as case prefix */
	int cases;            /* cases this program reported */
	int failed_cases;     /* failed cases this program reported */
	char line[4096];      /* partial line being assembled */
	size_t len;
};

static volatile sig_atomic_t timed_out;

/* SIGALRM handler: mark that the current program exceeded its time. */
static void on_alarm(int sig)
{
	(void)sig;
	timed_out = 1;
}

/* Print one TAP case line and count it. */
static void report(struct run *r, int ok, const char *prog, const char *name, const char *why)
{
	r->num++;
	if (ok)
		r->passed++;
	else
		r->failed++;
	printf("%sok %d - %s%s%s%s%s\n", ok ? "" : "not ", r->num, prog, name ? ": " : "",
	       name ? name : "", why ? " # " : "", why ? why : "");
	fflush(stdout);
}

/* Handle one complete output line of a test program. */
static void handle_line(struct run *r, struct prog *p, char *s)
{
	int ok = strncmp(s, "ok", 2) == 0, nok = strncmp(s, "not ok", 6) == 0;
	char *name;

	if (!ok && !nok) {
		if (s[0] == '#')
			printf("%s\n", s);
		else if (strncmp(s, "1..", 3) && strncmp(s, "TAP version", 11))
			printf("# %s: %s\n", p->name, s);
		return;
	}
	name = s + (ok ? 2 : 6);
	name += strspn(name, " 0123456789");
	if (name[0] == '-')
		name += 1 + (name[1] == ' ');
	p->cases++;
	if (ok && strstr(name, "# SKIP"))
		r->skipped++;
	if (nok)
		p->failed_cases++;
	report(r, ok, p->name, name, NULL);
}

/* Split buf[0..n) into lines and feed complete ones to handle_line. */
static void feed(struct run *r, struct prog *p, const char *buf, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (buf[i] == '\n' || p->len == sizeof(p->line) - 1) {
			p->line[p->len] = '\0';
			handle_line(r, p, p->line);
			p->len = 0;
			if (buf[i] == '\n')
				continue;
		}
		p->line[p->len++] = buf[i];
	}
}

/* Child side: stdout to the pipe, own process group, default signals, then exec. */
static void start_child(const char *path, int out)
{
	char *argv[] = { (char *)path, NULL };

	setpgid(0, 0);
	signal(SIGALRM, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	dup2(out, 1);
	execve(path, argv, environ);
	dprintf(2, "runtests: cannot execute %s: %s\n", path, strerror(errno));
	_exit(127);
}

/* Read the program's output until EOF or timeout; returns its wait status or -1. */
static int collect(struct run *r, struct prog *p, pid_t pid, int in)
{
	char buf[4096];
	ssize_t n;
	int st = -1;

	for (;;) {
		n = read(in, buf, sizeof(buf));
		if (n > 0) {
			feed(r, p, buf, (size_t)n);
			continue;
		}
		if (n < 0 && errno == EINTR && !timed_out)
			continue;
		break;
	}
	if (timed_out) {
		kill(-pid, SIGKILL);
		kill(pid, SIGKILL);
	}
	while (wait4(pid, &st, 0, NULL) < 0) {
		if (errno != EINTR)
			return -1;
		if (timed_out) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
		}
	}
	kill(-pid, SIGKILL); /* leftovers of the test's process group */
	return st;
}

/* Report the outcome of a finished program from its wait status. */
static void finish(struct run *r, struct prog *p, int st)
{
	char why[64] = "";

	if (p->len) {
		p->line[p->len] = '\0';
		handle_line(r, p, p->line);
		p->len = 0;
	}
	if (timed_out)
		snprintf(why, sizeof(why), "timeout after %u s", r->timeout);
	else if (st == -1)
		snprintf(why, sizeof(why), "wait4 failed");
	else if (WIFSIGNALED(st))
		snprintf(why, sizeof(why), "crashed by signal %d", WTERMSIG(st));
	else if (WIFEXITED(st) && WEXITSTATUS(st) && !p->failed_cases)
		snprintf(why, sizeof(why), "exit status %d", WEXITSTATUS(st));
	else if (WIFEXITED(st) && WEXITSTATUS(st) == 0 && p->failed_cases)
		snprintf(why, sizeof(why), "failed cases but exit status 0");
	if (why[0])
		report(r, 0, p->name, NULL, why);
	else if (p->cases == 0)
		report(r, 1, p->name, NULL, NULL);
}

/* Run one test program to completion and report its cases. */
static void run_one(struct run *r, const char *path)
{
	struct prog p = { .path = path };
	const char *slash = strrchr(path, '/');
	int fds[2];
	pid_t pid;

	p.name = slash ? slash + 1 : path;
	if (pipe(fds) < 0)
		goto fail;
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		goto fail;
	}
	if (pid == 0) {
		close(fds[0]);
		start_child(path, fds[1]);
	}
	close(fds[1]);
	timed_out = 0;
	alarm(r->timeout);
	finish(r, &p, collect(r, &p, pid, fds[0]));
	alarm(0);
	close(fds[0]);
	return;
fail:
	report(r, 0, p.name, NULL, strerror(errno));
}

/* Return 1 if path is an executable regular file. */
static int is_test(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && (sb.st_mode & 0111);
}

/* Sort helper for qsort over char* entries. */
static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Run every executable regular file of dir, in name order. */
static void run_dir(struct run *r, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL, **grown, path[4096];
	size_t n = 0, i;

	if (!d)
		goto fail;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		grown = realloc(names, (n + 1) * sizeof(*names));
		if (!grown || !(grown[n] = strdup(e->d_name))) {
			names = grown ? grown : names;
			break;
		}
		names = grown;
		n++;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_str);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (is_test(path))
			run_one(r, path);
		free(names[i]);
	}
	free(names);
	return;
fail:
	report(r, 0, dir, NULL, strerror(errno));
}

/* Run a directory or a single program. */
static void run_arg(struct run *r, const char *arg)
{
	struct stat sb;

	if (stat(arg, &sb) == 0 && S_ISDIR(sb.st_mode))
		run_dir(r, arg);
	else
		run_one(r, arg);
}

/* Entry point; usage and behaviour in the comment at the top of this file. */
int main(int argc, char **argv)
{
	struct run r = { .timeout = 60 };
	struct sigaction sa = { .sa_handler = on_alarm };
	int i = 1;

	sigaction(SIGALRM, &sa, NULL); /* no SA_RESTART: a blocked read returns EINTR */
	signal(SIGPIPE, SIG_IGN);
	if (i + 1 < argc && !strcmp(argv[i], "-t")) {
		r.timeout = (unsigned)atoi(argv[i + 1]);
		i += 2;
	}
	printf("TAP version 13\n");
	if (i == argc)
		run_arg(&r, "/tests");
	for (; i < argc; i++)
		run_arg(&r, argv[i]);
	printf("1..%d\n", r.num);
	if (r.skipped)
		printf("# %d of the passed cases were skipped\n", r.skipped);
	printf("%d passed, %d failed\n", r.passed, r.failed);
	return r.failed ? 1 : 0;
}
