/*
 * ELF64 executable validation: the pure half of the loader.
 *
 * elf_plan() reads an untrusted, possibly truncated, possibly unaligned in-memory
 * image of an executable and either rejects it with Linux's errno or produces a load
 * plan: which pages to create, what to copy into them, with which protection, where
 * the entry point, program headers and brk lie. It touches no memory but the image
 * (read) and the plan (written), allocates nothing and cannot panic. The applier
 * (core/proc exec, written against core/mm) carries the plan out; see "Applying a
 * plan" below for its exact duties.
 *
 * Only what Cleave runs is accepted: ELFCLASS64, little endian, ET_EXEC or ET_DYN
 * (static PIE), one machine chosen at run time (EM_X86_64 or EM_AARCH64), 4 KiB pages,
 * no interpreter unless the target allows it.
 */
#ifndef CLEAVE_ELF_H
#define CLEAVE_ELF_H

#include "../lib/types.h"

/* ---- File format (ELF64 gABI), our own names ------------------------------------ */

#define ELF_NIDENT 16
#define ELF_MAG0 0x7f /* e_ident[0..3] = 0x7f 'E' 'L' 'F' */
#define ELF_IDX_CLASS 4
#define ELF_IDX_DATA 5
#define ELF_IDX_VERSION 6
#define ELF_CLASS64 2
#define ELF_DATA_LSB 1
#define ELF_VERSION_CURRENT 1

#define ELF_TYPE_REL 1
#define ELF_TYPE_EXEC 2
#define ELF_TYPE_DYN 3
#define ELF_TYPE_CORE 4

#define ELF_MACHINE_X86_64 62
#define ELF_MACHINE_AARCH64 183

#define ELF_PT_NULL 0
#define ELF_PT_LOAD 1
#define ELF_PT_DYNAMIC 2
#define ELF_PT_INTERP 3
#define ELF_PT_NOTE 4
#define ELF_PT_PHDR 6
#define ELF_PT_TLS 7
#define ELF_PT_GNU_STACK 0x6474e551u

#define ELF_PF_X 1u /* p_flags bits */
#define ELF_PF_W 2u
#define ELF_PF_R 4u

/* The file header, decoded field by field from little-endian bytes (Elf64_Ehdr). */
struct elf_ehdr {
	uint8_t ident[ELF_NIDENT];
	uint16_t type;
	uint16_t machine;
	uint32_t version;
	uint64_t entry;
	uint64_t phoff;
	uint64_t shoff;
	uint32_t flags;
	uint16_t ehsize;
	uint16_t phentsize;
	uint16_t phnum;
	uint16_t shentsize;
	uint16_t shnum;
	uint16_t shstrndx;
};

/* One program header, decoded (Elf64_Phdr). */
struct elf_phdr {
	uint32_t type;
	uint32_t flags;
	uint64_t offset;
	uint64_t vaddr;
	uint64_t paddr;
	uint64_t filesz;
	uint64_t memsz;
	uint64_t align;
};

/* On-disk sizes of the two records; e_phentsize must equal ELF_PHDR_SIZE. */
#define ELF_EHDR_SIZE 64u
#define ELF_PHDR_SIZE 56u

/* Decode the file header from the first ELF_EHDR_SIZE bytes at p (any alignment). */
void elf_decode_ehdr(const uint8_t *p, struct elf_ehdr *eh);
/* Decode one program header from ELF_PHDR_SIZE bytes at p (any alignment). */
void elf_decode_phdr(const uint8_t *p, struct elf_phdr *ph);

/* ---- Limits ----------------------------------------------------------------------- */

#define ELF_PAGE_SIZE 4096u
/* Linux (load_elf_phdrs): the whole program header table may be at most 64 KiB. */
#define ELF_MAX_PHDR_TABLE 65536u
/*
 * PT_LOAD segments per plan. Linux has no fixed cap; the only bound on the number of
 * mappings is vm.max_map_count, and exceeding it makes the segment's mmap fail with
 * -ENOMEM, so more segments than this is -ENOMEM here too (real static binaries have
 * 2 to 4).
 */
#define ELF_MAX_LOADS 16
/* Linux: PT_INTERP's p_filesz must lie in [2, PATH_MAX]. */
#define ELF_MAX_INTERP 4096u

/* ---- Target description ------------------------------------------------------------ */

/* What the running system accepts; chosen at run time, not by #ifdef. */
struct elf_target {
	uint16_t machine;   /* ELF_MACHINE_X86_64 or ELF_MACHINE_AARCH64 */
	vaddr_t user_top;   /* first address above the user range; page aligned */
	vaddr_t min_addr;   /* lowest mappable address (Linux vm.mmap_min_addr); page aligned */
	vaddr_t pie_base;   /* where the lowest page of an ET_DYN image goes; page aligned */
	bool allow_interp;  /* accept PT_INTERP and report it; otherwise -ENOEXEC */
};

/* ---- The plan ---------------------------------------------------------------------- */

/* Protection bits of a segment: exactly the file's p_flags, nothing implied. */
#define ELF_PROT_READ 1u
#define ELF_PROT_WRITE 2u
#define ELF_PROT_EXEC 4u

/*
 * One PT_LOAD segment, biased. All addresses are user addresses inside
 * [target->min_addr, target->user_top); map_start <= vaddr <= vaddr + memsz <= map_end.
 */
