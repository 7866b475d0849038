/* In-memory ELF64 images for tests and fuzz seeds: see elf_build.h. */
#include "elf_build.h"

#include <stdlib.h>
#include <string.h>

#include "lib/errno.h"

#define PH_SIZE ((uint64_t)ELF_PHDR_SIZE)

/*
 * The linux column was measured by execve() of each x86_64 variant on Linux 6.18 as
 * root. OTHER: bad_machine ran the aarch64 image through binfmt_misc/qemu-user on
 * that host (plain Linux: -ENOEXEC); interp failed with -ENOENT (no /lib/ld.so).
 * below_min_addr runs only because root may map below vm.mmap_min_addr.
 */
#define S EB_LINUX_SAME
#define R EB_LINUX_RUNS
#define V EB_LINUX_SEGV
#define O EB_LINUX_OTHER
static const struct eb_variant_info variants[EB_VARIANT_COUNT] = {
	[EB_VALID] = { "valid", 0, 0, R },
	[EB_BAD_MAGIC] = { "bad_magic", -ENOEXEC, -ENOEXEC, S },
	[EB_BAD_CLASS] = { "bad_class", -ENOEXEC, -ENOEXEC, R },
	[EB_BAD_DATA] = { "bad_data", -ENOEXEC, -ENOEXEC, R },
	[EB_BAD_IDENT_VERSION] = { "bad_ident_version", -ENOEXEC, -ENOEXEC, R },
	[EB_BAD_VERSION] = { "bad_version", -ENOEXEC, -ENOEXEC, R },
	[EB_TYPE_REL] = { "type_rel", -ENOEXEC, -ENOEXEC, S },
	[EB_TYPE_CORE] = { "type_core", -ENOEXEC, -ENOEXEC, S },
	[EB_BAD_MACHINE] = { "bad_machine", -ENOEXEC, -ENOEXEC, O },
	[EB_TRUNC_EHDR] = { "trunc_ehdr", -ENOEXEC, -ENOEXEC, S },
	[EB_BAD_PHENTSIZE] = { "bad_phentsize", -ENOEXEC, -ENOEXEC, S },
	[EB_PHNUM_ZERO] = { "phnum_zero", -ENOEXEC, -ENOEXEC, S },
	[EB_PHNUM_FFFF] = { "phnum_ffff", -ENOEXEC, -ENOEXEC, S },
	[EB_PHNUM_OVER_64K] = { "phnum_over_64k", -ENOEXEC, -ENOEXEC, S },
	[EB_PHOFF_PAST_EOF] = { "phoff_past_eof", -ENOEXEC, -ENOEXEC, S },
	[EB_PHOFF_HUGE] = { "phoff_huge", -ENOEXEC, -ENOEXEC, S },
	[EB_INTERP] = { "interp", -ENOEXEC, -ENOEXEC, O },
	[EB_FILESZ_GT_MEMSZ] = { "filesz_gt_memsz", -EINVAL, -EINVAL, V },
	[EB_OFFSET_OVERFLOW] = { "offset_overflow", -EINVAL, -EINVAL, V },
	[EB_FILE_PAST_EOF] = { "file_past_eof", -ENOEXEC, -ENOEXEC, R },
	[EB_MISALIGNED] = { "misaligned", -EINVAL, -EINVAL, V },
	[EB_VADDR_OVERFLOW] = { "vaddr_overflow", -EINVAL, -EINVAL, V },
	[EB_VADDR_BEYOND_TOP] = { "vaddr_beyond_top", -EINVAL, -EINVAL, V },
	[EB_END_BEYOND_TOP] = { "end_beyond_top", -EINVAL, -EINVAL, V },
	[EB_MEMSZ_HUGE] = { "memsz_huge", -EINVAL, -EINVAL, V },
	[EB_ENTRY_OUTSIDE] = { "entry_outside", -EINVAL, -EINVAL, V },
	[EB_ENTRY_NOT_EXEC] = { "entry_not_exec", -EINVAL, -EINVAL, V },
	[EB_ENTRY_IN_GAP] = { "entry_in_gap", -EINVAL, -EINVAL, V },
	[EB_TOO_MANY_LOADS] = { "too_many_loads", -ENOMEM, -ENOMEM, R },
	[EB_BELOW_MIN_ADDR] = { "below_min_addr", -EPERM, 0, R }, /* PIE: text is at 0 anyway */
	[EB_PT_PHDR_OUTSIDE] = { "pt_phdr_outside", -EINVAL, -EINVAL, R },
	[EB_OVERLAP_HIDES_ENTRY] = { "overlap_hides_entry", -EINVAL, -EINVAL, V },
	[EB_NO_PT_PHDR] = { "no_pt_phdr", 0, 0, R },
	[EB_NO_GNU_STACK] = { "no_gnu_stack", 0, 0, R },
	[EB_EXEC_STACK] = { "exec_stack", 0, 0, R },
	[EB_WX] = { "wx", 0, 0, R },
	[EB_OVERLAP] = { "overlap", 0, 0, R },
	[EB_OUT_OF_ORDER] = { "out_of_order", 0, 0, R },
	[EB_MAX_LOADS] = { "max_loads", 0, 0, R },
	[EB_BSS_ONLY] = { "bss_only", 0, 0, R },
	[EB_PHNUM_LIMIT] = { "phnum_limit", 0, 0, R },
};
#undef S
#undef R
#undef V
#undef O

