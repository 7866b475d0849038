/*
 * Frame allocator: a stack of free page-frame numbers plus a reference count per
 * frame. Both arrays live in the first RAM range large enough to hold them.
 */
#include "frame.h"

#include "../lib/errno.h"
#include "../lib/failpoint.h"
#include "../lib/kprintf.h"
#include "../lib/string.h"

#define FRAME_RESERVED UINT32_MAX /* refcount of a hole or a bookkeeping frame */

static uint64_t base_pfn;   /* pfn of refcount[0] */
static uint64_t span;       /* frames covered by refcount[] */
static uint32_t *refcount;  /* per-frame count; 0 = free */
static uint32_t *free_pfns; /* stack of free frames, relative to base_pfn */
static size_t free_top;     /* number of entries on the stack */
static size_t total_frames;

/* Lowest and highest+1 pfn over all RAM ranges. */
static void ram_span(const struct hal_phys_range *r, size_t n, uint64_t *lo, uint64_t *hi)
{
	*lo = UINT64_MAX;
	*hi = 0;
	for (size_t i = 0; i < n; i++) {
		*lo = MIN(*lo, r[i].base >> PAGE_SHIFT);
		*hi = MAX(*hi, (r[i].base + r[i].size) >> PAGE_SHIFT);
	}
}

/* Physical base of a range that can hold bytes of bookkeeping, or 0 if none. */
static paddr_t find_meta_home(const struct hal_phys_range *r, size_t n, size_t bytes)
{
	for (size_t i = 0; i < n; i++)
		if (r[i].size >= bytes)
			return r[i].base;
	return 0;
}

/* Mark the frames of [base, base+size) free, except those in [skip, skip_end). */
static void add_range_frames(paddr_t base, size_t size, paddr_t skip, paddr_t skip_end)
{
	uint64_t first = base >> PAGE_SHIFT, end = (base + size) >> PAGE_SHIFT;

	for (uint64_t pfn = end; pfn-- > first;) {
		if ((pfn << PAGE_SHIFT) >= skip && (pfn << PAGE_SHIFT) < skip_end)
			continue;
		refcount[pfn - base_pfn] = 0;
		free_pfns[free_top++] = (uint32_t)(pfn - base_pfn);
		total_frames++;
	}
}

int frames_init(void)
{
	const struct hal_phys_range *r;
	size_t n = hal_ram_ranges(&r), meta_bytes;
	uint64_t lo, hi;
	paddr_t meta;

	ram_span(r, n, &lo, &hi);
	if (!n || hi <= lo || hi - lo > UINT32_MAX)
		return -ENOMEM;
	span = hi - lo;
	meta_bytes = ALIGN_UP(span * 2 * sizeof(uint32_t), PAGE_SIZE);
	meta = find_meta_home(r, n, meta_bytes + PAGE_SIZE);
	if (!meta)
		return -ENOMEM;
	base_pfn = lo;
	refcount = hal_phys_to_virt(meta);
	free_pfns = refcount + span;
	free_top = total_frames = 0;
	for (uint64_t i = 0; i < span; i++)
		refcount[i] = FRAME_RESERVED;
	for (size_t i = n; i-- > 0;)
		add_range_frames(r[i].base, r[i].size, meta, meta + meta_bytes);
	return 0;
}

void frames_fini(void)
{
	refcount = free_pfns = NULL;
	span = free_top = total_frames = 0;
}

/* Index of pa in refcount[], panicking on an address the allocator does not own. */
static uint64_t frame_index(paddr_t pa, const char *who)
{
	uint64_t pfn = pa >> PAGE_SHIFT;

	if ((pa & (PAGE_SIZE - 1)) || pfn < base_pfn || pfn - base_pfn >= span ||
	    refcount[pfn - base_pfn] == FRAME_RESERVED)
		panic("%s: 0x%llx is not a managed frame", who, (unsigned long long)pa);
	return pfn - base_pfn;
}

paddr_t frame_alloc_for_heap(void)
{
	uint64_t idx;

	if (free_top == 0)
		return 0;
	idx = free_pfns[--free_top];
	KASSERT(refcount[idx] == 0);
	refcount[idx] = 1;
	return (base_pfn + idx) << PAGE_SHIFT;
}

paddr_t frame_alloc(void)
{
	if (failpoint_hit())
		return 0;
	return frame_alloc_for_heap();
}

paddr_t frame_alloc_zeroed(void)
{
	paddr_t pa = frame_alloc();

	if (pa)
		memset(hal_phys_to_virt(pa), 0, PAGE_SIZE);
	return pa;
}

void frame_get(paddr_t pa)
{
	uint64_t idx = frame_index(pa, __func__);

	if (refcount[idx] == 0)
		panic("frame_get: 0x%llx is free", (unsigned long long)pa);
	refcount[idx]++;
}

void frame_put(paddr_t pa)
{
	uint64_t idx = frame_index(pa, __func__);

	if (refcount[idx] == 0)
		panic("frame_put: 0x%llx is already free", (unsigned long long)pa);
	if (--refcount[idx] == 0)
		free_pfns[free_top++] = (uint32_t)idx;
}

unsigned frame_refcount(paddr_t pa)
{
	return refcount[frame_index(pa, __func__)];
}

size_t frames_free_count(void)
{
	return free_top;
}

size_t frames_total_count(void)
{
	return total_frames;
}
