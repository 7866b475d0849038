/* argdump: exec target that prints its argv and envp exactly, one record per
 * string: "a LEN BYTES\n" for argv, "e LEN BYTES\n" for envp, then "end ARGC\n". */
#include <stdio.h>
#include <string.h>

/* Print one record of kind k for string s. */
static void dump(char k, const char *s)
{
	printf("%c %zu %s\n", k, strlen(s), s);
}

/* Entry point; usage and behaviour in the comment at the top of this file. */
int main(int argc, char **argv, char **envp)
{
	int i;

	for (i = 0; i < argc; i++)
		dump('a', argv[i]);
	for (i = 0; envp[i]; i++)
		dump('e', envp[i]);
	printf("end %d\n", argc);
	return fflush(stdout) == 0 ? 0 : 1;
}