/* Name and expected results of variant v. */
const struct eb_variant_info *eb_variant_info(enum eb_variant v)
{
	return &variants[v];
}

/* Fill ph as a program header of the given type and fields. */
static void set_ph(struct elf_phdr *ph, uint32_t type, uint32_t flags, uint64_t off,
		   uint64_t vaddr, uint64_t filesz, uint64_t memsz, uint64_t align)
{
	memset(ph, 0, sizeof(*ph));
	ph->type = type;
	ph->flags = flags;
	ph->offset = off;
	ph->vaddr = vaddr;
	ph->paddr = vaddr;
	ph->filesz = filesz;
	ph->memsz = memsz;
	ph->align = align;
}

/* Put exit(42) for machine at the entry point (file offset EB_ENTRY_OFF). */
static void set_exit_code(struct eb_image *im, uint16_t machine)
{
	/* x86_64: mov $60,%eax; mov $42,%edi; syscall */
	static const uint8_t x86[] = { 0xb8, 0x3c, 0, 0, 0, 0xbf, 0x2a, 0, 0, 0, 0x0f, 0x05 };
	/* aarch64: mov x0,#42; mov x8,#93; svc #0 (little-endian words) */
	static const uint8_t a64[] = { 0x40, 0x05, 0x80, 0xd2, 0xa8, 0x0b, 0x80, 0xd2,
				       0x01, 0x00, 0x00, 0xd4 };
	struct eb_blob *b = &im->blob[EB_BLOB_CODE];

	b->off = EB_ENTRY_OFF;
	b->len = sizeof(x86);
	memcpy(b->bytes, machine == ELF_MACHINE_AARCH64 ? a64 : x86, b->len);
}

/* The valid layout of elf_build.h at link base b, with the given type. */
static void build_valid(struct eb_image *im, uint16_t machine, uint16_t type, uint64_t b)
{
	static const uint8_t ident[8] = { ELF_MAG0, 'E', 'L', 'F', ELF_CLASS64, ELF_DATA_LSB,
					  ELF_VERSION_CURRENT, 0 };

	memset(im, 0, sizeof(*im));
	memcpy(im->eh.ident, ident, sizeof(ident));
	im->eh.type = type;
	im->eh.machine = machine;
	im->eh.version = ELF_VERSION_CURRENT;
	im->eh.entry = b + EB_ENTRY_OFF;
	im->eh.phoff = ELF_EHDR_SIZE;
	im->eh.ehsize = ELF_EHDR_SIZE;
	im->eh.phentsize = ELF_PHDR_SIZE;
	im->eh.phnum = EB_NPH;
	im->nph = EB_NPH;
	im->size = EB_FILE_SIZE;
	set_ph(&im->ph[EB_PH_PHDR], ELF_PT_PHDR, ELF_PF_R, ELF_EHDR_SIZE, b + ELF_EHDR_SIZE,
	       EB_NPH * PH_SIZE, EB_NPH * PH_SIZE, 8);
	set_ph(&im->ph[EB_PH_TEXT], ELF_PT_LOAD, ELF_PF_R | ELF_PF_X, 0, b, EB_TEXT_SIZE,
	       EB_TEXT_SIZE, ELF_PAGE_SIZE);
	set_ph(&im->ph[EB_PH_DATA], ELF_PT_LOAD, ELF_PF_R | ELF_PF_W, EB_DATA_OFF,
	       b + EB_DATA_VADDR, EB_DATA_FILESZ, EB_DATA_MEMSZ, ELF_PAGE_SIZE);
	set_ph(&im->ph[EB_PH_STACK], ELF_PT_GNU_STACK, ELF_PF_R | ELF_PF_W, 0, 0, 0, 0, 16);
	set_exit_code(im, machine);
}

