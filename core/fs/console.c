/* The console character device with a small line discipline (Linux termios subset:
 * ICANON editing, ECHO, ISIG, ICRNL, ONLCR), and /dev/null. Input arrives from the
 * platform through console_input(); readers wait on the console's channel. */
#include "fs_internal.h"

#include "../hal.h"
#include "../lib/errno.h"
#include "../lib/string.h"
#include "../mm/uaccess.h"
#include "../proc/sched.h"
#include "../proc/signal.h"

/* Linux ioctl numbers (asm-generic/ioctls.h, used by x86_64 and aarch64). */
#define TCGETS 0x5401
#define TCSETS 0x5402
#define TCSETSW 0x5403
#define TCSETSF 0x5404
#define TIOCGPGRP 0x540F
#define TIOCSPGRP 0x5410
#define TIOCGWINSZ 0x5413
#define TIOCSWINSZ 0x5414
#define FIONREAD 0x541B

/* termios flag bits and c_cc indices (asm-generic/termbits.h). */
#define ICRNL 0000400
#define IXON 0002000
#define OPOST 0000001
#define ONLCR 0000004
#define ISIG 0000001
#define ICANON 0000002
#define ECHO 0000010
#define ECHOE 0000020
#define ECHOK 0000040
#define ECHOCTL 0001000
#define ECHOKE 0004000
#define IEXTEN 0100000
#define CS8 0000060
#define CREAD 0000200
#define B38400 0000017
#define VINTR 0
#define VQUIT 1
#define VERASE 2
#define VKILL 3
#define VEOF 4
#define VTIME 5
#define VMIN 6
#define VEOL 11
#define NCCS 19

/* The kernel's struct termios on x86_64 and aarch64 (no speed fields): 36 bytes. */
struct ktermios {
	uint32_t c_iflag, c_oflag, c_cflag, c_lflag;
	uint8_t c_line;
	uint8_t c_cc[NCCS];
};

struct kwinsize {
	uint16_t ws_row, ws_col, ws_xpixel, ws_ypixel;
};

#define CON_RING 4096      /* readable entries (bytes and end-of-file marks) */
#define CON_LINE 1024      /* longest line being edited, newline included */
#define CON_EOF 0x100      /* ring entry: end of file (Ctrl-D), not a byte */

static struct console {
	struct ktermios tio;
	struct kwinsize winsize;
	uint16_t ring[CON_RING]; /* completed input, ready for read() */
	size_t head, count;
	char line[CON_LINE];     /* canonical mode: the line being edited */
	size_t line_len;
	int fg_pgrp;             /* foreground process group (0: none) */
} con;

void console_reset(void)
{
	static const uint8_t cc[NCCS] = { [VINTR] = 3, [VQUIT] = 0x1c, [VERASE] = 0x7f,
					  [VKILL] = 0x15, [VEOF] = 4, [VMIN] = 1 };

	memset(&con, 0, sizeof(con));
	con.tio.c_iflag = ICRNL | IXON;
	con.tio.c_oflag = OPOST | ONLCR;
	con.tio.c_cflag = B38400 | CS8 | CREAD;
	con.tio.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN;
	memcpy(con.tio.c_cc, cc, sizeof(cc));
	con.winsize.ws_row = 24;
	con.winsize.ws_col = 80;
}

/* Make sure the defaults are in place before the first use. */
static void console_ready(void)
{
	if (con.winsize.ws_col == 0)
		console_reset();
}

void console_set_foreground(int pgid)
{
	console_ready();
	con.fg_pgrp = pgid;
}

/* Write s[0..n) to the hardware, turning '\n' into "\r\n" under OPOST|ONLCR. */
static void console_output(const char *s, size_t n)
{
	bool crlf = (con.tio.c_oflag & (OPOST | ONLCR)) == (OPOST | ONLCR);
	size_t start = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] != '\n' || !crlf)
			continue;
		hal_console_write(s + start, i - start);
		hal_console_write("\r\n", 2);
		start = i + 1;
	}
	hal_console_write(s + start, n - start);
}

/* Echo input byte c when ECHO is on (control characters as ^X with ECHOCTL). */
static void echo_char(char c)
{
	char ctl[2] = { '^', (char)(c ^ 0x40) };
	unsigned char u = (unsigned char)c;

	if (!(con.tio.c_lflag & ECHO))
		return;
	if ((u < 32 || u == 0x7f) && c != '\n' && c != '\t' && (con.tio.c_lflag & ECHOCTL))
		console_output(ctl, 2);
	else
		console_output(&c, 1);
}

/* Erase the last n characters from the screen (ECHO|ECHOE). */
static void echo_erase(size_t n)
{
	if ((con.tio.c_lflag & (ECHO | ECHOE)) != (ECHO | ECHOE))
		return;
	while (n--)
		hal_console_write("\b \b", 3);
}

