/* cat [FILE...]: copy the files (or stdin, also for "-") to stdout. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Write all n bytes of buf to fd; returns 0 or -1. */
static int write_all(int fd, const char *buf, size_t n)
{
	ssize_t w;

	while (n) {
		w = write(fd, buf, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		buf += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Copy fd to stdout; returns 0 or -1 (errno set). */
static int copy_fd(int fd)
{
	char buf[8192];
	ssize_t n;

	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return (int)n;
		if (write_all(1, buf, (size_t)n) < 0)
			return -1;
	}
}

/* Copy the named file (or stdin for "-") to stdout; returns 0 or 1. */
static int cat_one(const char *name)
{
	int fd = strcmp(name, "-") ? open(name, O_RDONLY) : 0, r;

	if (fd < 0)
		goto fail;
	r = copy_fd(fd);
	if (fd != 0)
		close(fd);
	if (r < 0)
		goto fail;
	return 0;
fail:
	fprintf(stderr, "cat: %s: %s\n", name, strerror(errno));
	return 1;
}

/* Entry point; usage and behaviour in the comment at the top of this file. */
int main(int argc, char **argv)
{
	int i, r = 0;

	if (argc < 2)
		return cat_one("-");
	for (i = 1; i < argc; i++)
		r |= cat_one(argv[i]);
	return r;
}
