/* Page-table walking and editing, generic over the HAL codec and geometry. */
#include "pt.h"

#include "../lib/kprintf.h"
#include "frame.h"

/* The HAL geometry in the form the walkers use. The HAL promises it is constant for
 * the life of the system, so it is read once instead of in every loop. */
struct pt_geo {
	unsigned levels;     /* table levels; levels - 1 is the root */
	unsigned page_shift; /* log2 of the page size */
	unsigned index_bits; /* va bits resolved per level */
	unsigned entries;    /* entries per table (1 << index_bits) */
};

static struct pt_geo geo_cache;

/* The cached geometry, filled from hal_pt_geometry() on first use. */
static const struct pt_geo *geo(void)
{
	if (!geo_cache.levels) {
		const struct hal_pt_geometry *g = hal_pt_geometry();

		geo_cache = (struct pt_geo){ g->levels, g->page_shift, g->index_bits,
					     1u << g->index_bits };
	}
	return &geo_cache;
}

/* Bit position of the lowest va bit that indexes a table at level. */
static unsigned level_shift(unsigned level)
{
	return geo()->page_shift + geo()->index_bits * level;
}

vaddr_t pt_level_span(unsigned level)
{
	return (vaddr_t)1 << level_shift(level);
}

/* Index of va's entry in a table at level. */
static unsigned level_index(vaddr_t va, unsigned level)
{
	return (unsigned)(va >> level_shift(level)) & (geo()->entries - 1);
}

/* Number of entries in one table. */
static unsigned table_entries(void)
{
	return geo()->entries;
}

/* Kernel pointer to the table at physical address pa. */
static pte_t *table_at(paddr_t pa)
{
	return hal_phys_to_virt(pa);
}

paddr_t pt_create(void)
{
	paddr_t root = frame_alloc_zeroed();

	if (root)
		hal_pt_root_init(root);
	return root;
}

/* Next-level table for entry *e at level (>0), allocating one if alloc; NULL if absent. */
static pte_t *next_table(pte_t *e, unsigned level, bool alloc)
{
	paddr_t pa;

	if (hal_pte_is_valid(*e)) {
		if (!hal_pte_is_table(*e, level))
			panic("next_table: unexpected block entry at level %u", level);
		return table_at(hal_pte_addr(*e));
	}
	if (!alloc)
		return NULL;
	pa = frame_alloc_zeroed();
	if (!pa)
		return NULL;
	*e = hal_pte_make_table(pa);
	return table_at(pa);
}

/* Walk from root to va's level-0 entry, optionally allocating tables. */
static pte_t *walk(paddr_t root, vaddr_t va, bool alloc)
{
	pte_t *t = table_at(root);

	for (unsigned level = geo()->levels - 1; level > 0; level--) {
		t = next_table(&t[level_index(va, level)], level, alloc);
		if (!t)
			return NULL;
	}
	return &t[level_index(va, 0)];
}

pte_t *pt_lookup(paddr_t root, vaddr_t va)
{
	return walk(root, va, false);
}

pte_t *pt_lookup_alloc(paddr_t root, vaddr_t va)
{
	return walk(root, va, true);
}

/* Recursive step of pt_for_each_leaf over the table t at level (> 0) that maps from
 * base: descend into every valid entry overlapping [start, end) (start >= base). */
static int visit_table(pte_t *t, unsigned level, vaddr_t base, vaddr_t start, vaddr_t end,
		       pt_leaf_fn fn, void *ctx)
{
	vaddr_t span = pt_level_span(level);
	int rc;

	for (unsigned i = level_index(start, level); i < table_entries(); i++) {
		vaddr_t va = base + (vaddr_t)i * span, from = MAX(start, va);
		pte_t *next;

		if (va >= end)
			break;
		if (!hal_pte_is_valid(t[i]))
			continue;
		next = table_at(hal_pte_addr(t[i]));
		if (level == 1)
			rc = fn(&next[level_index(from, 0)],
				(size_t)((MIN(end, va + span) - from) >> geo()->page_shift), from, ctx);
		else
			rc = visit_table(next, level - 1, va, from, end, fn, ctx);
		if (rc)
			return rc;
	}
	return 0;
}

int pt_for_each_leaf(paddr_t root, vaddr_t start, vaddr_t end, pt_leaf_fn fn, void *ctx)
{
	if (start >= end)
		return 0;
	return visit_table(table_at(root), geo()->levels - 1, 0, start, end, fn, ctx);
}

/* A per-page visitor and its context, carried through pt_for_each_leaf. */
struct page_visit {
	pt_visit_fn fn;
	void *ctx;
};

