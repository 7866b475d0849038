/*
 * execve, first half: everything before the point of no return.
 *
 * exec_prepare() reads the path, argv and envp from the CURRENT address space,
 * resolves the path, follows `#!` scripts, validates the ELF image and builds the whole
 * new program (segments, bss, stack with argv/envp/auxv) in a FRESH address space that
 * is never activated here. On any error it frees everything it made and returns the
 * errno; the caller's address space, process and files are untouched (it only reads
 * user memory). The caller (sys_execve) then commits: switch to img->as, set pc/sp,
 * close O_CLOEXEC fds, reset handlers, wake a vfork parent, drop the old space; or it
 * calls exec_image_discard() to abandon the image.
 *
 * Order of checks, as Linux >= 6.8 (do_execveat_common, which opens the file first):
 *  1. path: -EFAULT (bad pointer), -ENAMETOOLONG (no NUL within PATH_MAX bytes),
 *     -ENOENT (empty);
 *  2. lookup: -ENOENT, -ENOTDIR, -ENAMETOOLONG, -ELOOP (vfs_lookup); -EACCES for a
 *     directory or any non-regular file, or when no x bit is set (vfs_permission);
 *  3. argv/envp: NULL arrays are empty; an unreadable pointer or string is -EFAULT;
 *     more than EXEC_MAX_ARG_STRINGS entries, a string over MAX_ARG_STRLEN (32 pages
 *     with its NUL), or strings + pointers over the argument space (2 MiB for the
 *     default 8 MiB stack limit, see ustack.h) is -E2BIG. Strings are copied as
 *     Linux does: the path, then envp and argv each from the last entry down. An
 *     empty argv becomes { "" } (Linux >= 5.18).
 *  4. handlers, at most EXEC_MAX_ROUNDS rounds (-ELOOP beyond): a file starting with
 *     "#!" is a script, parsed as binfmt_script (see exec_script_parse() in
 *     exec_internal.h): argv becomes [interp, optional arg, script path, argv[1..]],
 *     then the interpreter is looked up and checked as in 2 (-ENOENT when missing;
 *     an empty name, "#!" followed by a NUL, is -EACCES as Linux's lookup of "");
 *     anything else must pass elf_plan() (-ENOEXEC, -EINVAL, -ENOMEM, -EPERM, -EIO;
 *     PT_INTERP is refused with -ENOEXEC: no dynamic loader yet).
 *  5. build: -E2BIG if the final strings and pointers exceed the argument space (a
 *     script's extra pointers are counted here; Linux counts only the original ones),
 *     -ENOMEM when out of memory or when a segment overlaps the stack region (Linux
 *     would kill the process after its point of no return there).
 */
#ifndef CLEAVE_EXEC_H
#define CLEAVE_EXEC_H

#include "../lib/types.h"

struct aspace;
struct inode;

#define EXEC_RANDOM_SIZE 16
/* Handler rounds: Linux's exec_binprm fails when depth > 5, so a chain of at most
 * five `#!` scripts ending in an ELF runs and a sixth script gives -ELOOP. */
#define EXEC_MAX_ROUNDS 6
/* Linux's BINPRM_BUF_SIZE: the `#!` line is parsed from this many leading bytes. */
#define EXEC_BINPRM_BUF_SIZE 256
/* Linux's MAX_ARG_STRINGS. */
#define EXEC_MAX_ARG_STRINGS 0x7fffffffu
/* Linux's stack_expand: the stack VMA reaches this far below the initial sp page. */
#define EXEC_STACK_EXPAND ((vaddr_t)128 << 10)

/* What the running machine offers a new program; filled by the caller per exec. */
struct exec_target {
	uint16_t machine;     /* ELF_MACHINE_X86_64 or ELF_MACHINE_AARCH64 */
	vaddr_t user_top;     /* first address above the user range, page aligned; the
				 stack VMA ends here (Linux's STACK_TOP without ASLR) */
	vaddr_t pie_base;     /* where the lowest page of a static PIE goes (page aligned) */
	uint64_t hwcap;       /* AT_HWCAP */
	uint64_t hwcap2;      /* AT_HWCAP2 */
	uint64_t minsigstksz; /* AT_MINSIGSTKSZ; 0 leaves the entry out */
	const char *platform; /* AT_PLATFORM string ("x86_64", "aarch64"), or NULL */
	uint8_t random[EXEC_RANDOM_SIZE]; /* AT_RANDOM bytes (the caller's entropy) */
};

/* A fully built new program image, not yet installed. */
struct exec_image {
	struct aspace *as;    /* the new space: one reference, not active */
	vaddr_t entry;        /* initial program counter */
	vaddr_t sp;           /* initial stack pointer (points at argc), 16-byte aligned */
	vaddr_t stack_top;    /* end of the stack VMA */
	vaddr_t brk_start;    /* start of the empty heap (also as->brk_start, as->brk) */
	bool exec_stack;      /* PT_GNU_STACK asked for an executable stack */
	size_t argc;          /* argc as the program sees it (after `#!` rewriting) */
	vaddr_t arg_start, arg_end, env_start, env_end; /* Linux's mm fields */
	vaddr_t execfn;       /* AT_EXECFN: the path as passed to execve */
	char comm[16];        /* basename of the path, cut to 15 bytes (Linux's comm) */
};

/*
 * Build the image execve(upath, uargv, uenvp) would run, relative to cwd (NULL: the
 * root), reading user memory of the current address space only. Returns 0 with *out
 * filled, or a negative errno (see above) with nothing allocated and *out zeroed.
 */
int exec_prepare(struct inode *cwd, vaddr_t upath, vaddr_t uargv, vaddr_t uenvp,
		 const struct exec_target *target, struct exec_image *out);

/* Abandon a prepared image: drop its address space (it must not be active) and zero
 * *img. A zeroed image is ignored. */
void exec_image_discard(struct exec_image *img);

#endif
