/*
 * The host references a Cleave fork is judged against: memcpy of the same bytes
 * (the limit for an eager copy) and the host Linux kernel's own fork of a process
 * with the same resident size (the peer for a copy-on-write fork).
 */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double bench_median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* bytes of private anonymous memory in 4 KiB pages (no THP), every page written;
 * exits on failure. */
static unsigned char *host_map_touched(size_t bytes)
{
	unsigned char *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("bench: mmap");
		exit(2);
	}
	madvise(p, bytes, MADV_NOHUGEPAGE);
	memset(p, 0x5a, bytes);
	return p;
}

/* Write one word in every page of [p, p+bytes), as a running parent does. */
static void host_dirty(unsigned char *p, size_t bytes, unsigned seed)
{
	for (size_t off = 0; off < bytes; off += BENCH_PAGE)
		*(volatile unsigned *)(p + off) = seed + (unsigned)off;
}

void host_copy_init(struct host_copy *c, size_t bytes)
{
	c->bytes = bytes;
	c->src = host_map_touched(bytes);
	c->dst = host_map_touched(bytes);
}

double host_copy_once(struct host_copy *c, size_t bytes, unsigned seed)
{
	uint64_t t0;

	if (bytes > c->bytes) {
		fprintf(stderr, "bench: memcpy reference buffers too small\n");
		exit(2);
	}
	host_dirty(c->src, bytes, seed);
	t0 = bench_now_ns();
	for (size_t off = 0; off < bytes; off += BENCH_PAGE)
		memcpy(c->dst + off, c->src + off, BENCH_PAGE);
	__asm__ volatile("" : : "r"(c->dst) : "memory"); /* keep the copies */
	return (double)(bench_now_ns() - t0);
}

void host_copy_fini(struct host_copy *c)
{
	munmap(c->src, c->bytes);
	munmap(c->dst, c->bytes);
}

/* One fork()+_exit(0)+waitpid() in ns; exits on failure. */
static double host_fork_once(void)
{
	uint64_t t0 = bench_now_ns();
	pid_t pid = fork();
	int status;

	if (pid < 0) {
		perror("bench: fork");
		exit(2);
	}
	if (pid == 0)
		_exit(0);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) {
		perror("bench: waitpid");
		exit(2);
	}
	return (double)(bench_now_ns() - t0);
}

/* Read or write exactly n bytes on fd; false on EOF or error. */
static bool full_io(int fd, void *buf, size_t n, bool out)
{
	char *p = buf;

	while (n) {
		ssize_t k = out ? write(fd, p, n) : read(fd, p, n);

		if (k <= 0)
			return false;
		p += k;
		n -= (size_t)k;
	}
	return true;
}

/* The forker's loop: for each requested size (SIZE_MAX: stop) keep that much
 * touched memory mapped, dirty it, time one fork and send the ns back. */
static _Noreturn void forker_serve(int in, int out)
{
	unsigned char *p = NULL;
	size_t have = 0, want;
	unsigned seed = 0;

	while (full_io(in, &want, sizeof(want), false) && want != SIZE_MAX) {
		double ns;

		if (want != have) {
			if (p)
				munmap(p, have);
			p = want ? host_map_touched(want) : NULL;
			have = want;
		}
		if (p)
			host_dirty(p, have, seed++);
		ns = host_fork_once();
		if (!full_io(out, &ns, sizeof(ns), true))
			break;
	}
	_exit(0);
}

void host_forker_start(struct host_forker *f)
{
	int req[2], resp[2];

	if (pipe(req) || pipe(resp)) {
		perror("bench: pipe");
		exit(2);
	}
	f->pid = fork();
	if (f->pid < 0) {
		perror("bench: fork");
		exit(2);
	}
	if (f->pid == 0) {
		close(req[1]);
		close(resp[0]);
		forker_serve(req[0], resp[1]);
	}
	close(req[0]);
	close(resp[1]);
	f->to = req[1];
	f->from = resp[0];
}

double host_forker_once(struct host_forker *f, size_t bytes)
{
	double ns;

	if (!full_io(f->to, &bytes, sizeof(bytes), true) ||
	    !full_io(f->from, &ns, sizeof(ns), false)) {
		fprintf(stderr, "bench: the fork helper died\n");
		exit(2);
	}
	return ns;
}

void host_forker_stop(struct host_forker *f)
{
	size_t stop = SIZE_MAX;

	full_io(f->to, &stop, sizeof(stop), true);
	close(f->to);
	close(f->from);
	waitpid(f->pid, NULL, 0);
}
