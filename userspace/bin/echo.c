/* echo [-n] [ARG...]: print the arguments separated by spaces; -n: no newline. */
#include <stdio.h>
#include <string.h>

/* Entry point; usage and behaviour in the comment at the top of this file. */
int main(int argc, char **argv)
{
	int i = 1, newline = 1;

	if (argc > 1 && !strcmp(argv[1], "-n")) {
		newline = 0;
		i = 2;
	}
	for (; i < argc; i++) {
		fputs(argv[i], stdout);
		if (i + 1 < argc)
			putchar(' ');
	}
	if (newline)
		putchar('\n');
	return fflush(stdout) || ferror(stdout) ? 1 : 0;
}
