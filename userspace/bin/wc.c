/* wc [-l] [-w] [-c] [FILE...]: count lines, words and bytes (default: all three). */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct counts { unsigned long lines, words, bytes; };

/* Count fd into c; returns 0 or -1. */
static int count_fd(int fd, struct counts *c)
{
	char buf[8192];
	int in_word = 0;
	ssize_t n, i;

	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return (int)n;
		c->bytes += (unsigned long)n;
		for (i = 0; i < n; i++) {
			unsigned char ch = (unsigned char)buf[i];
			c->lines += ch == '\n';
			if (isspace(ch))
				in_word = 0;
			else if (!in_word) {
				in_word = 1;
				c->words++;
			}
		}
	}
}

/* Print the selected counts (flags "lwc") and name. */
static void print_counts(const struct counts *c, const char *flags, const char *name)
{
	const char *sep = "";

	if (strchr(flags, 'l')) {
		printf("%lu", c->lines);
		sep = " ";
	}
	if (strchr(flags, 'w')) {
		printf("%s%lu", sep, c->words);
		sep = " ";
	}
	if (strchr(flags, 'c'))
		printf("%s%lu", sep, c->bytes);
	printf("%s%s\n", name ? " " : "", name ? name : "");
}

/* Count one file (NULL: stdin), add to total and print; returns 0 or 1. */
static int wc_one(const char *name, const char *flags, struct counts *total)
{
	struct counts c = { 0, 0, 0 };
	int fd = name ? open(name, O_RDONLY) : 0;

	if (fd < 0 || count_fd(fd, &c) < 0)
		goto fail;
	if (fd)
		close(fd);
	print_counts(&c, flags, name);
	total->lines += c.lines;
	total->words += c.words;
	total->bytes += c.bytes;
	return 0;
fail:
	fprintf(stderr, "wc: %s: %s\n", name ? name : "stdin", strerror(errno));
	if (fd > 0)
		close(fd);
	return 1;
}

/* Entry point; usage and behaviour in the comment at the top of this file. */
int main(int argc, char **argv)
{
	char flags[4] = "";
	struct counts total = { 0, 0, 0 };
	int i = 1, r = 0, files;

	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (strspn(argv[i] + 1, "lwc") != strlen(argv[i] + 1)) {
			fprintf(stderr, "usage: wc [-lwc] [FILE...]\n");
			return 2;
		}
		for (const char *f = argv[i] + 1; *f; f++)
			if (!strchr(flags, *f))
				strncat(flags, f, 1);
	}
	if (!flags[0])
		strcpy(flags, "lwc");
	files = argc - i;
	if (!files)
		return wc_one(NULL, flags, &total);
	for (; i < argc; i++)
		r |= wc_one(argv[i], flags, &total);
	if (files > 1)
		print_counts(&total, flags, "total");
	return r;
}