/* A valid static ET_EXEC for machine. */
void eb_static_exec(struct eb_image *im, uint16_t machine)
{
	build_valid(im, machine, ELF_TYPE_EXEC, EB_EXEC_BASE);
}

/* A valid static PIE for machine, linked at 0. */
void eb_static_pie(struct eb_image *im, uint16_t machine)
{
	build_valid(im, machine, ELF_TYPE_DYN, 0);
}

/* Append ph and keep phnum and a leading PT_PHDR's size in step; false when full. */
bool eb_add_phdr(struct eb_image *im, const struct elf_phdr *ph)
{
	if (im->nph >= EB_MAX_PHDRS)
		return false;
	im->ph[im->nph++] = *ph;
	im->eh.phnum = (uint16_t)im->nph;
	if (im->ph[0].type == ELF_PT_PHDR)
		im->ph[0].filesz = im->ph[0].memsz = im->nph * PH_SIZE;
	return true;
}

/* The target the tests use for machine. */
struct elf_target eb_target(uint16_t machine)
{
	struct elf_target t = { .machine = machine, .min_addr = 0x10000 };

	if (machine == ELF_MACHINE_AARCH64) {
		t.user_top = 1ull << 48;      /* TASK_SIZE_64 with 48-bit VAs */
		t.pie_base = 0xaaaaaaaaa000ull; /* ELF_ET_DYN_BASE: 2/3 of it */
	} else {
		t.user_top = (1ull << 47) - 0x1000; /* TASK_SIZE_MAX, 4-level paging */
		t.pie_base = 0x555555554000ull;
	}
	return t;
}

/* Link base of im (B in elf_build.h). */
static uint64_t base_of(const struct eb_image *im)
{
	return im->eh.type == ELF_TYPE_DYN ? 0 : EB_EXEC_BASE;
}

/* Add n copies of the text PT_LOAD. */
static void add_text_copies(struct eb_image *im, unsigned n)
{
	struct elf_phdr copy = im->ph[EB_PH_TEXT];

	for (unsigned i = 0; i < n; i++)
		eb_add_phdr(im, &copy);
}

/* Variants that break the file header or the program header table. */
static void apply_header(struct eb_image *im, enum eb_variant v)
{
	switch (v) {
	case EB_BAD_MAGIC: im->eh.ident[1] = 'X'; break;
	case EB_BAD_CLASS: im->eh.ident[ELF_IDX_CLASS] = 1; break;
	case EB_BAD_DATA: im->eh.ident[ELF_IDX_DATA] = 2; break;
	case EB_BAD_IDENT_VERSION: im->eh.ident[ELF_IDX_VERSION] = 0; break;
	case EB_BAD_VERSION: im->eh.version = 2; break;
	case EB_TYPE_REL: im->eh.type = ELF_TYPE_REL; break;
	case EB_TYPE_CORE: im->eh.type = ELF_TYPE_CORE; break;
	case EB_BAD_MACHINE:
		im->eh.machine = im->eh.machine == ELF_MACHINE_X86_64 ? ELF_MACHINE_AARCH64
								      : ELF_MACHINE_X86_64;
		break;
	case EB_TRUNC_EHDR: im->size = ELF_EHDR_SIZE - 1; break;
	case EB_BAD_PHENTSIZE: im->eh.phentsize = 32; break;
	case EB_PHNUM_ZERO: im->eh.phnum = 0; break;
	case EB_PHNUM_FFFF: im->eh.phnum = 0xffff; break;
	case EB_PHNUM_OVER_64K: im->eh.phnum = ELF_MAX_PHDR_TABLE / ELF_PHDR_SIZE + 1; break;
	case EB_PHOFF_PAST_EOF: im->eh.phoff = im->size - 100; break;
	case EB_PHOFF_HUGE: im->eh.phoff = UINT64_MAX - 8; break;
	default: break;
	}
}