struct elf_segment {
	vaddr_t vaddr;        /* p_vaddr + load bias: the segment's first byte */
	vaddr_t map_start;    /* vaddr rounded down to a page */
	vaddr_t map_end;      /* vaddr + memsz rounded up to a page (exclusive) */
	uint64_t file_offset; /* page-aligned file offset of the byte that lands at map_start */
	uint64_t file_size;   /* bytes to copy from file_offset to map_start; 0 if p_filesz is 0 */
	uint64_t filesz;      /* p_filesz */
	uint64_t memsz;       /* p_memsz */
	unsigned prot;        /* ELF_PROT_* from p_flags */
};

/*
 * Applying a plan (the applier's contract):
 *  1. Segments are applied in array order (file order). For each segment, every page
 *     of [map_start, map_end) is created fresh with the segment's prot; a page already
 *     created by an earlier segment is replaced, as Linux's MAP_FIXED mapping of a later
 *     segment replaces whole pages of an earlier one. map_start == map_end only for
 *     memsz 0 at a page-aligned vaddr: nothing to do for that segment.
 *  2. Contents: bytes [file_offset, file_offset + file_size) of the image go to
 *     [map_start, map_start + file_size); every other byte of [map_start, map_end) is
 *     zero. elf_plan() guarantees file_offset + file_size <= image size. The copied
 *     head [map_start, vaddr) holds the file bytes preceding the segment in its first
 *     page, as Linux's file mapping shows them.
 *  3. Bss (memsz > filesz): the part of the last file-backed page after
 *     vaddr + filesz (Linux's padzero) and all pages up to map_end are zero by rule 2.
 *     Difference from Linux, on purpose: Linux maps whole file pages, so when
 *     memsz == filesz (or the segment is read-only) the tail of the last page shows
 *     the file bytes that follow the segment; Cleave shows zeros there.
 *     Nothing is ever read from the image outside [0, size).
 *  4. Write the contents before applying prot (read-only and exec-only segments are
 *     filled by the kernel). A segment is W+X only when its p_flags ask for both.
 *  5. The heap (brk) starts at plan->brk, empty. The stack is executable only when
 *     plan->exec_stack. Pass entry, phdr_vaddr, phnum, phentsize to the stack builder
 *     (AT_ENTRY, AT_PHDR, AT_PHNUM, AT_PHENT).
 */
struct elf_plan {
	uint16_t type;          /* ELF_TYPE_EXEC or ELF_TYPE_DYN */
	vaddr_t load_bias;      /* added to every p_vaddr (0 for ET_EXEC; may wrap mod 2^64) */
	vaddr_t entry;          /* e_entry + load bias; inside an executable segment */
	vaddr_t phdr_vaddr;     /* AT_PHDR, biased; 0 when no segment holds the table */
	uint16_t phnum;         /* AT_PHNUM */
	uint16_t phentsize;     /* AT_PHENT (always ELF_PHDR_SIZE) */
	bool exec_stack;        /* last PT_GNU_STACK has PF_X; no PT_GNU_STACK: false */
	vaddr_t brk;            /* highest map_end of all segments (page aligned) */
	bool interp;            /* PT_INTERP present (only with target->allow_interp) */
	uint64_t interp_offset; /* file offset of the NUL-terminated interpreter path */
	uint64_t interp_size;   /* its p_filesz, including the NUL */
	size_t nsegs;           /* number of PT_LOAD segments, 1..ELF_MAX_LOADS */
	struct elf_segment segs[ELF_MAX_LOADS];
};

/*
 * Validate image[0, size) for target and fill plan. Returns 0, or (plan contents then
 * undefined):
 *  -ENOEXEC  not an executable we run: short file, bad magic, class, byte order,
 *            version, type, machine; e_phentsize != 56; e_phnum 0 or a table over
 *            64 KiB; table past end of file; PT_INTERP (unless allowed; then a path
 *            size outside [2, 4096] or a path not NUL-terminated); a
 *            PT_LOAD's file bytes past end of file (Linux maps them: they read as
 *            zeros up to the end of the last file page and raise SIGBUS beyond it;
 *            Cleave refuses, with the errno Linux gives a file too short for its
 *            program header table).
 *  -ENOMEM   more than ELF_MAX_LOADS PT_LOAD segments.
 *  -EINVAL   a PT_LOAD with p_filesz > p_memsz, p_offset + p_filesz overflowing, or
 *            (p_offset - p_vaddr) not a page multiple (Linux's vm_mmap() offset
 *            checks), or its memory [vaddr, vaddr + memsz) wrapping or reaching
 *            past user_top (Linux: the "set_brk can never work" check; its mmap may
 *            fail first with -ENOMEM, both after its point of no return); an entry
 *            point outside an executable PT_LOAD, or on a page a later
 *            non-executable PT_LOAD replaces (Linux only requires entry <
 *            TASK_SIZE: stricter); a PT_PHDR not inside a PT_LOAD's file bytes
 *            (Linux ignores PT_PHDR: stricter); a target whose user_top, min_addr
 *            or pie_base is unaligned or out of order.
 *  -EPERM    a segment below target->min_addr (Linux's mmap_min_addr check).
 *  -EIO      an allowed PT_INTERP whose path lies past end of file (Linux's short read).
 * Segments may overlap and come in any order, as Linux accepts.
 * Stricter than Linux 6.x as well: EI_CLASS, EI_DATA, EI_VERSION and e_version are
 * checked (Linux checks only magic, type, machine), and a PT_LOAD's file bytes must
 * lie inside the file. Linux's own PT_LOAD errors (-EINVAL above) happen after its
 * point of no return, so there the process dies with SIGSEGV instead; Cleave returns
 * the errno with the old image intact. tests/unit/elf_build.c records, per malformed
 * variant, what Linux 6.18 did with it.
 */
int elf_plan(const void *image, size_t size, const struct elf_target *target,
	     struct elf_plan *plan);

#endif