/* pt_for_each_leaf visitor: call the page visitor on each valid entry of the run. */
static int visit_pages(pte_t *first, size_t n, vaddr_t va, void *ctx)
{
	struct page_visit *pv = ctx;
	int rc;

	for (size_t i = 0; i < n; i++) {
		if (!hal_pte_is_valid(first[i]))
			continue;
		rc = pv->fn(&first[i], va + ((vaddr_t)i << geo()->page_shift), pv->ctx);
		if (rc)
			return rc;
	}
	return 0;
}

int pt_for_each_page(paddr_t root, vaddr_t start, vaddr_t end, pt_visit_fn fn, void *ctx)
{
	struct page_visit pv = { fn, ctx };

	return pt_for_each_leaf(root, start, end, visit_pages, &pv);
}

/* pt_for_each_leaf visitor: clear the run's valid entries, dropping their frame
 * references, and add their number to *(size_t *)ctx. */
static int unmap_run(pte_t *first, size_t n, vaddr_t va, void *ctx)
{
	size_t *count = ctx;

	UNUSED(va);
	for (size_t i = 0; i < n; i++) {
		if (!hal_pte_is_valid(first[i]))
			continue;
		frame_put(hal_pte_addr(first[i]));
		first[i] = PTE_NONE;
		(*count)++;
	}
	return 0;
}

size_t pt_unmap_range(paddr_t root, vaddr_t start, vaddr_t end)
{
	size_t count = 0;

	pt_for_each_leaf(root, start, end, unmap_run, &count);
	return count;
}

/* Entries tested together when skipping the empty parts of a table. */
#define SCAN_GROUP 8u

/* True when t[i..i+SCAN_GROUP) are all PTE_NONE: a cheap test that lets the teardown
 * skip a sparse table's empty stretches without decoding every entry. */
static bool group_empty(const pte_t *t, unsigned i)
{
	const pte_t *g = &t[i];

	/* Written out (SCAN_GROUP == 8) so the compiler needs no loop. */
	return ((g[0] ^ PTE_NONE) | (g[1] ^ PTE_NONE) | (g[2] ^ PTE_NONE) |
		(g[3] ^ PTE_NONE) | (g[4] ^ PTE_NONE) | (g[5] ^ PTE_NONE) |
		(g[6] ^ PTE_NONE) | (g[7] ^ PTE_NONE)) == 0;
}

/* Free the table at pa (level) and everything below it; page frames lose a reference.
 * Entries go from the highest address down and each table after its contents: the
 * frame allocator is a stack, so a space of the same shape built next (the next
 * fork's child) gets the frames back in the order it allocates them, tables first
 * and pages in ascending order. Copies into ascending frames stream; scattered ones
 * cost up to 2x more in host TLB misses (bench/README.md). */
static void free_table(paddr_t pa, unsigned level)
{
	pte_t *t = table_at(pa);

	for (unsigned g = table_entries(); g > 0; g -= SCAN_GROUP) {
		if (group_empty(t, g - SCAN_GROUP))
			continue;
		for (unsigned i = g; i-- > g - SCAN_GROUP;) {
			if (!hal_pte_is_valid(t[i]))
				continue;
			if (level == 0)
				frame_put(hal_pte_addr(t[i]));
			else
				free_table(hal_pte_addr(t[i]), level - 1);
		}
	}
	frame_put(pa);
}

/* Number of root entries that cover the user range. */
static unsigned user_root_entries(void)
{
	vaddr_t span = pt_level_span(geo()->levels - 1);

	return (unsigned)((hal_pt_geometry()->user_top + span - 1) / span);
}

void pt_destroy(paddr_t root)
{
	unsigned top = geo()->levels - 1;
	pte_t *t = table_at(root);

	for (unsigned i = user_root_entries(); i-- > 0;) /* downwards: see free_table */
		if (t[i] != PTE_NONE && hal_pte_is_valid(t[i]))
			free_table(hal_pte_addr(t[i]), top - 1);
	frame_put(root);
}

/* Tables at and below the table pa at level. */
static size_t count_below(paddr_t pa, unsigned level)
{
	pte_t *t = table_at(pa);
	size_t n = 1;

	if (level == 0)
		return 1;
	for (unsigned i = 0; i < table_entries(); i++)
		if (hal_pte_is_valid(t[i]))
			n += count_below(hal_pte_addr(t[i]), level - 1);
	return n;
}

size_t pt_count_tables(paddr_t root)
{
	unsigned top = geo()->levels - 1;
	pte_t *t = table_at(root);
	size_t n = 1;

	for (unsigned i = 0; i < user_root_entries(); i++)
		if (hal_pte_is_valid(t[i]))
			n += count_below(hal_pte_addr(t[i]), top - 1);
	return n;
}
