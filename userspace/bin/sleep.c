/* sleep SECONDS: sleep for a (possibly fractional) number of seconds. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* Entry point; usage and behaviour in the comment at the top of this file. */
int main(int argc, char **argv)
{
	struct timespec ts;
	char *end;
	double s;

	if (argc != 2 || (s = strtod(argv[1], &end)) < 0 || *end || end == argv[1]) {
		fprintf(stderr, "usage: sleep SECONDS\n");
		return 2;
	}
	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) < 0)
		if (errno != EINTR)
			return 1;
	return 0;
}
