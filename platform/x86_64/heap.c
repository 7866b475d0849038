/*
 * Kernel heap behind hal_heap_alloc/hal_heap_free, built only on frame_alloc(),
 * frame_put() and hal_phys_to_virt() plus a page-mapping hook for large objects, so it
 * can move to core/lib once core has a kernel-mapping seam.
 *
 * Small objects (<= SLAB_MAX_OBJECT bytes) come from per-size-class slabs: one frame
 * per slab, reached through the direct map, with a header at the start of the page.
 * A slab whose last object is freed goes straight back to the frame allocator, so
 * frame accounting returns to its baseline once every object is freed.
 * Large objects get whole frames mapped contiguously in the vmap region; their page
 * count sits in a header at the start of the first page. Freed virtual ranges are
 * kept in a small first-fit list for reuse.
 */
#include "x86.h"

#include "lib/kprintf.h"
#include "lib/string.h"
#include "mm/frame.h"

#define SLAB_MAGIC 0x51ab51abu
#define LARGE_MAGIC 0x1a26e0bfu
#define NCLASSES 8
#define SLAB_MAX_OBJECT 2016
#define LARGE_HEADER 16
#define MAX_FREE_EXTENTS 128

struct slab {
	uint32_t magic;
	uint16_t class;
	uint16_t inuse;
	void *free;               /* singly linked free objects in this page */
	struct slab *next, *prev; /* slabs of this class with a free object */
};

struct large_header {
	uint32_t magic;
	uint32_t npages;
	uint64_t reserved;
};

struct extent {
	vaddr_t va;
	size_t npages;
};

/* Object sizes; all multiples of 16 so every object is 16-byte aligned. */
static const uint16_t class_size[NCLASSES] = { 16, 32, 64, 128, 256, 512, 1024, 2016 };
static struct slab *partial[NCLASSES];
static size_t slab_pages, large_pages;
static vaddr_t vmap_next = X86_VMAP_BASE;
static struct extent free_extents[MAX_FREE_EXTENTS];
static size_t free_extent_count;

/* Offset of the first object in a slab page (header rounded up to 32 bytes). */
#define SLAB_FIRST_OBJECT 32

/* Smallest size class that holds size bytes. */
static unsigned size_class(size_t size)
{
	unsigned c = 0;

	while (class_size[c] < size)
		c++;
	return c;
}

/* Put slab s at the head of its class's list of slabs with free objects. */
static void slab_link(struct slab *s)
{
	s->prev = NULL;
	s->next = partial[s->class];
	if (s->next)
		s->next->prev = s;
	partial[s->class] = s;
}

/* Remove slab s from its class's list. */
static void slab_unlink(struct slab *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		partial[s->class] = s->next;
	if (s->next)
		s->next->prev = s->prev;
	s->next = s->prev = NULL;
}

/* A fresh slab page for class c with every object free, or NULL. */
static struct slab *slab_create(unsigned c)
{
	paddr_t pa = frame_alloc();
	struct slab *s;
	char *obj;

	if (!pa)
		return NULL;
	s = hal_phys_to_virt(pa);
	*s = (struct slab){ .magic = SLAB_MAGIC, .class = (uint16_t)c };
	for (obj = (char *)s + SLAB_FIRST_OBJECT;
	     obj + class_size[c] <= (char *)s + X86_PAGE_SIZE; obj += class_size[c]) {
		*(void **)obj = s->free;
		s->free = obj;
	}
	slab_pages++;
	slab_link(s);
	return s;
}

/* Allocate an object of class c with its first size bytes zeroed (all the caller may
 * use), or NULL. */
static void *slab_alloc(unsigned c, size_t size)
{
	struct slab *s = partial[c] ? partial[c] : slab_create(c);
	void *obj;

	if (!s)
		return NULL;
	obj = s->free;
	s->free = *(void **)obj;
	s->inuse++;
	if (!s->free)
		slab_unlink(s);
	memset(obj, 0, size);
	return obj;
}

