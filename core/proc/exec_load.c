/*
 * The applier of an ELF load plan (elf.h, "Applying a plan") and the initial stack:
 * everything is built in a fresh address space that nobody runs yet, so a failure
 * only has to drop that space.
 */
#include "../elf/elf.h"
#include "../elf/ustack.h"
#include "../lib/errno.h"
#include "../lib/kmem.h"
#include "../lib/string.h"
#include "../mm/aspace.h"
#include "../mm/frame.h"
#include "exec_internal.h"

#define PRIV_ANON_FIXED (LINUX_MAP_FIXED | LINUX_MAP_PRIVATE | LINUX_MAP_ANONYMOUS)

/* VM_* protection for a segment's ELF_PROT_* bits (exactly those, nothing implied). */
static unsigned segment_prot(unsigned elf_prot)
{
	return ((elf_prot & ELF_PROT_READ) ? VM_READ : 0) |
	       ((elf_prot & ELF_PROT_WRITE) ? VM_WRITE : 0) |
	       ((elf_prot & ELF_PROT_EXEC) ? VM_EXEC : 0);
}

/* Apply one segment: fresh zeroed RW pages over [map_start, map_end) (replacing any
 * page of an earlier segment), the file bytes, then the final protection. 0 or
 * -ENOMEM. */
static int map_segment(struct aspace *as, const struct elf_segment *s, const uint8_t *data)
{
	size_t len = s->map_end - s->map_start;
	long r;
	int err = 0;

	if (len == 0)
		goto out;
	r = aspace_mmap(as, s->map_start, len, VM_READ | VM_WRITE, PRIV_ANON_FIXED);
	err = r < 0 ? (int)r : 0;
	if (!err && s->file_size)
		err = aspace_write(as, s->map_start, data + s->file_offset, (size_t)s->file_size);
	if (!err)
		err = aspace_mprotect(as, s->map_start, len, segment_prot(s->prot));
out:
	return err;
}

/* Apply every segment of plan in file order; 0 or -ENOMEM. */
static int map_segments(struct aspace *as, const struct elf_plan *plan, const uint8_t *data)
{
	for (size_t i = 0; i < plan->nsegs; i++) {
		int err = map_segment(as, &plan->segs[i], data);

		if (err)
			return err;
	}
	return 0;
}

/* The stack VMA [EXEC_STACK_EXPAND below sp's page, top) holding the built stack
 * buf (l->len bytes at l->sp). 0, or -ENOMEM (also when a segment is in the way). */
static int map_stack(struct aspace *as, vaddr_t top, const struct ustack_layout *l,
		     const void *buf, bool exec)
{
	vaddr_t sp_page = ALIGN_DOWN(l->sp, PAGE_SIZE), low;
	unsigned prot = VM_READ | VM_WRITE | (exec ? VM_EXEC : 0);
	long r;

	if (sp_page < MMAP_MIN_ADDR + EXEC_STACK_EXPAND)
		return -ENOMEM;
	low = sp_page - EXEC_STACK_EXPAND;
	r = aspace_mmap(as, low, top - low, prot, LINUX_MAP_FIXED_NOREPLACE | LINUX_MAP_PRIVATE |
			LINUX_MAP_ANONYMOUS | LINUX_MAP_GROWSDOWN);
	if (r == -EEXIST)
		r = -ENOMEM;
	if (r < 0)
		return (int)r;
	return aspace_write(as, l->sp, buf, l->len);
}

/* Fill ua from the target, the plan and the strings. */
static void stack_args(const struct exec_target *t, const struct elf_plan *plan,
		       const struct exec_args *a, const char *execfn, struct ustack_args *ua)
{
	memset(ua, 0, sizeof(*ua));
	ua->stack_top = t->user_top;
	ua->argv = a->argv;
	ua->argc = a->argc;
	ua->envp = a->envp;
	ua->envc = a->envc;
	ua->execfn = execfn;
	ua->stack_rlimit = USTACK_STK_LIM;
	memcpy(ua->random, t->random, USTACK_RANDOM_SIZE);
	ustack_aux_init(&ua->aux, plan);
	ua->aux.hwcap = t->hwcap;
	ua->aux.hwcap2 = t->hwcap2;
	ua->aux.minsigstksz = t->minsigstksz;
	ua->aux.platform = t->platform;
}

/* Record the built image in out (the space's brk too). */
static void fill_image(struct aspace *as, const struct elf_plan *plan,
		       const struct ustack_layout *l, vaddr_t top, struct exec_image *out)
{
	as->brk_start = as->brk = plan->brk;
	out->as = as;
	out->entry = plan->entry;
	out->sp = l->sp;
	out->stack_top = top;
	out->brk_start = plan->brk;
	out->exec_stack = plan->exec_stack;
	out->argc = l->argc;
	out->arg_start = l->arg_start;
	out->arg_end = l->arg_end;
	out->env_start = l->env_start;
	out->env_end = l->env_end;
	out->execfn = l->execfn;
}

/* Build the new space for plan (see exec_internal.h). */
int exec_build_image(const struct exec_target *t, const struct elf_plan *plan,
		     const uint8_t *data, const struct exec_args *a, const char *execfn,
		     struct exec_image *out)
{
	struct ustack_args ua;
	struct ustack_layout l;
	struct aspace *as = NULL;
	uint8_t *buf = NULL;
	int err;

	stack_args(t, plan, a, execfn, &ua);
	err = ustack_measure(&ua, &l);
	if (err)
		goto fail;
	err = -ENOMEM;
	buf = kmalloc(l.len);
	as = buf ? aspace_create() : NULL;
	if (!as)
		goto fail;
	err = ustack_build(&ua, buf, l.len, &l);
	if (!err)
		err = map_segments(as, plan, data);
	if (!err)
		err = map_stack(as, t->user_top, &l, buf, plan->exec_stack);
	if (err)
		goto fail;
	fill_image(as, plan, &l, t->user_top, out);
	kfree(buf);
	return 0;
fail:
	if (as)
		aspace_put(as);
	kfree(buf);
	return err;
}