/* Append entry v to the readable ring; false when it is full. */
static bool ring_push(uint16_t v)
{
	if (con.count == CON_RING)
		return false;
	con.ring[(con.head + con.count) % CON_RING] = v;
	con.count++;
	return true;
}

/* Entry i (0 = oldest) of the readable ring. */
static uint16_t ring_at(size_t i)
{
	return con.ring[(con.head + i) % CON_RING];
}

/* Move the edited line, then an end-of-file mark when eof, to the readable ring
 * (dropped whole when it does not fit) and wake readers. */
static void line_commit(bool eof)
{
	if (CON_RING - con.count >= con.line_len + (eof ? 1 : 0)) {
		for (size_t i = 0; i < con.line_len; i++)
			ring_push((unsigned char)con.line[i]);
		if (eof)
			ring_push(CON_EOF);
	}
	con.line_len = 0;
	sched_wake(&con);
}

/* ISIG: send sig to the foreground group and discard pending input. */
static void input_signal(char c, int sig)
{
	echo_char(c);
	con.line_len = 0;
	con.count = 0;
	if (con.fg_pgrp > 0)
		signal_send_pgrp(con.fg_pgrp, sig);
}

/* ICANON: edit the current line with byte c. */
static void input_canonical(char c)
{
	const uint8_t *cc = con.tio.c_cc;

	if ((uint8_t)c == cc[VERASE]) {
		if (con.line_len > 0) {
			con.line_len--;
			echo_erase(1);
		}
	} else if ((uint8_t)c == cc[VKILL]) {
		echo_erase(con.line_len);
		con.line_len = 0;
	} else if ((uint8_t)c == cc[VEOF]) {
		line_commit(true);
	} else if (c == '\n' || (cc[VEOL] && (uint8_t)c == cc[VEOL])) {
		con.line[con.line_len++] = c;
		echo_char(c);
		line_commit(false);
	} else if (con.line_len < CON_LINE - 1) { /* room kept for the newline */
		con.line[con.line_len++] = c;
		echo_char(c);
	}
}

/* Process one received byte through the line discipline. */
static void input_byte(char c)
{
	const uint8_t *cc = con.tio.c_cc;

	if (c == '\r' && (con.tio.c_iflag & ICRNL))
		c = '\n';
	if ((con.tio.c_lflag & ISIG) && (uint8_t)c == cc[VINTR] && cc[VINTR]) {
		input_signal(c, SIGINT);
	} else if ((con.tio.c_lflag & ISIG) && (uint8_t)c == cc[VQUIT] && cc[VQUIT]) {
		input_signal(c, SIGQUIT);
	} else if (con.tio.c_lflag & ICANON) {
		input_canonical(c);
	} else if (ring_push((unsigned char)c)) {
		echo_char(c);
		sched_wake(&con);
	}
}

void console_input(const char *s, size_t n)
{
	console_ready();
	for (size_t i = 0; i < n; i++)
		input_byte(s[i]);
}

/* How many ring entries one read of up to n bytes consumes, and *bytes how many
 * bytes it returns: canonical reads stop after a newline or at an EOF mark (which
 * is consumed); raw reads skip marks. */
static size_t read_extent(size_t n, size_t *bytes)
{
	bool canon = con.tio.c_lflag & ICANON;
	size_t i = 0, b = 0;

	while (i < con.count && b < n) {
		uint16_t v = ring_at(i);

		if (v == CON_EOF && canon) {
			i++;
			break;
		}
		i++;
		if (v == CON_EOF)
			continue;
		b++;
		if (canon && v == '\n')
			break;
	}
	*bytes = b;
	return i;
}

/* Copy the bytes of the first entries ring entries to ubuf: 0 or -EFAULT. */
static int read_copy(vaddr_t ubuf, size_t entries)
{
	char chunk[128];
	size_t k = 0;

	for (size_t i = 0; i < entries; i++) {
		uint16_t v = ring_at(i);

		if (v != CON_EOF)
			chunk[k++] = (char)v;
		if ((k == sizeof(chunk) || i + 1 == entries) && k) {
			if (copy_to_user(ubuf, chunk, k))
				return -EFAULT;
			ubuf += k;
			k = 0;
		}
	}
	return 0;
}

/* read(2): a line (canonical) or the bytes available (raw); blocks when empty
 * unless non-canonical with VMIN 0. Nothing is consumed on -EFAULT. */
static long console_read(struct file *f, vaddr_t ubuf, size_t n)
{
	size_t entries, bytes;

	console_ready();
	if (n == 0)
		return 0;
	if (con.count == 0) {
		if (!(con.tio.c_lflag & ICANON) && con.tio.c_cc[VMIN] == 0)
			return 0;
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		return sched_block(&con);
	}
	entries = read_extent(n, &bytes);
	if (read_copy(ubuf, entries))
		return -EFAULT;
	con.head = (con.head + entries) % CON_RING;
	con.count -= entries;
	return (long)bytes;
}

