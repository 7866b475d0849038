/*
 * Kernel heap for hal_heap_alloc/hal_heap_free, architecture-neutral: power-of-two
 * size classes (16..1024 bytes) carved from single frames ("slabs"), and whole frames
 * for objects of 1025..PAGE_SIZE bytes. A slab starts with its header, so its objects
 * are never page aligned; a page-aligned pointer therefore is a whole-frame object.
 * A slab whose last object is freed goes straight back to the frame allocator, so
 * the free-frame count returns to its baseline when every object is freed.
 * Objects above PAGE_SIZE get whole frames mapped contiguously in the vmap region
 * (kmap_map, mmu.c), a 16-byte header with the page count in front; a bitmap tracks
 * the region's pages. The heap takes frames with frame_alloc_for_heap(): kmalloc()
 * has already asked the failpoint once for the object, so the countdown advances
 * exactly once per kmalloc, as in the hosted build.
 */
#include "a64.h"
#include "../../core/lib/kprintf.h"
#include "../../core/lib/string.h"
#include "../../core/mm/frame.h"

#define HEAP_MIN_SHIFT 4
#define HEAP_MAX_SHIFT 10
#define HEAP_CLASSES (HEAP_MAX_SHIFT - HEAP_MIN_SHIFT + 1)
#define SLAB_MAGIC 0x51ab51abu
#define LARGE_MAGIC 0x1a26e0bfu
#define LARGE_HEADER 16
#define VMAP_PAGES (VMAP_SIZE / PAGE_SIZE)

struct heap_obj {
	struct heap_obj *next;
};

struct slab {
	uint32_t magic;
	uint16_t cls;   /* size class: object size 1 << (cls + HEAP_MIN_SHIFT) */
	uint16_t used;  /* objects handed out */
	struct slab *next, *prev; /* partial list of the class (has a free object) */
	struct heap_obj *free;
	uint64_t pad;   /* header is 48 bytes: objects stay 16-byte aligned */
};

struct large_header {
	uint32_t magic;
	uint32_t pad;
	uint64_t pages; /* pages mapped for the object, header included */
};

static struct slab *partial[HEAP_CLASSES];
static uint64_t vmap_bits[VMAP_PAGES / 64]; /* set: vmap page in use */
static size_t frames_in_use;

/* Size class index for a request of size bytes (1..1 << HEAP_MAX_SHIFT). */
static unsigned heap_class(size_t size)
{
	unsigned cls = 0;

	while (((size_t)1 << (cls + HEAP_MIN_SHIFT)) < size)
		cls++;
	return cls;
}

/* Object size of class cls. */
static size_t class_size(unsigned cls)
{
	return (size_t)1 << (cls + HEAP_MIN_SHIFT);
}

/* Put slab s at the head of its class's partial list. */
static void partial_push(struct slab *s)
{
	s->prev = NULL;
	s->next = partial[s->cls];
	if (s->next)
		s->next->prev = s;
	partial[s->cls] = s;
}

/* Take slab s off its class's partial list. */
static void partial_unlink(struct slab *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		partial[s->cls] = s->next;
	if (s->next)
		s->next->prev = s->prev;
	s->next = s->prev = NULL;
}

/* A new slab of class cls with every object free, on the partial list; or NULL. */
static struct slab *slab_new(unsigned cls)
{
	paddr_t pa = frame_alloc_for_heap();
	size_t osize = class_size(cls), off;
	struct slab *s;

	if (!pa)
		return NULL;
	frames_in_use++;
	s = hal_phys_to_virt(pa);
	s->magic = SLAB_MAGIC;
	s->cls = (uint16_t)cls;
	s->used = 0;
	s->free = NULL;
	for (off = ALIGN_UP(sizeof(*s), osize < 16 ? 16 : MIN(osize, 64));
	     off + osize <= PAGE_SIZE; off += osize) {
		struct heap_obj *o = (struct heap_obj *)((char *)s + off);

		o->next = s->free;
		s->free = o;
	}
	partial_push(s);
	return s;
}

/* A whole frame for an object of size (1025..PAGE_SIZE) bytes, its first size bytes
 * zeroed (all the caller may use), or NULL. */
static void *heap_alloc_page(size_t size)
{
	paddr_t pa = frame_alloc_for_heap();

	if (!pa)
		return NULL;
	frames_in_use++;
	memset(hal_phys_to_virt(pa), 0, size);
	return hal_phys_to_virt(pa);
}

/* True when bit i of the vmap page bitmap is set (page in use). */
static bool vmap_used(size_t i)
{
	return vmap_bits[i / 64] >> (i % 64) & 1;
}

