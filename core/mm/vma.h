/*
 * Virtual memory areas: the sorted, non-overlapping regions of an address space,
 * each with protection and sharing flags. Shared regions are backed by a vm_object
 * that owns their frames, so pages faulted in after fork stay shared.
 */
#ifndef CLEAVE_VMA_H
#define CLEAVE_VMA_H

#include "../lib/list.h"
#include "../lib/types.h"

/* Protection bits, numerically Linux's PROT_* values. */
#define VM_READ 0x1u
#define VM_WRITE 0x2u
#define VM_EXEC 0x4u
#define VM_PROT_MASK (VM_READ | VM_WRITE | VM_EXEC)

/* Region flags. */
#define VMA_SHARED 0x1u    /* MAP_SHARED: writes visible to every mapper */
#define VMA_ANON 0x2u      /* anonymous memory (demand-zero) */
#define VMA_GROWSDOWN 0x4u /* stack: faults just below extend it downwards */

/* Pages of one shared mapping, indexed by page offset; 0 = not yet allocated. */
struct vm_object {
	unsigned refs;
	size_t npages;
	paddr_t *pages;
};

struct vma {
	struct list link; /* in aspace->vmas, sorted by start */
	vaddr_t start;    /* page aligned, inclusive */
	vaddr_t end;      /* page aligned, exclusive */
	unsigned prot;    /* VM_* */
	unsigned flags;   /* VMA_* */
	struct vm_object *obj; /* shared backing store, or NULL */
	size_t obj_pgoff;      /* page index in obj of start */
};

/* A new vm_object of npages empty slots with one reference, or NULL. */
struct vm_object *vm_object_create(size_t npages);
/* Add a reference to obj. */
void vm_object_get(struct vm_object *obj);
/* Drop a reference; the last one frees the object and its frames. */
void vm_object_put(struct vm_object *obj);

/* A new unlinked VMA, or NULL. Takes a reference on obj if given. */
struct vma *vma_create(vaddr_t start, vaddr_t end, unsigned prot, unsigned flags,
		       struct vm_object *obj, size_t obj_pgoff);
/* Free an unlinked VMA, dropping its object reference. */
void vma_free(struct vma *v);
/* Number of pages the VMA covers. */
size_t vma_pages(const struct vma *v);

/* The VMA containing va, or NULL. */
struct vma *vma_find(struct list *vmas, vaddr_t va);
/* The first VMA that ends above va (it may start above va), or NULL. */
struct vma *vma_find_from(struct list *vmas, vaddr_t va);
/* True when some VMA overlaps [start, end). */
bool vma_overlaps(struct list *vmas, vaddr_t start, vaddr_t end);
/* Link v into the sorted list; it must not overlap any VMA already there. */
void vma_insert(struct list *vmas, struct vma *v);
/* Split v at addr (strictly inside it) using spare as the upper half; returns it. */
struct vma *vma_split(struct vma *v, vaddr_t addr, struct vma *spare);
/* Absorb v's successor into v when they are adjacent and behave identically;
 * returns true when it did (the successor is freed). */
bool vma_try_merge_next(struct list *vmas, struct vma *v);

#endif
