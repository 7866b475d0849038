/* Output of the hosted fork benchmark: a data file for gnuplot and a Markdown
 * section (machine, table, targets with verdicts) for bench/RESULTS.md. */
#define _GNU_SOURCE
#include <math.h>
#include <string.h>
#include <sys/utsname.h>

#include "bench.h"

/* Targets from issue 8. */
#define TARGET_EAGER_VS_MEMCPY 1.3 /* eager ns/page <= 1.3 x memcpy ns/page */
#define TARGET_COW_VS_LINUX 0.5    /* COW ns/page <= 0.5 x Linux ns/page ... */
#define TARGET_COW_AT ((size_t)256 << 20) /* ... at 256 MiB resident */
#define TARGET_SLOPE 1.05          /* log-log slope of COW time vs size: linear */
#define SLOPE_FROM ((size_t)4 << 20) /* fit from here up (fixed costs dominate below) */

/* ns per page of t for row r. */
static double per_page(const struct bench_row *r, double t)
{
	return t / bench_pages(r->bytes);
}

/* Cleave's like-for-like figure for Linux's fork+_exit+wait: fork plus destroy. */
static double cow_total(const struct bench_row *r)
{
	return r->cow_fork + r->cow_destroy;
}

void report_data(FILE *f, const struct bench_run *run)
{
	fprintf(f, "# mib cow_fork_us cow_destroy_us eager_fork_us eager_destroy_us "
		   "memcpy_us linux_fork_us cow_total_us\n");
	for (size_t i = 0; i < run->nrows; i++) {
		const struct bench_row *r = &run->rows[i];

		fprintf(f, "%zu %.1f %.1f %.1f %.1f %.1f %.1f %.1f\n", r->bytes / BENCH_MIB,
			r->cow_fork / 1e3, r->cow_destroy / 1e3, r->eager_fork / 1e3,
			r->eager_destroy / 1e3, r->memcpy_ns / 1e3, r->linux_fork / 1e3,
			cow_total(r) / 1e3);
	}
}

/* The "model name" line of /proc/cpuinfo into buf, or "unknown CPU". */
static void cpu_model(char *buf, size_t n)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[256];

	snprintf(buf, n, "unknown CPU");
	while (f && fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (strncmp(line, "model name", 10) == 0 && colon) {
			snprintf(buf, n, "%s", colon + 2);
			buf[strcspn(buf, "\n")] = '\0';
			break;
		}
	}
	if (f)
		fclose(f);
}

/* Setup paragraph: machine, build, method. */
static void report_setup(FILE *f, const struct bench_run *run)
{
	struct utsname u;
	char cpu[128];

	cpu_model(cpu, sizeof(cpu));
	uname(&u);
	fprintf(f, "## Hosted: `aspace_fork` per page, %s PTE format\n\n", run->format);
	fprintf(f, "Host: %s, Linux %s. Cleave core + platform/hosted built with `-O2` "
		   "(`bench/hosted_fork`). Each figure is the median of %d rounds "
		   "(CLOCK_MONOTONIC); before every round the parent writes one word in each "
		   "page, untimed, on Cleave and on Linux alike. All memory is 4 KiB pages "
		   "(host THP off for every buffer). memcpy copies the same bytes in 4 KiB "
		   "chunks between pre-faulted buffers. Linux = `fork()` + child `_exit(0)` + "
		   "`waitpid()` of a process with that much touched private memory (bare "
		   "process: %.0f us), so its like-for-like Cleave figure is fork + destroy. "
		   "A round times all four back to back; the ratio columns are medians of "
		   "the per-round ratios (figures paired under the same machine load).\n\n",
		cpu, u.release, run->rounds, run->linux_base / 1e3);
}