/* Variants that break a PT_LOAD's file range or memory range. */
static void apply_load(struct eb_image *im, enum eb_variant v, const struct elf_target *t)
{
	struct elf_phdr *text = &im->ph[EB_PH_TEXT], *data = &im->ph[EB_PH_DATA];

	switch (v) {
	case EB_FILESZ_GT_MEMSZ: text->memsz = text->filesz - 1; break;
	case EB_OFFSET_OVERFLOW:
		data->offset = UINT64_MAX - 0xfef; /* ...f010: still congruent to vaddr */
		data->filesz = 0x1000;             /* offset + filesz wraps */
		break;
	case EB_FILE_PAST_EOF: data->filesz += 0x10; break;
	case EB_MISALIGNED:
		data->offset += 8;
		data->filesz -= 8;
		break;
	case EB_VADDR_OVERFLOW: data->vaddr = UINT64_MAX - 0xfef; break;
	case EB_VADDR_BEYOND_TOP: data->vaddr = t->user_top + 0x10; break;
	case EB_END_BEYOND_TOP: data->vaddr = t->user_top - 0x1000 + 0x10; break;
	case EB_MEMSZ_HUGE: data->memsz = UINT64_MAX; break;
	case EB_TOO_MANY_LOADS: add_text_copies(im, ELF_MAX_LOADS - 1); break;
	case EB_MAX_LOADS: add_text_copies(im, ELF_MAX_LOADS - 2); break;
	case EB_BELOW_MIN_ADDR: /* move the text (with entry and PT_PHDR) to page 0 */
		text->vaddr = 0;
		im->ph[EB_PH_PHDR].vaddr = ELF_EHDR_SIZE;
		im->eh.entry = EB_ENTRY_OFF;
		break;
	case EB_BSS_ONLY:
		data->filesz = 0;
		data->offset = UINT64_MAX; /* unused when there are no file bytes */
		break;
	default: break;
	}
}

/* Variants about the entry point, PT_PHDR, PT_INTERP, the stack and legal layouts. */
static void apply_misc(struct eb_image *im, enum eb_variant v, const struct elf_target *t)
{
	uint64_t b = base_of(im);
	struct elf_phdr ph, tmp;

	switch (v) {
	case EB_ENTRY_OUTSIDE: im->eh.entry = t->user_top + 0x100; break;
	case EB_ENTRY_NOT_EXEC: im->eh.entry = b + EB_DATA_VADDR; break;
	case EB_ENTRY_IN_GAP: im->eh.entry = b + 0x1800; break;
	case EB_PT_PHDR_OUTSIDE: im->ph[EB_PH_PHDR].vaddr = b + 0x1800; break;
	case EB_NO_PT_PHDR: im->ph[EB_PH_PHDR].type = ELF_PT_NULL; break;
	case EB_NO_GNU_STACK: im->ph[EB_PH_STACK].type = ELF_PT_NULL; break;
	case EB_EXEC_STACK: im->ph[EB_PH_STACK].flags |= ELF_PF_X; break;
	case EB_WX: im->ph[EB_PH_TEXT].flags |= ELF_PF_W; break;
	case EB_OVERLAP_HIDES_ENTRY: /* data (RW) shares and, coming later, replaces page B */
		im->ph[EB_PH_DATA].vaddr = b + (EB_DATA_OFF & 0xfff);
		break;
	case EB_OVERLAP: /* the same overlap with text last: page B stays R+X */
		im->ph[EB_PH_DATA].vaddr = b + (EB_DATA_OFF & 0xfff);
		tmp = im->ph[EB_PH_TEXT];
		im->ph[EB_PH_TEXT] = im->ph[EB_PH_DATA];
		im->ph[EB_PH_DATA] = tmp;
		break;
	case EB_OUT_OF_ORDER:
		tmp = im->ph[EB_PH_TEXT];
		im->ph[EB_PH_TEXT] = im->ph[EB_PH_DATA];
		im->ph[EB_PH_DATA] = tmp;
		break;
	case EB_INTERP:
		set_ph(&ph, ELF_PT_INTERP, ELF_PF_R, EB_INTERP_OFF, b + EB_INTERP_OFF, 11, 11, 1);
		eb_add_phdr(im, &ph);
		im->blob[EB_BLOB_INTERP].off = EB_INTERP_OFF;
		memcpy(im->blob[EB_BLOB_INTERP].bytes, "/lib/ld.so", 11);
		im->blob[EB_BLOB_INTERP].len = 11;
		break;
	case EB_PHNUM_LIMIT:
		im->eh.phnum = ELF_MAX_PHDR_TABLE / ELF_PHDR_SIZE; /* 1170: the rest are PT_NULL */
		im->size = 0x11000;
		im->blob[EB_BLOB_CODE].off = 0x10800; /* code and entry beyond the table */
		im->eh.entry = b + 0x10800;
		im->ph[EB_PH_TEXT].filesz = im->ph[EB_PH_TEXT].memsz = im->size;
		im->ph[EB_PH_PHDR].filesz = im->ph[EB_PH_PHDR].memsz = im->eh.phnum * PH_SIZE;
		break;
	default: break;
	}
}

