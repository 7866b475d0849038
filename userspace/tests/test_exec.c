/* test_exec: successful execve: argv/envp passed exactly (many and large strings),
 * auxv, pid/ppid kept, O_CLOEXEC, signal dispositions/mask/pending across exec,
 * "#!" scripts (also nested), exec from a secondary thread. */
#include "t.h"

#include <pthread.h>

static char out[1 << 21];
static char want[1 << 21];

/* Append the argdump record of kind k for string s to want at *pos. */
static void want_rec(size_t *pos, char k, const char *s)
{
	*pos += (size_t)snprintf(want + *pos, sizeof(want) - *pos, "%c %zu %s\n", k, strlen(s), s);
}

/* Build the expected argdump output for argv/envp into want. */
static void want_dump(char *const argv[], char *const envp[])
{
	size_t pos = 0;
	int i, argc;

	for (argc = 0; argv[argc]; argc++)
		want_rec(&pos, 'a', argv[argc]);
	for (i = 0; envp[i]; i++)
		want_rec(&pos, 'e', envp[i]);
	snprintf(want + pos, sizeof(want) - pos, "end %d\n", argc);
}

/* qsort comparator over char* lines. */
static int cmp_line(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sort the "e ..." lines of an argdump output in place (qemu-user reverses envp). */
static void sort_env_lines(char *dump)
{
	static char copy[sizeof(out)];
	static char *lines[1 << 15];
	char *start = strstr(dump, "\ne "), *end = strstr(dump, "\nend "), *p;
	size_t n = 0, i, len;

	if (!start || !end || end < start)
		return;
	len = (size_t)(end - start);
	memcpy(copy, start + 1, len);
	copy[len] = '\0';
	for (p = strtok(copy, "\n"); p && n < sizeof(lines) / sizeof(lines[0]); p = strtok(NULL, "\n"))
		lines[n++] = p;
	qsort(lines, n, sizeof(lines[0]), cmp_line);
	p = start + 1;
	for (i = 0; i < n; i++) {
		len = strlen(lines[i]);
		memcpy(p, lines[i], len);
		p[len] = '\n';
		p += len + 1;
	}
}

/* Exec argdump at path with argv/envp; returns 0 if its output is exactly expected
 * (under qemu-user, envp order is not compared). */
static int exec_and_compare(const char *path, char *const argv[], char *const envp[])
{
	int st = t_run_capture(path, argv, envp, out, sizeof(out));

	CHECK_EQ(st, 0);
	want_dump(argv, envp);
	if (t_qemu_user()) {
		sort_env_lines(out);
		sort_env_lines(want);
	}
	if (strcmp(out, want)) {
		printf("# argdump output differs (%zu vs %zu bytes)\n", strlen(out), strlen(want));
		return 1;
	}
	return 0;
}

/* Short strings, an empty string, spaces, non-ASCII bytes; envp order kept. */
static int exec_argv_envp_exact(void)
{
	char *argv[] = { "first", "", "with space", "tab\there", "\xc3\xbc\xc3\xaf", NULL };
	char *envp[] = { "A=1", "B=", "Z=last-but-one", "LONG=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", NULL };

	return exec_and_compare(t_helper("argdump"), argv, envp);
}

/* envp strings are opaque to the kernel: one without '=' is passed unchanged. */
static int exec_envp_without_equals(void)
{
	char *argv[] = { "argdump", NULL };
	char *envp[] = { "A=1", "NOEQUALS", "=", NULL };

	SKIP_IF(t_qemu_user(), "qemu-user drops envp strings without '='");
	return exec_and_compare(t_helper("argdump"), argv, envp);
}

/* An empty environment reaches the program as an empty envp. */
static int exec_empty_envp(void)
{
	char *argv[] = { "argdump", "x", NULL };
	char *envp[] = { NULL };

	return exec_and_compare(t_helper("argdump"), argv, envp);
}

/* argv[0] need not be the path. */
static int exec_argv0_arbitrary(void)
{
	char *argv[] = { "not-the-path-at-all", NULL };
	char *envp[] = { "X=y", NULL };

	return exec_and_compare(t_helper("argdump"), argv, envp);
}

/* 5000 arguments and 2000 environment strings arrive intact and in order. */
static int exec_many_args(void)
{
	static char store[7001][16];
	static char *argv[5002], *envp[2001];
	int i;

	argv[0] = "argdump";
	for (i = 1; i <= 5000; i++) {
		snprintf(store[i], sizeof(store[i]), "arg%d", i);
		argv[i] = store[i];
	}
	argv[5001] = NULL;
	for (i = 0; i < 2000; i++) {
		snprintf(store[5001 + i], sizeof(store[0]), "E%d=%d", i, i * 7);
		envp[i] = store[5001 + i];
	}
	envp[2000] = NULL;
	return exec_and_compare(t_helper("argdump"), argv, envp);
}

/* Large strings (100 KiB argument, 64 KiB environment value) arrive intact. */
static int exec_large_args(void)
{
	static char big[100001], env[65537];
	char *argv[] = { "argdump", big, "after", NULL };
	char *envp[] = { env, "Z=z", NULL };
	size_t i;

	for (i = 0; i < sizeof(big) - 1; i++)
		big[i] = (char)('a' + i % 26);
	memcpy(env, "BIG=", 4);
	for (i = 4; i < sizeof(env) - 1; i++)
		env[i] = (char)('0' + i % 10);
	return exec_and_compare(t_helper("argdump"), argv, envp);
}

/* Run probe with args in a forked child; output into out; returns raw status. */
static int run_probe(char *a1, char *a2)
{
	char *argv[] = { "probe", a1, a2, NULL };
	char *envp[] = { NULL };

	return t_run_capture(t_helper("probe"), argv, envp, out, sizeof(out));
}

/* The pid and ppid survive execve. */
static int exec_keeps_pid(void)
{
	char line[64];
	int p[2];
	pid_t pid;

	CHECK(pipe(p) == 0);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		char *argv[] = { "probe", "ids", NULL }, *envp[] = { NULL };
		dup2(p[1], 1);
		execve(t_helper("probe"), argv, envp);
		_exit(127);
	}
	close(p[1]);
	t_read_all(p[0], out, sizeof(out));
	close(p[0]);
	CHECK_EQ(t_wait_code(pid), 0);
	snprintf(line, sizeof(line), "pid=%d ppid=%d\n", pid, getpid());
	CHECK(strcmp(out, line) == 0);
	return 0;
}

