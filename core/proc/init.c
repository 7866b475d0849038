/* Starting the first process: pid 1 runs /init through the ordinary execve path. */
#include "init.h"

#include "proc_internal.h"
#include "sched.h"

#include "../fs/vfs.h"
#include "../hal.h"
#include "../lib/errno.h"
#include "../lib/string.h"
#include "../mm/aspace.h"

/* Where the kernel stages init's path, argv and envp before execve reads them. */
#define INIT_ARGS_BASE ((vaddr_t)0x10000)
#define INIT_ARGS_SIZE ((size_t)64 << 10)
#define INIT_MAX_STRINGS 64

/* Open the console as fds 0, 1 and 2 of table t: 0 or -errno. */
static int open_console(struct fdtable *t)
{
	struct file *f;
	int rc = vfs_open(NULL, "/dev/console", O_RDWR, 0, &f);

	if (rc)
		return rc;
	for (int fd = 0; fd < 3; fd++) {
		if (fd)
			file_get(f);
		rc = fd_install(t, f, fd, false);
		if (rc != fd) {
			file_put(f);
			return rc < 0 ? rc : -EBADF;
		}
	}
	return 0;
}

/* Copy a NULL-terminated string vector into as at *at; the pointer array goes to
 * *vec. 0, -E2BIG (too many or too long) or -ENOMEM. */
static int stage_vector(struct aspace *as, const char *const v[], vaddr_t *at, vaddr_t *vec)
{
	uint64_t ptrs[INIT_MAX_STRINGS + 1];
	size_t n = 0;

	for (; v && v[n]; n++) {
		size_t len = strlen(v[n]) + 1;

		if (n == INIT_MAX_STRINGS || *at + len > INIT_ARGS_BASE + INIT_ARGS_SIZE / 2)
			return -E2BIG;
		if (aspace_write(as, *at, v[n], len))
			return -ENOMEM;
		ptrs[n] = *at;
		*at += len;
	}
	ptrs[n] = 0;
	*at = ALIGN_UP(*at, 8);
	*vec = *at;
	if (aspace_write(as, *at, ptrs, (n + 1) * sizeof(uint64_t)))
		return -ENOMEM;
	*at += (n + 1) * sizeof(uint64_t);
	return 0;
}

/* Give the new init process its contexts and console: 0 or -errno. */
static int init_contexts(struct proc *p)
{
	p->pgid = p->sid = p->pid;
	p->as = aspace_create();
	p->files = fdtable_create();
	p->sighand = sighand_create();
	p->fs = fs_context_create(vfs_root());
	if (!p->as || !p->files || !p->sighand || !p->fs)
		return -ENOMEM;
	if (aspace_mmap(p->as, INIT_ARGS_BASE, INIT_ARGS_SIZE, VM_READ | VM_WRITE,
			LINUX_MAP_PRIVATE | LINUX_MAP_ANONYMOUS | LINUX_MAP_FIXED) < 0)
		return -ENOMEM;
	return open_console(p->files);
}

/* Undo a failed start: the process and everything it holds. */
static void init_abandon(struct proc *p, struct task *t)
{
	task_set_current(NULL);
	aspace_activate(NULL);
	if (p->as)
		aspace_put(p->as);
	if (p->files)
		fdtable_put(p->files);
	sighand_put(p->sighand);
	fs_context_put(p->fs);
	if (t)
		task_bury(t);
	proc_free(p);
	proc_reap_tasks();
}

/* Stage path/argv/envp in init's space and execve it: 0 or -errno. */
static int init_exec(struct proc *p, const char *path, const char *const argv[],
		     const char *const envp[])
{
	vaddr_t at = INIT_ARGS_BASE, upath, uargv, uenvp;
	const char *const path_vec[] = { path, NULL };
	long rc;

	rc = stage_vector(p->as, path_vec, &at, &upath);
	if (!rc)
		rc = stage_vector(p->as, argv, &at, &uargv);
	if (!rc)
		rc = stage_vector(p->as, envp, &at, &uenvp);
	if (rc)
		return (int)rc;
	upath = INIT_ARGS_BASE; /* the path string itself, not its vector */
	rc = proc_execve(upath, uargv, uenvp);
	return rc == -EKNORESULT ? 0 : (int)rc;
}

int proc_start_init(const char *path, const char *const argv[], const char *const envp[])
{
	struct task *t = NULL;
	struct proc *p;
	int rc;

	p = proc_alloc(&rc);
	if (!p)
		return rc;
	if (p->pid != 1) {
		rc = -EEXIST;
		goto fail;
	}
	rc = init_contexts(p);
	t = rc ? NULL : task_alloc(p, &rc);
	if (!t)
		goto fail;
	hal_uregs_reset(t->regs);
	task_set_current(t);
	rc = init_exec(p, path, argv, envp);
	if (rc)
		goto fail;
	console_set_foreground(p->pgid);
	sched_add(t);
	return 0;
fail:
	init_abandon(p, t);
	return rc;
}

int kernel_start_userspace(const void *initrd, size_t size, const char *init_path,
			   const char *const envp[])
{
	const char *const argv[] = { init_path, NULL };
	int rc;

	if (initrd && size) {
		rc = cpio_load(initrd, size);
		if (rc)
			return rc;
	}
	rc = vfs_register_devices();
	if (rc)
		return rc;
	return proc_start_init(init_path, argv, envp);
}
