/*
 * ELF64 validation -> load plan. Every read of the image is bounds-checked against
 * its size and every sum of two file-controlled 64-bit values is checked for
 * overflow before use; headers are decoded byte by byte (any alignment, any host
 * byte order). Errno choices follow Linux's load_elf_binary()/load_elf_phdrs() and
 * vm_mmap(); where Cleave is stricter, elf.h says so.
 */
#include "elf.h"

#include "../lib/errno.h"
#include "../lib/string.h"

#define PAGE_MASK_LOW ((uint64_t)ELF_PAGE_SIZE - 1)

/* Everything the planning steps share: the image, the target and the bias. */
struct elf_ctx {
	const uint8_t *img;
	size_t size;
	const struct elf_target *t;
	struct elf_ehdr eh;
	uint64_t lo;           /* raw (unbiased) address that lands at base */
	vaddr_t base;          /* biased address of lo */
	bool have_phdr_seg;    /* a PT_PHDR was seen (the first one counts) */
	struct elf_phdr phdr_seg;
	size_t nloads;         /* PT_LOAD count */
};

/* Little-endian 16-bit value at p. */
static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

/* Little-endian 32-bit value at p. */
static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)rd16(p) | ((uint32_t)rd16(p + 2) << 16);
}

/* Little-endian 64-bit value at p. */
static uint64_t rd64(const uint8_t *p)
{
	return (uint64_t)rd32(p) | ((uint64_t)rd32(p + 4) << 32);
}

/* Decode the 64-byte file header at p (no alignment needed). */
void elf_decode_ehdr(const uint8_t *p, struct elf_ehdr *eh)
{
	memcpy(eh->ident, p, ELF_NIDENT);
	eh->type = rd16(p + 16);
	eh->machine = rd16(p + 18);
	eh->version = rd32(p + 20);
	eh->entry = rd64(p + 24);
	eh->phoff = rd64(p + 32);
	eh->shoff = rd64(p + 40);
	eh->flags = rd32(p + 48);
	eh->ehsize = rd16(p + 52);
	eh->phentsize = rd16(p + 54);
	eh->phnum = rd16(p + 56);
	eh->shentsize = rd16(p + 58);
	eh->shnum = rd16(p + 60);
	eh->shstrndx = rd16(p + 62);
}

/* Decode the 56-byte program header at p (no alignment needed). */
void elf_decode_phdr(const uint8_t *p, struct elf_phdr *ph)
{
	ph->type = rd32(p);
	ph->flags = rd32(p + 4);
	ph->offset = rd64(p + 8);
	ph->vaddr = rd64(p + 16);
	ph->paddr = rd64(p + 24);
	ph->filesz = rd64(p + 32);
	ph->memsz = rd64(p + 40);
	ph->align = rd64(p + 48);
}

/* True when x is a multiple of the page size. */
static bool page_aligned(uint64_t x)
{
	return (x & PAGE_MASK_LOW) == 0;
}

/* 0 when the target is usable: aligned, min_addr and pie_base below user_top; else -EINVAL. */
static int check_target(const struct elf_target *t)
{
	if (t->user_top == 0 || !page_aligned(t->user_top))
		return -EINVAL;
	if (!page_aligned(t->min_addr) || t->min_addr >= t->user_top)
		return -EINVAL;
	if (!page_aligned(t->pie_base) || t->pie_base >= t->user_top)
		return -EINVAL;
	return 0;
}

/* 0 when the header's identification, type and machine fit the target; else -ENOEXEC. */
static int check_ehdr(const struct elf_ehdr *eh, const struct elf_target *t)
{
	static const uint8_t magic[4] = { ELF_MAG0, 'E', 'L', 'F' };

	if (memcmp(eh->ident, magic, sizeof(magic)) != 0)
		return -ENOEXEC;
	if (eh->ident[ELF_IDX_CLASS] != ELF_CLASS64 || eh->ident[ELF_IDX_DATA] != ELF_DATA_LSB)
		return -ENOEXEC;
	if (eh->ident[ELF_IDX_VERSION] != ELF_VERSION_CURRENT || eh->version != ELF_VERSION_CURRENT)
		return -ENOEXEC;
	if (eh->type != ELF_TYPE_EXEC && eh->type != ELF_TYPE_DYN)
		return -ENOEXEC;
	if (eh->machine != t->machine)
		return -ENOEXEC;
	return 0;
}

