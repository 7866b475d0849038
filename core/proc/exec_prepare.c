/*
 * execve up to the point of no return (see exec.h): path, open checks, argument
 * copies, the `#!` rounds, then the ELF image in a fresh space (exec_load.c).
 */
#include "../elf/elf.h"
#include "../fs/vfs.h"
#include "../hal.h"
#include "../lib/errno.h"
#include "../lib/kmem.h"
#include "../lib/string.h"
#include "../mm/aspace.h"
#include "../mm/frame.h"
#include "../mm/uaccess.h"
#include "exec_internal.h"

#define MAY_EXEC 1

/* Everything one exec_prepare() call works with (one kmalloc, not on the stack). */
struct exec_ctx {
	const struct exec_target *target;
	struct inode *cwd;
	paddr_t path_frame;         /* frame holding path (PATH_MAX bytes) */
	char *path;                 /* the path as passed, NUL-terminated */
	struct exec_args args;
	struct inode *file;         /* the file of the current round */
	const char *interp;         /* its name (Linux's bprm->interp) */
	char head[EXEC_BINPRM_BUF_SIZE]; /* its first bytes, zero-filled */
	struct elf_plan plan;
};

/* Copy the user path into a frame of its own: 0, -EFAULT, -ENAMETOOLONG (no NUL
 * within PATH_MAX bytes, as getname()), -ENOENT (empty) or -ENOMEM. */
static int copy_path(struct exec_ctx *c, vaddr_t upath)
{
	long n;

	c->path_frame = frame_alloc();
	if (!c->path_frame)
		return -ENOMEM;
	c->path = hal_phys_to_virt(c->path_frame);
	n = strncpy_from_user(c->path, upath, PATH_MAX);
	if (n < 0)
		return (int)n;
	if (n == PATH_MAX)
		return -ENAMETOOLONG;
	return n == 0 ? -ENOENT : 0;
}

/* Resolve name as do_open_execat() does: 0 with *out set, a lookup errno, or -EACCES
 * for anything but a regular file, or one without an x bit. */
static int open_exec(struct exec_ctx *c, const char *name, struct inode **out)
{
	struct inode *ino;
	int err = vfs_lookup(c->cwd, name, &ino);

	if (err)
		return err;
	if ((ino->mode & S_IFMT) != S_IFREG)
		return -EACCES;
	err = vfs_permission(ino, MAY_EXEC);
	if (err)
		return err;
	*out = ino;
	return 0;
}

/* Load the first EXEC_BINPRM_BUF_SIZE bytes of the current file into c->head. */
static void read_head(struct exec_ctx *c)
{
	size_t n = MIN(c->file->size, (size_t)EXEC_BINPRM_BUF_SIZE);

	memset(c->head, 0, sizeof(c->head));
	if (n && c->file->data)
		memcpy(c->head, c->file->data, n);
}

/* binfmt_script: rewrite argv and make the interpreter the current file. 0,
 * -ENOEXEC (no usable `#!` line), -E2BIG, -ENOMEM, or the interpreter's open error.
 * An empty name ("#!" then a NUL) is Linux's open_exec(""): the lookup ends at the
 * working directory, so -EACCES. */
static int run_script(struct exec_ctx *c)
{
	struct exec_shebang sb;
	int err = exec_script_parse(c->head, &sb);

	if (!err)
		err = exec_args_script(&c->args, c->interp, sb.name, sb.arg, &c->interp);
	if (!err && c->interp[0] == '\0')
		err = -EACCES;
	if (!err)
		err = open_exec(c, c->interp, &c->file);
	return err;
}

/* Validate the current file as an ELF executable for the target into c->plan. */
static int plan_elf(struct exec_ctx *c)
{
	struct elf_target et = {
		.machine = c->target->machine,
		.user_top = c->target->user_top,
		.min_addr = MMAP_MIN_ADDR,
		.pie_base = c->target->pie_base,
		.allow_interp = false,
	};

	return elf_plan(c->file->data, c->file->size, &et, &c->plan);
}

/* Run the handler rounds (Linux's exec_binprm): scripts until an ELF is planned;
 * 0 or an errno, -ELOOP after EXEC_MAX_ROUNDS rounds. */
static int find_binary(struct exec_ctx *c)
{
	int err;

	c->interp = c->path;
	for (unsigned round = 0; round < EXEC_MAX_ROUNDS; round++) {
		read_head(c);
		if (c->head[0] != '#' || c->head[1] != '!')
			return plan_elf(c);
		err = run_script(c);
		if (err)
			return err;
	}
	return -ELOOP;
}

/* Linux's comm: the path's last component, cut to 15 bytes. */
static void set_comm(const char *path, char comm[16])
{
	const char *base = path;

	for (const char *p = path; *p; p++)
		if (*p == '/')
			base = p + 1;
	memset(comm, 0, 16);
	memcpy(comm, base, strnlen(base, 15));
}

/* Free the context and everything it holds (not the built image). */
static void ctx_free(struct exec_ctx *c)
{
	exec_args_free(&c->args);
	if (c->path_frame)
		frame_put(c->path_frame);
	kfree(c);
}

/* The first half of execve (see exec.h). */
int exec_prepare(struct inode *cwd, vaddr_t upath, vaddr_t uargv, vaddr_t uenvp,
		 const struct exec_target *target, struct exec_image *out)
{
	struct exec_ctx *c = kmalloc(sizeof(*c));
	int err = -ENOMEM;

	memset(out, 0, sizeof(*out));
	if (!c)
		goto fail;
	c->target = target;
	c->cwd = cwd;
	exec_args_init(&c->args);
	err = copy_path(c, upath);
	if (!err)
		err = open_exec(c, c->path, &c->file);
	if (!err)
		err = exec_args_copy_user(&c->args, c->path, uargv, uenvp);
	if (!err)
		err = find_binary(c);
	if (!err)
		err = exec_build_image(target, &c->plan, c->file->data, &c->args, c->path, out);
	if (!err)
		set_comm(c->path, out->comm);
	ctx_free(c);
fail:
	return err;
}

/* Drop a prepared image that will not be installed. */
void exec_image_discard(struct exec_image *img)
{
	if (img->as)
		aspace_put(img->as);
	memset(img, 0, sizeof(*img));
}
