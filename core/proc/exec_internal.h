/*
 * Pieces of exec_prepare() shared by its files (and visible to the unit tests):
 * kernel copies of the argument strings, and the `#!` line parser.
 */
#ifndef CLEAVE_EXEC_INTERNAL_H
#define CLEAVE_EXEC_INTERNAL_H

#include "../lib/types.h"
#include "exec.h"

struct elf_plan;
struct exec_strblock;

/*
 * The argument and environment strings in kernel memory. Strings are packed into
 * page frames (no large kmalloc for ordinary arguments); a string longer than a page
 * gets its own kmalloc'd block. argv[]/envp[] hold kernel pointers to them.
 * "bytes" counts strings with their NULs against "limit" exactly as Linux's
 * copy_strings() moves bprm->p against bprm->argmin (the path is counted too).
 */
struct exec_args {
	struct exec_strblock *blocks; /* all storage blocks */
	struct exec_strblock *cur;    /* the frame new short strings go to, or NULL */
	const char **argv;            /* argc pointers (kmalloc'd array), argc >= 1 once
					 exec_args_copy_user() succeeded */
	size_t argc;
	const char **envp;            /* envc pointers */
	size_t envc;
	uint64_t bytes;               /* string bytes used (with NULs) */
	uint64_t limit;               /* string space: arg limit minus the pointers */
};

/* The argument space for a stack rlimit: max(min(rlimit / 4, 6 MiB), 128 KiB), as
 * ustack.h (and Linux's bprm_stack_limits) compute it. */
uint64_t exec_arg_limit(uint64_t rlimit);

/* Empty args (nothing allocated). */
void exec_args_init(struct exec_args *a);
/* Free every string and array of a and reset it to empty. */
void exec_args_free(struct exec_args *a);
/*
 * Count and copy the user arrays uargv/uenvp (0: empty) from the current space, with
 * path (already in kernel memory) counted first, as Linux does. Returns 0, -EFAULT,
 * -E2BIG or -ENOMEM. An empty argv becomes { "" }.
 */
int exec_args_copy_user(struct exec_args *a, const char *path, vaddr_t uargv,
			vaddr_t uenvp);
/*
 * Rewrite argv for a script: drop argv[0], then make argv
 * [iname, iarg (if not NULL), script, old argv[1..]]. The new strings are copied (and
 * counted, in Linux's order script, iarg, iname); script may point into a's storage.
 * 0, -E2BIG or -ENOMEM (a is then only fit for exec_args_free). *stored_iname gets
 * the kept copy of iname.
 */
int exec_args_script(struct exec_args *a, const char *script, const char *iname,
		     const char *iarg, const char **stored_iname);

/* Result of parsing a `#!` line: pointers into the caller's buffer. */
struct exec_shebang {
	const char *name; /* interpreter path (NUL-terminated; "" when a NUL follows "#!") */
	const char *arg;  /* the optional single argument, or NULL */
};

/*
 * Parse the first bytes of a file as binfmt_script does. buf holds
 * EXEC_BINPRM_BUF_SIZE bytes: the file's first bytes, zero-filled past its end. The
 * rules: the line ends at the first '\n' (searched up to the first NUL); without one,
 * a line that is all blanks or whose name runs to the end of the buffer is -ENOEXEC,
 * else the last buffer byte is dropped. Trailing blanks (space, tab) are trimmed, the
 * name starts at the first non-blank after "#!" and ends at a blank or NUL; the rest,
 * from the next non-blank, is ONE argument (inner blanks kept). No name before the
 * line's end: -ENOEXEC (a NUL right after the blanks still gives the name "").
 * Not starting with "#!": -ENOEXEC. Writes NULs into buf; 0 on success.
 */
int exec_script_parse(char *buf, struct exec_shebang *out);

/*
 * Build the new space for a validated plan over image data: segments as elf.h's
 * "Applying a plan" says, then the stack (ustack_build() with a's strings, execfn
 * as AT_EXECFN) in a grows-down VMA ending at t->user_top. Fills out->as, entry, sp,
 * stack_top, brk_start, exec_stack, argc and the layout fields (not comm). 0,
 * -E2BIG (ustack limits), -ENOMEM; on error nothing is left allocated.
 */
int exec_build_image(const struct exec_target *t, const struct elf_plan *plan,
		     const uint8_t *data, const struct exec_args *a, const char *execfn,
		     struct exec_image *out);

#endif