/* write(2): output through OPOST/ONLCR; bytes written, or -EFAULT when none were. */
static long console_write(struct file *f, vaddr_t ubuf, size_t n)
{
	char chunk[128];
	size_t done = 0;

	UNUSED(f);
	console_ready();
	while (done < n) {
		size_t k = MIN(n - done, sizeof(chunk));

		if (copy_from_user(chunk, ubuf + done, k))
			break;
		console_output(chunk, k);
		done += k;
	}
	return done || n == 0 ? (long)done : -EFAULT;
}

/* Apply new termios settings (TCSETS*): leaving canonical mode makes the line
 * being edited readable; flush discards pending input (TCSETSF). */
static void console_set_termios(const struct ktermios *t, bool flush)
{
	bool was_canon = con.tio.c_lflag & ICANON;

	if (flush) {
		con.count = 0;
		con.line_len = 0;
	}
	con.tio = *t;
	if (was_canon && !(t->c_lflag & ICANON)) {
		for (size_t i = 0; i < con.line_len; i++)
			ring_push((unsigned char)con.line[i]);
		con.line_len = 0;
		sched_wake(&con);
	}
}

/* Bytes a read could return now (FIONREAD). */
static int console_readable(void)
{
	int n = 0;

	for (size_t i = 0; i < con.count; i++)
		n += ring_at(i) != CON_EOF;
	return n;
}

/* Copy an int to user arg: 0 or -EFAULT. */
static long put_int(vaddr_t arg, int v)
{
	return copy_to_user(arg, &v, sizeof(v)) ? -EFAULT : 0;
}

/* TCSETS/TCSETSW/TCSETSF: 0 or -EFAULT. */
static long ioctl_set_termios(vaddr_t arg, bool flush)
{
	struct ktermios t;

	if (copy_from_user(&t, arg, sizeof(t)))
		return -EFAULT;
	console_set_termios(&t, flush);
	return 0;
}

/* TIOCSPGRP: 0, -EFAULT or -EINVAL for a negative group. */
static long ioctl_set_pgrp(vaddr_t arg)
{
	int pgid;

	if (copy_from_user(&pgid, arg, sizeof(pgid)))
		return -EFAULT;
	if (pgid < 0)
		return -EINVAL;
	con.fg_pgrp = pgid;
	return 0;
}

/* The console's terminal ioctls; -ENOTTY for any other request. */
static long console_ioctl(struct file *f, unsigned long cmd, vaddr_t arg)
{
	UNUSED(f);
	console_ready();
	switch (cmd) {
	case TCGETS:
		return copy_to_user(arg, &con.tio, sizeof(con.tio)) ? -EFAULT : 0;
	case TCSETS:
	case TCSETSW:
		return ioctl_set_termios(arg, false);
	case TCSETSF:
		return ioctl_set_termios(arg, true);
	case TIOCGWINSZ:
		return copy_to_user(arg, &con.winsize, sizeof(con.winsize)) ? -EFAULT : 0;
	case TIOCSWINSZ:
		return copy_from_user(&con.winsize, arg, sizeof(con.winsize)) ? -EFAULT : 0;
	case TIOCGPGRP:
		return put_int(arg, con.fg_pgrp);
	case TIOCSPGRP:
		return ioctl_set_pgrp(arg);
	case FIONREAD:
		return put_int(arg, console_readable());
	default:
		return -ENOTTY;
	}
}

/* /dev/null read: always end of file. */
static long null_read(struct file *f, vaddr_t ubuf, size_t n)
{
	UNUSED(f);
	UNUSED(ubuf);
	UNUSED(n);
	return 0;
}

/* /dev/null write: everything is accepted and dropped. */
static long null_write(struct file *f, vaddr_t ubuf, size_t n)
{
	UNUSED(f);
	UNUSED(ubuf);
	return (long)n;
}

static const struct file_ops console_ops = {
	.read = console_read,
	.write = console_write,
	.ioctl = console_ioctl,
};

static const struct file_ops null_ops = {
	.read = null_read,
	.write = null_write,
};

const struct file_ops *dev_lookup(unsigned rdev)
{
	if (rdev == DEV_CONSOLE || rdev == DEV_TTY)
		return &console_ops;
	if (rdev == DEV_NULL)
		return &null_ops;
	return NULL;
}

int vfs_register_devices(void)
{
	int err = fs_make_node("/dev/console", S_IFCHR | 0600, NULL, 0, DEV_CONSOLE);

	if (!err)
		err = fs_make_node("/dev/tty", S_IFCHR | 0666, NULL, 0, DEV_TTY);
	if (!err)
		err = fs_make_node("/dev/null", S_IFCHR | 0666, NULL, 0, DEV_NULL);
	return err;
}
