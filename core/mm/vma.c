/* VMA list management: lookup, insertion, split and merge. */
#include "vma.h"

#include "../lib/kmem.h"
#include "../lib/kprintf.h"
#include "frame.h"

struct vm_object *vm_object_create(size_t npages)
{
	struct vm_object *obj = kmalloc(sizeof(*obj));

	if (!obj)
		goto fail;
	obj->pages = kmalloc(npages * sizeof(paddr_t));
	if (!obj->pages)
		goto fail;
	obj->refs = 1;
	obj->npages = npages;
	return obj;
fail:
	kfree(obj);
	return NULL;
}

void vm_object_get(struct vm_object *obj)
{
	obj->refs++;
}

void vm_object_put(struct vm_object *obj)
{
	KASSERT(obj->refs > 0);
	if (--obj->refs)
		return;
	for (size_t i = 0; i < obj->npages; i++)
		if (obj->pages[i])
			frame_put(obj->pages[i]);
	kfree(obj->pages);
	kfree(obj);
}

struct vma *vma_create(vaddr_t start, vaddr_t end, unsigned prot, unsigned flags,
		       struct vm_object *obj, size_t obj_pgoff)
{
	struct vma *v = kmalloc(sizeof(*v));

	if (!v)
		return NULL;
	list_init(&v->link);
	v->start = start;
	v->end = end;
	v->prot = prot;
	v->flags = flags;
	v->obj = obj;
	v->obj_pgoff = obj_pgoff;
	if (obj)
		vm_object_get(obj);
	return v;
}

void vma_free(struct vma *v)
{
	if (!v)
		return;
	if (v->obj)
		vm_object_put(v->obj);
	kfree(v);
}

size_t vma_pages(const struct vma *v)
{
	return (size_t)((v->end - v->start) >> PAGE_SHIFT);
}

struct vma *vma_find_from(struct list *vmas, vaddr_t va)
{
	struct vma *v;

	list_for_each(v, vmas, link)
		if (v->end > va)
			return v;
	return NULL;
}

struct vma *vma_find(struct list *vmas, vaddr_t va)
{
	struct vma *v = vma_find_from(vmas, va);

	return v && v->start <= va ? v : NULL;
}

bool vma_overlaps(struct list *vmas, vaddr_t start, vaddr_t end)
{
	struct vma *v = vma_find_from(vmas, start);

	return v && v->start < end;
}

void vma_insert(struct list *vmas, struct vma *v)
{
	struct vma *next = vma_find_from(vmas, v->start);

	KASSERT(v->start < v->end);
	if (next) {
		KASSERT(next->start >= v->end);
		list_insert_before(&next->link, &v->link);
	} else {
		list_insert_before(vmas, &v->link);
	}
}

struct vma *vma_split(struct vma *v, vaddr_t addr, struct vma *spare)
{
	KASSERT(addr > v->start && addr < v->end);
	spare->start = addr;
	spare->end = v->end;
	spare->prot = v->prot;
	spare->flags = v->flags;
	spare->obj = v->obj;
	spare->obj_pgoff = v->obj_pgoff + ((addr - v->start) >> PAGE_SHIFT);
	if (spare->obj)
		vm_object_get(spare->obj);
	v->end = addr;
	list_insert_after(&v->link, &spare->link);
	return spare;
}

/* True when b directly follows a and both behave identically. */
static bool vma_mergeable(const struct vma *a, const struct vma *b)
{
	if (a->end != b->start || a->prot != b->prot || a->flags != b->flags ||
	    a->obj != b->obj)
		return false;
	return !a->obj || a->obj_pgoff + vma_pages(a) == b->obj_pgoff;
}

/* Absorb b (the successor of a) into a and free b. */
static void vma_absorb_next(struct vma *a, struct vma *b)
{
	a->end = b->end;
	list_remove(&b->link);
	vma_free(b);
}

bool vma_try_merge_next(struct list *vmas, struct vma *v)
{
	struct vma *next;

	if (v->link.next == vmas)
		return false;
	next = list_next_entry(v, link);
	if (!vma_mergeable(v, next))
		return false;
	vma_absorb_next(v, next);
	return true;
}