/* O_CLOEXEC descriptors are closed by execve, the others stay open. */
static int exec_cloexec(void)
{
	int a = open(t_helper("probe"), O_RDONLY | O_CLOEXEC);
	int b = open(t_helper("probe"), O_RDONLY);

	CHECK(a >= 0 && b >= 0);
	CHECK(dup3(a, 40, O_CLOEXEC) == 40);
	CHECK(dup2(b, 41) == 41);
	CHECK_EQ(WEXITSTATUS(run_probe("fd", "40")), 1);
	CHECK_EQ(WEXITSTATUS(run_probe("fd", "41")), 0);
	CHECK(fcntl(40, F_SETFD, 0) == 0); /* clearing FD_CLOEXEC keeps it */
	CHECK_EQ(WEXITSTATUS(run_probe("fd", "40")), 0);
	close(a);
	close(b);
	close(40);
	close(41);
	return 0;
}

/* Empty handler for exec_signal_state. */
static void nop_handler(int sig)
{
	(void)sig;
}

/* Caught signals reset to SIG_DFL, SIG_IGN stays, mask and pending signals survive. */
static int exec_signal_state(void)
{
	struct sigaction sa = { .sa_handler = nop_handler };
	char n1[8], n2[8];
	sigset_t set, old;
	pid_t pid;

	snprintf(n1, sizeof(n1), "%d", SIGUSR1);
	snprintf(n2, sizeof(n2), "%d", SIGUSR2);
	CHECK(sigaction(SIGUSR1, &sa, NULL) == 0);
	signal(SIGUSR2, SIG_IGN);
	CHECK_EQ(run_probe("sig", n1), 0);
	CHECK(strcmp(out, "handler=dfl blocked=0 pending=0\n") == 0);
	CHECK_EQ(run_probe("sig", n2), 0);
	CHECK(strcmp(out, "handler=ign blocked=0 pending=0\n") == 0);
	signal(SIGUSR2, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	CHECK(sigprocmask(SIG_BLOCK, &set, &old) == 0);
	int p[2];
	CHECK(pipe(p) == 0);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		char *argv[] = { "probe", "sig", n1, NULL }, *envp[] = { NULL };
		raise(SIGUSR1); /* blocked: stays pending across exec */
		dup2(p[1], 1);
		execve(t_helper("probe"), argv, envp);
		_exit(127);
	}
	close(p[1]);
	t_read_all(p[0], out, sizeof(out));
	close(p[0]);
	CHECK(sigprocmask(SIG_SETMASK, &old, NULL) == 0);
	signal(SIGUSR1, SIG_DFL);
	CHECK_EQ(t_wait_code(pid), 0);
	CHECK(strcmp(out, "handler=dfl blocked=1 pending=1\n") == 0);
	return 0;
}

