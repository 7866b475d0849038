/* Minimal printf for a freestanding kernel: enough for diagnostics and TAP. */
#include "kprintf.h"

#include "../hal.h"
#include "string.h"

struct outbuf {
	char *buf;
	size_t size;
	size_t len;
};

/* Append one character, counting it even when the buffer is full. */
static void out_char(struct outbuf *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

/* Append a string padded to width (left-aligned when left is set). */
static void out_padded(struct outbuf *o, const char *s, size_t n, int width, bool left,
		       char pad)
{
	int fill = width > (int)n ? width - (int)n : 0;

	for (; !left && fill > 0; fill--)
		out_char(o, pad);
	while (n--)
		out_char(o, *s++);
	for (; left && fill > 0; fill--)
		out_char(o, ' ');
}

/* Render an unsigned value in base into tmp (backwards); returns the digit count. */
static size_t utoa_rev(char *tmp, unsigned long long v, unsigned base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	size_t n = 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	return n;
}

/* Emit a number with sign, zero padding and width. */
static void out_number(struct outbuf *o, unsigned long long v, bool negative, unsigned base,
		       bool upper, int width, bool left, char pad)
{
	char tmp[24], num[25];
	size_t n = utoa_rev(tmp, v, base, upper), len = 0;

	if (negative && pad == '0') {
		out_char(o, '-');
		width = width > 0 ? width - 1 : 0;
	} else if (negative) {
		num[len++] = '-';
	}
	while (n)
		num[len++] = tmp[--n];
	out_padded(o, num, len, width, left, pad);
}

/* Fetch a signed integer argument of the given length modifier. */
static long long arg_signed(va_list *ap, int lmod)
{
	if (lmod >= 2)
		return va_arg(*ap, long long);
	if (lmod == 1)
		return va_arg(*ap, long);
	return va_arg(*ap, int);
}

/* Fetch an unsigned integer argument of the given length modifier. */
static unsigned long long arg_unsigned(va_list *ap, int lmod)
{
	if (lmod >= 2)
		return va_arg(*ap, unsigned long long);
	if (lmod == 1)
		return va_arg(*ap, unsigned long);
	return va_arg(*ap, unsigned int);
}

/* Handle one conversion character c with the parsed flags. */
static void out_conversion(struct outbuf *o, char c, va_list *ap, int lmod, int width,
			   bool left, char pad)
{
	long long s;
	const char *str;
	char ch;

	switch (c) {
	case 'd':
	case 'i':
		s = arg_signed(ap, lmod);
		out_number(o, s < 0 ? 0ULL - (unsigned long long)s : (unsigned long long)s,
			   s < 0, 10, false, width, left, pad);
		break;
	case 'u':
		out_number(o, arg_unsigned(ap, lmod), false, 10, false, width, left, pad);
		break;
	case 'x':
	case 'X':
		out_number(o, arg_unsigned(ap, lmod), false, 16, c == 'X', width, left, pad);
		break;
	case 'o':
		out_number(o, arg_unsigned(ap, lmod), false, 8, false, width, left, pad);
		break;
	case 'p':
		out_padded(o, "0x", 2, 0, false, ' ');
		out_number(o, (uintptr_t)va_arg(*ap, void *), false, 16, false, width, left,
			   pad);
		break;
	case 'c':
		ch = (char)va_arg(*ap, int);
		out_padded(o, &ch, 1, width, left, ' ');
		break;
	case 's':
		str = va_arg(*ap, const char *);
		if (!str)
			str = "(null)";
		out_padded(o, str, strnlen(str, (size_t)-1), width, left, ' ');
		break;
	default:
		out_char(o, '%');
		out_char(o, c);
		break;
	}
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct outbuf o = { buf, size, 0 };
	va_list args;

	va_copy(args, ap);
	for (; *fmt; fmt++) {
		bool left = false;
		char pad = ' ';
		int width = 0, lmod = 0;

		if (*fmt != '%') {
			out_char(&o, *fmt);
			continue;
		}
		if (*++fmt == '%') {
			out_char(&o, '%');
			continue;
		}
		for (; *fmt == '-' || *fmt == '0'; fmt++)
			*fmt == '-' ? (left = true) : (pad = '0');
		for (; *fmt >= '0' && *fmt <= '9'; fmt++)
			width = width * 10 + (*fmt - '0');
		for (; *fmt == 'l' || *fmt == 'z'; fmt++)
			lmod++;
		if (!*fmt)
			break;
		out_conversion(&o, *fmt, &args, lmod, width, left, left ? ' ' : pad);
	}
	va_end(args);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int kprintf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 1)
		n = (int)sizeof(buf) - 1;
	hal_console_write(buf, (size_t)n);
	return n;
}

_Noreturn void panic(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = ksnprintf(buf, sizeof(buf), "panic: ");
	kvsnprintf(buf + n, sizeof(buf) - (size_t)n, fmt, ap);
	va_end(ap);
	kprintf("%s\n", buf);
	hal_halt(HAL_HALT_PANIC);
}
