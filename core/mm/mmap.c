/*
 * mmap/munmap/mprotect with Linux's argument checks and errno values. Every
 * allocation an operation may need is made before the first change, so a failing
 * call leaves the space exactly as it was.
 */
#include "aspace.h"
#include "frame.h"
#include "pt.h"

#include "../lib/errno.h"
#include "../lib/kprintf.h"

/* VMAs an operation may need: at most two splits and one new region. */
struct vma_spares {
	struct vma *v[3];
};

/* Allocate n spare VMAs; 0 or -ENOMEM (with none kept). */
static int spares_alloc(struct vma_spares *s, unsigned n)
{
	for (unsigned i = 0; i < ARRAY_SIZE(s->v); i++)
		s->v[i] = NULL;
	for (unsigned i = 0; i < n; i++) {
		s->v[i] = vma_create(0, 0, 0, 0, NULL, 0);
		if (!s->v[i])
			goto fail;
	}
	return 0;
fail:
	for (unsigned i = 0; i < n; i++)
		vma_free(s->v[i]);
	return -ENOMEM;
}

/* Take one spare VMA (there must be one left). */
static struct vma *spares_take(struct vma_spares *s)
{
	for (unsigned i = 0; i < ARRAY_SIZE(s->v); i++) {
		struct vma *v = s->v[i];

		if (v) {
			s->v[i] = NULL;
			return v;
		}
	}
	panic("spares_take: none left");
}

/* Free the spares nobody used. */
static void spares_release(struct vma_spares *s)
{
	for (unsigned i = 0; i < ARRAY_SIZE(s->v); i++)
		vma_free(s->v[i]);
}

/* Split VMAs so that start and end fall on VMA boundaries (spares must cover it). */
static void carve(struct aspace *as, vaddr_t start, vaddr_t end, struct vma_spares *s)
{
	struct vma *v = vma_find(&as->vmas, start);

	if (v && v->start < start)
		vma_split(v, start, spares_take(s));
	v = vma_find(&as->vmas, end);
	if (v && v->start < end)
		vma_split(v, end, spares_take(s));
}

/* True when every address of [start, end) lies in some VMA. */
static bool range_fully_mapped(struct aspace *as, vaddr_t start, vaddr_t end)
{
	struct vma *v = vma_find_from(&as->vmas, start);

	while (start < end) {
		if (!v || v->start > start)
			return false;
		start = v->end;
		v = v->link.next == &as->vmas ? NULL : list_next_entry(v, link);
	}
	return true;
}

/* Remove every mapping in [start, end); the VMA boundaries must already be carved. */
static void unmap_carved(struct aspace *as, vaddr_t start, vaddr_t end)
{
	struct vma *v = vma_find_from(&as->vmas, start), *next;

	while (v && v->start < end) {
		next = v->link.next == &as->vmas ? NULL : list_next_entry(v, link);
		list_remove(&v->link);
		vma_free(v);
		v = next;
	}
	if (pt_unmap_range(as->root, start, end))
		hal_tlb_flush_range(as->root, start, end);
}

/* Checks shared by munmap and mprotect on a user range: 0 or -EINVAL. */
static int check_user_range(vaddr_t addr, size_t len)
{
	vaddr_t top = hal_pt_geometry()->user_top;

	if (!IS_ALIGNED(addr, PAGE_SIZE) || addr > top || len > top - addr)
		return -EINVAL;
	return 0;
}

int aspace_munmap(struct aspace *as, vaddr_t addr, size_t len)
{
	struct vma_spares s;
	vaddr_t end;
	int rc = check_user_range(addr, len);

	if (rc || len == 0)
		return rc ? rc : -EINVAL;
	end = ALIGN_UP(addr + len, PAGE_SIZE);
	if (!vma_overlaps(&as->vmas, addr, end))
		return 0;
	rc = spares_alloc(&s, 2);
	if (rc)
		return rc;
	carve(as, addr, end, &s);
	unmap_carved(as, addr, end);
	spares_release(&s);
	return 0;
}

/* Address for a new mapping of len bytes: the hint when free, else top-down. */
static long find_free_area(struct aspace *as, vaddr_t hint, size_t len)
{
	vaddr_t top = as->mmap_base, end = top;
	struct vma *v;

	hint = ALIGN_UP(hint, PAGE_SIZE);
	if (hint >= MMAP_MIN_ADDR && hint <= hal_pt_geometry()->user_top - len &&
	    !vma_overlaps(&as->vmas, hint, hint + len))
		return (long)hint;
	for (struct list *l = as->vmas.prev; l != &as->vmas; l = l->prev) {
		v = list_entry(l, struct vma, link);
		if (v->start >= end)
			continue;
		if (v->end <= end - len)
			break;
		end = v->start;
		if (end < MMAP_MIN_ADDR + len)
			return -ENOMEM;
	}
	if (end < MMAP_MIN_ADDR + len)
		return -ENOMEM;
	return (long)(end - len);
}

/* Validate mmap arguments; 0 or the Linux errno. */
static int check_mmap_args(vaddr_t addr, size_t len, unsigned prot, unsigned flags)
{
	vaddr_t top = hal_pt_geometry()->user_top;
	unsigned type = flags & LINUX_MAP_TYPE;

	if (len == 0)
		return -EINVAL;
	if (type != LINUX_MAP_SHARED && type != LINUX_MAP_PRIVATE && type != LINUX_MAP_SHARED_VALIDATE)
		return -EINVAL;
	if (prot & ~(VM_PROT_MASK | LINUX_PROT_GROWSDOWN | LINUX_PROT_GROWSUP))
		return -EINVAL;
	if (!(flags & LINUX_MAP_ANONYMOUS))
		return -EBADF; /* no file-backed mappings yet: every fd is bad */
	if (ALIGN_UP(len, PAGE_SIZE) == 0 || len > top - MMAP_MIN_ADDR)
		return -ENOMEM;
	if (!(flags & (LINUX_MAP_FIXED | LINUX_MAP_FIXED_NOREPLACE)))
		return 0;
	if (!IS_ALIGNED(addr, PAGE_SIZE))
		return -EINVAL;
	if (addr > top - ALIGN_UP(len, PAGE_SIZE))
		return -ENOMEM;
	if (addr < MMAP_MIN_ADDR)
		return -EPERM;
	return 0;
}

