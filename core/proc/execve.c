/*
 * execve, second half: the point of no return. exec_prepare() (exec_prepare.c) has
 * built the whole new image; everything that can fail (unsharing the fd table and
 * the signal handlers) happens before the commit, so a failing execve always returns
 * to the old image with its errno.
 */
#include "exec.h"
#include "proc_internal.h"
#include "sched.h"
#include "signal.h"
#include "sys_proc.h"

#include "../fs/vfs.h"
#include "../hal.h"
#include "../lib/errno.h"
#include "../lib/string.h"
#include "../mm/aspace.h"

/* Where a static PIE is placed: two thirds of the user range, as Linux's
 * ELF_ET_DYN_BASE without randomisation. */
static vaddr_t pie_base(void)
{
	vaddr_t top = hal_pt_geometry()->user_top;

	return ALIGN_DOWN(top / 3 * 2, (vaddr_t)1 << 21);
}

/* Describe this machine to the image builder. */
static void fill_target(struct exec_target *tgt)
{
	memset(tgt, 0, sizeof(*tgt));
	tgt->machine = hal_elf_machine();
	tgt->user_top = ALIGN_DOWN(hal_pt_geometry()->user_top, ((vaddr_t)4096));
	tgt->pie_base = pie_base();
	tgt->hwcap = hal_elf_hwcap();
	tgt->platform = hal_pt_geometry()->name;
	hal_random_bytes(tgt->random, sizeof(tgt->random));
}

/* Contexts the new image must not share (Linux unshares them at exec). */
struct exec_unshare {
	struct fdtable *files;
	struct sighand *sighand;
};

/* Allocate private copies of the shared fd table and handlers: 0 or -ENOMEM. */
static int unshare_prepare(struct proc *p, struct exec_unshare *u)
{
	u->files = NULL;
	u->sighand = NULL;
	if (p->files->refs > 1 && !(u->files = fdtable_copy(p->files)))
		goto fail;
	if (p->sighand->refs > 1 && !(u->sighand = sighand_copy(p->sighand)))
		goto fail;
	return 0;
fail:
	if (u->files)
		fdtable_put(u->files);
	return -ENOMEM;
}

/* Install the private copies made by unshare_prepare(). */
static void unshare_commit(struct proc *p, struct exec_unshare *u)
{
	if (u->files) {
		fdtable_put(p->files);
		p->files = u->files;
	}
	if (u->sighand) {
		sighand_put(p->sighand);
		p->sighand = u->sighand;
	}
}

/* The calling thread becomes the only one, with the process's pid as its tid. */
static void become_sole_thread(struct task *t)
{
	struct proc *p = t->proc;

	proc_kill_other_tasks(p, t);
	if (t->tid != p->pid)
		proc_take_over_leader(t);
}

/* Point of no return: switch t's process to img; cannot fail. */
static void exec_commit(struct task *t, struct exec_image *img, struct exec_unshare *u)
{
	struct proc *p = t->proc;
	struct aspace *old = p->as;

	become_sole_thread(t);
	unshare_commit(p, u);
	p->as = img->as;
	aspace_activate(p->as);
	aspace_put(old);
	fdtable_close_on_exec(p->files);
	signal_reset_on_exec(p);
	hal_uregs_reset(t->regs);
	hal_uregs_set_pc(t->regs, img->entry);
	hal_uregs_set_sp(t->regs, img->sp);
	hal_uregs_set_return(t->regs, 0);
	t->clear_child_tid = 0;
	memcpy(p->comm, img->comm, sizeof(p->comm));
	proc_release_vfork_parent(p);
}

long proc_execve(vaddr_t upath, vaddr_t uargv, vaddr_t uenvp)
{
	struct task *t = task_current();
	struct exec_target tgt;
	struct exec_image img;
	struct exec_unshare u;
	int rc;

	fill_target(&tgt);
	rc = exec_prepare(t->proc->fs->cwd, upath, uargv, uenvp, &tgt, &img);
	if (rc)
		return rc;
	rc = unshare_prepare(t->proc, &u);
	if (rc) {
		exec_image_discard(&img);
		return rc;
	}
	exec_commit(t, &img, &u);
	return -EKNORESULT;
}

long sys_execve(const struct syscall_args *a)
{
	return proc_execve(a->a[0], a->a[1], a->a[2]);
}