/* The auxiliary vector describes the new image (checked inside probe). */
static int exec_auxv(void)
{
	char line[700];

	CHECK_EQ(run_probe("auxv", NULL), 0);
	snprintf(line, sizeof(line), "execfn=%s\n", t_helper("probe"));
	CHECK(strcmp(out, line) == 0);
	return 0;
}

/* Exec path from directory t_st.dir in a child; compare argdump output with expect. */
static int exec_script(const char *path, char *const argv[], char *const expect_argv[])
{
	char *envp[] = { "S=1", NULL };
	int p[2];
	pid_t pid;

	CHECK(pipe(p) == 0);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		dup2(p[1], 1);
		if (chdir(t_st.dir) == 0)
			execve(path, argv, envp);
		_exit(127);
	}
	close(p[1]);
	t_read_all(p[0], out, sizeof(out));
	close(p[0]);
	CHECK_EQ(t_wait_code(pid), 0);
	want_dump(expect_argv, envp);
	CHECK(strcmp(out, want) == 0);
	return 0;
}

/* "#!interp arg": argv becomes interp, arg, script path, then argv[1..]. */
static int exec_shebang(void)
{
	char *argv[] = { "ignored-argv0", "x", "y z", NULL };
	char *expect[] = { "helpers/argdump", "one-arg", "helpers/script", "x", "y z", NULL };

	return exec_script("helpers/script", argv, expect);
}

/* A script whose interpreter is itself a script. */
static int exec_shebang_nested(void)
{
	char *argv[] = { "s2", "x", NULL };
	char *expect[] = { "helpers/argdump", "one-arg", "helpers/script", "helpers/script2", "x", NULL };

	return exec_script("helpers/script2", argv, expect);
}

/* Thread body: exec probe ids (the whole process is replaced). */
static void *exec_from_thread_body(void *arg)
{
	char *argv[] = { "probe", "ids", NULL }, *envp[] = { NULL };

	execve(arg, argv, envp);
	_exit(126);
}

/* execve from a secondary thread: the other threads die and the pid stays. */
static int exec_from_thread(void)
{
	char line[64];
	int p[2];
	pid_t pid;

	CHECK(pipe(p) == 0);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		pthread_t t;
		dup2(p[1], 1);
		if (pthread_create(&t, NULL, exec_from_thread_body, (void *)t_helper("probe")))
			_exit(125);
		for (;;)
			pause();
	}
	close(p[1]);
	t_read_all(p[0], out, sizeof(out));
	close(p[0]);
	CHECK_EQ(t_wait_code(pid), 0);
	snprintf(line, sizeof(line), "pid=%d ppid=%d\n", pid, getpid());
	CHECK(strcmp(out, line) == 0);
	return 0;
}

/* Run every case of this file; exit status 0 iff all passed. */
int main(int argc, char **argv)
{
	t_init(argc, argv);
	T_RUN(exec_argv_envp_exact);
	T_RUN(exec_envp_without_equals);
	T_RUN(exec_empty_envp);
	T_RUN(exec_argv0_arbitrary);
	T_RUN(exec_many_args);
	T_RUN(exec_large_args);
	T_RUN(exec_keeps_pid);
	T_RUN(exec_cloexec);
	T_RUN(exec_signal_state);
	T_RUN(exec_auxv);
	T_RUN(exec_shebang);
	T_RUN(exec_shebang_nested);
	T_RUN(exec_from_thread);
	return t_done();
}
