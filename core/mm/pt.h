/*
 * Page-table operations on the platform's entry codec: walk, map, unmap, protect,
 * range iteration and teardown. Callers batch TLB maintenance themselves (the
 * functions here never flush), and hold whatever lock protects the space.
 */
#ifndef CLEAVE_PT_H
#define CLEAVE_PT_H

#include "../hal.h"

/* Allocate an empty user root table (kernel part installed); returns 0 on failure. */
paddr_t pt_create(void);
/* Free every table page under root and drop a frame reference for each page entry
 * in the user range; the root itself is freed last. */
void pt_destroy(paddr_t root);
/* Pointer to the level-0 entry for va, or NULL when a table on the way is missing.
 * Through it a valid entry may be changed or cleared, never an invalid one filled. */
pte_t *pt_lookup(paddr_t root, vaddr_t va);
/* Pointer to the level-0 entry for va, allocating missing tables; NULL on -ENOMEM.
 * The only way (with pt_lookup_alloc_run) to get an entry that may be filled: the
 * table's summary then covers it, which teardown relies on. */
pte_t *pt_lookup_alloc(paddr_t root, vaddr_t va);
/* As pt_lookup_alloc(), for the n entries mapping va, va + 4 KiB, ..., which must lie
 * in one leaf table; all n may be filled through the returned pointer. */
pte_t *pt_lookup_alloc_run(paddr_t root, vaddr_t va, size_t n);

/* Called for each level-0 table that maps part of a walked range, with the run of
 * its n entries first[0..n) that map va, va + 4 KiB, ... (valid or not; only valid
 * ones may be changed or cleared); a nonzero return stops the walk. A run never crosses a table, so a caller may edit the
 * run and the same-indexed entries of another space's table in one loop. */
typedef int (*pt_leaf_fn)(pte_t *first, size_t n, vaddr_t va, void *ctx);
/* Visit the part in [start, end) of every existing level-0 table, in address order,
 * skipping missing subtrees; returns the first nonzero visitor result, or 0. */
int pt_for_each_leaf(paddr_t root, vaddr_t start, vaddr_t end, pt_leaf_fn fn, void *ctx);

/* Called for each valid page entry in a range; a nonzero return stops the walk. */
typedef int (*pt_visit_fn)(pte_t *ptep, vaddr_t va, void *ctx);
/* Visit every valid level-0 entry with va in [start, end), in address order; returns
 * the first nonzero visitor result, or 0. */
int pt_for_each_page(paddr_t root, vaddr_t start, vaddr_t end, pt_visit_fn fn, void *ctx);
/* Clear every page entry in [start, end), dropping one reference on each frame;
 * returns the number of entries cleared. */
size_t pt_unmap_range(paddr_t root, vaddr_t start, vaddr_t end);
/* Number of table pages (all levels, root included) currently under root. */
size_t pt_count_tables(paddr_t root);

/* Size of the region one entry at level maps (4 KiB at level 0). */
vaddr_t pt_level_span(unsigned level);

#endif
