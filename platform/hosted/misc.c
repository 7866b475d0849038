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

/* The hosted platform keeps nothing per task. */
void hal_task_free(struct task *t)
{
	(void)t;
}

_Noreturn void hal_halt(enum hal_halt_reason why)
{
	fflush(stderr);
	if (why == HAL_HALT_PANIC)
		abort();
	exit(0);
}

static uint64_t hosted_now_ns;
static uint64_t random_state = 0x853c49e6748fea9bULL;

uint64_t hal_clock_ns(void)
{
	return hosted_now_ns;
}

void hosted_clock_advance(uint64_t ns)
{
	hosted_now_ns += ns;
}

void hal_random_bytes(void *buf, size_t n)
{
	unsigned char *p = buf;

	/* xorshift64*: reproducible runs, which tests want more than entropy. */
	for (size_t i = 0; i < n; i++) {
		random_state ^= random_state >> 12;
		random_state ^= random_state << 25;
		random_state ^= random_state >> 27;
		p[i] = (unsigned char)((random_state * 0x2545f4914f6cdd1dULL) >> 56);
	}
}
