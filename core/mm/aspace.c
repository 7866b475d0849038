/* Address-space lifetime, fork, activation and kernel access to any space. */
#include "aspace.h"
#include "frame.h"
#include "pt.h"

#include "../lib/errno.h"
#include "../lib/kmem.h"
#include "../lib/kprintf.h"
#include "../lib/string.h"

static struct aspace *current_space;

struct aspace *aspace_create(void)
{
	struct aspace *as = kmalloc(sizeof(*as));

	if (!as)
		return NULL;
	as->root = pt_create();
	if (!as->root) {
		kfree(as);
		return NULL;
	}
	list_init(&as->vmas);
	as->refs = 1;
	as->mmap_base = hal_pt_geometry()->user_top - MMAP_TOP_GAP;
	as->brk_start = as->brk = 0;
	return as;
}

void aspace_get(struct aspace *as)
{
	as->refs++;
}

/* Free every VMA, page and table of as, and as itself. */
static void aspace_destroy(struct aspace *as)
{
	struct vma *v, *tmp;

	if (as == current_space)
		panic("aspace_destroy: space %p is active", (void *)as);
	list_for_each_safe(v, tmp, &as->vmas, link) {
		list_remove(&v->link);
		vma_free(v);
	}
	hal_tlb_flush_space(as->root);
	pt_destroy(as->root);
	kfree(as);
}

void aspace_put(struct aspace *as)
{
	KASSERT(as->refs > 0);
	if (--as->refs == 0)
		aspace_destroy(as);
}

void aspace_activate(struct aspace *as)
{
	current_space = as;
	hal_mmu_activate(as ? as->root : 0);
}

struct aspace *aspace_current(void)
{
	return current_space;
}

size_t aspace_vma_count(struct aspace *as)
{
	struct vma *v;
	size_t n = 0;

	list_for_each(v, &as->vmas, link)
		n++;
	return n;
}

/* What fork does with one VMA's pages: decided once per VMA, here and nowhere else. */
enum fork_action {
	FORK_SHARE,    /* same frame, same entry: shared or read-only private pages */
	FORK_MARK_COW, /* same frame, both entries write-protected and marked COW */
	FORK_COPY,     /* a fresh frame with the same bytes (FORK_EAGER) */
};

/* The action for the pages of v under mode. */
static enum fork_action fork_action_for(const struct vma *v, enum fork_mode mode)
{
	if ((v->flags & VMA_SHARED) || !(v->prot & VM_WRITE))
		return FORK_SHARE;
	return mode == FORK_EAGER ? FORK_COPY : FORK_MARK_COW;
}

/* State carried through one VMA's page copy during fork. */
struct fork_ctx {
	struct aspace *child;
	enum fork_mode mode;
	enum fork_action action; /* for the VMA being copied */
	bool parent_changed;     /* a parent entry was write-protected */
};

/* Give child[0..n) the valid entries of parent[0..n), each frame gaining a reference. */
static void fork_share_run(const pte_t *parent, pte_t *child, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (parent[i] == PTE_NONE || !hal_pte_is_valid(parent[i]))
			continue;
		frame_get(hal_pte_addr(parent[i]));
		child[i] = parent[i];
	}
}

/* The COW form of page entries, remembered across a run: the entries of one VMA
 * nearly always share their attributes, so the codec decodes and encodes once per
 * distinct set instead of once per page (hal.h: the frame address is a plain field). */
struct cow_memo {
	pte_t from; /* an entry's bits without its address (PTE_NONE: nothing yet) */
	pte_t to;   /* the same for its COW form; equal to from when not writable */
};

/* Valid entry pte as fork leaves it in a COW VMA: writable entries write-protected
 * and marked PTE_COW (dirty cleared), others unchanged. */
static pte_t cow_entry(pte_t pte, struct cow_memo *m)
{
	paddr_t pa = hal_pte_addr(pte);
	pte_t bits = pte ^ pa;
	unsigned attrs;

	if (bits != m->from) {
		attrs = hal_pte_attrs(pte);
		m->from = bits;
		m->to = bits;
		if (attrs & PTE_WRITE)
			m->to = hal_pte_make_page(0, (attrs & ~(PTE_WRITE | PTE_DIRTY)) | PTE_COW);
	}
	return m->to | pa;
}

/* As fork_share_run, after write-protecting and marking COW each writable parent
 * entry; returns true when a parent entry changed (its TLB entry is then stale). */
static bool fork_cow_run(pte_t *parent, pte_t *child, size_t n)
{
	struct cow_memo memo = { PTE_NONE, PTE_NONE };
	bool changed = false;

	for (size_t i = 0; i < n; i++) {
		pte_t pte = parent[i];

		if (pte == PTE_NONE || !hal_pte_is_valid(pte))
			continue;
		child[i] = cow_entry(pte, &memo);
		if (child[i] != pte) {
			parent[i] = child[i];
			changed = true;
		}
		frame_get(hal_pte_addr(pte));
	}
	return changed;
}

/* Child entry for an eagerly copied private page: a fresh frame with the same bytes,
 * writable unless PROT_NONE. 0 or -ENOMEM. */
static int fork_copy_page(pte_t parent, pte_t *child)
{
	paddr_t copy = frame_alloc();
	unsigned attrs = hal_pte_attrs(parent);

	if (!copy)
		return -ENOMEM;
	memcpy(hal_phys_to_virt(copy), hal_phys_to_virt(hal_pte_addr(parent)), PAGE_SIZE);
	attrs &= ~PTE_COW;
	if (!(attrs & PTE_PROTNONE))
		attrs |= PTE_WRITE;
	*child = hal_pte_make_page(copy, attrs);
	return 0;
}

