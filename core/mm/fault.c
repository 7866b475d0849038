/*
 * The page-fault handler: the one place where copy-on-write, demand-zero and
 * stack-growth decisions are made, for hardware faults and kernel writes alike.
 */
#include "aspace.h"
#include "frame.h"
#include "pt.h"

#include "../lib/kprintf.h"
#include "../lib/string.h"

struct mm_stats mm_stats;

unsigned mm_pte_attrs(const struct vma *v, bool writable)
{
	unsigned attrs = PTE_USER | PTE_ACCESSED;

	if (!(v->prot & VM_PROT_MASK))
		return attrs | PTE_PROTNONE;
	if (v->prot & VM_EXEC)
		attrs |= PTE_EXEC;
	if (writable)
		attrs |= PTE_WRITE | PTE_DIRTY;
	return attrs;
}

/* True when the VMA's protection allows the access (any right implies read). */
static bool access_permitted(const struct vma *v, enum fault_access acc)
{
	switch (acc) {
	case FAULT_READ:
		return (v->prot & VM_PROT_MASK) != 0;
	case FAULT_WRITE:
		return (v->prot & VM_WRITE) != 0;
	case FAULT_EXEC:
		return (v->prot & VM_EXEC) != 0;
	}
	return false;
}

/* The grows-down VMA that may extend down to va, after extending it; else NULL. */
static struct vma *grow_stack(struct aspace *as, vaddr_t va)
{
	struct vma *v = vma_find_from(&as->vmas, va), *prev;
	vaddr_t page = ALIGN_DOWN(va, PAGE_SIZE);

	if (!v || !(v->flags & VMA_GROWSDOWN) || v->end - page > STACK_LIMIT)
		return NULL;
	if (v->link.prev != &as->vmas) {
		prev = list_prev_entry(v, link);
		if (prev->end > page || page - prev->end < STACK_GUARD_GAP)
			return NULL;
	}
	v->start = page;
	return v;
}

/* Frame of a shared VMA's page at page, allocated zeroed on first use; 0 on OOM. */
static paddr_t shared_frame(struct vma *v, vaddr_t page)
{
	size_t idx = v->obj_pgoff + ((page - v->start) >> PAGE_SHIFT);
	paddr_t pa;

	KASSERT(idx < v->obj->npages);
	if (!v->obj->pages[idx]) {
		pa = frame_alloc_zeroed();
		if (!pa)
			return 0;
		v->obj->pages[idx] = pa;
		mm_stats.zero_fills++;
	}
	return v->obj->pages[idx];
}

/* Install a first mapping for page (entry *ptep is invalid); writable if asked. */
static int fill_page(struct vma *v, pte_t *ptep, vaddr_t page, bool writable)
{
	paddr_t pa;

	if (v->obj) {
		pa = shared_frame(v, page);
		if (!pa)
			return -1;
		frame_get(pa);
		*ptep = hal_pte_make_page(pa, mm_pte_attrs(v, writable));
		return 0;
	}
	pa = frame_alloc_zeroed();
	if (!pa)
		return -1;
	mm_stats.zero_fills++;
	*ptep = hal_pte_make_page(pa, mm_pte_attrs(v, writable));
	return 0;
}

/* Give a private page an exclusive frame: reuse it if this is the last reference,
 * else copy; install it writable if asked. Returns 0 or -1 on OOM. */
static int make_exclusive(struct vma *v, pte_t *ptep, bool writable)
{
	paddr_t old = hal_pte_addr(*ptep), copy;

	if (frame_refcount(old) == 1) {
		*ptep = hal_pte_make_page(old, mm_pte_attrs(v, writable));
		mm_stats.cow_reuses++;
		return 0;
	}
	copy = frame_alloc();
	if (!copy)
		return -1;
	memcpy(hal_phys_to_virt(copy), hal_phys_to_virt(old), PAGE_SIZE);
	*ptep = hal_pte_make_page(copy, mm_pte_attrs(v, writable));
	frame_put(old);
	mm_stats.cow_copies++;
	return 0;
}

/* Make the present entry *ptep of v ready for a write (writable: install it
 * writable; else a forced kernel write into a read-only VMA). 0 or -1 on OOM. */
static int prepare_present(struct vma *v, pte_t *ptep, bool writable)
{
	unsigned attrs = hal_pte_attrs(*ptep);

	if (v->obj) {
		*ptep = hal_pte_make_page(hal_pte_addr(*ptep), mm_pte_attrs(v, writable));
		return 0;
	}
	if (writable && (attrs & PTE_WRITE))
		return 0;
	return make_exclusive(v, ptep, writable);
}

/* mm_prepare_write for the page's entry *ptep, already looked up with allocation. */
static int prepare_write_at(struct aspace *as, struct vma *v, vaddr_t page, pte_t *ptep,
			    paddr_t *pa)
{
	bool writable = (v->prot & VM_WRITE) != 0;
	int rc;

	if (hal_pte_is_valid(*ptep))
		rc = prepare_present(v, ptep, writable);
	else
		rc = fill_page(v, ptep, page, writable);
	if (rc)
		return rc;
	hal_tlb_flush_range(as->root, page, page + PAGE_SIZE);
	*pa = hal_pte_addr(*ptep);
	return 0;
}

int mm_prepare_write(struct aspace *as, struct vma *v, vaddr_t page, paddr_t *pa)
{
	pte_t *ptep = pt_lookup_alloc(as->root, page);

	return ptep ? prepare_write_at(as, v, page, ptep, pa) : -1;
}

/* Resolve a read or exec fault on a permitted page whose entry is *ptep: fill it, or
 * it was spurious. */
static enum fault_result fault_read(struct aspace *as, struct vma *v, vaddr_t page,
				    pte_t *ptep)
{
	if (!hal_pte_is_valid(*ptep)) {
		/* A private page is mapped writable at once: nobody else holds it. */
		if (fill_page(v, ptep, page, (v->prot & VM_WRITE) != 0))
			return FAULT_OOM;
		return FAULT_HANDLED;
	}
	if (hal_pte_attrs(*ptep) & PTE_PROTNONE)
		*ptep = hal_pte_make_page(hal_pte_addr(*ptep), mm_pte_attrs(v, false));
	hal_tlb_flush_range(as->root, page, page + PAGE_SIZE);
	return FAULT_HANDLED;
}

/* True when entry pte maps a kernel-only page: user access is never allowed. */
static bool kernel_page(pte_t pte)
{
	return hal_pte_is_valid(pte) && !(hal_pte_attrs(pte) & PTE_USER);
}

enum fault_result mm_fault(struct aspace *as, vaddr_t va, enum fault_access acc)
{
	vaddr_t page = ALIGN_DOWN(va, PAGE_SIZE);
	struct vma *v;
	pte_t *ptep;
	paddr_t pa;

	mm_stats.faults++;
	if (!as || va >= hal_pt_geometry()->user_top)
		return FAULT_SIGSEGV;
	v = vma_find(&as->vmas, va);
	if (!v)
		v = grow_stack(as, va);
	if (!v || !access_permitted(v, acc))
		return FAULT_SIGSEGV;
	ptep = pt_lookup_alloc(as->root, page); /* one walk serves the whole fault */
	if (!ptep)
		return FAULT_OOM;
	if (kernel_page(*ptep))
		return FAULT_SIGSEGV;
	if (acc != FAULT_WRITE)
		return fault_read(as, v, page, ptep);
	return prepare_write_at(as, v, page, ptep, &pa) ? FAULT_OOM : FAULT_HANDLED;
}
