/* test_init: /init run as an ordinary process (not PID 1): command mode runs sh -c,
 * reports "init: sh exited with status N", and exits with N instead of powering off. */
#include "t.h"

static char out[4096];

/* Run <root>/init with CLEAVE_ROOT=<root> and the given mode entry; returns status. */
static int run_init(const char *mode_entry)
{
	char root[600], env_root[620], init[620];
	char *argv[] = { "init", NULL };
	char *envp[] = { env_root, (char *)mode_entry, NULL };

	snprintf(root, sizeof(root), "%s/..", t_st.dir);
	snprintf(env_root, sizeof(env_root), "CLEAVE_ROOT=%s", root);
	snprintf(init, sizeof(init), "%s/init", root);
	return t_run_capture(init, argv, envp, out, sizeof(out));
}

/* A command line's output and exit status come back through init. */
static int init_command_mode(void)
{
	int st = run_init("CLEAVE_CMD=echo hello | cat; exit 5");

	CHECK(WIFEXITED(st));
	CHECK_EQ(WEXITSTATUS(st), 5);
	CHECK(strcmp(out, "hello\ninit: sh exited with status 5\n") == 0);
	return 0;
}

/* The "cmd=" form (kernel command line) works like CLEAVE_CMD. */
static int init_cmd_argument_form(void)
{
	int st = run_init("cmd=false");

	CHECK(WIFEXITED(st));
	CHECK_EQ(WEXITSTATUS(st), 1);
	CHECK(strcmp(out, "init: sh exited with status 1\n") == 0);
	return 0;
}

/* Run every case of this file; exit status 0 iff all passed. */
int main(int argc, char **argv)
{
	t_init(argc, argv);
	T_RUN(init_command_mode);
	T_RUN(init_cmd_argument_form);
	return t_done();
}
