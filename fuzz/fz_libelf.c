/*
 * The differential oracle: elfutils' libelf reads the same bytes (elf_memory,
 * gelf_getehdr, gelf_getphdr) and, wherever core/elf accepts, must read the same
 * values for every field the plan acts on. libelf never sees the caller's buffer:
 * elf_memory() may convert in place, so it gets a private copy.
 */
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

/* Start libelf (once per process). */
void fz_libelf_init(void)
{
	if (elf_version(EV_CURRENT) == EV_NONE)
		fz_finding("libelf: elf_version: %s", elf_errmsg(-1));
}

/* Copy libelf's header into core's neutral struct. */
static void from_gelf_ehdr(const GElf_Ehdr *g, struct elf_ehdr *eh)
{
	memcpy(eh->ident, g->e_ident, ELF_NIDENT);
	eh->type = g->e_type;
	eh->machine = g->e_machine;
	eh->version = g->e_version;
	eh->entry = g->e_entry;
	eh->phoff = g->e_phoff;
	eh->shoff = g->e_shoff;
	eh->flags = g->e_flags;
	eh->ehsize = g->e_ehsize;
	eh->phentsize = g->e_phentsize;
	eh->phnum = g->e_phnum;
	eh->shentsize = g->e_shentsize;
	eh->shnum = g->e_shnum;
	eh->shstrndx = g->e_shstrndx;
}

/* Copy one libelf program header into core's neutral struct. */
static void from_gelf_phdr(const GElf_Phdr *g, struct elf_phdr *ph)
{
	ph->type = g->p_type;
	ph->flags = g->p_flags;
	ph->offset = g->p_offset;
	ph->vaddr = g->p_vaddr;
	ph->paddr = g->p_paddr;
	ph->filesz = g->p_filesz;
	ph->memsz = g->p_memsz;
	ph->align = g->p_align;
}

/* Read the header and every program header of e into out; true when libelf could. */
static bool read_elf(Elf *e, struct fz_libelf *out)
{
	GElf_Ehdr eh;
	GElf_Phdr ph;

	if (elf_kind(e) != ELF_K_ELF || gelf_getclass(e) != ELFCLASS64)
		return false;
	if (gelf_getehdr(e, &eh) == NULL || elf_getphdrnum(e, &out->phnum) != 0)
		return false;
	from_gelf_ehdr(&eh, &out->eh);
	if (out->phnum > FZ_MAX_PHDRS)
		return false;
	for (size_t i = 0; i < out->phnum; i++) {
		if (gelf_getphdr(e, (int)i, &ph) == NULL)
			return false;
		from_gelf_phdr(&ph, &out->ph[i]);
	}
	return true;
}

/* libelf's reading of a private copy of data (section-header fields cleared when
 * clear_sh); true when it read everything. */
static bool read_copy(const uint8_t *data, size_t size, bool clear_sh, struct fz_libelf *out)
{
	char *copy = malloc(size ? size : 1);
	Elf *e = NULL;
	bool ok = false;

	if (copy == NULL)
		fz_finding("libelf: out of host memory");
	memcpy(copy, data, size);
	if (clear_sh && size >= ELF_EHDR_SIZE) {
		memset(copy + 40, 0, 8); /* e_shoff */
		memset(copy + 58, 0, 6); /* e_shentsize, e_shnum, e_shstrndx */
	}
	e = elf_memory(copy, size);
	if (e == NULL)
		goto out;
	ok = read_elf(e, out);
out:
	if (e)
		elf_end(e);
	free(copy);
	return ok;
}

/*
 * Fill out with libelf's reading. core/elf (like Linux) never looks at section
 * headers, while elf_memory() refuses a file whose section header table lies outside
 * it; such a file is read again with e_shoff, e_shentsize, e_shnum and e_shstrndx
 * cleared, fields no plan depends on (out->normalized says so).
 */
void fz_libelf_read(const uint8_t *data, size_t size, struct fz_libelf *out)
{
	memset(out, 0, offsetof(struct fz_libelf, ph));
	out->ok = read_copy(data, size, false, out);
	if (!out->ok) {
		memset(out, 0, offsetof(struct fz_libelf, ph));
		out->ok = out->normalized = read_copy(data, size, true, out);
	}
}