/* The table: absolute medians, then per-page costs and ratios. */
static void report_table(FILE *f, const struct bench_run *run)
{
	fprintf(f, "| size | COW fork us | COW destroy us | eager fork us | eager destroy us "
		   "| memcpy us | Linux fork us | COW ns/pg | COW+destroy ns/pg | eager ns/pg "
		   "| memcpy ns/pg | Linux ns/pg | eager/memcpy | COW/Linux | "
		   "(COW+destroy)/Linux |\n");
	fprintf(f, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
	for (size_t i = 0; i < run->nrows; i++) {
		const struct bench_row *r = &run->rows[i];

		fprintf(f, "| %zu MiB | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.1f | %.1f | "
			   "%.1f | %.1f | %.1f | %.2f | %.2f | %.2f |\n",
			r->bytes / BENCH_MIB, r->cow_fork / 1e3, r->cow_destroy / 1e3,
			r->eager_fork / 1e3, r->eager_destroy / 1e3, r->memcpy_ns / 1e3,
			r->linux_fork / 1e3, per_page(r, r->cow_fork), per_page(r, cow_total(r)),
			per_page(r, r->eager_fork), per_page(r, r->memcpy_ns),
			per_page(r, r->linux_fork), r->eager_vs_memcpy, r->cow_vs_linux,
			r->cow_total_vs_linux);
	}
	fprintf(f, "\n");
}

/* Least-squares slope of log(cow_total) against log(size) over sizes >= SLOPE_FROM;
 * 1.0 is linear growth. NAN with fewer than two such sizes. */
static double cow_slope(const struct bench_run *run)
{
	double sx = 0, sy = 0, sxx = 0, sxy = 0;
	int n = 0;

	for (size_t i = 0; i < run->nrows; i++) {
		const struct bench_row *r = &run->rows[i];
		double x = log((double)r->bytes), y = log(cow_total(r));

		if (r->bytes < SLOPE_FROM)
			continue;
		sx += x, sy += y, sxx += x * x, sxy += x * y, n++;
	}
	if (n < 2)
		return NAN;
	return (n * sxy - sx * sy) / (n * sxx - sx * sx);
}

/* The row for bytes, or NULL. */
static const struct bench_row *row_at(const struct bench_run *run, size_t bytes)
{
	for (size_t i = 0; i < run->nrows; i++)
		if (run->rows[i].bytes == bytes)
			return &run->rows[i];
	return NULL;
}

/* One verdict line; returns 1 when missed. */
static int verdict(FILE *f, int ok, const char *what)
{
	fprintf(f, "- **%s** %s\n", ok ? "met" : "MISSED", what);
	return !ok;
}

/* Targets of issue 8 with the measured figures. Returns the number missed. */
static int report_targets(FILE *f, const struct bench_run *run)
{
	const struct bench_row *worst = &run->rows[0], *at = row_at(run, TARGET_COW_AT);
	double slope = cow_slope(run);
	char what[320];
	int missed = 0;

	for (size_t i = 1; i < run->nrows; i++)
		if (run->rows[i].eager_vs_memcpy > worst->eager_vs_memcpy)
			worst = &run->rows[i];
	fprintf(f, "Targets (issue 8):\n\n");
	snprintf(what, sizeof(what), "eager fork per page <= %.1fx memcpy of 4 KiB at every "
		 "size: worst %.2fx at %zu MiB.", TARGET_EAGER_VS_MEMCPY,
		 worst->eager_vs_memcpy, worst->bytes / BENCH_MIB);
	missed += verdict(f, worst->eager_vs_memcpy <= TARGET_EAGER_VS_MEMCPY, what);
	if (at) {
		snprintf(what, sizeof(what), "COW fork per page <= %.1fx Linux's at 256 MiB: "
			 "fork + destroy %.1f ns/page = %.2fx Linux's %.1f ns/page (fork alone "
			 "%.1f ns/page = %.2fx).", TARGET_COW_VS_LINUX, per_page(at, cow_total(at)),
			 at->cow_total_vs_linux, per_page(at, at->linux_fork),
			 per_page(at, at->cow_fork), at->cow_vs_linux);
		missed += verdict(f, at->cow_total_vs_linux <= TARGET_COW_VS_LINUX, what);
	}
	snprintf(what, sizeof(what), "COW fork (+ destroy) grows linearly or better: "
		 "log-log slope %.3f from 4 MiB up (target <= %.2f; 1 = linear).", slope,
		 TARGET_SLOPE);
	missed += verdict(f, slope <= TARGET_SLOPE, what);
	fprintf(f, "\n");
	return missed;
}

int report_markdown(FILE *f, const struct bench_run *run, const char *png)
{
	int missed;

	report_setup(f, run);
	report_table(f, run);
	missed = report_targets(f, run);
	if (png)
		fprintf(f, "![fork latency against resident size (%s)](%s)\n\n", run->format, png);
	return missed;
}
