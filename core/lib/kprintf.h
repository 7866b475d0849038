/* Formatted output to the console, panic and assertions. */
#ifndef CLEAVE_KPRINTF_H
#define CLEAVE_KPRINTF_H

#include <stdarg.h>

#include "types.h"

/* Format into buf (always NUL-terminated if size > 0); returns the untruncated length.
 * Supports %d %i %u %x %X %o %c %s %p %% with flags 0 - and widths, and l/ll/z sizes. */
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
/* As kvsnprintf, with variadic arguments. */
int ksnprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Print to the platform console; returns the number of characters written. */
int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print "panic: <message>" and stop the machine; never returns. */
_Noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Invariant check: a false condition panics naming the function and the expression. */
#define KASSERT(cond)                                                              \
	do {                                                                       \
		if (!(cond))                                                       \
			panic("%s:%d: %s: assertion failed: %s", __FILE__, __LINE__, \
			      __func__, #cond);                                    \
	} while (0)

#endif
