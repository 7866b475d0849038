/*
 * The initial user stack of a new program, laid out byte for byte as Linux's execve()
 * (fs/exec.c + create_elf_tables()) does on x86_64 and aarch64, without address
 * randomisation. Pure: it computes addresses and writes into a kernel buffer that the
 * caller then copies to [stack_top - len, stack_top) of the new address space.
 *
 * Layout, from high to low addresses (every address below stack_top):
 *
 *   stack_top - 8   8 zero bytes (end marker; Linux starts bprm->p one pointer down)
 *   execfn          the filename string + NUL          <- AT_EXECFN
 *   envp strings    envp[0] lowest ... envp[envc-1] highest, each NUL-terminated
 *   argv strings    argv[0] lowest ... argv[argc-1] highest  <- arg_start
 *                   (Linux copies execfn, then envp, then argv, each list from its last
 *                   string down, so memory ascends argv[0..], envp[0..], execfn)
 *   padding         down to a 16-byte boundary (Linux: arch_align_stack, zeros)
 *   platform        optional AT_PLATFORM string + NUL (no alignment)
 *   random          16 bytes                           <- AT_RANDOM
 *   padding         0 or 8 zero bytes (the rounding below leaves it here)
 *   auxv            (type, value) pairs, ending with AT_NULL (0, 0)
 *   envp[]          envc pointers, then NULL
 *   argv[]          argc pointers, then NULL
 *   argc            8 bytes                            <- sp, 16-byte aligned
 *
 * sp = (address below the random bytes - auxv size - (argc + envc + 3) * 8) rounded
 * down to 16, exactly Linux's STACK_ROUND; the auxv directly follows envp's NULL.
 *
 * auxv order (Linux's): [AT_MINSIGSTKSZ, from ARCH_DLINFO, only if nonzero], AT_HWCAP,
 * AT_PAGESZ, AT_CLKTCK, AT_PHDR, AT_PHENT, AT_PHNUM, AT_BASE, AT_FLAGS, AT_ENTRY,
 * AT_UID, AT_EUID, AT_GID, AT_EGID, AT_SECURE, AT_RANDOM, AT_HWCAP2 (both
 * architectures define ELF_HWCAP2, so it is always present), AT_EXECFN,
 * [AT_PLATFORM if a platform string is given], AT_NULL. No AT_SYSINFO_EHDR: no vDSO.
 * Linux 6.18 x86_64 also emits AT_SYSINFO_EHDR (first) and AT_RSEQ_FEATURE_SIZE,
 * AT_RSEQ_ALIGN (after AT_PLATFORM); Cleave has neither a vDSO nor rseq. Everything
 * else, including the string offsets, matches a measured Linux stack (test_ustack.c).
 *
 * Empty argv: since Linux 5.18 execve() with argc == 0 pushes one "" string as
 * argv[0] (argc becomes 1); the same here. The limits are Linux's (bprm_stack_limits,
 * copy_strings): argc and envc each at most MAX_ARG_STRINGS; every string including
 * execfn at most MAX_ARG_STRLEN bytes with its NUL; all strings (execfn, envp, argv,
 * the "" above) at most limit - (max(argc, 1) + envc) * 8 bytes, where limit =
 * max(min(rlimit / 4, 6 MiB), ARG_MAX = 128 KiB), i.e. 2 MiB for the default 8 MiB
 * stack rlimit. Beyond any of them: -E2BIG.
 */
#ifndef CLEAVE_USTACK_H
#define CLEAVE_USTACK_H

#include "../lib/types.h"

struct elf_plan;

#define USTACK_PAGE_SIZE 4096u
#define USTACK_MAX_ARG_STRLEN (32u * USTACK_PAGE_SIZE) /* MAX_ARG_STRLEN, with the NUL */
#define USTACK_MAX_ARG_STRINGS 0x7fffffffu           /* MAX_ARG_STRINGS */
#define USTACK_ARG_MAX (32u * USTACK_PAGE_SIZE)       /* ARG_MAX: minimum string space */
#define USTACK_STK_LIM (8ull << 20)                   /* _STK_LIM: default stack rlimit */
#define USTACK_RANDOM_SIZE 16u

