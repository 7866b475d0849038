/* test_sh: the shell (bin/sh -c) and the utilities: pipelines, && || ;, $? and
 * variables, quoting, redirections, background jobs, builtins, syntax errors. */
#include "t.h"

static char out[65536];

/* Run "sh -c line" with PATH=<bin dir>, stdout+stderr captured; returns exit code. */
static int sh_c(const char *line)
{
	char path[700], *argv[] = { "sh", "-c", (char *)line, NULL };
	char *envp[] = { path, "HOME=/", "GREETING=hi there", NULL };
	int p[2], st;
	pid_t pid;

	snprintf(path, sizeof(path), "PATH=%s/../bin", t_st.dir);
	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		dup2(p[1], 2);
		execve(t_bin("sh"), argv, envp);
		_exit(127);
	}
	close(p[1]);
	t_read_all(p[0], out, sizeof(out));
	close(p[0]);
	st = t_wait(pid);
	return st == -1 ? -1 : WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Run line and require exit code and exact output. */
#define SH_EXPECT(line, code, output) do { \
	CHECK_EQ(sh_c(line), code); \
	if (strcmp(out, output)) { \
		printf("# sh -c '%s' printed '%s', expected '%s'\n", line, out, output); \
		return 1; \
	} } while (0)

/* A pipeline of utilities, also a long one. */
static int sh_pipelines(void)
{
	SH_EXPECT("echo hello | cat", 0, "hello\n");
	SH_EXPECT("echo one two three | wc -w", 0, "3\n");
	SH_EXPECT("echo x | cat | cat | cat | cat | cat | cat | cat | cat | wc -c", 0, "2\n");
	SH_EXPECT("true | false", 1, "");
	SH_EXPECT("false | true", 0, "");
	return 0;
}

/* && || ; and $? follow exit statuses. */
static int sh_lists_and_status(void)
{
	SH_EXPECT("false; echo $?", 0, "1\n");
	SH_EXPECT("true && echo a || echo b", 0, "a\n");
	SH_EXPECT("false && echo a || echo b", 0, "b\n");
	SH_EXPECT("false || false && echo no; echo $?", 0, "1\n");
	SH_EXPECT("exit 42", 42, "");
	SH_EXPECT("false", 1, "");
	return 0;
}

/* Quoting and expansion of environment and shell variables. */
static int sh_quoting_and_vars(void)
{
	SH_EXPECT("echo \"$GREETING\" '$GREETING' ${GREETING}!", 0, "hi there $GREETING hi there!\n");
	SH_EXPECT("X=1; echo \"[$X]\" \"a  b\" a\\ \\ b", 0, "[1] a  b a  b\n");
	SH_EXPECT("export Y=exported; sh -c 'echo $Y'", 0, "exported\n");
	SH_EXPECT("Z=only-here sh -c 'echo $Z'; echo \"[$Z]\"", 0, "only-here\n[]\n");
	SH_EXPECT("echo \"q\\\"q\" 'it''s'", 0, "q\"q its\n");
	return 0;
}

/* < > >> and 2>&1 redirections. */
static int sh_redirections(void)
{
	char line[512];
	const char *d = t_tmpdir();

	SH_EXPECT("cat /nonexistent-file 2>&1 | wc -l", 0, "1\n");
	SH_EXPECT("echo err 1>&2", 0, "err\n");
	SKIP_IF(!d, "no writable scratch directory");
	snprintf(line, sizeof(line), "echo one > %s/f; echo two >> %s/f; cat < %s/f; wc -l < %s/f",
		 d, d, d, d);
	SH_EXPECT(line, 0, "one\ntwo\n2\n");
	snprintf(line, sizeof(line), "ls %s/nothing-here > %s/g 2>&1; cat %s/g | wc -l", d, d, d);
	SH_EXPECT(line, 0, "1\n");
	snprintf(line, sizeof(line), "%s/f", d);
	unlink(line);
	snprintf(line, sizeof(line), "%s/g", d);
	unlink(line);
	return 0;
}

/* Background jobs run concurrently and are waited for with the wait builtin. */
static int sh_background(void)
{
	long t0 = t_now_ms();

	SH_EXPECT("sleep 0.3 & sleep 0.3 & echo started; wait; echo done", 0, "started\ndone\n");
	CHECK(t_now_ms() - t0 < 3000);
	SH_EXPECT("echo a > /dev/null & echo b", 0, "b\n");
	return 0;
}

/* cd changes the directory for later commands; PATH search and not found. */
static int sh_builtins_and_path(void)
{
	static char root_ls[sizeof(out)];

	CHECK_EQ(sh_c("ls /"), 0);
	memcpy(root_ls, out, sizeof(out));
	CHECK_EQ(sh_c("cd /; ls"), 0);
	CHECK(strcmp(out, root_ls) == 0);
	SH_EXPECT("cd /; echo $PWD", 0, "/\n");
	SH_EXPECT("cd /nonexistent-dir", 1, "sh: cd: /nonexistent-dir: No such file or directory\n");
	SH_EXPECT("no-such-command-xyz", 127, "sh: no-such-command-xyz: not found\n");
	SH_EXPECT("PATH=/nonexistent; echo x", 127, "sh: echo: not found\n");
	return 0;
}

/* Syntax errors are reported with the offending token and status 2. */
static int sh_syntax_errors(void)
{
	SH_EXPECT("echo a | | cat", 2, "sh: syntax error near '|'\n");
	SH_EXPECT("echo a &&", 2, "sh: syntax error near end of line\n");
	SH_EXPECT("echo \"open", 2, "sh: syntax error: unterminated \"\n");
	SH_EXPECT("; echo", 2, "sh: syntax error near ';'\n");
	SH_EXPECT("echo >", 2, "sh: syntax error near end of line\n");
	return 0;
}

/* A command killed by a signal gives 128+signal; kill(1) sends signals. */
static int sh_signals(void)
{
	SH_EXPECT("sleep 5 & kill -9 $! 2>/dev/null; wait; echo ok", 0, "ok\n");
	SH_EXPECT("kill -l | wc -l", 0, "22\n");
	SH_EXPECT("sh -c 'kill -TERM $$'; echo $?", 0, "143\n");
	return 0;
}

/* Run every case of this file; exit status 0 iff all passed. */
int main(int argc, char **argv)
{
	t_init(argc, argv);
	T_RUN(sh_pipelines);
	T_RUN(sh_lists_and_status);
	T_RUN(sh_quoting_and_vars);
	T_RUN(sh_redirections);
	T_RUN(sh_background);
	T_RUN(sh_builtins_and_path);
	T_RUN(sh_syntax_errors);
	T_RUN(sh_signals);
	return t_done();
}
