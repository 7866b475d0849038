/*
 * Hosted fork benchmark: shared types and helpers. The driver (hosted_fork.c)
 * measures Cleave's aspace_fork on the hosted platform; host_ref.c measures the two
 * references it is judged against (memcpy of the same bytes, the host Linux's own
 * fork); report.c writes the data file for gnuplot and the Markdown table.
 */
#ifndef CLEAVE_BENCH_H
#define CLEAVE_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define BENCH_PAGE 4096u
#define BENCH_MIB ((size_t)1 << 20)
#define BENCH_MAX_SIZES 16
#define BENCH_MAX_ROUNDS 64

/* Median timings (nanoseconds) for one resident size. */
struct bench_row {
	size_t bytes;          /* touched private memory in the parent */
	double cow_fork;       /* aspace_fork(FORK_COW) */
	double cow_destroy;    /* aspace_put() of that child */
	double eager_fork;     /* aspace_fork(FORK_EAGER) */
	double eager_destroy;  /* aspace_put() of that child */
	double memcpy_ns;      /* memcpy of the same bytes in 4 KiB chunks */
	double linux_fork;     /* host fork() + child _exit(0) + waitpid() */
	/* Medians of the per-round ratios (each round times all four back to back, so
	 * these pair figures taken under the same machine load). */
	double eager_vs_memcpy;     /* eager fork / memcpy */
	double cow_vs_linux;        /* COW fork / Linux fork */
	double cow_total_vs_linux;  /* (COW fork + destroy) / Linux fork */
};

/* Everything one run produced, plus what describes the machine. */
struct bench_run {
	const char *format;    /* PTE format of the Cleave build ("x86_64", "aarch64") */
	int rounds;            /* timed rounds per figure (medians are reported) */
	double linux_base;     /* host fork+_exit+wait of the bare benchmark process */
	size_t nrows;
	struct bench_row rows[BENCH_MAX_SIZES];
};

/* Monotonic time in nanoseconds (CLOCK_MONOTONIC). */
uint64_t bench_now_ns(void);
/* Median of n samples (n >= 1); reorders v. */
double bench_median(double *v, int n);
/* Pages in bytes of memory. */
static inline double bench_pages(size_t bytes)
{
	return (double)(bytes / BENCH_PAGE);
}

/* memcpy reference: two pre-faulted buffers of up to bytes each (4 KiB pages, no
 * THP), made once so every size copies between the same memory. */
struct host_copy {
	unsigned char *src, *dst;
	size_t bytes;
};
void host_copy_init(struct host_copy *c, size_t bytes);
/* Dirty the first bytes of src (untimed), then ns to memcpy them to dst in 4 KiB
 * chunks. */
double host_copy_once(struct host_copy *c, size_t bytes, unsigned seed);
void host_copy_fini(struct host_copy *c);

/* Linux fork reference: a helper process forked while this one is still small,
 * which keeps the requested amount of touched private memory (4 KiB pages) and
 * times fork()+_exit(0)+waitpid() on request, so its rounds interleave with
 * Cleave's and share the same machine conditions. */
struct host_forker {
	int pid, to, from;
};
/* Start the helper; call it before the hosted RAM arena exists. */
void host_forker_start(struct host_forker *f);
/* ns of one fork of the helper after it touched bytes (0: a bare process). */
double host_forker_once(struct host_forker *f, size_t bytes);
void host_forker_stop(struct host_forker *f);

/* Write the rows as whitespace-separated columns for bench/plot.gp. */
void report_data(FILE *f, const struct bench_run *run);
/* Write the Markdown section for RESULTS.md: setup, table, targets and verdicts,
 * with png naming the plot image (relative to RESULTS.md). Returns the number of
 * targets missed. */
int report_markdown(FILE *f, const struct bench_run *run, const char *png);

#endif
