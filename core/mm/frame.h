/*
 * Physical page frames: allocation with per-frame reference counts and exact
 * accounting. Frames come from the platform's RAM ranges (hal_ram_ranges()).
 */
#ifndef CLEAVE_FRAME_H
#define CLEAVE_FRAME_H

#include "../hal.h"

/* Page size shared by both architectures' 4 KiB granule. */
#define PAGE_SHIFT 12
#define PAGE_SIZE ((size_t)1 << PAGE_SHIFT)

/* Take over every RAM range the platform reports; frames used for bookkeeping and
 * ranges listed in hal_reserved are excluded. Returns 0 or -ENOMEM. */
int frames_init(void);
/* Forget all frames (hosted tests re-initialise between cases). */
void frames_fini(void);
/* Allocate one frame with reference count 1 (contents undefined); 0 on failure. */
paddr_t frame_alloc(void);
/* As frame_alloc(), but without asking failpoint_hit(): only for the kernel heaps,
 * whose kmalloc() already asked once for the object the frame backs. */
paddr_t frame_alloc_for_heap(void);
/* As frame_alloc(), with the frame filled with zeroes: a frame that came back through
 * frame_put_zeroed() if there is one (no clearing needed), else a cleared one. */
paddr_t frame_alloc_zeroed(void);
/* When true, frame_put_zeroed() checks that the frame really is all zeroes and
 * panics if not (set by the hosted platform, where the tests run). */
extern bool frame_verify_zeroed;
/* As frame_put(), for a frame the caller has left all zeroes: once free it serves
 * frame_alloc_zeroed() without being cleared again. Hosted builds check the promise. */
void frame_put_zeroed(paddr_t pa);
/* Add a reference to an allocated frame (inline below). */
static inline void frame_get(paddr_t pa);
/* Drop a reference; the frame is freed when the count reaches zero (inline below). */
static inline void frame_put(paddr_t pa);
/* Current reference count of an allocated frame. */
unsigned frame_refcount(paddr_t pa);
/* Number of free frames right now. */
size_t frames_free_count(void);
/* Number of frames managed in total (free + allocated). */
size_t frames_total_count(void);

/* ---- Reference counting, inline: fork and teardown call these once per page ---- */

/* Refcount of a hole or a bookkeeping frame: never allocated, never counted. */
#define FRAME_RESERVED UINT32_MAX

/* The allocator's state, visible here only so that frame_get()/frame_put() inline
 * into the page-table loops; nothing outside frame.c and this header touches it. */
struct frame_pool {
	uint64_t base_pfn;   /* pfn of refcount[0] */
	uint64_t span;       /* frames covered by refcount[] */
	uint32_t *refcount;  /* per-frame count; 0 = free, FRAME_RESERVED = not managed */
	uint64_t *owner_word; /* per-frame word for the frame's owner, 0 when allocated */
	uint32_t *free_pfns; /* the two stacks of free frames, relative to base_pfn */
	size_t free_top;     /* frames of unknown contents, free_pfns[0..free_top) */
	size_t zeroed_top;   /* zeroed frames, free_pfns[span - zeroed_top..span) */
};
extern struct frame_pool frame_pool;

/* Panic for who's reference operation on pa: not an allocated managed frame. */
_Noreturn void frame_bad_ref(const char *who, paddr_t pa);

/* pa's reference count, which must be an allocated managed frame (else panic). The
 * check is always on: one range compare and one count compare (0 = free and
 * FRAME_RESERVED both fail "count - 1 < FRAME_RESERVED - 1"). */
static inline uint32_t *frame_ref_slot(paddr_t pa, const char *who)
{
	uint64_t idx = (pa >> PAGE_SHIFT) - frame_pool.base_pfn;

	if ((pa & (PAGE_SIZE - 1)) || idx >= frame_pool.span ||
	    frame_pool.refcount[idx] - 1u >= FRAME_RESERVED - 1u)
		frame_bad_ref(who, pa);
	return &frame_pool.refcount[idx];
}

static inline void frame_get(paddr_t pa)
{
	(*frame_ref_slot(pa, "frame_get"))++;
}

static inline void frame_put(paddr_t pa)
{
	uint32_t *count = frame_ref_slot(pa, "frame_put");
	uint32_t idx = (uint32_t)(count - frame_pool.refcount);

	if (--*count == 0)
		frame_pool.free_pfns[frame_pool.free_top++] = idx;
}

/* The word the owner of the allocated frame pa may keep there (0 at allocation): page
 * tables keep the summary of their non-empty entries in it (pt.c). Not checked. */
static inline uint64_t *frame_owner_word(paddr_t pa)
{
	return &frame_pool.owner_word[(pa >> PAGE_SHIFT) - frame_pool.base_pfn];
}

#endif
