/* test_runner: the test runner itself (bin/runtests): aggregation and renumbering of
 * cases, the summary line and exit status, crashes, timeouts and bad exits reported
 * as failures. Uses helpers/fake, whose behaviour is chosen with FAKE_MODE. */
#include "t.h"

static char out[16384];

/* Run "runtests -t 1 helpers/fake helpers/fake" with FAKE_MODE=mode; returns status. */
static int run_runner(const char *mode)
{
	char env_mode[64];
	char *argv[] = { "runtests", "-t", "1", (char *)t_helper("fake"), (char *)t_helper("fake"), NULL };
	char *envp[] = { env_mode, NULL };

	snprintf(env_mode, sizeof(env_mode), "FAKE_MODE=%s", mode);
	return t_run_capture(t_bin("runtests"), argv, envp, out, sizeof(out));
}

/* Return 1 if out contains line (a whole line). */
static int has_line(const char *line)
{
	size_t n = strlen(line);
	const char *p = out;

	while ((p = strstr(p, line))) {
		if ((p == out || p[-1] == '\n') && (p[n] == '\n' || !p[n]))
			return 1;
		p += n;
	}
	return 0;
}

/* Passing programs: cases renumbered across programs, plan and summary, status 0. */
static int runner_aggregates(void)
{
	int st = run_runner("pass");

	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK(has_line("TAP version 13"));
	CHECK(has_line("ok 1 - fake: first"));
	CHECK(has_line("ok 4 - fake: second"));
	CHECK(has_line("# a diagnostic"));
	CHECK(has_line("1..4"));
	CHECK(has_line("4 passed, 0 failed"));
	return 0;
}

/* A failing case is reported and makes the runner exit non-zero. */
static int runner_failed_case(void)
{
	int st = run_runner("fail");

	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 1);
	CHECK(has_line("not ok 2 - fake: second"));
	CHECK(has_line("2 passed, 2 failed"));
	return 0;
}

/* A crash adds a failed case naming the signal. */
static int runner_crash(void)
{
	char line[64];
	int st = run_runner("crash");

	snprintf(line, sizeof(line), "not ok 2 - fake # crashed by signal %d", SIGSEGV);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 1);
	CHECK(has_line("ok 1 - fake: first"));
	CHECK(has_line(line));
	CHECK(has_line("2 passed, 2 failed"));
	return 0;
}

/* A hanging program is killed after the timeout and reported. */
static int runner_timeout(void)
{
	long t0 = t_now_ms();
	int st = run_runner("hang");

	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 1);
	CHECK(has_line("not ok 2 - fake # timeout after 1 s"));
	CHECK(has_line("2 passed, 2 failed"));
	CHECK(t_now_ms() - t0 < 10000);
	return 0;
}

/* No output and status 0 counts as one pass; a bare non-zero exit as one failure. */
static int runner_exit_status_only(void)
{
	int st = run_runner("silent");

	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK(has_line("ok 1 - fake"));
	CHECK(has_line("2 passed, 0 failed"));
	st = run_runner("bad");
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 1);
	CHECK(has_line("not ok 1 - fake # exit status 3"));
	CHECK(has_line("0 passed, 2 failed"));
	return 0;
}

/* Run every case of this file; exit status 0 iff all passed. */
int main(int argc, char **argv)
{
	t_init(argc, argv);
	T_RUN(runner_aggregates);
	T_RUN(runner_failed_case);
	T_RUN(runner_crash);
	T_RUN(runner_timeout);
	T_RUN(runner_exit_status_only);
	return t_done();
}
