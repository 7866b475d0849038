/*
 * Fixtures for the exec suite: a caller address space holding argv/envp, files in the
 * ramfs, and a reader that parses a new image's initial stack back through
 * aspace_read().
 */
#ifndef CLEAVE_EXEC_FIXTURES_H
#define CLEAVE_EXEC_FIXTURES_H

#include "harness.h"
#include "elf_build.h"
#include "proc/exec.h"

#ifdef HOSTED_FORMAT_aarch64
#define EX_MACHINE ELF_MACHINE_AARCH64
#define EX_OTHER_MACHINE ELF_MACHINE_X86_64
#define EX_PLATFORM "aarch64"
#else
#define EX_MACHINE ELF_MACHINE_X86_64
#define EX_OTHER_MACHINE ELF_MACHINE_AARCH64
#define EX_PLATFORM "x86_64"
#endif

#define EX_UBASE 0x10000000ull       /* the caller's argument arena */
#define EX_USIZE ((size_t)1 << 20)
#define EX_PROG "/bin/prog"          /* the valid static executable */

/* The caller's space (current during a test) and its arena's next free byte. */
extern struct aspace *ex_user;

/* CMocka setup/teardown: boot, empty ramfs, a populated caller arena (active), and
 * EX_PROG installed; teardown drops all of it and checks for leaks. */
int ex_setup(void **state);
int ex_teardown(void **state);

/* Copy n bytes into the arena (8-byte aligned); returns their user address. */
vaddr_t ex_put(const void *p, size_t n);
/* A NUL-terminated string in the arena. */
vaddr_t ex_str(const char *s);
/* The strings v[0..n) and a NULL-terminated pointer array to them; returns the array. */
vaddr_t ex_vec(const char *const *v, size_t n);
/* The last byte of the arena (user address); the page after it is unmapped. */
#define EX_UEND (EX_UBASE + EX_USIZE)

/* The target the tests use (hosted geometry, fixed hwcaps and random bytes). */
struct exec_target ex_target(void);
/* Serialize a static ET_EXEC (pie false) or PIE for machine, bent by variant v. */
uint8_t *ex_elf(bool pie, uint16_t machine, enum eb_variant v, size_t *size);
/* Create a file at path with mode and bytes, asserting success. */
void ex_install(const char *path, unsigned mode, const void *data, size_t size);
/* Create a script file (mode 0755) with the given text. */
void ex_script(const char *path, const char *text);

/* What the caller's side looked like: for "untouched" checks. */
struct ex_snapshot {
	size_t free_frames, live_objects, vmas;
	uint64_t sum;
	struct aspace *current;
};
void ex_snap(struct ex_snapshot *s);
/* Assert nothing changed since s. */
void ex_snap_expect(const struct ex_snapshot *s);

/* The initial stack read back from an image. */
#define EX_MAXV 16
struct ex_stack {
	uint64_t argc;
	char *argv[EX_MAXV];
	size_t envc;
	char *envp[EX_MAXV];
	uint64_t aux[64];   /* value by type (types < 64); aux_seen marks present ones */
	bool aux_seen[64];
	unsigned aux_order[40];
	size_t auxc;
};
/* Parse img's stack (asserting the structure); free with ex_stack_free(). */
void ex_stack_read(const struct exec_image *img, struct ex_stack *st);
void ex_stack_free(struct ex_stack *st);
/* The NUL-terminated string at va of as (malloc'd). */
char *ex_read_str(struct aspace *as, vaddr_t va);
/* The 64-bit word at va of as. */
uint64_t ex_read64(struct aspace *as, vaddr_t va);

#endif
