/* sh: the Cleave shell.
 *   sh                  read commands from stdin (interactive on a terminal)
 *   sh -i               force interactive mode (prompt, job messages, Ctrl-C safe)
 *   sh -c LINE [ARG0 [ARG...]]   run one command line
 *   sh FILE [ARG...]    run the commands of FILE
 * See parse.c for the grammar, expand.c for expansions, exec.c for execution. */
#include "sh.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct shell sh;

/* Read and run lines from fd until EOF; returns the last status. */
static int run_fd(int fd)
{
	char *line;

	for (;;) {
		if (sh.interactive)
			jobs_reap(0);
		line = le_readline(fd, sh.interactive ? (geteuid() ? "$ " : "# ") : NULL);
		if (!line)
			break;
		run_line(line);
		free(line);
		fflush(stdout);
	}
	if (sh.interactive)
		fputs("exit\n", stderr);
	return sh.last_status;
}

/* Make the shell itself immune to keyboard signals (interactive mode). */
static void ignore_keyboard_signals(void)
{
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGTSTP, SIG_IGN);
	signal(SIGTTOU, SIG_IGN);
	signal(SIGTTIN, SIG_IGN);
}

/* Run the script file path with positional parameters; returns its status. */
static int run_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), st;

	if (fd < 0) {
		fprintf(stderr, "sh: %s: %s\n", path, strerror(errno));
		return 127;
	}
	st = run_fd(fd);
	close(fd);
	return st;
}

/* Entry point; usage and behaviour in the comment at the top of this file. */
int main(int argc, char **argv)
{
	int i = 1, force_i = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (i < argc && !strcmp(argv[i], "-i")) {
		force_i = 1;
		i++;
	}
	if (i < argc && !strcmp(argv[i], "-c")) {
		if (i + 1 >= argc) {
			fprintf(stderr, "sh: -c: option requires an argument\n");
			return 2;
		}
		sh.argc = argc - i - 2 > 0 ? argc - i - 2 : 1;
		sh.argv = argc - i - 2 > 0 ? argv + i + 2 : argv;
		run_line(argv[i + 1]);
		return sh.last_status;
	}
	if (i < argc) {
		sh.argc = argc - i;
		sh.argv = argv + i;
		return run_file(argv[i]);
	}
	sh.argc = 1;
	sh.argv = argv;
	sh.interactive = force_i || isatty(0);
	if (sh.interactive)
		ignore_keyboard_signals();
	return run_fd(0);
}
