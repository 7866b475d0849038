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
	unsigned group_shift; /* log2 of the entries per summary bit (see table_mark) */
};

static struct pt_geo geo_cache;

/* The cached geometry, filled from hal_pt_geometry() on first use. */
static const struct pt_geo *geo(void)
{
	if (!geo_cache.levels) {
		const struct hal_pt_geometry *g = hal_pt_geometry();

		geo_cache = (struct pt_geo){ g->levels, g->page_shift, g->index_bits,
					     1u << g->index_bits,
					     g->index_bits > 6 ? g->index_bits - 6 : 0 };
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

/*
 * Every table keeps a summary in its frame's owner word (frame_owner_word): bit g
 * set when entries [g << group_shift, (g + 1) << group_shift) may hold a valid
 * entry. Entries become valid only through the walker's allocating lookups, which
 * set the bits first; clearing an entry leaves its bit set (the summary is an upper
 * bound). Teardown reads only the marked groups instead of whole tables.
 */

/* Note that entries [first, first + n) (n >= 1) of the table at pa may become valid. */
static void table_mark(paddr_t pa, unsigned first, size_t n)
{
	unsigned lo = first >> geo()->group_shift;
	unsigned hi = (unsigned)((first + n - 1) >> geo()->group_shift);

	/* 2 << 63 wraps to 0, so a full span gives all ones. */
	*frame_owner_word(pa) |= ((2ull << (hi - lo)) - 1) << lo;
}

/* Physical address of the next-level table under entry i of the table at pa (level >
 * 0), allocating one if alloc; 0 when absent or on -ENOMEM. */
static paddr_t next_table(paddr_t pa, unsigned i, unsigned level, bool alloc)
{
	pte_t *e = &table_at(pa)[i];
	paddr_t next;

	if (hal_pte_is_valid(*e)) {
		if (!hal_pte_is_table(*e, level))
			panic("next_table: unexpected block entry at level %u", level);
		return hal_pte_addr(*e);
	}
	if (!alloc)
		return 0;
	next = frame_alloc_zeroed();
	if (!next)
		return 0;
	table_mark(pa, i, 1);
	*e = hal_pte_make_table(next);
	return next;
}

/* Walk from root to va's level-0 entry, optionally allocating tables; with alloc,
 * the n entries from va's on (within one leaf table) are marked fillable. */
static pte_t *walk(paddr_t root, vaddr_t va, bool alloc, size_t n)
{
	paddr_t pa = root;
	unsigned i;

	for (unsigned level = geo()->levels - 1; level > 0; level--) {
		pa = next_table(pa, level_index(va, level), level, alloc);
		if (!pa)
			return NULL;
	}
	i = level_index(va, 0);
	if (alloc)
		table_mark(pa, i, n);
	return &table_at(pa)[i];
}

pte_t *pt_lookup(paddr_t root, vaddr_t va)
{
	return walk(root, va, false, 0);
}

pte_t *pt_lookup_alloc(paddr_t root, vaddr_t va)
{
	return walk(root, va, true, 1);
}

pte_t *pt_lookup_alloc_run(paddr_t root, vaddr_t va, size_t n)
{
	KASSERT(n >= 1 && level_index(va, 0) + n <= table_entries());
	return walk(root, va, true, n);
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

/* Index of the highest set bit of a nonzero word. */
static unsigned highest_bit(uint64_t w)
{
	return 63u - (unsigned)__builtin_clzll(w);
}

static void free_table(paddr_t pa, unsigned level);

/* Release the entries of group g of table t (level), highest first, and clear them:
 * page frames lose a reference, tables below are freed. */
static void free_group(pte_t *t, unsigned g, unsigned level)
{
	unsigned first = g << geo()->group_shift;

	for (unsigned i = first + (1u << geo()->group_shift); i-- > first;) {
		pte_t e = t[i];

		if (e == PTE_NONE)
			continue;
		if (hal_pte_is_valid(e)) {
			if (level == 0)
				frame_put(hal_pte_addr(e));
			else
				free_table(hal_pte_addr(e), level - 1);
		}
		t[i] = PTE_NONE;
	}
}

/* Release the groups of the table at pa (level) that its summary marks, restricted to
 * the groups in mask, from the highest address down. */
static void free_marked_groups(paddr_t pa, unsigned level, uint64_t mask)
{
	uint64_t marked = *frame_owner_word(pa) & mask;
	pte_t *t = table_at(pa);

	while (marked) {
		unsigned g = highest_bit(marked);

		marked &= ~(1ull << g);
		free_group(t, g, level);
	}
}

/* Free the table at pa (level) and everything below it; page frames lose a reference.
 * Only the groups its summary marks are read. Entries go from the highest address
 * down and each table after its contents: the frame allocator is a stack, so a space
 * of the same shape built next (the next fork's child) gets its pages back in the
 * order it allocates them, ascending. Copies into ascending frames stream; scattered
 * ones cost up to 2x more in host TLB misses (bench/README.md). The table is left all
 * zeroes, so it goes back as a zeroed frame: the next table needs no clearing. */
static void free_table(paddr_t pa, unsigned level)
{
	free_marked_groups(pa, level, ~0ull);
	frame_put_zeroed(pa);
}

/* Number of root entries that cover the user range. */
static unsigned user_root_entries(void)
{
	vaddr_t span = pt_level_span(geo()->levels - 1);

	return (unsigned)((hal_pt_geometry()->user_top + span - 1) / span);
}

/* Summary bits of the root groups that cover the user range. */
static uint64_t user_root_groups(void)
{
	unsigned groups = (user_root_entries() + (1u << geo()->group_shift) - 1) >>
			  geo()->group_shift;

	return groups >= 64 ? ~0ull : (1ull << groups) - 1;
}

void pt_destroy(paddr_t root)
{
	/* The root keeps the platform's kernel entries (hal_pt_root_init), so it goes
	 * back as an ordinary frame. */
	free_marked_groups(root, geo()->levels - 1, user_root_groups());
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
