/* test_spawn: posix_spawn (musl: clone(CLONE_VM|CLONE_VFORK) + execve) with file
 * actions, attributes, PATH search and error reporting. */
#include "t.h"

#include <spawn.h>

extern char **environ;

/* posix_spawn starts the program and wait4 returns its exit status. */
static int spawn_exit_status(void)
{
	char *argv[] = { "probe", "exit", "23", NULL };
	pid_t pid = 0;

	CHECK_EQ(posix_spawn(&pid, t_helper("probe"), NULL, NULL, argv, environ), 0);
	CHECK(pid > 0);
	CHECK_EQ(t_wait_code(pid), 23);
	return 0;
}

/* adddup2 of a pipe redirects the child's stdout. */
static int spawn_dup2_stdout(void)
{
	char *argv[] = { "probe", "echo", "spawned", NULL };
	posix_spawn_file_actions_t fa;
	char buf[64];
	int p[2];
	pid_t pid;

	CHECK(pipe(p) == 0);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, p[1], 1);
	posix_spawn_file_actions_addclose(&fa, p[0]);
	CHECK_EQ(posix_spawn(&pid, t_helper("probe"), &fa, NULL, argv, environ), 0);
	posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	t_read_all(p[0], buf, sizeof(buf));
	close(p[0]);
	CHECK(strcmp(buf, "spawned\n") == 0);
	CHECK_EQ(t_wait_code(pid), 0);
	return 0;
}

/* addclose closes an inherited fd in the child only. */
static int spawn_addclose(void)
{
	char num[16], *argv[] = { "probe", "fd", num, NULL };
	posix_spawn_file_actions_t fa;
	int fd = open(t_helper("probe"), O_RDONLY);
	pid_t pid;

	CHECK(fd >= 0);
	snprintf(num, sizeof(num), "%d", fd);
	CHECK_EQ(posix_spawn(&pid, t_helper("probe"), NULL, NULL, argv, environ), 0);
	CHECK_EQ(t_wait_code(pid), 0); /* open without file actions */
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addclose(&fa, fd);
	CHECK_EQ(posix_spawn(&pid, t_helper("probe"), &fa, NULL, argv, environ), 0);
	posix_spawn_file_actions_destroy(&fa);
	CHECK_EQ(t_wait_code(pid), 1); /* closed in the child */
	CHECK(fcntl(fd, F_GETFD) >= 0);
	close(fd);
	return 0;
}

/* addopen opens a file on a chosen fd in the child. */
static int spawn_addopen(void)
{
	char *argv[] = { "probe", "fd", "37", NULL };
	posix_spawn_file_actions_t fa;
	pid_t pid;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 37, t_helper("argdump"), O_RDONLY, 0);
	CHECK_EQ(posix_spawn(&pid, t_helper("probe"), &fa, NULL, argv, environ), 0);
	posix_spawn_file_actions_destroy(&fa);
	CHECK_EQ(t_wait_code(pid), 0);
	CHECK(fcntl(37, F_GETFD) < 0);
	return 0;
}

/* A program that cannot be executed is reported by posix_spawn's return value. */
static int spawn_enoent(void)
{
	char *argv[] = { "x", NULL };
	pid_t pid = 0;

	CHECK_EQ(posix_spawn(&pid, "/nonexistent/prog", NULL, NULL, argv, environ), ENOENT);
	CHECK_ERR(wait4(-1, NULL, WNOHANG, NULL), ECHILD); /* the failed child was reaped */
	return 0;
}

/* A failing file action (open of a missing file) fails the spawn with its errno. */
static int spawn_file_action_error(void)
{
	char *argv[] = { "probe", "exit", "0", NULL };
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int r;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 3, "/nonexistent/file", O_RDONLY, 0);
	r = posix_spawn(&pid, t_helper("probe"), &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	CHECK_EQ(r, ENOENT);
	return 0;
}

/* posix_spawnp searches PATH. */
static int spawnp_path_search(void)
{
	char path[700], env[710], *argv[] = { "probe", "exit", "4", NULL };
	char *envp[] = { env, NULL };
	char *old = getenv("PATH") ? strdup(getenv("PATH")) : NULL;
	pid_t pid;
	int r;

	snprintf(path, sizeof(path), "/nonexistent:%s/helpers", t_st.dir);
	snprintf(env, sizeof(env), "PATH=%s", path);
	setenv("PATH", path, 1);
	r = posix_spawnp(&pid, "probe", NULL, NULL, argv, envp);
	if (old)
		setenv("PATH", old, 1);
	free(old);
	CHECK_EQ(r, 0);
	CHECK_EQ(t_wait_code(pid), 4);
	return 0;
}

/* spawnattr: sigdefault resets an ignored signal, sigmask sets the child's mask. */
static int spawn_attr_signals(void)
{
	char num[8], *argv[] = { "probe", "sig", num, NULL };
	posix_spawnattr_t at;
	sigset_t def, mask;
	char buf[128];
	int p[2];
	pid_t pid;

	snprintf(num, sizeof(num), "%d", SIGUSR1);
	CHECK(pipe(p) == 0);
	signal(SIGUSR1, SIG_IGN);
	posix_spawnattr_init(&at);
	sigemptyset(&def);
	sigaddset(&def, SIGUSR1);
	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	posix_spawnattr_setsigdefault(&at, &def);
	posix_spawnattr_setsigmask(&at, &mask);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, p[1], 1);
	CHECK_EQ(posix_spawn(&pid, t_helper("probe"), &fa, &at, argv, environ), 0);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	signal(SIGUSR1, SIG_DFL);
	close(p[1]);
	t_read_all(p[0], buf, sizeof(buf));
	close(p[0]);
	CHECK_EQ(t_wait_code(pid), 0);
	CHECK(strcmp(buf, "handler=dfl blocked=1 pending=0\n") == 0);
	return 0;
}

/* Run every case of this file; exit status 0 iff all passed. */
int main(int argc, char **argv)
{
	t_init(argc, argv);
	T_RUN(spawn_exit_status);
	T_RUN(spawn_dup2_stdout);
	T_RUN(spawn_addclose);
	T_RUN(spawn_addopen);
	T_RUN(spawn_enoent);
	T_RUN(spawn_file_action_error);
	T_RUN(spawnp_path_search);
	T_RUN(spawn_attr_signals);
	return t_done();
}
