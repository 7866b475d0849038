/* Memory syscalls: mmap, munmap, mprotect, brk, madvise for the current process. */
#include "sys_mm.h"

#include "../fs/vfs.h"
#include "../mm/frame.h"
#include "../mm/pt.h"
#include "../lib/errno.h"
#include "../proc/proc.h"

#define MADV_NORMAL 0
#define MADV_RANDOM 1
#define MADV_SEQUENTIAL 2
#define MADV_WILLNEED 3
#define MADV_DONTNEED 4

/* The current process's address space. */
static struct aspace *current_as(void)
{
	return task_current()->proc->as;
}

long sys_mmap(const struct syscall_args *a)
{
	unsigned flags = (unsigned)a->a[3];
	int fd = (int)a->a[4];

	if (a->a[5] & (PAGE_SIZE - 1))
		return -EINVAL;
	if (!(flags & LINUX_MAP_ANONYMOUS)) {
		if (!fd_lookup(task_current()->proc->files, fd))
			return -EBADF;
		return -ENODEV; /* ramfs files cannot be mapped (yet) */
	}
	return aspace_mmap(current_as(), a->a[0], a->a[1], (unsigned)a->a[2], flags);
}

long sys_munmap(const struct syscall_args *a)
{
	return aspace_munmap(current_as(), a->a[0], a->a[1]);
}

long sys_mprotect(const struct syscall_args *a)
{
	return aspace_mprotect(current_as(), a->a[0], a->a[1], (unsigned)a->a[2]);
}

long sys_brk(const struct syscall_args *a)
{
	struct aspace *as = current_as();
	vaddr_t want = a->a[0], old_end = ALIGN_UP(as->brk, PAGE_SIZE), new_end;
	long rc;

	if (!as->brk_start || want < as->brk_start)
		return (long)as->brk;
	new_end = ALIGN_UP(want, PAGE_SIZE);
	if (new_end < want || new_end > hal_pt_geometry()->user_top)
		return (long)as->brk;
	if (new_end > old_end) {
		if (vma_overlaps(&as->vmas, old_end, new_end))
			return (long)as->brk;
		rc = aspace_mmap(as, old_end, new_end - old_end, VM_READ | VM_WRITE,
				 LINUX_MAP_PRIVATE | LINUX_MAP_ANONYMOUS | LINUX_MAP_FIXED);
		if (rc < 0)
			return (long)as->brk;
	} else if (new_end < old_end && aspace_munmap(as, new_end, old_end - new_end)) {
		return (long)as->brk;
	}
	as->brk = want;
	return (long)want;
}

long sys_madvise(const struct syscall_args *a)
{
	struct aspace *as = current_as();
	vaddr_t start = a->a[0], end = start + ALIGN_UP(a->a[1], PAGE_SIZE);

	if ((start & (PAGE_SIZE - 1)) || end < start)
		return -EINVAL;
	switch ((int)a->a[2]) {
	case MADV_NORMAL:
	case MADV_RANDOM:
	case MADV_SEQUENTIAL:
	case MADV_WILLNEED:
		return 0; /* advice about access patterns: nothing to do for RAM */
	case MADV_DONTNEED:
		if (pt_unmap_range(as->root, start, end))
			hal_tlb_flush_range(as->root, start, end);
		return 0;
	default:
		return -EINVAL;
	}
}