/* Set (used) or clear bits [first, first + n) of the vmap bitmap. */
static void vmap_mark(size_t first, size_t n, bool used)
{
	for (size_t i = first; i < first + n; i++) {
		if (used)
			vmap_bits[i / 64] |= 1ull << (i % 64);
		else
			vmap_bits[i / 64] &= ~(1ull << (i % 64));
	}
}

/* First index of n free vmap pages (first fit), or VMAP_PAGES when none. */
static size_t vmap_find(size_t n)
{
	size_t run = 0;

	for (size_t i = 0; i < VMAP_PAGES; i++) {
		if (i % 64 == 0 && vmap_bits[i / 64] == ~0ull) {
			run = 0;
			i += 63;
			continue;
		}
		run = vmap_used(i) ? 0 : run + 1;
		if (run == n)
			return i + 1 - n;
	}
	return VMAP_PAGES;
}

/* Unmap the first n pages of the vmap range at va and free their frames. */
static void large_unmap(vaddr_t va, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		frame_put(kmap_unmap(va + i * PAGE_SIZE));
		frames_in_use--;
	}
}

/* Zeroed memory for an object above PAGE_SIZE: whole frames mapped contiguously in the
 * vmap region, a header with the page count in front of the object; or NULL. */
static void *heap_alloc_large(size_t size)
{
	size_t n = (size + LARGE_HEADER + PAGE_SIZE - 1) / PAGE_SIZE, first = vmap_find(n);
	size_t mapped = 0;
	vaddr_t va = VMAP_BASE + first * PAGE_SIZE;
	struct large_header *h;

	if (first == VMAP_PAGES)
		return NULL;
	for (; mapped < n; mapped++) {
		paddr_t pa = frame_alloc_for_heap();

		if (!pa)
			goto fail;
		memset(hal_phys_to_virt(pa), 0, PAGE_SIZE);
		frames_in_use++;
		kmap_map(va + mapped * PAGE_SIZE, pa);
	}
	vmap_mark(first, n, true);
	h = (struct large_header *)va;
	h->magic = LARGE_MAGIC;
	h->pages = n;
	return (char *)va + LARGE_HEADER;
fail:
	large_unmap(va, mapped);
	return NULL;
}

/* Free a large object p: unmap its pages, free their frames and address range. */
static void heap_free_large(void *p)
{
	struct large_header *h = (struct large_header *)((char *)p - LARGE_HEADER);
	size_t n = h->pages;

	if (h->magic != LARGE_MAGIC || !IS_ALIGNED((uintptr_t)h, PAGE_SIZE))
		panic("hal_heap_free: %p is not a live large object", p);
	h->magic = 0;
	large_unmap((vaddr_t)h, n);
	vmap_mark(((vaddr_t)h - VMAP_BASE) / PAGE_SIZE, n, false);
}

void *hal_heap_alloc(size_t size)
{
	unsigned cls;
	struct slab *s;
	struct heap_obj *o;

	if (size > VMAP_SIZE / 2)
		return NULL;
	if (size > PAGE_SIZE)
		return heap_alloc_large(size);
	if (size > ((size_t)1 << HEAP_MAX_SHIFT))
		return heap_alloc_page(size);
	cls = heap_class(size ? size : 1);
	s = partial[cls] ? partial[cls] : slab_new(cls);
	if (!s)
		return NULL;
	o = s->free;
	s->free = o->next;
	s->used++;
	if (!s->free)
		partial_unlink(s);
	memset(o, 0, size); /* the rest of the object is not the caller's */
	return o;
}

void hal_heap_free(void *p)
{
	struct slab *s;
	struct heap_obj *o = p;

	if (!p)
		return;
	if ((uintptr_t)p - VMAP_BASE < VMAP_SIZE) {
		heap_free_large(p);
		return;
	}
	if (IS_ALIGNED((uintptr_t)p, PAGE_SIZE)) {
		frames_in_use--;
		frame_put(hal_virt_to_phys(p));
		return;
	}
	s = (struct slab *)ALIGN_DOWN((uintptr_t)p, PAGE_SIZE);
	KASSERT(s->magic == SLAB_MAGIC && s->used > 0);
	if (!s->free)
		partial_push(s);
	o->next = s->free;
	s->free = o;
	if (--s->used == 0) {
		partial_unlink(s);
		s->magic = 0;
		frames_in_use--;
		frame_put(hal_virt_to_phys(s));
	}
}

/* Frames the heap holds right now (slabs and whole-frame objects). */
size_t heap_frames_in_use(void)
{
	return frames_in_use;
}
