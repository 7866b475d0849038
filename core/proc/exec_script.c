/*
 * The `#!` line parser: Linux's binfmt_script rules (checked against Linux 6.18 on
 * the host), written from their description. See exec_script_parse() in
 * exec_internal.h for the rules.
 */
#include "../lib/errno.h"
#include "exec_internal.h"

/* True for the two characters binfmt_script treats as blanks. */
static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* The first byte of [p, last] that is not a blank, or NULL. */
static char *skip_blanks(char *p, char *last)
{
	for (; p <= last; p++)
		if (!is_blank(*p))
			return p;
	return NULL;
}

/* The first byte of [p, last] that is a blank or a NUL, or NULL. */
static char *find_word_end(char *p, char *last)
{
	for (; p <= last; p++)
		if (is_blank(*p) || *p == '\0')
			return p;
	return NULL;
}

/* The first '\n' of buf[0, n) that comes before any NUL, or NULL. */
static char *find_newline(char *buf, size_t n)
{
	for (size_t i = 0; i < n && buf[i] != '\0'; i++)
		if (buf[i] == '\n')
			return buf + i;
	return NULL;
}

/* End (exclusive) of the interpreter line in buf, or NULL when it cannot be parsed:
 * no newline and only blanks, or a name that may continue past the buffer. */
static char *line_end(char *buf)
{
	char *last = buf + EXEC_BINPRM_BUF_SIZE - 1;
	char *end = find_newline(buf, EXEC_BINPRM_BUF_SIZE), *first;

	if (end)
		return end;
	first = skip_blanks(buf + 2, last);
	if (!first || !find_word_end(first, last))
		return NULL;
	return last; /* the last byte is given up, as Linux does */
}

/* Parse buf (EXEC_BINPRM_BUF_SIZE bytes) as a `#!` line; 0 or -ENOEXEC. */
int exec_script_parse(char *buf, struct exec_shebang *out)
{
	char *end, *name, *sep;

	if (buf[0] != '#' || buf[1] != '!')
		return -ENOEXEC;
	end = line_end(buf);
	if (!end)
		return -ENOEXEC;
	while (is_blank(end[-1])) /* buf[1] == '!' stops the walk */
		end--;
	name = skip_blanks(buf + 2, end);
	if (!name || name == end)
		return -ENOEXEC;
	sep = find_word_end(name, end);
	out->arg = NULL;
	if (sep && *sep != '\0')
		out->arg = skip_blanks(sep, end);
	*end = '\0';
	if (sep)
		*sep = '\0';
	out->name = name;
	return 0;
}
