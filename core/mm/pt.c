/* Page-table walking and editing, generic over the HAL codec and geometry. */
#include "pt.h"

#include "../lib/kprintf.h"
#include "frame.h"

/* Bit position of the lowest va bit that indexes a table at level. */
static unsigned level_shift(unsigned level)
{
	const struct hal_pt_geometry *g = hal_pt_geometry();

	return g->page_shift + g->index_bits * level;
}

vaddr_t pt_level_span(unsigned level)
{
	return (vaddr_t)1 << level_shift(level);
}

/* Index of va's entry in a table at level. */
static unsigned level_index(vaddr_t va, unsigned level)
{
	return (unsigned)(va >> level_shift(level)) & ((1u << hal_pt_geometry()->index_bits) - 1);
}

/* Number of entries in one table. */
static unsigned table_entries(void)
{
	return 1u << hal_pt_geometry()->index_bits;
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

	for (unsigned level = hal_pt_geometry()->levels - 1; level > 0; level--) {
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

/* Recursive step of pt_for_each_page over the table at level covering base. */
static int visit_table(pte_t *t, unsigned level, vaddr_t base, vaddr_t start, vaddr_t end,
		       pt_visit_fn fn, void *ctx)
{
	vaddr_t span = pt_level_span(level);
	int rc;

	for (unsigned i = level_index(start, level); i < table_entries(); i++) {
		vaddr_t va = base + (vaddr_t)i * span;

		if (va >= end)
			break;
		if (!hal_pte_is_valid(t[i]))
			continue;
		if (level == 0)
			rc = fn(&t[i], va, ctx);
		else
			rc = visit_table(table_at(hal_pte_addr(t[i])), level - 1, va,
					 MAX(start, va), end, fn, ctx);
		if (rc)
			return rc;
	}
	return 0;
}

int pt_for_each_page(paddr_t root, vaddr_t start, vaddr_t end, pt_visit_fn fn, void *ctx)
{
	unsigned top = hal_pt_geometry()->levels - 1;

	if (start >= end)
		return 0;
	return visit_table(table_at(root), top, 0, start, end, fn, ctx);
}

/* Visitor: clear one entry and drop its frame reference. */
static int unmap_one(pte_t *ptep, vaddr_t va, void *ctx)
{
	size_t *count = ctx;

	UNUSED(va);
	frame_put(hal_pte_addr(*ptep));
	*ptep = PTE_NONE;
	(*count)++;
	return 0;
}

size_t pt_unmap_range(paddr_t root, vaddr_t start, vaddr_t end)
{
	size_t count = 0;

	pt_for_each_page(root, start, end, unmap_one, &count);
	return count;
}

/* Free the table at pa (level) and everything below it; page frames lose a reference. */
static void free_table(paddr_t pa, unsigned level)
{
	pte_t *t = table_at(pa);

	for (unsigned i = 0; i < table_entries(); i++) {
		if (!hal_pte_is_valid(t[i]))
			continue;
		if (level == 0)
			frame_put(hal_pte_addr(t[i]));
		else
			free_table(hal_pte_addr(t[i]), level - 1);
	}
	frame_put(pa);
}

/* Number of root entries that cover the user range. */
static unsigned user_root_entries(void)
{
	const struct hal_pt_geometry *g = hal_pt_geometry();
	vaddr_t span = pt_level_span(g->levels - 1);

	return (unsigned)((g->user_top + span - 1) / span);
}

void pt_destroy(paddr_t root)
{
	unsigned top = hal_pt_geometry()->levels - 1;
	pte_t *t = table_at(root);

	for (unsigned i = 0; i < user_root_entries(); i++)
		if (hal_pte_is_valid(t[i]))
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
	unsigned top = hal_pt_geometry()->levels - 1;
	pte_t *t = table_at(root);
	size_t n = 1;

	for (unsigned i = 0; i < user_root_entries(); i++)
		if (hal_pte_is_valid(t[i]))
			n += count_below(hal_pte_addr(t[i]), top - 1);
	return n;
}
