/* exec.c: run the AST: simple commands (fork + execve with PATH search, builtins in
 * the shell), pipelines of any length, && || ; and background jobs with reaping.
 * Every child is started with fork() and waited for with wait4(). */
#include "sh.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define MAX_JOBS 64

struct job {
	pid_t pid;
	char *text;
};
static struct job jobs[MAX_JOBS];

/* Contract: see its declaration in sh.h. */
int status_of(int wstatus)
{
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	if (WIFSIGNALED(wstatus))
		return 128 + WTERMSIG(wstatus);
	return 1;
}

/* Wait for pid (restarting on EINTR); returns the shell status of its end. */
static int wait_pid(pid_t pid)
{
	int st = 0;

	while (wait4(pid, &st, 0, NULL) < 0) {
		if (errno != EINTR)
			return 127;
	}
	if (sh.interactive && WIFSIGNALED(st) && WTERMSIG(st) == SIGINT)
		fputc('\n', stderr);
	else if (sh.interactive && WIFSIGNALED(st) && WTERMSIG(st) != SIGPIPE)
		fprintf(stderr, "sh: process %d terminated by signal %d\n", (int)pid, WTERMSIG(st));
	return status_of(st);
}

/* Signal setup of a freshly forked child: defaults, except SIGINT/SIGQUIT stay
 * ignored in background jobs (no job control: Ctrl-C must not reach them). */
static void child_signals(int background)
{
	signal(SIGINT, background ? SIG_IGN : SIG_DFL);
	signal(SIGQUIT, background ? SIG_IGN : SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGTSTP, SIG_DFL);
	signal(SIGTTIN, SIG_DFL);
	signal(SIGTTOU, SIG_DFL);
}

/* Parse the fd number of a >& / <& target; returns it or -1 ("-" gives -2: close). */
static int dup_target(const char *w)
{
	if (!strcmp(w, "-"))
		return -2;
	if (!*w || strspn(w, "0123456789") != strlen(w) || strlen(w) > 4)
		return -1;
	return atoi(w);
}

/* Apply one redirection to the current process; returns 0 or -1 (message printed). */
static int apply_redir(const struct redir *r)
{
	static const int flags[] = { O_RDONLY, O_WRONLY | O_CREAT | O_TRUNC, O_WRONLY | O_CREAT | O_APPEND };
	char *w = expand_word(r->word);
	int fd = -1, t;

	if (!w)
		goto fail;
	if (r->kind == R_DUP) {
		t = dup_target(w);
		if (t == -2)
			fd = close(r->fd) < 0 && errno != EBADF ? -1 : 0;
		else if (t < 0 || dup2(t, r->fd) < 0)
			goto fail;
		free(w);
		return 0;
	}
	fd = open(w, flags[r->kind] | O_CLOEXEC, 0666);
	if (fd < 0)
		goto fail;
	if (fd != r->fd && dup2(fd, r->fd) < 0) {
		close(fd);
		goto fail;
	}
	if (fd != r->fd)
		close(fd);
	free(w);
	return 0;
fail:
	fprintf(stderr, "sh: %s: %s\n", w ? w : r->word, strerror(errno));
	free(w);
	return -1;
}

/* Apply all redirections of a command; returns 0 or -1. */
static int apply_redirs(const struct redir *r)
{
	for (; r; r = r->next)
		if (apply_redir(r) < 0)
			return -1;
	return 0;
}

/* Expand the words of cmd into a NULL-terminated argv; *nassign gets the number of
 * leading assignments. Returns the vector (free with free_argv) or NULL on ENOMEM. */
static char **expand_argv(const struct node *cmd, int *nassign)
{
	char **v = calloc((size_t)cmd->nwords + 1, sizeof(char *));
	int i;

	if (!v)
		return NULL;
	*nassign = 0;
	while (*nassign < cmd->nwords && is_assignment(cmd->words[*nassign]))
		(*nassign)++;
	for (i = 0; i < cmd->nwords; i++) {
		v[i] = expand_word(cmd->words[i]);
		if (!v[i]) {
			while (i--)
				free(v[i]);
			free(v);
			return NULL;
		}
	}
	return v;
}

/* Free a vector from expand_argv. */
static void free_argv(char **v)
{
	for (char **p = v; p && *p; p++)
		free(*p);
	free(v);
}

