/* lineedit.c: reading command lines. On a terminal (termios works): raw mode with
 * echo done here, backspace (UTF-8 aware), Ctrl-U kills the line, Ctrl-C cancels it,
 * Ctrl-D on an empty line is EOF, escape sequences (arrows) are ignored. Otherwise
 * the line is read byte by byte so no input meant for child processes is consumed. */
#include "sh.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

struct line {
	char *p;
	size_t len, cap;
};

/* Append byte c to l; returns 0 or -1 on ENOMEM. */
static int line_put(struct line *l, char c)
{
	char *grown;

	if (l->len + 2 > l->cap) {
		l->cap = l->cap ? l->cap * 2 : 128;
		grown = realloc(l->p, l->cap);
		if (!grown)
			return -1;
		l->p = grown;
	}
	l->p[l->len++] = c;
	l->p[l->len] = '\0';
	return 0;
}

/* Read one byte from fd, retrying on EINTR; returns 1, 0 at EOF, -1 on error. */
static int read_byte(int fd, char *c)
{
	ssize_t r;

	do {
		r = read(fd, c, 1);
	} while (r < 0 && errno == EINTR);
	return (int)r;
}

/* Write a string to the terminal. */
static void out(int fd, const char *s)
{
	if (write(fd, s, strlen(s)) < 0)
		return;
}

/* Erase the last character (all bytes of a UTF-8 sequence) from l and the screen. */
static void rubout(int fd, struct line *l)
{
	if (!l->len)
		return;
	while (l->len > 1 && (l->p[l->len - 1] & 0xc0) == 0x80)
		l->len--;
	l->p[--l->len] = '\0';
	out(fd, "\b \b");
}

/* Skip the rest of an escape sequence after ESC. */
static void skip_escape(int fd)
{
	char c;

	if (read_byte(fd, &c) != 1 || (c != '[' && c != 'O'))
		return;
	while (read_byte(fd, &c) == 1 && !(c >= '@' && c <= '~'))
		;
}

/* Edit one line in raw mode; returns 1 done, 0 EOF, -1 error. */
static int edit(int fd, int ofd, struct line *l)
{
	char c;

	for (;;) {
		if (read_byte(fd, &c) != 1)
			return l->len ? 1 : 0;
		if (c == '\r' || c == '\n') {
			out(ofd, "\r\n");
			return 1;
		} else if (c == 0x7f || c == '\b') {
			rubout(ofd, l);
		} else if (c == 0x15) {        /* Ctrl-U */
			while (l->len)
				rubout(ofd, l);
		} else if (c == 0x03) {        /* Ctrl-C */
			out(ofd, "^C\r\n");
			l->len = 0;
			if (l->p)
				l->p[0] = '\0';
			return 1;
		} else if (c == 0x04) {        /* Ctrl-D */
			if (!l->len)
				return 0;
		} else if (c == 0x1b) {
			skip_escape(fd);
		} else if ((unsigned char)c >= 0x20 || c == '\t') {
			if (line_put(l, c) < 0)
				return -1;
			if (write(ofd, &c, 1) < 0)
				return -1;
		}
	}
}

/* Read a line byte by byte (no terminal editing); returns 1 line, 0 EOF, -1 error. */
static int plain(int fd, struct line *l)
{
	char c;
	int r;

	while ((r = read_byte(fd, &c)) == 1) {
		if (c == '\n')
			return 1;
		if (line_put(l, c) < 0)
			return -1;
	}
	return l->len ? 1 : r;
}

/* Contract: see its declaration in sh.h. */
char *le_readline(int fd, const char *prompt)
{
	struct line l = { NULL, 0, 0 };
	struct termios old, raw;
	int r, tty = isatty(fd) && tcgetattr(fd, &old) == 0;

	if (prompt)
		out(2, prompt);
	if (tty) {
		raw = old;
		raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ISIG | IEXTEN);
		raw.c_iflag &= ~(tcflag_t)(ICRNL | IXON);
		raw.c_cc[VMIN] = 1;
		raw.c_cc[VTIME] = 0;
		tty = tcsetattr(fd, TCSAFLUSH, &raw) == 0;
	}
	r = tty ? edit(fd, 2, &l) : plain(fd, &l);
	if (tty)
		tcsetattr(fd, TCSAFLUSH, &old);
	if (r == 1 && !l.p)
		line_put(&l, '\0');
	if (r != 1) {
		free(l.p);
		return NULL;
	}
	return l.p;
}