/* Merge compatible neighbours among the VMAs touching [start, end]. */
static void merge_range(struct aspace *as, vaddr_t start, vaddr_t end)
{
	struct vma *v = vma_find_from(&as->vmas, start ? start - 1 : 0);

	while (v && v->start <= end && v->link.next != &as->vmas)
		if (!vma_try_merge_next(&as->vmas, v))
			v = list_next_entry(v, link);
}

/* Create the VMA for a checked mmap at [addr, addr+len); 0 or -ENOMEM. */
static int mmap_region(struct aspace *as, vaddr_t addr, size_t len, unsigned prot,
		       unsigned flags)
{
	unsigned vflags = VMA_ANON;
	struct vm_object *obj = NULL;
	struct vma_spares s;
	struct vma *v;

	if (spares_alloc(&s, 2))
		return -ENOMEM;
	if ((flags & LINUX_MAP_TYPE) != LINUX_MAP_PRIVATE) {
		vflags |= VMA_SHARED;
		obj = vm_object_create(len >> PAGE_SHIFT);
		if (!obj) {
			spares_release(&s);
			return -ENOMEM;
		}
	}
	if (flags & LINUX_MAP_GROWSDOWN)
		vflags |= VMA_GROWSDOWN;
	v = vma_create(addr, addr + len, prot & VM_PROT_MASK, vflags, obj, 0);
	if (obj)
		vm_object_put(obj);
	if (!v) {
		spares_release(&s);
		return -ENOMEM;
	}
	carve(as, addr, addr + len, &s);
	unmap_carved(as, addr, addr + len);
	vma_insert(&as->vmas, v);
	merge_range(as, addr, addr + len);
	spares_release(&s);
	return 0;
}

long aspace_mmap(struct aspace *as, vaddr_t addr, size_t len, unsigned prot, unsigned flags)
{
	int rc = check_mmap_args(addr, len, prot, flags);
	long where;

	if (rc)
		return rc;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (flags & (LINUX_MAP_FIXED | LINUX_MAP_FIXED_NOREPLACE)) {
		if ((flags & LINUX_MAP_FIXED_NOREPLACE) && vma_overlaps(&as->vmas, addr, addr + len))
			return -EEXIST;
		where = (long)addr;
	} else {
		where = find_free_area(as, addr, len);
		if (where < 0)
			return where;
	}
	rc = mmap_region(as, (vaddr_t)where, len, prot, flags);
	return rc ? rc : where;
}

/* pt_for_each_page visitor: re-derive one entry's attributes from its VMA. */
static int reprotect_one(pte_t *ptep, vaddr_t va, void *ctx)
{
	struct vma *v = ctx;
	paddr_t pa = hal_pte_addr(*ptep);
	bool writable = (v->prot & VM_WRITE) && (v->obj || frame_refcount(pa) == 1);
	unsigned attrs = mm_pte_attrs(v, writable);

	UNUSED(va);
	if ((v->prot & VM_WRITE) && !writable)
		attrs |= PTE_COW;
	*ptep = hal_pte_make_page(pa, attrs);
	return 0;
}

/* Validate mprotect arguments as Linux does; 0 or the errno; *end gets the range end. */
static int check_mprotect_args(struct aspace *as, vaddr_t addr, size_t len, unsigned prot,
			       vaddr_t *end)
{
	size_t alen = ALIGN_UP(len, PAGE_SIZE);
	struct vma *first;

	if (!IS_ALIGNED(addr, PAGE_SIZE))
		return -EINVAL;
	*end = addr + alen;
	if (alen == 0 || *end <= addr)
		return -ENOMEM;
	if (prot & ~(VM_PROT_MASK | LINUX_PROT_GROWSDOWN | LINUX_PROT_GROWSUP))
		return -EINVAL;
	first = vma_find(&as->vmas, addr);
	if ((prot & LINUX_PROT_GROWSUP) || ((prot & LINUX_PROT_GROWSDOWN) &&
				       (!first || !(first->flags & VMA_GROWSDOWN))))
		return -EINVAL;
	if (*end > hal_pt_geometry()->user_top)
		return -ENOMEM;
	return range_fully_mapped(as, addr, *end) ? 0 : -ENOMEM;
}

int aspace_mprotect(struct aspace *as, vaddr_t addr, size_t len, unsigned prot)
{
	struct vma_spares s;
	struct vma *v, *next;
	vaddr_t end;
	int rc;

	if (IS_ALIGNED(addr, PAGE_SIZE) && len == 0)
		return 0;
	rc = check_mprotect_args(as, addr, len, prot, &end);
	if (rc)
		return rc;
	if (spares_alloc(&s, 2))
		return -ENOMEM;
	carve(as, addr, end, &s);
	for (v = vma_find(&as->vmas, addr); v && v->start < end; v = next) {
		next = v->link.next == &as->vmas ? NULL : list_next_entry(v, link);
		v->prot = prot & VM_PROT_MASK;
		pt_for_each_page(as->root, v->start, v->end, reprotect_one, v);
	}
	hal_tlb_flush_range(as->root, addr, end);
	merge_range(as, addr, end);
	spares_release(&s);
	return 0;
}
