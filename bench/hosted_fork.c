/*
 * Hosted fork benchmark (issue 8, hosted half): the cost per page of Cleave's
 * aspace_fork in copy-on-write and eager mode, and of destroying the child, for
 * parents with 1 MiB .. 1 GiB of touched private memory; beside memcpy of the same
 * bytes and the host Linux's fork()+_exit()+waitpid() of a process that size.
 *
 *   hosted_fork [-r rounds] [-s min_mib] [-m max_mib] [-d data.dat] [-o section.md]
 *               [-p png]
 *
 * Every figure is the median of `rounds` timed rounds (CLOCK_MONOTONIC); a round
 * times the four back to back so machine noise hits them alike. Before each fork the
 * parent writes one word in every page (untimed), so each fork starts from writable,
 * dirty pages as a running parent's would, on Cleave and on Linux alike.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bench.h"
#include "hosted.h"
#include "lib/kmem.h"
#include "mm/aspace.h"
#include "mm/frame.h"

/* Print why the benchmark cannot go on and exit with status 2. */
static _Noreturn void die(const char *what)
{
	fprintf(stderr, "hosted_fork: %s\n", what);
	exit(2);
}

/* Boot hosted RAM of bytes: host pages pre-faulted (4 KiB, no THP, as the Linux
 * reference uses) so no host page fault lands inside a timed region; frames ready. */
static void bench_machine_boot(size_t bytes)
{
	unsigned char *ram;

	hosted_ram_init(bytes);
	frame_verify_zeroed = false; /* measure what the kernels run, not the test checks */
	hosted_tlb_reset();
	ram = hal_phys_to_virt(HOSTED_RAM_BASE);
	madvise(ram, bytes, MADV_NOHUGEPAGE);
	memset(ram, 0, bytes);
	if (frames_init())
		die("frames_init failed");
	aspace_activate(NULL);
}

/* Write one word in every page of [base, base+bytes) of the active space through
 * the simulated MMU, as the running parent would (COW breaks reuse the frames). */
static void parent_dirty(vaddr_t base, size_t bytes, uint64_t seed)
{
	for (vaddr_t off = 0; off < bytes; off += BENCH_PAGE) {
		uint64_t word = seed ^ (off * 0x9e3779b97f4a7c15ULL);

		if (hosted_user_write(base + off, &word, sizeof(word)) != FAULT_HANDLED)
			die("parent write failed (hosted RAM too small?)");
	}
}

/* A new active space with bytes of private anonymous read-write memory at *base,
 * every page touched. */
static struct aspace *parent_create(size_t bytes, vaddr_t *base)
{
	struct aspace *as = aspace_create();
	long va;

	if (!as)
		die("aspace_create failed");
	va = aspace_mmap(as, 0, bytes, VM_READ | VM_WRITE,
			 LINUX_MAP_PRIVATE | LINUX_MAP_ANONYMOUS);
	if (va < 0)
		die("aspace_mmap failed");
	*base = (vaddr_t)va;
	aspace_activate(as);
	parent_dirty(*base, bytes, 1);
	return as;
}

/* Die unless child holds the parent's first word in 16 pages spread over the range. */
static void check_child(struct aspace *parent, struct aspace *child, vaddr_t base,
			size_t bytes)
{
	for (size_t i = 0; i < 16; i++) {
		vaddr_t va = base + ALIGN_DOWN(bytes / 16 * i, BENCH_PAGE);
		uint64_t a = 1, b = 2;

		if (aspace_read(parent, va, &a, sizeof(a)) || aspace_read(child, va, &b, sizeof(b)) ||
		    a != b)
			die("child does not hold the parent's data");
	}
}

/* Time one fork of parent (active) in mode into *fork_ns and the child's destroy
 * into *destroy_ns; the parent first writes every page (untimed). */
static void cleave_fork_once(struct aspace *parent, vaddr_t base, size_t bytes,
			     enum fork_mode mode, uint64_t seed, double *fork_ns,
			     double *destroy_ns)
{
	struct aspace *child;
	uint64_t t0;

	parent_dirty(base, bytes, seed);
	t0 = bench_now_ns();
	if (aspace_fork(parent, mode, &child))
		die("aspace_fork failed (hosted RAM too small?)");
	*fork_ns = (double)(bench_now_ns() - t0);
	if (seed < 2) /* the first round of each mode */
		check_child(parent, child, base, bytes);
	t0 = bench_now_ns();
	aspace_put(child);
	*destroy_ns = (double)(bench_now_ns() - t0);
}

/* Samples of one size, one array per column of struct bench_row. */
struct samples {
	double cow_fork[BENCH_MAX_ROUNDS], cow_destroy[BENCH_MAX_ROUNDS];
	double eager_fork[BENCH_MAX_ROUNDS], eager_destroy[BENCH_MAX_ROUNDS];
	double copy[BENCH_MAX_ROUNDS], linux_fork[BENCH_MAX_ROUNDS];
	double eager_vs_memcpy[BENCH_MAX_ROUNDS], cow_vs_linux[BENCH_MAX_ROUNDS];
	double cow_total_vs_linux[BENCH_MAX_ROUNDS];
};

/* Per-round ratios of round r into s. */
static void samples_ratios(struct samples *s, int r)
{
	s->eager_vs_memcpy[r] = s->eager_fork[r] / s->copy[r];
	s->cow_vs_linux[r] = s->cow_fork[r] / s->linux_fork[r];
	s->cow_total_vs_linux[r] = (s->cow_fork[r] + s->cow_destroy[r]) / s->linux_fork[r];
}

/* Fill row (its bytes set) with medians: every round times a Cleave COW fork, an
 * eager fork, the memcpy reference and a Linux fork back to back, so machine noise
 * hits all four alike. Dies if a frame or kernel object leaked. */