/* 0 when the program header table is well formed and inside the file; else -ENOEXEC. */
static int check_phdr_table(const struct elf_ehdr *eh, size_t size)
{
	uint64_t table = (uint64_t)eh->phnum * ELF_PHDR_SIZE; /* <= 0xffff * 56: no overflow */

	if (eh->phentsize != ELF_PHDR_SIZE)
		return -ENOEXEC;
	if (table == 0 || table > ELF_MAX_PHDR_TABLE)
		return -ENOEXEC;
	/* Linux reads the table with kernel_read(); a short read fails with -ENOEXEC. */
	if (eh->phoff > size || table > size - eh->phoff)
		return -ENOEXEC;
	return 0;
}

/* Decode program header i; the table was checked to lie inside the image. */
static void ctx_phdr(const struct elf_ctx *c, unsigned i, struct elf_phdr *ph)
{
	elf_decode_phdr(c->img + c->eh.phoff + (uint64_t)i * ELF_PHDR_SIZE, ph);
}

/* Biased address of raw address a; false unless it falls in [base, user_top) (Linux BAD_ADDR). */
static bool ctx_bias(const struct elf_ctx *c, uint64_t a, vaddr_t *out)
{
	if (a < c->lo || a - c->lo >= c->t->user_top - c->base)
		return false;
	*out = c->base + (a - c->lo);
	return true;
}

/* Record a PT_INTERP (the first one counts, as in Linux); 0 or a negative errno. */
static int scan_interp(const struct elf_ctx *c, const struct elf_phdr *ph, struct elf_plan *plan)
{
	if (plan->interp)
		return 0;
	/* No dynamic loader support unless asked: such a file is not executable here. */
	if (!c->t->allow_interp)
		return -ENOEXEC;
	if (ph->filesz < 2 || ph->filesz > ELF_MAX_INTERP)
		return -ENOEXEC;
	/* Linux reads the path with elf_read(): a short read is -EIO. */
	if (ph->offset > c->size || ph->filesz > c->size - ph->offset)
		return -EIO;
	if (c->img[ph->offset + ph->filesz - 1] != '\0')
		return -ENOEXEC;
	plan->interp = true;
	plan->interp_offset = ph->offset;
	plan->interp_size = ph->filesz;
	return 0;
}

/* First pass over the headers: interpreter, stack, PT_PHDR, load count, lowest page. */
static int scan_phdrs(struct elf_ctx *c, struct elf_plan *plan)
{
	struct elf_phdr ph;
	uint64_t lo = UINT64_MAX;
	int err = 0;

	for (unsigned i = 0; i < c->eh.phnum; i++) {
		ctx_phdr(c, i, &ph);
		if (ph.type == ELF_PT_INTERP) {
			err = scan_interp(c, &ph, plan);
			if (err)
				goto out;
		} else if (ph.type == ELF_PT_GNU_STACK) {
			plan->exec_stack = (ph.flags & ELF_PF_X) != 0; /* the last one wins */
		} else if (ph.type == ELF_PT_PHDR && !c->have_phdr_seg) {
			c->have_phdr_seg = true;
			c->phdr_seg = ph;
		} else if (ph.type == ELF_PT_LOAD) {
			c->nloads++;
			lo = MIN(lo, ph.vaddr & ~PAGE_MASK_LOW);
		}
	}
	if (c->nloads > ELF_MAX_LOADS)
		err = -ENOMEM;
	else if (c->eh.type == ELF_TYPE_DYN && c->nloads > 0)
		c->lo = lo;
out:
	return err;
}

