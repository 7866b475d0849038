/*
 * libFuzzer entry points of the ELF loader fuzzer (also driven by fuzz/afl_driver.c).
 *
 * For every input, for both machines and with PT_INTERP refused and allowed,
 * elf_plan() must return 0 or one of the errnos elf.h lists, give the same answer
 * for the same bytes at an odd address, and agree between the two interpreter
 * settings wherever the file has no PT_INTERP. Every accepted plan is compared with
 * libelf's reading and checked against elf.h's invariants; the plan execve would use
 * (PT_INTERP refused) for the machine of the hosted page-table format is applied to
 * a hosted address space (fz_apply.c). Any finding aborts.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "lib/errno.h"
#include "elf_build.h"

struct fz_stats fz_stats;
static struct fz_libelf libelf_view; /* large: one per process, not on the stack */
static const uint16_t machines[2] = { ELF_MACHINE_X86_64, ELF_MACHINE_AARCH64 };

/* Print "fuzz finding: ..." with the formatted reason and abort. */
void fz_finding(const char *fmt, ...)
{
	va_list ap;

	fputs("fuzz finding: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

/* Slot of err in fz_stats.by_errno: ENOEXEC, EINVAL, ENOMEM, EPERM, EIO; 5 otherwise. */
static unsigned errno_slot(int err)
{
	static const int order[] = { -ENOEXEC, -EINVAL, -ENOMEM, -EPERM, -EIO };

	for (unsigned i = 0; i < ARRAY_SIZE(order); i++) {
		if (err == order[i])
			return i;
	}
	return 5;
}

/* Print the counts gathered for FUZZ_STATS=1. */
static void print_stats(void)
{
	static const char *names[] = { "ENOEXEC", "EINVAL", "ENOMEM", "EPERM", "EIO", "other" };

	fprintf(stderr, "stats: %lu inputs, libelf read %lu (%lu only without section "
		"headers)\n", fz_stats.inputs, fz_stats.libelf_ok, fz_stats.libelf_normalized);
	for (unsigned m = 0; m < 2; m++) {
		fprintf(stderr, "stats: machine %u: accepted %lu, libelf-only %lu:", machines[m],
			fz_stats.accepted[m], fz_stats.stricter[m]);
		for (unsigned e = 0; e < 6; e++)
			fprintf(stderr, " %s %lu", names[e], fz_stats.by_errno[m][e]);
		fputc('\n', stderr);
	}
	fprintf(stderr, "stats: applied %lu (ENOMEM %lu), failure injected %lu\n",
		fz_stats.applied, fz_stats.apply_enomem, fz_stats.injected);
}

/* Boot the hosted machine and libelf once per process. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fz_libelf_init();
	fz_machine_boot();
	if (getenv("FUZZ_STATS"))
		atexit(print_stats);
	return 0;
}

/* elf_plan() for machine m, interpreters allowed or not; aborts on an errno elf.h
 * does not list (-EIO only when interpreters are allowed). */
static int plan_for(const uint8_t *data, size_t size, unsigned m, bool interp,
		    struct elf_plan *plan)
{
	struct elf_target t = eb_target(machines[m]);
	int err;

	t.allow_interp = interp;
	err = elf_plan(data, size, &t, plan);
	if (errno_slot(err) == 5 && err != 0)
		fz_finding("elf_plan returned %d", err);
	if (err == -EIO && !interp)
		fz_finding("elf_plan returned -EIO with interpreters refused");
	return err;
}

/* Abort unless the bytes at an odd address give the same result and plan. */
static void check_unaligned(const uint8_t *data, size_t size, unsigned m, bool interp,
			    int err, const struct elf_plan *plan)
{
	static struct elf_plan again;
	uint8_t *buf = malloc(size + 1);

	if (buf == NULL)
		fz_finding("out of host memory");
	memcpy(buf + 1, data, size);
	if (plan_for(buf + 1, size, m, interp, &again) != err ||
	    (err == 0 && memcmp(plan, &again, sizeof(again)) != 0))
		fz_finding("elf_plan depends on the image's alignment");
	free(buf);
}

/* Record a refusal of what libelf reads as a file of machine m (stricter than libelf). */
static void count_refusal(const struct fz_libelf *lf, unsigned m, int err)
{
	if (lf->ok && lf->eh.machine == machines[m]) {
		fz_stats.stricter[m]++;
		fz_stats.by_errno[m][errno_slot(err)]++;
	}
}

/* Check an accepted plan for machine m against libelf and the invariants. */
static void check_accepted(const uint8_t *data, size_t size, unsigned m, bool interp,
			   const struct elf_plan *plan)
{
	struct elf_target t = eb_target(machines[m]);

	t.allow_interp = interp;
	fz_libelf_compare(&libelf_view, &t, plan);
	fz_check_plan(&libelf_view, &t, data, size, plan);
}

/* FNV-1a of the input: the seed that picks the allocation to fail. */
static uint64_t input_hash(const uint8_t *data, size_t size)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < size; i++)
		h = (h ^ data[i]) * 0x100000001b3ull;
	return h;
}

/* Run and check both interpreter settings for machine m; apply execve's plan when m
 * is the hosted format's machine. */
static void run_machine(const uint8_t *data, size_t size, unsigned m)
{
	static struct elf_plan strict, loose;
	int es = plan_for(data, size, m, false, &strict);
	int el = plan_for(data, size, m, true, &loose);

	check_unaligned(data, size, m, false, es, &strict);
	if (es == 0 && (el != 0 || memcmp(&strict, &loose, sizeof(strict)) != 0))
		fz_finding("allowing PT_INTERP changed a plan without PT_INTERP");
	if (el == 0 && !loose.interp && es != 0)
		fz_finding("a file without PT_INTERP is refused only when interpreters are not");
	if (el == 0)
		check_accepted(data, size, m, true, &loose);
	if (es != 0) {
		count_refusal(&libelf_view, m, es);
		return;
	}
	fz_stats.accepted[m]++;
	check_accepted(data, size, m, false, &strict);
	if (machines[m] == fz_machine())
		fz_apply(&strict, data, input_hash(data, size));
}

/* One input: libelf's reading, then both machines. Always returns 0. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_stats.inputs++;
	fz_libelf_read(data, size, &libelf_view);
	fz_stats.libelf_ok += libelf_view.ok;
	fz_stats.libelf_normalized += libelf_view.normalized;
	for (unsigned m = 0; m < ARRAY_SIZE(machines); m++)
		run_machine(data, size, m);
	return 0;
}
