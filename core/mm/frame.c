/*
 * Frame allocator: a reference count and an owner word per frame, and the free frames
 * as two stacks in one array: frames of unknown contents grow up from free_pfns[0],
 * frames known to hold only zeroes grow down from free_pfns[span - 1] (page tables
 * come back that way: see frame_put_zeroed). The arrays live in the first RAM range
 * large enough to hold them.
 */
#include "frame.h"

#include "../lib/errno.h"
#include "../lib/failpoint.h"
#include "../lib/kprintf.h"
#include "../lib/string.h"

struct frame_pool frame_pool;
static size_t total_frames;
static struct frame_pool *const pool = &frame_pool;

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
		pool->refcount[pfn - pool->base_pfn] = 0;
		pool->free_pfns[pool->free_top++] = (uint32_t)(pfn - pool->base_pfn);
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
	pool->span = hi - lo;
	meta_bytes = ALIGN_UP(pool->span * (sizeof(uint64_t) + 2 * sizeof(uint32_t)), PAGE_SIZE);
	meta = find_meta_home(r, n, meta_bytes + PAGE_SIZE);
	if (!meta)
		return -ENOMEM;
	pool->base_pfn = lo;
	pool->owner_word = hal_phys_to_virt(meta);
	pool->refcount = (uint32_t *)(pool->owner_word + pool->span);
	pool->free_pfns = pool->refcount + pool->span;
	pool->free_top = pool->zeroed_top = total_frames = 0;
	for (uint64_t i = 0; i < pool->span; i++)
		pool->refcount[i] = FRAME_RESERVED;
	for (size_t i = n; i-- > 0;)
		add_range_frames(r[i].base, r[i].size, meta, meta + meta_bytes);
	return 0;
}

void frames_fini(void)
{
	pool->owner_word = NULL;
	pool->refcount = pool->free_pfns = NULL;
	pool->span = pool->free_top = pool->zeroed_top = total_frames = 0;
}

/* Index of pa in refcount[], panicking on an address the allocator does not own. */
static uint64_t frame_index(paddr_t pa, const char *who)
{
	uint64_t pfn = pa >> PAGE_SHIFT, idx = pfn - pool->base_pfn;

	if ((pa & (PAGE_SIZE - 1)) || pfn < pool->base_pfn || idx >= pool->span ||
	    pool->refcount[idx] == FRAME_RESERVED)
		panic("%s: 0x%llx is not a managed frame", who, (unsigned long long)pa);
	return idx;
}

/* Hand out the free frame at idx: count 1, owner word 0; returns its address. */
static paddr_t claim_frame(uint64_t idx)
{
	KASSERT(pool->refcount[idx] == 0);
	pool->refcount[idx] = 1;
	pool->owner_word[idx] = 0;
	return (pool->base_pfn + idx) << PAGE_SHIFT;
}

/* A frame off the zeroed stack, or 0 when it is empty. */
static paddr_t take_zeroed_frame(void)
{
	if (!pool->zeroed_top)
		return 0;
	return claim_frame(pool->free_pfns[pool->span - pool->zeroed_top--]);
}

/* A frame off the stack of unknown contents, or else off the zeroed one; 0 when both
 * are empty. */
static paddr_t take_free_frame(void)
{
	if (!pool->free_top)
		return take_zeroed_frame();
	return claim_frame(pool->free_pfns[--pool->free_top]);
}

paddr_t frame_alloc_for_heap(void)
{
	return take_free_frame();
}

paddr_t frame_alloc(void)
{
	if (failpoint_hit())
		return 0;
	return take_free_frame();
}

paddr_t frame_alloc_zeroed(void)
{
	paddr_t pa;

	if (failpoint_hit())
		return 0;
	pa = take_zeroed_frame();
	if (pa)
		return pa;
	pa = take_free_frame();
	if (pa)
		memset(hal_phys_to_virt(pa), 0, PAGE_SIZE);
	return pa;
}

bool frame_verify_zeroed;

/* Panic unless the frame at pa holds only zero bytes, when frame_verify_zeroed is set
 * (the hosted platform, where the tests run); the kernels trust frame_put_zeroed's
 * promise, since checking it would cost the 4 KiB of work it saves. */
static void check_zeroed(paddr_t pa)
{
	const uint64_t *w = hal_phys_to_virt(pa);

	if (!frame_verify_zeroed)
		return;
	for (size_t i = 0; i < PAGE_SIZE / sizeof(*w); i++)
		if (w[i])
			panic("frame_put_zeroed: 0x%llx is not all zeroes", (unsigned long long)pa);
}

void frame_put_zeroed(paddr_t pa)
{
	uint32_t *count = frame_ref_slot(pa, __func__);
	uint32_t idx = (uint32_t)(count - pool->refcount);

	check_zeroed(pa);
	if (--*count == 0)
		pool->free_pfns[pool->span - ++pool->zeroed_top] = idx;
}

void frame_bad_ref(const char *who, paddr_t pa)
{
	uint64_t idx = frame_index(pa, who);

	KASSERT(pool->refcount[idx] == 0);
	panic("%s: 0x%llx is free", who, (unsigned long long)pa);
}

unsigned frame_refcount(paddr_t pa)
{
	return pool->refcount[frame_index(pa, __func__)];
}

size_t frames_free_count(void)
{
	return pool->free_top + pool->zeroed_top;
}

size_t frames_total_count(void)
{
	return total_frames;
}
