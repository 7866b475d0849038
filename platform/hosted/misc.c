/* Hosted HAL pieces with nothing to emulate: heap, console, halt. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "hosted.h"

void *hal_heap_alloc(size_t size)
{
	return calloc(1, size ? size : 1);
}

void hal_heap_free(void *p)
{
	free(p);
}

void hal_console_write(const char *s, size_t n)
{
	fwrite(s, 1, n, stderr);
}

_Noreturn void hal_halt(enum hal_halt_reason why)
{
	fflush(stderr);
	if (why == HAL_HALT_PANIC)
		abort();
	exit(0);
}
