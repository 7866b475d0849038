/* Freestanding string routines for the kernels (hosted builds use libc's). */
#include "string.h"

/*
 * memcpy, memmove and memset move aligned 8-byte words, eight per loop step, and
 * bytes only at unaligned ends: the kernels zero and copy whole pages with them
 * (page tables, COW copies, exec loads), where a byte loop cost 4 instructions a
 * byte. Word accesses are only made at 8-byte aligned addresses (aarch64 runs with
 * strict alignment). No libc builtins are used, so nothing here calls itself.
 */
typedef uint64_t word_t;
#define WORD_SIZE sizeof(word_t)
#define WORD_MASK (WORD_SIZE - 1)

/* Copy n words from s to d, lowest first (safe for d < s when they overlap). */
static void copy_words_up(word_t *d, const word_t *s, size_t n)
{
	for (; n >= 8; n -= 8, d += 8, s += 8) {
		word_t w0 = s[0], w1 = s[1], w2 = s[2], w3 = s[3];
		word_t w4 = s[4], w5 = s[5], w6 = s[6], w7 = s[7];

		d[0] = w0, d[1] = w1, d[2] = w2, d[3] = w3;
		d[4] = w4, d[5] = w5, d[6] = w6, d[7] = w7;
	}
	while (n--)
		*d++ = *s++;
}

/* Store n copies of w at d. */
static void set_words(word_t *d, word_t w, size_t n)
{
	for (; n >= 8; n -= 8, d += 8) {
		d[0] = w, d[1] = w, d[2] = w, d[3] = w;
		d[4] = w, d[5] = w, d[6] = w, d[7] = w;
	}
	while (n--)
		*d++ = w;
}

/* Bytes to copy one at a time before d reaches a word boundary (n at most). */
static size_t head_bytes(const void *d, size_t n)
{
	size_t head = (WORD_SIZE - ((uintptr_t)d & WORD_MASK)) & WORD_MASK;

	return head < n ? head : n;
}

/* Copy n bytes from s to d in ascending order (correct also for an overlapping d < s:
 * every word is read before any store that could reach it). */
static void copy_up(unsigned char *d, const unsigned char *s, size_t n)
{
	if ((((uintptr_t)d ^ (uintptr_t)s) & WORD_MASK) == 0) {
		for (size_t head = head_bytes(d, n); head; head--, n--)
			*d++ = *s++;
		copy_words_up((word_t *)d, (const word_t *)s, n / WORD_SIZE);
		d += n & ~WORD_MASK;
		s += n & ~WORD_MASK;
		n &= WORD_MASK;
	}
	while (n--)
		*d++ = *s++;
}

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	copy_up(dst, src, n);
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d <= s || d >= s + n) {
		copy_up(d, s, n);
		return dst;
	}
	while (n--)
		d[n] = s[n];
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	word_t w = (unsigned char)c;

	for (size_t head = head_bytes(d, n); head; head--, n--)
		*d++ = (unsigned char)c;
	w |= w << 8;
	w |= w << 16;
	w |= w << 32;
	set_words((word_t *)d, w, n / WORD_SIZE);
	d += n & ~WORD_MASK;
	n &= WORD_MASK;
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			return 0;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}
