/*
 * Applying accepted plans on the hosted machine: the same exec_build_image() that
 * execve uses (segments as elf.h's "Applying a plan" says, then the stack), in a
 * fresh address space that is never activated. After each build the file-backed
 * pages are read back and compared with the file, their VMA protection with the
 * segment's, and once the space is dropped the free-frame and kernel-object counts
 * must be back at their boot values. Each input also fails one allocation of a
 * second build (chosen by a seed derived from the input) to test the error path.
 */
#include <limits.h>
#include <string.h>

#include "fuzz.h"
#include "hosted.h"
#include "lib/errno.h"
#include "lib/failpoint.h"
#include "lib/kmem.h"
#include "mm/aspace.h"
#include "mm/frame.h"
#include "proc/exec_internal.h"
#include "elf_build.h"

/* Hosted RAM: enough for 16 segments of a maximal input plus tables and stack. */
#define FZ_RAM_SIZE ((size_t)64 << 20)
#define PG ((uint64_t)ELF_PAGE_SIZE)

static size_t base_frames, base_objects;
static struct exec_target target;

/* The ELF machine of the compiled page-table format. */
uint16_t fz_machine(void)
{
#ifdef HOSTED_FORMAT_aarch64
	return ELF_MACHINE_AARCH64;
#else
	return ELF_MACHINE_X86_64;
#endif
}

/* Boot the hosted machine once and record the baseline counts and the exec target. */
void fz_machine_boot(void)
{
	struct elf_target et = eb_target(fz_machine());

	hosted_ram_init(FZ_RAM_SIZE);
	hosted_tlb_reset();
	if (frames_init() != 0)
		fz_finding("boot: frames_init failed");
	failpoint_arm(0);
	aspace_activate(NULL);
	base_frames = frames_free_count();
	base_objects = kmem_live_objects();
	memset(&target, 0, sizeof(target));
	target.machine = et.machine;
	target.user_top = hal_pt_geometry()->user_top;
	target.pie_base = et.pie_base;
	if (target.user_top != et.user_top)
		fz_finding("boot: hosted user_top differs from eb_target's");
}

/* Abort unless frames and kernel objects are back at their boot values. */
static void check_baseline(const char *when)
{
	if (frames_free_count() != base_frames || kmem_live_objects() != base_objects)
		fz_finding("leak %s: free frames %zu (boot %zu), live objects %zu (boot %zu)", when,
			   frames_free_count(), base_frames, kmem_live_objects(), base_objects);
}

/* Index of the segment whose pages hold page pg at the end (the last one mapping
 * it), or plan->nsegs when none. */
static size_t page_owner(const struct elf_plan *plan, uint64_t pg)
{
	for (size_t i = plan->nsegs; i-- > 0;) {
		if (pg >= plan->segs[i].map_start && pg < plan->segs[i].map_end)
			return i;
	}
	return plan->nsegs;
}

/* Abort unless page pg of segment s holds the file bytes due there, zeros after. */
static void check_page(struct aspace *as, const struct elf_segment *s, const uint8_t *data,
		       uint64_t pg)
{
	static uint8_t got[ELF_PAGE_SIZE], want[ELF_PAGE_SIZE];
	uint64_t rel = pg - s->map_start;
	size_t n = rel < s->file_size ? (size_t)MIN(PG, s->file_size - rel) : 0;
	struct vma *v = vma_find(&as->vmas, pg);
	unsigned prot = ((s->prot & ELF_PROT_READ) ? VM_READ : 0) |
			((s->prot & ELF_PROT_WRITE) ? VM_WRITE : 0) |
			((s->prot & ELF_PROT_EXEC) ? VM_EXEC : 0);

	memset(want, 0, sizeof(want));
	memcpy(want, data + s->file_offset + rel, n);
	if (aspace_read(as, pg, got, sizeof(got)) != 0 || memcmp(got, want, sizeof(got)) != 0)
		fz_finding("apply: page %#llx does not hold its file bytes", (unsigned long long)pg);
	if (v == NULL || v->start > pg || (v->prot & VM_PROT_MASK) != prot)
		fz_finding("apply: page %#llx has the wrong protection", (unsigned long long)pg);
}

/* Check every file-backed page of the image, and the page after them, that no later
 * segment replaced. */
static void check_contents(struct aspace *as, const struct elf_plan *plan, const uint8_t *data)
{
	for (size_t i = 0; i < plan->nsegs; i++) {
		const struct elf_segment *s = &plan->segs[i];
		uint64_t end = s->map_start + ((s->file_size + PG - 1) & ~(PG - 1)) + PG;

		end = MIN(end, s->map_end);
		for (uint64_t pg = s->map_start; pg < end; pg += PG) {
			if (page_owner(plan, pg) == i)
				check_page(as, s, data, pg);
		}
	}
}

/* Abort unless a built image matches the plan: entry, brk, contents. */
static void check_image(const struct exec_image *img, const struct elf_plan *plan,
			const uint8_t *data)
{
	if (img->entry != plan->entry || img->brk_start != plan->brk ||
	    img->exec_stack != plan->exec_stack || img->argc != 1)
		fz_finding("apply: image entry/brk/stack/argc differ from the plan");
	if (img->sp % 16 || img->sp >= target.user_top || img->stack_top != target.user_top)
		fz_finding("apply: stack pointer %#llx", (unsigned long long)img->sp);
	check_contents(img->as, plan, data);
}

/* Build the image with the k-th allocation failing (0: none, but still counted: the
 * failpoint counts only while armed); returns the result, the count in *calls. */
static int build(const struct elf_plan *plan, const uint8_t *data, unsigned long k,
		 unsigned long *calls)
{
	static const char *argv[] = { "fuzz" };
	struct exec_args args = { .argv = argv, .argc = 1 };
	struct exec_image img;
	int err;

	memset(&img, 0, sizeof(img));
	failpoint_arm(k ? k : ULONG_MAX);
	err = exec_build_image(&target, plan, data, &args, "/fuzz", &img);
	*calls = failpoint_calls();
	if (err != 0 && err != -ENOMEM)
		fz_finding("apply: exec_build_image returned %d", err);
	if (err == 0 && k && failpoint_fired())
		fz_finding("apply: allocation %lu failed but the build succeeded", k);
	if (err == 0)
		check_image(&img, plan, data);
	failpoint_arm(0);
	if (err == 0)
		aspace_put(img.as);
	return err;
}

/* Apply plan, check the image and the baseline, then again with one failing
 * allocation chosen by seed. */
void fz_apply(const struct elf_plan *plan, const uint8_t *data, uint64_t seed)
{
	unsigned long calls = 0, ignored;
	int err;

	err = build(plan, data, 0, &calls);
	check_baseline("after a build");
	fz_stats.applied++;
	if (err) {
		fz_stats.apply_enomem++;
		return;
	}
	if (calls == 0)
		fz_finding("apply: a build allocated nothing");
	if (build(plan, data, 1 + seed % calls, &ignored) != -ENOMEM)
		fz_finding("apply: build with allocation %llu failing did not fail",
			   (unsigned long long)(1 + seed % calls));
	check_baseline("after a failed build");
	fz_stats.injected++;
}