/* auxv types (Linux include/uapi/linux/auxvec.h and asm/auxvec.h). */
#define AT_NULL 0
#define AT_PHDR 3
#define AT_PHENT 4
#define AT_PHNUM 5
#define AT_PAGESZ 6
#define AT_BASE 7
#define AT_FLAGS 8
#define AT_ENTRY 9
#define AT_UID 11
#define AT_EUID 12
#define AT_GID 13
#define AT_EGID 14
#define AT_PLATFORM 15
#define AT_HWCAP 16
#define AT_CLKTCK 17
#define AT_SECURE 23
#define AT_RANDOM 25
#define AT_HWCAP2 26
#define AT_EXECFN 31
#define AT_SYSINFO_EHDR 33
#define AT_MINSIGSTKSZ 51

/* Values of the auxv entries that do not point into the stack itself. */
struct ustack_aux {
	uint64_t hwcap, hwcap2;
	uint64_t pagesz;      /* 4096 */
	uint64_t clktck;      /* 100 (Linux's USER_HZ) */
	vaddr_t phdr;         /* from elf_plan: phdr_vaddr */
	uint64_t phent, phnum;
	vaddr_t base;         /* interpreter load address; 0 without one */
	uint64_t flags;       /* 0 */
	vaddr_t entry;        /* the program's entry (not the interpreter's) */
	uint64_t uid, euid, gid, egid;
	uint64_t secure;
	uint64_t minsigstksz; /* 0: no AT_MINSIGSTKSZ entry */
	const char *platform; /* NULL: no AT_PLATFORM ("x86_64"/"aarch64" in Linux); <= 63 chars */
};

/* Everything the stack is built from; all pointers are kernel pointers. */
struct ustack_args {
	vaddr_t stack_top;          /* user address just above the stack; 16-byte aligned */
	const char *const *argv;    /* argc strings (argv may be NULL when argc is 0) */
	size_t argc;
	const char *const *envp;    /* envc strings */
	size_t envc;
	const char *execfn;         /* the filename as passed to execve */
	uint64_t stack_rlimit;      /* RLIMIT_STACK soft limit in bytes (USTACK_STK_LIM) */
	uint8_t random[USTACK_RANDOM_SIZE]; /* bytes for AT_RANDOM */
	struct ustack_aux aux;
};

/* Where everything went (user addresses); arg_start..env_end are Linux's mm fields. */
struct ustack_layout {
	vaddr_t sp;          /* initial stack pointer: points at argc, 16-byte aligned */
	size_t len;          /* stack_top - sp: the bytes ustack_build() writes */
	size_t argc;         /* argc as seen by the program (1 when argv was empty) */
	vaddr_t argv;        /* the argv[] pointer array (sp + 8) */
	vaddr_t envp;        /* the envp[] pointer array */
	vaddr_t auxv;        /* the first auxv pair */
	size_t auxc;         /* auxv pairs including AT_NULL */
	vaddr_t random;      /* AT_RANDOM */
	vaddr_t platform;    /* AT_PLATFORM, or 0 */
	vaddr_t arg_start, arg_end, env_start, env_end;
	vaddr_t execfn;      /* AT_EXECFN */
};

#define USTACK_CLKTCK 100 /* AT_CLKTCK: Linux's USER_HZ */

/* Reset aux: pagesz 4096, clktck 100, phdr/phent/phnum/entry from plan, all else 0
 * (base and flags 0 without an interpreter); the caller then sets hwcaps and ids. */
void ustack_aux_init(struct ustack_aux *aux, const struct elf_plan *plan);

/*
 * Compute the layout without writing anything. Returns 0, -E2BIG (limits above),
 * -EFAULT (a NULL string pointer or array with a nonzero count, or a stack_top too
 * low to hold the stack), -EINVAL (stack_top not 16-byte aligned).
 */
int ustack_measure(const struct ustack_args *a, struct ustack_layout *out);

/*
 * Build the stack: writes exactly out->len bytes into buf[0, len), which belong at
 * user addresses [out->sp, stack_top). Returns 0, an error of ustack_measure(), or
 * -ENOMEM when cap < len (size the buffer with ustack_measure()). Writes nothing
 * outside buf[0, cap) and nothing at all on error.
 */
int ustack_build(const struct ustack_args *a, void *buf, size_t cap, struct ustack_layout *out);

#endif
