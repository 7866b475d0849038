/*
 * Kernel heap for hal_heap_alloc/hal_heap_free, architecture-neutral: power-of-two
 * size classes (16..1024 bytes) carved from single frames ("slabs"), and whole frames
 * for objects of 1025..PAGE_SIZE bytes. A slab starts with its header, so its objects
 * are never page aligned; a page-aligned pointer therefore is a whole-frame object.
 * A slab whose last object is freed goes straight back to the frame allocator, so
 * the free-frame count returns to its baseline when every object is freed.
 * Requests above PAGE_SIZE fail (NULL): there is no contiguous multi-frame allocation.
 */
#include "../../core/hal.h"
#include "../../core/lib/kprintf.h"
#include "../../core/lib/string.h"
#include "../../core/mm/frame.h"

#define HEAP_MIN_SHIFT 4
#define HEAP_MAX_SHIFT 10
#define HEAP_CLASSES (HEAP_MAX_SHIFT - HEAP_MIN_SHIFT + 1)
#define SLAB_MAGIC 0x51ab51abu

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

static struct slab *partial[HEAP_CLASSES];
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
	paddr_t pa = frame_alloc();
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

/* A zeroed whole frame for a large object, or NULL. */
static void *heap_alloc_large(void)
{
	paddr_t pa = frame_alloc_zeroed();

	if (!pa)
		return NULL;
	frames_in_use++;
	return hal_phys_to_virt(pa);
}

void *hal_heap_alloc(size_t size)
{
	unsigned cls;
	struct slab *s;
	struct heap_obj *o;

	if (size > PAGE_SIZE)
		return NULL;
	if (size > ((size_t)1 << HEAP_MAX_SHIFT))
		return heap_alloc_large();
	cls = heap_class(size ? size : 1);
	s = partial[cls] ? partial[cls] : slab_new(cls);
	if (!s)
		return NULL;
	o = s->free;
	s->free = o->next;
	s->used++;
	if (!s->free)
		partial_unlink(s);
	memset(o, 0, class_size(cls));
	return o;
}

void hal_heap_free(void *p)
{
	struct slab *s;
	struct heap_obj *o = p;

	if (!p)
		return;
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