/* ELF_PROT_* bits for p_flags: exactly what the file asks for. */
static unsigned prot_of(uint32_t pflags)
{
	unsigned prot = 0;

	if (pflags & ELF_PF_R)
		prot |= ELF_PROT_READ;
	if (pflags & ELF_PF_W)
		prot |= ELF_PROT_WRITE;
	if (pflags & ELF_PF_X)
		prot |= ELF_PROT_EXEC;
	return prot;
}

/* Check a PT_LOAD's file range: 0, -EINVAL (Linux vm_mmap checks) or -ENOEXEC (past EOF). */
static int check_load_file(const struct elf_ctx *c, const struct elf_phdr *ph)
{
	if (ph->filesz == 0)
		return 0; /* Linux maps such a segment anonymously: offset unused */
	if (ph->offset > UINT64_MAX - ph->filesz)
		return -EINVAL;
	if (!page_aligned(ph->offset - ph->vaddr))
		return -EINVAL;
	if (ph->offset + ph->filesz > c->size)
		return -ENOEXEC;
	return 0;
}

/* Validate one PT_LOAD and describe it in seg; 0 or a negative errno (see elf.h). */
static int plan_segment(const struct elf_ctx *c, const struct elf_phdr *ph,
			struct elf_segment *seg)
{
	vaddr_t v;
	int err;

	if (ph->filesz > ph->memsz)
		return -EINVAL;
	err = check_load_file(c, ph);
	if (err)
		return err;
	if (!ctx_bias(c, ph->vaddr, &v) || ph->memsz > c->t->user_top - v)
		return -EINVAL;
	seg->vaddr = v;
	seg->map_start = v & ~PAGE_MASK_LOW;
	/* v + memsz <= user_top, a page multiple below 2^64: rounding up cannot wrap. */
	seg->map_end = (v + ph->memsz + PAGE_MASK_LOW) & ~PAGE_MASK_LOW;
	if (seg->map_start < c->t->min_addr)
		return -EPERM;
	seg->filesz = ph->filesz;
	seg->memsz = ph->memsz;
	seg->file_size = ph->filesz ? ph->filesz + (v - seg->map_start) : 0;
	seg->file_offset = ph->filesz ? ph->offset - (v - seg->map_start) : 0;
	seg->prot = prot_of(ph->flags);
	return 0;
}

/* Second pass: plan every PT_LOAD in file order and compute brk. */
static int plan_segments(const struct elf_ctx *c, struct elf_plan *plan)
{
	struct elf_phdr ph;
	int err = 0;

	for (unsigned i = 0; i < c->eh.phnum; i++) {
		ctx_phdr(c, i, &ph);
		if (ph.type != ELF_PT_LOAD)
			continue;
		err = plan_segment(c, &ph, &plan->segs[plan->nsegs]);
		if (err)
			goto out;
		plan->brk = MAX(plan->brk, plan->segs[plan->nsegs].map_end);
		plan->nsegs++;
	}
out:
	return err;
}

/* True when [a, a + len) lies inside [start, start + size) (no overflow on any input). */
static bool range_inside(uint64_t a, uint64_t len, uint64_t start, uint64_t size)
{
	return a >= start && a - start <= size && len <= size - (a - start);
}

/* True when user address e lies in an executable segment's [vaddr, vaddr + memsz). */
static bool in_exec_segment(const struct elf_plan *plan, vaddr_t e)
{
	for (size_t i = 0; i < plan->nsegs; i++) {
		const struct elf_segment *s = &plan->segs[i];

		if ((s->prot & ELF_PROT_EXEC) && e >= s->vaddr && e - s->vaddr < s->memsz)
			return true;
	}
	return false;
}

