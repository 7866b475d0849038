/* env [-i] [NAME=VALUE...] [COMMAND [ARG...]]: print the environment, or run COMMAND
 * (PATH search, execve) with a modified environment. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

/* Entry point; usage and behaviour in the comment at the top of this file. */
int main(int argc, char **argv)
{
	static char *empty[] = { NULL };
	int i = 1;

	if (i < argc && !strcmp(argv[i], "-i")) {
		environ = empty;
		i++;
	}
	for (; i < argc && strchr(argv[i], '='); i++)
		if (putenv(argv[i]) != 0)
			goto fail;
	if (i == argc) {
		for (char **e = environ; *e; e++)
			puts(*e);
		return 0;
	}
	execvp(argv[i], argv + i);
	fprintf(stderr, "env: %s: %s\n", argv[i], strerror(errno));
	return errno == ENOENT ? 127 : 126;
fail:
	perror("env");
	return 125;
}