/* Return obj to its slab; an empty slab goes back to the frame allocator. */
static void slab_free(void *obj)
{
	struct slab *s = (struct slab *)ALIGN_DOWN((uintptr_t)obj, X86_PAGE_SIZE);

	if (s->magic != SLAB_MAGIC || !s->inuse)
		panic("hal_heap_free: %p is not a live heap object", obj);
	if (!s->free)
		slab_link(s);
	*(void **)obj = s->free;
	s->free = obj;
	if (--s->inuse)
		return;
	slab_unlink(s);
	s->magic = 0;
	slab_pages--;
	frame_put(hal_virt_to_phys(s));
}

/* Reserve npages of vmap address space (first fit among freed extents); 0 if none. */
static vaddr_t vmap_reserve(size_t npages)
{
	vaddr_t va;

	for (size_t i = 0; i < free_extent_count; i++) {
		if (free_extents[i].npages < npages)
			continue;
		va = free_extents[i].va;
		free_extents[i].va += npages * X86_PAGE_SIZE;
		free_extents[i].npages -= npages;
		if (!free_extents[i].npages)
			free_extents[i] = free_extents[--free_extent_count];
		return va;
	}
	if (npages > (X86_VMAP_BASE + X86_VMAP_SIZE - vmap_next) / X86_PAGE_SIZE)
		return 0;
	va = vmap_next;
	vmap_next += npages * X86_PAGE_SIZE;
	return va;
}

/* Give [va, va + npages pages) back for reuse (dropped if the list is full). */
static void vmap_release(vaddr_t va, size_t npages)
{
	if (free_extent_count < MAX_FREE_EXTENTS)
		free_extents[free_extent_count++] = (struct extent){ va, npages };
}

/* Unmap the first n pages at va and free their frames. */
static void large_unmap(vaddr_t va, size_t n)
{
	for (size_t i = 0; i < n; i++)
		frame_put(mmu_kunmap_page(va + i * X86_PAGE_SIZE));
}

/* Allocate size zeroed bytes as whole mapped pages, or NULL. */
static void *large_alloc(size_t size)
{
	size_t npages = (size + LARGE_HEADER + X86_PAGE_SIZE - 1) / X86_PAGE_SIZE;
	vaddr_t va = vmap_reserve(npages);
	size_t mapped = 0;
	struct large_header *h;

	if (!va)
		return NULL;
	for (; mapped < npages; mapped++) {
		paddr_t pa = frame_alloc_zeroed();

		if (!pa || mmu_kmap_page(va + mapped * X86_PAGE_SIZE, pa,
					 X86_PTE_W | X86_PTE_NX)) {
			if (pa)
				frame_put(pa);
			goto fail;
		}
	}
	h = (struct large_header *)va;
	*h = (struct large_header){ .magic = LARGE_MAGIC, .npages = (uint32_t)npages };
	large_pages += npages;
	return (char *)va + LARGE_HEADER;
fail:
	large_unmap(va, mapped);
	vmap_release(va, npages);
	return NULL;
}

/* Free a large object: unmap and free its frames, release its address range. */
static void large_free(void *p)
{
	struct large_header *h = (struct large_header *)((char *)p - LARGE_HEADER);
	size_t npages = h->npages;

	if (h->magic != LARGE_MAGIC || !IS_ALIGNED((uintptr_t)h, X86_PAGE_SIZE))
		panic("hal_heap_free: %p is not a live large object", p);
	h->magic = 0;
	large_unmap((vaddr_t)h, npages);
	vmap_release((vaddr_t)h, npages);
	large_pages -= npages;
}

/* True when p lies in the vmap region (a large object). */
static bool is_large(const void *p)
{
	uintptr_t v = (uintptr_t)p;

	return v >= X86_VMAP_BASE && v - X86_VMAP_BASE < X86_VMAP_SIZE;
}

void *hal_heap_alloc(size_t size)
{
	if (!size)
		size = 1;
	if (size <= SLAB_MAX_OBJECT)
		return slab_alloc(size_class(size), size);
	if (size > X86_VMAP_SIZE / 2)
		return NULL;
	return large_alloc(size);
}

void hal_heap_free(void *p)
{
	if (!p)
		return;
	if (is_large(p))
		large_free(p);
	else
		slab_free(p);
}

size_t heap_pages_in_use(void)
{
	return slab_pages + large_pages;
}
