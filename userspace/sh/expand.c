/* expand.c: word expansion: quote removal, parameters ($NAME ${NAME} $? $$ $# $0-$9)
 * ($! too) and a leading ~. Single quotes are literal; inside double quotes only $ and the
 * backslash escapes \$ \" \\ \` are special. No field splitting, no globbing. */
#include "sh.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct buf {
	char *p;
	size_t len, cap;
	int oom;
};

/* Append n bytes of s to b (records ENOMEM in b->oom). */
static void put(struct buf *b, const char *s, size_t n)
{
	char *grown;

	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		grown = realloc(b->p, b->cap);
		if (!grown) {
			b->oom = 1;
			return;
		}
		b->p = grown;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

/* Append the value of special or positional parameter c ('?', '$', '!', '#', '0'-'9'). */
static void put_special(struct buf *b, char c)
{
	char num[24];
	int i;

	if (c == '?')
		snprintf(num, sizeof(num), "%d", sh.last_status);
	else if (c == '$')
		snprintf(num, sizeof(num), "%d", (int)getpid());
	else if (c == '!')
		snprintf(num, sizeof(num), "%d", (int)sh.last_bg);
	else if (c == '#')
		snprintf(num, sizeof(num), "%d", sh.argc > 0 ? sh.argc - 1 : 0);
	else {
		i = c - '0';
		if (i < sh.argc)
			put(b, sh.argv[i], strlen(sh.argv[i]));
		return;
	}
	put(b, num, strlen(num));
}

/* Expand the parameter at s (just after '$') into b; returns chars consumed. */
static size_t put_param(struct buf *b, const char *s)
{
	char name[256];
	size_t n = 0, used;
	const char *v;

	if (s[0] && strchr("?$!#0123456789", s[0])) {
		put_special(b, s[0]);
		return 1;
	}
	if (s[0] == '{') {
		used = strcspn(s + 1, "}");
		if (!s[1 + used] || used >= sizeof(name))
			goto literal;
		memcpy(name, s + 1, used);
		name[used] = '\0';
		used += 2;
	} else {
		while ((isalnum((unsigned char)s[n]) || s[n] == '_') && n < sizeof(name) - 1)
			n++;
		if (n == 0)
			goto literal;
		memcpy(name, s, n);
		name[n] = '\0';
		used = n;
	}
	if (name[0] && strchr("?$!#0123456789", name[0]) && !name[1]) {
		put_special(b, name[0]);
		return used;
	}
	v = getenv(name);
	if (v)
		put(b, v, strlen(v));
	return used;
literal:
	put(b, "$", 1);
	return 0;
}

/* Contract: see its declaration in sh.h. */
char *expand_word(const char *raw)
{
	struct buf b = { NULL, 0, 0, 0 };
	const char *s = raw, *home;
	int dq = 0;

	put(&b, "", 0);
	if (s[0] == '~' && (s[1] == '/' || !s[1]) && (home = getenv("HOME"))) {
		put(&b, home, strlen(home));
		s++;
	}
	while (*s) {
		if (!dq && *s == '\'') {
			size_t n = strcspn(s + 1, "'");
			put(&b, s + 1, n);
			s += n + 1 + (s[n + 1] == '\'');
		} else if (*s == '"') {
			dq = !dq;
			s++;
		} else if (*s == '\\' && s[1] && (!dq || strchr("$\"\\`\n", s[1]))) {
			put(&b, s + 1, 1);
			s += 2;
		} else if (*s == '$') {
			s += 1 + put_param(&b, s + 1);
		} else {
			put(&b, s, 1);
			s++;
		}
	}
	if (b.oom) {
		free(b.p);
		return NULL;
	}
	return b.p;
}

/* Contract: see its declaration in sh.h. */
int is_assignment(const char *raw)
{
	size_t n = 0;

	if (!isalpha((unsigned char)raw[0]) && raw[0] != '_')
		return 0;
	while (isalnum((unsigned char)raw[n]) || raw[n] == '_')
		n++;
	return raw[n] == '=';
}
