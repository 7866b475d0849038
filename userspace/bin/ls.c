/* ls [-a] [-l] [PATH...]: list directory entries in name order (or name files);
 * -a includes dot files, -l prints type/mode, links, size. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct opts { int all, longfmt; };

/* Write the 10-character "drwxr-xr-x" string for mode m into s. */
static void mode_string(mode_t m, char s[11])
{
	const char *rwx = "rwxrwxrwx";
	int i;

	s[0] = S_ISDIR(m) ? 'd' : S_ISLNK(m) ? 'l' : S_ISCHR(m) ? 'c' : S_ISBLK(m) ? 'b' :
	       S_ISFIFO(m) ? 'p' : S_ISSOCK(m) ? 's' : '-';
	for (i = 0; i < 9; i++)
		s[i + 1] = (m & (0400 >> i)) ? rwx[i] : '-';
	s[10] = '\0';
}

/* Print one entry: name alone, or the long format using lstat of path. */
static void print_entry(const char *path, const char *name, const struct opts *o)
{
	struct stat sb;
	char m[11];

	if (!o->longfmt) {
		puts(name);
		return;
	}
	if (lstat(path, &sb) < 0) {
		printf("?????????? %s\n", name);
		return;
	}
	mode_string(sb.st_mode, m);
	printf("%s %3lu %8lld %s\n", m, (unsigned long)sb.st_nlink, (long long)sb.st_size, name);
}

/* qsort comparator over char* names. */
static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Read the names of dir (filtered by -a) into a sorted array; returns count or -1. */
static long read_names(const char *dir, const struct opts *o, char ***out)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **v = NULL, **grown;
	long n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' && !o->all)
			continue;
		grown = realloc(v, (size_t)(n + 1) * sizeof(*v));
		if (!grown)
			break;
		v = grown;
		if (!(v[n] = strdup(e->d_name)))
			break;
		n++;
	}
	closedir(d);
	qsort(v, (size_t)n, sizeof(*v), cmp_name);
	*out = v;
	return n;
}

/* List one operand; returns 0 or 1. */
static int ls_one(const char *path, const struct opts *o, int header)
{
	char **names = NULL, full[4096];
	struct stat sb;
	long n, i;

	if (stat(path, &sb) < 0)
		goto fail;
	if (!S_ISDIR(sb.st_mode)) {
		print_entry(path, path, o);
		return 0;
	}
	n = read_names(path, o, &names);
	if (n < 0)
		goto fail;
	if (header)
		printf("%s:\n", path);
	for (i = 0; i < n; i++) {
		snprintf(full, sizeof(full), "%s/%s", path, names[i]);
		print_entry(full, names[i], o);
		free(names[i]);
	}
	free(names);
	return 0;
fail:
	fprintf(stderr, "ls: %s: %s\n", path, strerror(errno));
	return 1;
}

/* Entry point; usage and behaviour in the comment at the top of this file. */
int main(int argc, char **argv)
{
	struct opts o = { 0, 0 };
	int i = 1, r = 0, many;

	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		for (const char *f = argv[i] + 1; *f; f++) {
			if (*f == 'a')
				o.all = 1;
			else if (*f == 'l')
				o.longfmt = 1;
			else {
				fprintf(stderr, "usage: ls [-al] [PATH...]\n");
				return 2;
			}
		}
	}
	if (i == argc)
		return ls_one(".", &o, 0);
	many = argc - i > 1;
	for (; i < argc; i++)
		r |= ls_one(argv[i], &o, many);
	return r;
}