static void measure_size(struct bench_row *row, int rounds, struct host_forker *linux_ref,
			 struct host_copy *copy)
{
	size_t free0 = frames_free_count(), live0 = kmem_live_objects();
	static struct samples s;
	struct aspace *parent;
	vaddr_t base;

	parent = parent_create(row->bytes, &base);
	for (int r = 0; r < rounds; r++) {
		cleave_fork_once(parent, base, row->bytes, FORK_COW, 2 * (uint64_t)r,
				 &s.cow_fork[r], &s.cow_destroy[r]);
		cleave_fork_once(parent, base, row->bytes, FORK_EAGER, 2 * (uint64_t)r + 1,
				 &s.eager_fork[r], &s.eager_destroy[r]);
		s.copy[r] = host_copy_once(copy, row->bytes, (unsigned)r);
		s.linux_fork[r] = host_forker_once(linux_ref, row->bytes);
		samples_ratios(&s, r);
	}
	aspace_activate(NULL);
	aspace_put(parent);
	if (frames_free_count() != free0 || kmem_live_objects() != live0)
		die("frames or kernel objects leaked");
	row->cow_fork = bench_median(s.cow_fork, rounds);
	row->cow_destroy = bench_median(s.cow_destroy, rounds);
	row->eager_fork = bench_median(s.eager_fork, rounds);
	row->eager_destroy = bench_median(s.eager_destroy, rounds);
	row->memcpy_ns = bench_median(s.copy, rounds);
	row->linux_fork = bench_median(s.linux_fork, rounds);
	row->eager_vs_memcpy = bench_median(s.eager_vs_memcpy, rounds);
	row->cow_vs_linux = bench_median(s.cow_vs_linux, rounds);
	row->cow_total_vs_linux = bench_median(s.cow_total_vs_linux, rounds);
}

/* Parse the command line into run, *max_mib and the output paths. */
static void parse_args(int argc, char **argv, struct bench_run *run, size_t *min_mib,
		       size_t *max_mib, const char **dat, const char **md, const char **png)
{
	int opt;

	while ((opt = getopt(argc, argv, "r:s:m:d:o:p:")) != -1) {
		switch (opt) {
		case 'r': run->rounds = atoi(optarg); break;
		case 's': *min_mib = (size_t)atol(optarg); break;
		case 'm': *max_mib = (size_t)atol(optarg); break;
		case 'd': *dat = optarg; break;
		case 'o': *md = optarg; break;
		case 'p': *png = optarg; break;
		default:
			die("usage: hosted_fork [-r rounds] [-s min_mib] [-m max_mib] [-d data] "
			    "[-o md] [-p png]");
		}
	}
	if (run->rounds < 1 || run->rounds > BENCH_MAX_ROUNDS || *min_mib < 1 || *max_mib < *min_mib)
		die("need 1 <= rounds <= 64 and 1 <= min_mib <= max_mib");
}

/* Write the data file and the Markdown section; returns the number of missed targets. */
static int write_outputs(const struct bench_run *run, const char *dat, const char *md,
			 const char *png)
{
	FILE *f = dat ? fopen(dat, "w") : NULL;
	int missed;

	if (dat && !f)
		die("cannot write the data file");
	if (f) {
		report_data(f, run);
		fclose(f);
	}
	f = md ? fopen(md, "w") : stdout;
	if (!f)
		die("cannot write the Markdown file");
	missed = report_markdown(f, run, png);
	if (f != stdout)
		fclose(f);
	return missed;
}

int main(int argc, char **argv)
{
	struct bench_run run = { .format = hal_pt_geometry()->name, .rounds = 7 };
	const char *dat = NULL, *md = NULL, *png = "fork_latency.png";
	size_t min_mib = 1, max_mib = 1024;
	struct host_forker linux_ref;
	struct host_copy copy;
	double base[BENCH_MAX_ROUNDS];

	parse_args(argc, argv, &run, &min_mib, &max_mib, &dat, &md, &png);
	for (size_t mib = min_mib; mib <= max_mib && run.nrows < BENCH_MAX_SIZES; mib *= 2)
		run.rows[run.nrows++].bytes = mib * BENCH_MIB;

	/* The Linux reference helper is forked while this process is still small. */
	host_forker_start(&linux_ref);
	for (int r = 0; r < run.rounds; r++)
		base[r] = host_forker_once(&linux_ref, 0);
	run.linux_base = bench_median(base, run.rounds);
	host_copy_init(&copy, run.rows[run.nrows - 1].bytes);
	/* Parent + eager child + tables and frame bookkeeping. */
	bench_machine_boot(2 * max_mib * BENCH_MIB + max_mib * BENCH_MIB / 16 + 64 * BENCH_MIB);
	for (size_t i = 0; i < run.nrows; i++) {
		measure_size(&run.rows[i], run.rounds, &linux_ref, &copy);
		fprintf(stderr, "hosted_fork[%s]: %5zu MiB  cow %.0f us  eager %.0f us  "
			"memcpy %.0f us  linux %.0f us\n", run.format,
			run.rows[i].bytes / BENCH_MIB, run.rows[i].cow_fork / 1e3,
			run.rows[i].eager_fork / 1e3, run.rows[i].memcpy_ns / 1e3,
			run.rows[i].linux_fork / 1e3);
	}
	host_forker_stop(&linux_ref);
	host_copy_fini(&copy);
	frames_fini();
	hosted_ram_fini();
	/* A missed target is a result, not a failure of the run. */
	fprintf(stderr, "hosted_fork[%s]: %d target(s) missed\n", run.format,
		write_outputs(&run, dat, md, png));
	return 0;
}