/* Copy every valid page of parent[0..n) into child[0..n). 0 or -ENOMEM (the
 * entries filled so far stay; the caller destroys the child). */
static int fork_copy_run(const pte_t *parent, pte_t *child, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (hal_pte_is_valid(parent[i]) && fork_copy_page(parent[i], &child[i]))
			return -ENOMEM;
	return 0;
}

/* pt_for_each_leaf visitor: fill the child's entries for one run of a parent leaf
 * table, found once per run (tables allocated as needed). 0 or -ENOMEM. */
static int fork_run(pte_t *parent, size_t n, vaddr_t va, void *ctx)
{
	struct fork_ctx *c = ctx;
	pte_t *child = pt_lookup_alloc_run(c->child->root, va, n);

	if (!child)
		return -ENOMEM;
	switch (c->action) {
	case FORK_SHARE:
		fork_share_run(parent, child, n);
		return 0;
	case FORK_MARK_COW:
		c->parent_changed |= fork_cow_run(parent, child, n);
		return 0;
	case FORK_COPY:
		return fork_copy_run(parent, child, n);
	}
	return 0;
}

/* Duplicate one parent VMA and its page entries into the child; the parent's TLB
 * entries for the VMA are flushed once, after the walk, if any entry changed. */
static int fork_vma(struct aspace *parent, struct vma *pv, struct fork_ctx *c)
{
	struct vma *cv = vma_create(pv->start, pv->end, pv->prot, pv->flags, pv->obj,
				    pv->obj_pgoff);
	int rc;

	if (!cv)
		return -ENOMEM;
	vma_insert(&c->child->vmas, cv);
	c->action = fork_action_for(pv, c->mode);
	c->parent_changed = false;
	rc = pt_for_each_leaf(parent->root, pv->start, pv->end, fork_run, c);
	if (c->parent_changed)
		hal_tlb_flush_range(parent->root, pv->start, pv->end);
	return rc;
}

int aspace_fork(struct aspace *parent, enum fork_mode mode, struct aspace **child)
{
	struct fork_ctx c = { .mode = mode };
	struct vma *pv;
	int rc = -ENOMEM;

	c.child = aspace_create();
	if (!c.child)
		goto fail;
	list_for_each(pv, &parent->vmas, link) {
		rc = fork_vma(parent, pv, &c);
		if (rc)
			goto fail;
	}
	c.child->mmap_base = parent->mmap_base;
	c.child->brk_start = parent->brk_start;
	c.child->brk = parent->brk;
	*child = c.child;
	return 0;
fail:
	if (c.child)
		aspace_destroy(c.child);
	return rc;
}

/* One page-sized piece of a kernel access to a space, handed to a chunk function. */
struct chunk {
	struct vma *vma; /* the VMA holding the piece */
	vaddr_t page;    /* page-aligned address of the piece's page */
	size_t off;      /* offset of the piece within its page */
	size_t len;      /* bytes in the piece */
	char *buf;       /* the kernel side of the piece */
};

/* Split [va, va+n) of as into pieces that stay within one page and call fn on each
 * in order; -EFAULT where no VMA covers a piece, else fn's first nonzero result. */
static int for_each_chunk(struct aspace *as, vaddr_t va, char *buf, size_t n,
			  int (*fn)(struct aspace *as, const struct chunk *c))
{
	struct chunk c;
	int rc;

	while (n) {
		c.page = ALIGN_DOWN(va, PAGE_SIZE);
		c.off = va - c.page;
		c.len = MIN(n, PAGE_SIZE - c.off);
		c.buf = buf;
		c.vma = vma_find(&as->vmas, va);
		if (!c.vma)
			return -EFAULT;
		rc = fn(as, &c);
		if (rc)
			return rc;
		va += c.len;
		buf += c.len;
		n -= c.len;
	}
	return 0;
}

/* Chunk function of aspace_write: give the page a private frame, copy into it. */
static int write_chunk(struct aspace *as, const struct chunk *c)
{
	paddr_t pa;

	if (mm_prepare_write(as, c->vma, c->page, &pa))
		return -ENOMEM;
	memcpy((char *)hal_phys_to_virt(pa) + c->off, c->buf, c->len);
	return 0;
}

int aspace_write(struct aspace *as, vaddr_t va, const void *src, size_t n)
{
	return for_each_chunk(as, va, (char *)src, n, write_chunk);
}

/* Frame holding page of v if one is mapped or allocated, else 0 (reads as zero). */
static paddr_t frame_for_read(struct aspace *as, struct vma *v, vaddr_t page)
{
	pte_t *ptep = pt_lookup(as->root, page);
	size_t idx;

	if (ptep && hal_pte_is_valid(*ptep))
		return hal_pte_addr(*ptep);
	if (!v->obj)
		return 0;
	idx = v->obj_pgoff + ((page - v->start) >> PAGE_SHIFT);
	return v->obj->pages[idx];
}

/* Chunk function of aspace_read: copy out of the page, or zeroes if it has none. */
static int read_chunk(struct aspace *as, const struct chunk *c)
{
	paddr_t pa = frame_for_read(as, c->vma, c->page);

	if (pa)
		memcpy(c->buf, (char *)hal_phys_to_virt(pa) + c->off, c->len);
	else
		memset(c->buf, 0, c->len);
	return 0;
}

int aspace_read(struct aspace *as, vaddr_t va, void *dst, size_t n)
{
	return for_each_chunk(as, va, dst, n, read_chunk);
}
