/* kill [-SIGNAL | -s SIGNAL] PID...: send a signal (default TERM); kill -l lists names.
 * SIGNAL is a number or a name with or without "SIG". */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct { const char *name; int num; } sigs[] = {
	{ "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT }, { "ILL", SIGILL },
	{ "TRAP", SIGTRAP }, { "ABRT", SIGABRT }, { "BUS", SIGBUS }, { "FPE", SIGFPE },
	{ "KILL", SIGKILL }, { "USR1", SIGUSR1 }, { "SEGV", SIGSEGV }, { "USR2", SIGUSR2 },
	{ "PIPE", SIGPIPE }, { "ALRM", SIGALRM }, { "TERM", SIGTERM }, { "CHLD", SIGCHLD },
	{ "CONT", SIGCONT }, { "STOP", SIGSTOP }, { "TSTP", SIGTSTP }, { "TTIN", SIGTTIN },
	{ "TTOU", SIGTTOU }, { "WINCH", SIGWINCH },
};
#define NSIGS (sizeof(sigs) / sizeof(sigs[0]))

/* Parse a signal number or name; returns it, or -1 if unknown. */
static int parse_sig(const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);
	size_t i;

	if (*s && !*end)
		return n >= 0 && n < 65 ? (int)n : -1;
	if (!strncasecmp(s, "SIG", 3))
		s += 3;
	for (i = 0; i < NSIGS; i++)
		if (!strcasecmp(s, sigs[i].name))
			return sigs[i].num;
	return -1;
}

/* Print the known signal names with their numbers. */
static int list_sigs(void)
{
	size_t i;

	for (i = 0; i < NSIGS; i++)
		printf("%2d %s\n", sigs[i].num, sigs[i].name);
	return 0;
}

/* Entry point; usage and behaviour in the comment at the top of this file. */
int main(int argc, char **argv)
{
	int sig = SIGTERM, i = 1, r = 0;

	if (argc > 1 && !strcmp(argv[1], "-l"))
		return list_sigs();
	if (argc > 2 && !strcmp(argv[1], "-s")) {
		sig = parse_sig(argv[2]);
		i = 3;
	} else if (argc > 1 && argv[1][0] == '-' && argv[1][1]) {
		sig = parse_sig(argv[1] + 1);
		i = 2;
	}
	if (sig < 0 || i >= argc) {
		fprintf(stderr, "usage: kill [-SIGNAL | -s SIGNAL] PID... | kill -l\n");
		return 2;
	}
	for (; i < argc; i++) {
		char *end;
		long pid = strtol(argv[i], &end, 10);
		if (!*argv[i] || *end || kill((pid_t)pid, sig) < 0) {
			fprintf(stderr, "kill: %s: ", argv[i]);
			perror(NULL);
			r = 1;
		}
	}
	return r;
}