/* True when the page holding e ends up executable: the last segment mapping it wins. */
static bool page_ends_exec(const struct elf_plan *plan, vaddr_t e)
{
	for (size_t i = plan->nsegs; i-- > 0;) {
		const struct elf_segment *s = &plan->segs[i];

		if (e >= s->map_start && e < s->map_end)
			return (s->prot & ELF_PROT_EXEC) != 0;
	}
	return false;
}

/*
 * Set plan->entry: e_entry must lie in an executable segment, on a page that no later
 * non-executable segment replaces (Linux maps such a file, then the process dies with
 * SIGSEGV at its first instruction); else -EINVAL.
 */
static int plan_entry(const struct elf_ctx *c, struct elf_plan *plan)
{
	vaddr_t e;

	if (!ctx_bias(c, c->eh.entry, &e))
		return -EINVAL;
	if (!in_exec_segment(plan, e) || !page_ends_exec(plan, e))
		return -EINVAL;
	plan->entry = e;
	return 0;
}

/* User address of the table from PT_PHDR, which must lie in a segment's file bytes. */
static int plan_phdr_from_pt_phdr(const struct elf_ctx *c, struct elf_plan *plan)
{
	uint64_t table = (uint64_t)c->eh.phnum * ELF_PHDR_SIZE;
	vaddr_t v;

	if (!ctx_bias(c, c->phdr_seg.vaddr, &v))
		return -EINVAL;
	for (size_t i = 0; i < plan->nsegs; i++) {
		if (range_inside(v, table, plan->segs[i].vaddr, plan->segs[i].filesz)) {
			plan->phdr_vaddr = v;
			return 0;
		}
	}
	return -EINVAL;
}

/* Set plan->phdr_vaddr: from PT_PHDR, else the last segment whose file bytes hold the table. */
static int plan_phdr(const struct elf_ctx *c, struct elf_plan *plan)
{
	uint64_t table = (uint64_t)c->eh.phnum * ELF_PHDR_SIZE;

	if (c->have_phdr_seg)
		return plan_phdr_from_pt_phdr(c, plan);
	plan->phdr_vaddr = 0;
	for (size_t i = 0; i < plan->nsegs; i++) {
		const struct elf_segment *s = &plan->segs[i];
		uint64_t head = s->vaddr - s->map_start;

		if (s->filesz == 0)
			continue;
		if (range_inside(c->eh.phoff, table, s->file_offset + head, s->filesz))
			plan->phdr_vaddr = s->vaddr + (c->eh.phoff - (s->file_offset + head));
	}
	return 0;
}

/* Decode the file header into c and check it and the header table; 0 or -ENOEXEC. */
static int ctx_init(struct elf_ctx *c, const void *image, size_t size,
		    const struct elf_target *t)
{
	int err = -ENOEXEC;

	memset(c, 0, sizeof(*c));
	c->img = image;
	c->size = size;
	c->t = t;
	if (image == NULL || size < ELF_EHDR_SIZE)
		goto out;
	elf_decode_ehdr(c->img, &c->eh);
	err = check_ehdr(&c->eh, t);
	if (!err)
		err = check_phdr_table(&c->eh, size);
	if (c->eh.type == ELF_TYPE_DYN)
		c->base = t->pie_base;
out:
	return err;
}

/* Validate image[0, size) for target and fill plan; 0 or a negative errno (see elf.h). */
int elf_plan(const void *image, size_t size, const struct elf_target *target,
	     struct elf_plan *plan)
{
	struct elf_ctx c;
	int err;

	memset(plan, 0, sizeof(*plan));
	err = check_target(target);
	if (!err)
		err = ctx_init(&c, image, size, target);
	if (!err)
		err = scan_phdrs(&c, plan);
	if (!err)
		err = plan_segments(&c, plan);
	if (!err)
		err = plan_entry(&c, plan);
	if (!err)
		err = plan_phdr(&c, plan);
	if (err)
		goto out;
	plan->type = c.eh.type;
	plan->load_bias = c.base - c.lo;
	plan->phnum = c.eh.phnum;
	plan->phentsize = c.eh.phentsize;
out:
	return err;
}
