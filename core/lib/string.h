/* Freestanding memory and string routines (the compiler may also emit calls to these). */
#ifndef CLEAVE_STRING_H
#define CLEAVE_STRING_H

#include "types.h"

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);

/* Copy src into dst of size bytes, always terminated when size > 0; returns
 * strlen(src) (a result >= size means it was truncated). In every build. */
size_t kstrlcpy(char *dst, const char *src, size_t size);

#endif