/* Export the n assignments NAME=VALUE at the start of v into the environment. */
static void do_assignments(char **v, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		char *eq = strchr(v[i], '=');
		*eq = '\0';
		setenv(v[i], eq + 1, 1);
		*eq = '=';
	}
}

/* Try execve of path; remembers a permission error in *eacces. */
static void try_exec(const char *path, char **argv, int *eacces)
{
	execve(path, argv, environ);
	if (errno == EACCES || errno == ENOEXEC || errno == ENOTDIR)
		*eacces = errno;
}

/* In a child: execve argv[0], searching PATH when it has no '/'; never returns. */
static void exec_path(char **argv)
{
	const char *path = getenv("PATH"), *p, *end;
	char full[4096];
	int err = 0;

	if (strchr(argv[0], '/')) {
		execve(argv[0], argv, environ);
		err = errno;
		goto fail;
	}
	for (p = path ? path : "/bin"; ; p = end + 1) {
		end = strchr(p, ':');
		if (!end)
			end = p + strlen(p);
		snprintf(full, sizeof(full), "%.*s%s%s", (int)(end - p), p, end > p ? "/" : "", argv[0]);
		try_exec(full, argv, &err);
		if (!*end)
			break;
	}
	if (!err) {
		fprintf(stderr, "sh: %s: not found\n", argv[0]);
		_exit(127);
	}
fail:
	fprintf(stderr, "sh: %s: %s\n", argv[0], strerror(err));
	_exit(err == ENOENT ? 127 : 126);
}

/* Run a builtin with the command's redirections applied and then undone. */
static int run_builtin_here(builtin_fn fn, char **argv, int argc, const struct redir *r)
{
	int saved[3], i, status;

	fflush(stdout);
	for (i = 0; i < 3; i++)
		saved[i] = fcntl(i, F_DUPFD_CLOEXEC, 10);
	status = apply_redirs(r) < 0 ? 1 : fn ? fn(argc, argv) : 0;
	fflush(stdout);
	for (i = 0; i < 3; i++) {
		if (saved[i] >= 0) {
			dup2(saved[i], i);
			close(saved[i]);
		} else {
			close(i);
		}
	}
	return status;
}

/* In a child (pipeline member or forked command): run cmd and exit. */
static void run_cmd_child(const struct node *cmd)
{
	int nassign, argc;
	char **argv = expand_argv(cmd, &nassign);
	builtin_fn fn;

	if (!argv || apply_redirs(cmd->redirs) < 0)
		_exit(1);
	do_assignments(argv, nassign);
	argc = cmd->nwords - nassign;
	if (argc == 0)
		_exit(0);
	fn = builtin_find(argv[nassign]);
	if (fn) {
		int st = fn(argc, argv + nassign);
		fflush(stdout);
		_exit(st);
	}
	exec_path(argv + nassign);
}

/* Run a simple command in the foreground; returns its status. */
static int run_simple(const struct node *cmd)
{
	int nassign, argc, status;
	char **argv = expand_argv(cmd, &nassign);
	builtin_fn fn;
	pid_t pid;

	if (!argv)
		return 1;
	argc = cmd->nwords - nassign;
	fn = argc ? builtin_find(argv[nassign]) : NULL;
	if (argc == 0 || fn) {
		if (argc == 0)
			do_assignments(argv, nassign);
		status = argc == 0 ? run_builtin_here(NULL, NULL, 0, cmd->redirs) :
				     run_builtin_here(fn, argv + nassign, argc, cmd->redirs);
		free_argv(argv);
		return status;
	}
	free_argv(argv);
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		perror("sh: fork");
		return 1;
	}
	if (pid == 0) {
		child_signals(sh.in_background);
		run_cmd_child(cmd);
	}
	return wait_pid(pid);
}

/* Fork member i of pipeline p with stdin from in_fd and stdout to pipe out[1]. */
static pid_t fork_member(const struct node *p, int i, int in_fd, const int out[2])
{
	pid_t pid = fork();

	if (pid != 0)
		return pid;
	child_signals(sh.in_background);
	if (in_fd >= 0) {
		dup2(in_fd, 0);
		close(in_fd);
	}
	if (out[1] >= 0) {
		dup2(out[1], 1);
		close(out[1]);
		close(out[0]);
	}
	run_cmd_child(p->cmds[i]);
	_exit(1);
}