/* Break or bend im as variant v says. */
void eb_apply(struct eb_image *im, enum eb_variant v)
{
	struct elf_target t = eb_target(im->eh.machine);

	apply_header(im, v);
	apply_load(im, v, &t);
	apply_misc(im, v, &t);
}

/* Store the n-byte little-endian value x at p. */
static void put_le(uint8_t *p, uint64_t x, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (uint8_t)(x >> (8 * i));
}

/* Encode eh into 64 bytes at p. */
static void encode_ehdr(uint8_t *p, const struct elf_ehdr *eh)
{
	memcpy(p, eh->ident, ELF_NIDENT);
	put_le(p + 16, eh->type, 2);
	put_le(p + 18, eh->machine, 2);
	put_le(p + 20, eh->version, 4);
	put_le(p + 24, eh->entry, 8);
	put_le(p + 32, eh->phoff, 8);
	put_le(p + 40, eh->shoff, 8);
	put_le(p + 48, eh->flags, 4);
	put_le(p + 52, eh->ehsize, 2);
	put_le(p + 54, eh->phentsize, 2);
	put_le(p + 56, eh->phnum, 2);
	put_le(p + 58, eh->shentsize, 2);
	put_le(p + 60, eh->shnum, 2);
	put_le(p + 62, eh->shstrndx, 2);
}

/* Encode ph into 56 bytes at p. */
static void encode_phdr(uint8_t *p, const struct elf_phdr *ph)
{
	put_le(p, ph->type, 4);
	put_le(p + 4, ph->flags, 4);
	put_le(p + 8, ph->offset, 8);
	put_le(p + 16, ph->vaddr, 8);
	put_le(p + 24, ph->paddr, 8);
	put_le(p + 32, ph->filesz, 8);
	put_le(p + 40, ph->memsz, 8);
	put_le(p + 48, ph->align, 8);
}

/* Copy len bytes of src to file offset off of buf[0, size), dropping what lies outside. */
static void put_clipped(uint8_t *buf, uint64_t size, uint64_t off, const uint8_t *src, uint64_t len)
{
	if (off >= size)
		return;
	memcpy(buf + off, src, (size_t)(len < size - off ? len : size - off));
}

/* Zero the part of the declared program header table inside the file (unused = PT_NULL). */
static void zero_table(uint8_t *buf, const struct eb_image *im)
{
	uint64_t len = (uint64_t)im->eh.phnum * PH_SIZE;

	if (im->eh.phoff >= im->size)
		return;
	memset(buf + im->eh.phoff, 0, (size_t)(len < im->size - im->eh.phoff ? len : im->size - im->eh.phoff));
}

/* Serialize im into buf; returns im->size, or 0 when cap is smaller. */
size_t eb_write(const struct eb_image *im, uint8_t *buf, size_t cap)
{
	uint8_t rec[ELF_EHDR_SIZE];

	if (cap < im->size)
		return 0;
	for (uint64_t i = 0; i < im->size; i++)
		buf[i] = (uint8_t)(0x5a ^ (i * 37) ^ (i >> 8)); /* recognisable filler */
	zero_table(buf, im);
	encode_ehdr(rec, &im->eh);
	put_clipped(buf, im->size, 0, rec, ELF_EHDR_SIZE);
	for (unsigned i = 0; i < im->nph; i++) {
		uint64_t off = im->eh.phoff + (uint64_t)i * PH_SIZE;

		if (off < im->eh.phoff) /* the table wraps around: nothing more fits */
			break;
		encode_phdr(rec, &im->ph[i]);
		put_clipped(buf, im->size, off, rec, PH_SIZE);
	}
	for (unsigned i = 0; i < EB_MAX_BLOBS; i++)
		put_clipped(buf, im->size, im->blob[i].off, im->blob[i].bytes, im->blob[i].len);
	return (size_t)im->size;
}

/* Serialize im into a new malloc() buffer. */
uint8_t *eb_alloc_write(const struct eb_image *im)
{
	uint8_t *buf = malloc(im->size ? im->size : 1);

	if (buf)
		eb_write(im, buf, im->size);
	return buf;
}
