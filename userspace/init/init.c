/* init: PID 1 of Cleave. Mounts nothing. Starts one program with fork+execve, reaps
 * every zombie it inherits (wait4 loop), and when that program ends in test or command
 * mode powers the machine off (reboot(RB_POWER_OFF), only when it really is PID 1;
 * otherwise it exits with the program's status, which is how it is tested on a host).
 *
 * Mode, from arguments or environment entries (the kernel passes either):
 *   test | cleave.test=1 | CLEAVE_TEST=1      run /bin/runtests /tests
 *   cmd=LINE | CLEAVE_CMD=LINE                run /bin/sh -c LINE
 *   (default)                                 run /bin/sh -i (interactive)
 * Before powering off it prints "init: <program> exited with status N" (N is the exit
 * code, or 128+signal), which host runners parse. CLEAVE_ROOT=dir prefixes every path
 * (host testing of a built tree).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

enum mode { MODE_SHELL, MODE_TEST, MODE_CMD };

struct plan {
	enum mode mode;
	const char *cmd;      /* command line in MODE_CMD */
	char root[256];       /* CLEAVE_ROOT prefix, "" on Cleave */
};

/* Return the value of "name=value" if s starts with name and '=', else NULL. */
static const char *match_kv(const char *s, const char *name)
{
	size_t n = strlen(name);

	return strncmp(s, name, n) == 0 && s[n] == '=' ? s + n + 1 : NULL;
}

/* Apply one argument or environment string to the plan. */
static void parse_word(struct plan *p, const char *s)
{
	const char *v;

	if (!strcmp(s, "test"))
		p->mode = MODE_TEST;
	else if (((v = match_kv(s, "cleave.test")) || (v = match_kv(s, "CLEAVE_TEST"))) && !strcmp(v, "1"))
		p->mode = MODE_TEST;
	else if ((v = match_kv(s, "cmd")) || (v = match_kv(s, "CLEAVE_CMD"))) {
		p->mode = MODE_CMD;
		p->cmd = v;
	} else if ((v = match_kv(s, "CLEAVE_ROOT")))
		snprintf(p->root, sizeof(p->root), "%s", v);
}

/* Build the plan from argv[1..] and the environment (arguments win). */
static void parse_plan(struct plan *p, int argc, char **argv)
{
	char **e;
	int i;

	for (e = environ; *e; e++)
		parse_word(p, *e);
	for (i = 1; i < argc; i++)
		parse_word(p, argv[i]);
}

/* Give the environment sane defaults for PATH and HOME. */
static void set_defaults(const struct plan *p)
{
	char path[300];

	snprintf(path, sizeof(path), "%s/bin", p->root);
	if (!getenv("PATH") || p->root[0])
		setenv("PATH", path, 1);
	if (!getenv("HOME"))
		setenv("HOME", "/", 1);
}

/* Child side: default signals, then execve the program of the plan. */
static void exec_plan(const struct plan *p)
{
	char prog[300], arg[300];
	char *argv[4];

	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	if (p->mode == MODE_TEST) {
		snprintf(prog, sizeof(prog), "%s/bin/runtests", p->root);
		snprintf(arg, sizeof(arg), "%s/tests", p->root);
		argv[0] = "runtests"; argv[1] = arg; argv[2] = NULL;
	} else {
		snprintf(prog, sizeof(prog), "%s/bin/sh", p->root);
		argv[0] = "sh"; argv[1] = "-i"; argv[2] = NULL; /* the console may not be a tty */
		if (p->mode == MODE_CMD) {
			argv[1] = "-c"; argv[2] = (char *)p->cmd; argv[3] = NULL;
		}
	}
	execve(prog, argv, environ);
	dprintf(2, "init: cannot execute %s: %s\n", prog, strerror(errno));
	_exit(127);
}

/* Reap children until main_pid ends; returns its exit code (128+signal if killed). */
static int reap_until(pid_t main_pid)
{
	int st;
	pid_t r;

	for (;;) {
		r = wait4(-1, &st, 0, NULL);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return 127; /* no children left: cannot happen while main_pid lives */
		if (r == main_pid)
			return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	}
}

/* Reap whatever zombies are left without blocking. */
static void reap_leftovers(void)
{
	while (wait4(-1, NULL, WNOHANG, NULL) > 0)
		;
}

/* Power off if we are PID 1; otherwise exit with code (host testing). */
static void power_off(int code)
{
	if (getpid() != 1)
		exit(code);
	sync();
	reboot(RB_POWER_OFF);
	dprintf(2, "init: reboot(RB_POWER_OFF) failed: %s\n", strerror(errno));
	for (;;) {           /* nothing left to do but reaping orphans */
		reap_leftovers();
		sleep(1);
	}
}

/* Entry point; usage and behaviour in the comment at the top of this file. */
int main(int argc, char **argv)
{
	struct plan p = { MODE_SHELL, NULL, "" };
	pid_t pid;
	int code;

	parse_plan(&p, argc, argv);
	set_defaults(&p);
	signal(SIGINT, SIG_IGN);  /* Ctrl-C is for the foreground job, never for init */
	signal(SIGTERM, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	pid = fork();
	if (pid < 0) {
		dprintf(2, "init: fork: %s\n", strerror(errno));
		power_off(127);
	}
	if (pid == 0)
		exec_plan(&p);
	code = reap_until(pid);
	reap_leftovers();
	printf("init: %s exited with status %d\n", p.mode == MODE_TEST ? "runtests" : "sh", code);
	fflush(stdout);
	power_off(code);
	return code;
}