/* Abort unless libelf's file header matches what core/elf accepted for t. */
static void compare_ehdr(const struct fz_libelf *lf, const struct elf_target *t,
			 const struct elf_plan *plan)
{
	const struct elf_ehdr *eh = &lf->eh;

	if (eh->ident[ELF_IDX_CLASS] != ELF_CLASS64 || eh->ident[ELF_IDX_DATA] != ELF_DATA_LSB ||
	    eh->ident[ELF_IDX_VERSION] != ELF_VERSION_CURRENT || eh->version != ELF_VERSION_CURRENT)
		fz_finding("oracle: libelf ident/version differ");
	if (eh->type != plan->type || eh->machine != t->machine)
		fz_finding("oracle: e_type %u/%u e_machine %u/%u", eh->type, plan->type,
			   eh->machine, t->machine);
	if (eh->entry + plan->load_bias != plan->entry)
		fz_finding("oracle: e_entry %#llx + bias %#llx != plan entry %#llx",
			   (unsigned long long)eh->entry, (unsigned long long)plan->load_bias,
			   (unsigned long long)plan->entry);
	if (eh->phnum != plan->phnum || lf->phnum != plan->phnum ||
	    eh->phentsize != plan->phentsize)
		fz_finding("oracle: e_phnum %u, elf_getphdrnum %zu, plan %u", eh->phnum,
			   lf->phnum, plan->phnum);
}

/* Abort unless segment s is exactly PT_LOAD ph under plan's bias. */
static void compare_load(const struct elf_phdr *ph, const struct elf_segment *s,
			 const struct elf_plan *plan, size_t i)
{
	unsigned prot = ((ph->flags & ELF_PF_R) ? ELF_PROT_READ : 0) |
			((ph->flags & ELF_PF_W) ? ELF_PROT_WRITE : 0) |
			((ph->flags & ELF_PF_X) ? ELF_PROT_EXEC : 0);

	if (s->vaddr != ph->vaddr + plan->load_bias || s->filesz != ph->filesz ||
	    s->memsz != ph->memsz || s->prot != prot)
		fz_finding("oracle: segment %zu vaddr/filesz/memsz/flags differ from libelf", i);
	if (ph->filesz && s->file_offset + (s->vaddr - s->map_start) != ph->offset)
		fz_finding("oracle: segment %zu p_offset %#llx, plan %#llx + %#llx", i,
			   (unsigned long long)ph->offset, (unsigned long long)s->file_offset,
			   (unsigned long long)(s->vaddr - s->map_start));
}

/* Abort unless the PT_LOADs, PT_GNU_STACK, PT_PHDR and PT_INTERP libelf read match. */
static void compare_phdrs(const struct fz_libelf *lf, const struct elf_plan *plan)
{
	bool exec_stack = false, seen_phdr = false, seen_interp = false;
	size_t n = 0;

	for (size_t i = 0; i < lf->phnum; i++) {
		const struct elf_phdr *ph = &lf->ph[i];

		if (ph->type == ELF_PT_LOAD) {
			if (n >= plan->nsegs)
				fz_finding("oracle: libelf sees more PT_LOADs than %zu", plan->nsegs);
			compare_load(ph, &plan->segs[n++], plan, i);
		} else if (ph->type == ELF_PT_GNU_STACK) {
			exec_stack = (ph->flags & ELF_PF_X) != 0;
		} else if (ph->type == ELF_PT_PHDR && !seen_phdr) {
			seen_phdr = true;
			if (ph->vaddr + plan->load_bias != plan->phdr_vaddr)
				fz_finding("oracle: PT_PHDR p_vaddr differs from AT_PHDR");
		} else if (ph->type == ELF_PT_INTERP && !seen_interp) {
			seen_interp = true;
			if (!plan->interp || plan->interp_offset != ph->offset ||
			    plan->interp_size != ph->filesz)
				fz_finding("oracle: PT_INTERP differs from the plan");
		}
	}
	if (n != plan->nsegs || exec_stack != plan->exec_stack || seen_interp != plan->interp)
		fz_finding("oracle: %zu PT_LOADs (plan %zu), exec_stack %d (plan %d), interp %d/%d",
			   n, plan->nsegs, exec_stack, plan->exec_stack, seen_interp, plan->interp);
}

/* Abort unless libelf read the fields an accepted plan acts on as core/elf did. */
void fz_libelf_compare(const struct fz_libelf *lf, const struct elf_target *t,
		       const struct elf_plan *plan)
{
	if (!lf->ok)
		fz_finding("oracle: core/elf accepts (machine %u) what libelf cannot read: %s",
			   t->machine, elf_errmsg(-1));
	compare_ehdr(lf, t, plan);
	compare_phdrs(lf, plan);
}
