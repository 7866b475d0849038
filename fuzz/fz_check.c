/*
 * Invariants of an accepted load plan, restated from elf.h and checked with plain
 * arithmetic (no code shared with core/elf): every segment inside the user range,
 * page-aligned map ranges that hold the segment, file ranges inside the file,
 * filesz <= memsz, congruent offsets, no wrap-around, the entry point on an
 * executable page, AT_PHDR inside file-backed memory.
 */
#include "fuzz.h"

#define PG ((uint64_t)ELF_PAGE_SIZE)

/* x rounded up to a page (x is at most user_top, so this cannot wrap). */
static uint64_t page_up(uint64_t x)
{
	return (x + PG - 1) & ~(PG - 1);
}

/* Abort unless segment i's memory lies in t's user range with a page-aligned cover. */
static void check_seg_memory(const struct elf_target *t, const struct elf_segment *s, size_t i)
{
	if (s->map_start % PG || s->map_end % PG)
		fz_finding("invariant: segment %zu map range not page aligned", i);
	if (s->map_start < t->min_addr || s->vaddr >= t->user_top)
		fz_finding("invariant: segment %zu starts outside the user range", i);
	if (s->vaddr < s->map_start || s->vaddr - s->map_start >= PG)
		fz_finding("invariant: segment %zu map_start is not vaddr's page", i);
	if (s->memsz > t->user_top - s->vaddr)
		fz_finding("invariant: segment %zu ends past user_top (or wraps)", i);
	if (s->map_end != page_up(s->vaddr + s->memsz) || s->map_end > t->user_top)
		fz_finding("invariant: segment %zu map_end is not its end's page", i);
	if (s->filesz > s->memsz)
		fz_finding("invariant: segment %zu filesz > memsz", i);
}

/* Abort unless segment i's file range is page-aligned, congruent and inside size. */
static void check_seg_file(const struct elf_segment *s, size_t size, size_t i)
{
	uint64_t head = s->vaddr - s->map_start;

	if (s->filesz == 0) {
		if (s->file_size || s->file_offset)
			fz_finding("invariant: segment %zu has no file bytes but a file range", i);
		return;
	}
	if (s->file_offset % PG || s->file_size != s->filesz + head)
		fz_finding("invariant: segment %zu file range not congruent to its memory", i);
	if (s->file_offset > size || s->file_size > size - s->file_offset)
		fz_finding("invariant: segment %zu file range past the end of the file", i);
}

/* Abort unless every raw PT_LOAD with file bytes has p_offset = p_vaddr mod page. */
static void check_congruent(const struct fz_libelf *lf)
{
	for (size_t i = 0; i < lf->phnum; i++) {
		const struct elf_phdr *ph = &lf->ph[i];

		if (ph->type == ELF_PT_LOAD && ph->filesz && (ph->offset - ph->vaddr) % PG)
			fz_finding("invariant: phdr %zu p_offset and p_vaddr not congruent", i);
	}
}

/* Abort unless the entry point lies in an executable segment and its page stays
 * executable after every later segment is applied. */
static void check_entry(const struct elf_plan *plan)
{
	bool inside = false;
	unsigned last_prot = 0;

	for (size_t i = 0; i < plan->nsegs; i++) {
		const struct elf_segment *s = &plan->segs[i];

		if ((s->prot & ELF_PROT_EXEC) && plan->entry >= s->vaddr &&
		    plan->entry - s->vaddr < s->memsz)
			inside = true;
		if (plan->entry >= s->map_start && plan->entry < s->map_end)
			last_prot = s->prot;
	}
	if (!inside || !(last_prot & ELF_PROT_EXEC))
		fz_finding("invariant: entry %#llx not on an executable page",
			   (unsigned long long)plan->entry);
}

/* Abort unless AT_PHDR is 0 or a table inside some segment's file-backed bytes, and,
 * found without PT_PHDR, the bytes there are the file's table. */
static void check_phdr(const struct fz_libelf *lf, const struct elf_plan *plan)
{
	uint64_t table = (uint64_t)plan->phnum * ELF_PHDR_SIZE;
	bool have_pt_phdr = false;

	for (size_t i = 0; i < lf->phnum; i++)
		have_pt_phdr |= lf->ph[i].type == ELF_PT_PHDR;
	if (plan->phdr_vaddr == 0)
		return;
	for (size_t i = 0; i < plan->nsegs; i++) {
		const struct elf_segment *s = &plan->segs[i];
		uint64_t rel = plan->phdr_vaddr - s->vaddr;

		if (plan->phdr_vaddr < s->vaddr || rel > s->filesz || table > s->filesz - rel)
			continue;
		if (have_pt_phdr || s->file_offset + (s->vaddr - s->map_start) + rel == lf->eh.phoff)
			return;
	}
	fz_finding("invariant: AT_PHDR %#llx not inside file-backed memory holding the table",
		   (unsigned long long)plan->phdr_vaddr);
}

/* Abort unless a reported interpreter path is allowed, inside the file, NUL-terminated. */
static void check_interp(const struct elf_target *t, const uint8_t *data, size_t size,
			 const struct elf_plan *plan)
{
	if (!plan->interp)
		return;
	if (!t->allow_interp || plan->interp_size < 2 || plan->interp_size > ELF_MAX_INTERP)
		fz_finding("invariant: interpreter reported when not allowed or of bad size");
	if (plan->interp_offset > size || plan->interp_size > size - plan->interp_offset ||
	    data[plan->interp_offset + plan->interp_size - 1] != '\0')
		fz_finding("invariant: interpreter path outside the file or not NUL-terminated");
}

/* Abort unless the plan-wide fields (type, bias, counts, brk) are consistent. */
static void check_header(const struct elf_plan *plan)
{
	uint64_t brk = 0;

	if (plan->type != ELF_TYPE_EXEC && plan->type != ELF_TYPE_DYN)
		fz_finding("invariant: plan type %u", plan->type);
	if ((plan->type == ELF_TYPE_EXEC && plan->load_bias) || plan->load_bias % PG)
		fz_finding("invariant: load bias %#llx", (unsigned long long)plan->load_bias);
	if (plan->nsegs < 1 || plan->nsegs > ELF_MAX_LOADS || plan->phentsize != ELF_PHDR_SIZE)
		fz_finding("invariant: nsegs %zu phentsize %u", plan->nsegs, plan->phentsize);
	for (size_t i = 0; i < plan->nsegs; i++)
		brk = plan->segs[i].map_end > brk ? plan->segs[i].map_end : brk;
	if (plan->brk != brk)
		fz_finding("invariant: brk is not the highest map_end");
}

/* Abort unless plan holds every invariant of elf.h (see the file comment). */
void fz_check_plan(const struct fz_libelf *lf, const struct elf_target *t,
		   const uint8_t *data, size_t size, const struct elf_plan *plan)
{
	check_header(plan);
	for (size_t i = 0; i < plan->nsegs; i++) {
		check_seg_memory(t, &plan->segs[i], i);
		check_seg_file(&plan->segs[i], size, i);
	}
	check_congruent(lf);
	check_entry(plan);
	check_phdr(lf, plan);
	check_interp(t, data, size, plan);
}