/* Run a pipeline of p->ncmds commands; returns the status of the last one. */
static int run_pipeline(const struct node *p)
{
	pid_t *pids = calloc((size_t)p->ncmds, sizeof(pid_t));
	int in_fd = -1, out[2], i, status = 1, n = 0;

	if (!pids)
		return 1;
	fflush(stdout);
	for (i = 0; i < p->ncmds; i++) {
		out[0] = out[1] = -1;
		if (i + 1 < p->ncmds && pipe2(out, O_CLOEXEC) < 0) {
			perror("sh: pipe");
			break;
		}
		pids[n] = fork_member(p, i, in_fd, out);
		if (pids[n] > 0)
			n++;
		else
			perror("sh: fork");
		if (in_fd >= 0)
			close(in_fd);
		if (out[1] >= 0)
			close(out[1]);
		in_fd = out[0];
	}
	if (in_fd >= 0)
		close(in_fd);
	for (i = 0; i < n; i++)
		status = wait_pid(pids[i]);
	free(pids);
	return n == p->ncmds ? status : 1;
}

/* Remember a background job; returns 0 or -1 when the table is full. */
static int job_add(pid_t pid, const char *text)
{
	int i;

	for (i = 0; i < MAX_JOBS; i++) {
		if (!jobs[i].pid) {
			jobs[i].pid = pid;
			jobs[i].text = strdup(text ? text : "");
			return 0;
		}
	}
	return -1;
}

/* Report and forget job pid that ended with wait status st (if it is one of ours). */
static void job_done(pid_t pid, int st)
{
	int i;

	for (i = 0; i < MAX_JOBS; i++) {
		if (jobs[i].pid != pid)
			continue;
		if (sh.interactive && WIFEXITED(st) && WEXITSTATUS(st) == 0)
			fprintf(stderr, "[%d] Done\t%s\n", (int)pid, jobs[i].text);
		else if (sh.interactive && WIFEXITED(st))
			fprintf(stderr, "[%d] Exit %d\t%s\n", (int)pid, WEXITSTATUS(st), jobs[i].text);
		else if (sh.interactive)
			fprintf(stderr, "[%d] Killed by signal %d\t%s\n", (int)pid, WTERMSIG(st), jobs[i].text);
		free(jobs[i].text);
		jobs[i].pid = 0;
		jobs[i].text = NULL;
	}
}

/* Contract: see its declaration in sh.h. */
void jobs_reap(int block)
{
	int st;
	pid_t pid;

	for (;;) {
		pid = wait4(-1, &st, block ? 0 : WNOHANG, NULL);
		if (pid < 0 && errno == EINTR)
			continue;
		if (pid <= 0)
			return;
		job_done(pid, st);
	}
}

/* Start n in the background (a forked subshell); returns 0. */
static int run_background(struct node *n, const char *text)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		perror("sh: fork");
		return 1;
	}
	if (pid == 0) {
		sh.in_background = 1;
		sh.interactive = 0;
		child_signals(1);
		if (n->type == N_CMD)
			run_cmd_child(n); /* a plain command becomes the job itself */
		_exit(run_node(n));
	}
	sh.last_bg = pid;
	if (job_add(pid, text) == 0 && sh.interactive)
		fprintf(stderr, "[%d]\n", (int)pid);
	return 0;
}

/* Contract: see its declaration in sh.h. */
int run_node(struct node *n)
{
	int st = 0;

	if (!n)
		return sh.last_status;
	switch (n->type) {
	case N_CMD:
		st = run_simple(n);
		break;
	case N_PIPE:
		st = run_pipeline(n);
		break;
	case N_AND:
	case N_OR:
		st = run_node(n->left);
		if ((st == 0) == (n->type == N_AND))
			st = run_node(n->right);
		break;
	case N_SEQ:
		run_node(n->left);
		st = run_node(n->right);
		break;
	case N_BG:
		st = run_background(n->left, n->text);
		sh.last_status = st;
		if (n->right)
			st = run_node(n->right);
		break;
	}
	sh.last_status = st;
	return st;
}

/* Contract: see its declaration in sh.h. */
int run_line(const char *line)
{
	struct node *tree;
	int st;

	if (parse_line(line, &tree) < 0) {
		sh.last_status = 2;
		return 2;
	}
	st = tree ? run_node(tree) : sh.last_status;
	node_free(tree);
	return st;
}
