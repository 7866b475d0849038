/* Page-table walkers: leaf-table runs (pt_for_each_leaf), per-page visits, and the
 * frame order teardown leaves for the next fork. */
#include "harness.h"

#define P PAGE_SIZE
#define LEAF_SPAN ((vaddr_t)P << 9) /* 2 MiB: what one level-0 table maps */
/* A region that crosses a 1 GiB boundary (a level-1 table boundary) and spans
 * several leaf tables, with one whole leaf table left untouched in the middle. */
#define REGION ((vaddr_t)0x40000000 - 3 * LEAF_SPAN / 2)
#define REGION_LEN (4 * LEAF_SPAN)
#define HOLE_START ((vaddr_t)0x40000000 + LEAF_SPAN) /* untouched leaf table */

static struct aspace *as;

/* Per-test machine plus one active space with REGION mapped. */
static int setup(void **state)
{
	machine_setup(state);
	as = aspace_create();
	assert_non_null(as);
	aspace_activate(as);
	test_map(as, REGION, REGION_LEN, RW, PRIV_ANON | LINUX_MAP_FIXED);
	return 0;
}

static int teardown(void **state)
{
	aspace_activate(NULL);
	aspace_put(as);
	return machine_teardown(state);
}

/* True for the pages the tests touch: every third page outside the hole. */
static bool touched(vaddr_t va)
{
	return ((va - REGION) / P) % 3 == 0 && (va < HOLE_START || va >= HOLE_START + LEAF_SPAN);
}

/* Touch every page touched() selects; returns how many lie in [from, to). */
static size_t touch_region(vaddr_t from, vaddr_t to)
{
	size_t n = 0;

	for (vaddr_t va = REGION; va < REGION + REGION_LEN; va += P) {
		if (!touched(va))
			continue;
		test_poke(va, va);
		n += va >= from && va < to;
	}
	return n;
}

/* What a leaf walk saw: runs in order, entries, valid entries, where it ended. */
struct leaf_log {
	size_t runs, entries, valid;
	vaddr_t first, next; /* first va seen; va just after the last run */
	int stop_after;      /* return 7 after this many runs (0: never) */
};

/* pt_for_each_leaf visitor: check the run stays in one leaf table and follows the
 * previous one in address order, then count it. */
static int log_run(pte_t *first, size_t n, vaddr_t va, void *ctx)
{
	struct leaf_log *log = ctx;

	assert_true(n > 0);
	assert_true(ALIGN_DOWN(va, LEAF_SPAN) == ALIGN_DOWN(va + n * P - 1, LEAF_SPAN));
	assert_true(first == pt_lookup(as->root, va));
	if (log->runs++ == 0)
		log->first = va;
	else
		assert_true(va >= log->next);
	log->next = va + n * P;
	log->entries += n;
	for (size_t i = 0; i < n; i++)
		log->valid += hal_pte_is_valid(first[i]);
	return log->stop_after && (int)log->runs == log->stop_after ? 7 : 0;
}

/* Runs cover [from, to) exactly, except the leaf table that was never allocated. */
static void test_leaf_runs_cover_range(void **state)
{
	vaddr_t from = REGION + 5 * P, to = REGION + REGION_LEN - 2 * P;
	size_t want = touch_region(from, to);
	struct leaf_log log = { 0 };

	(void)state;
	assert_int_equal(pt_for_each_leaf(as->root, from, to, log_run, &log), 0);
	assert_int_equal(log.runs, 4); /* 5 leaf tables overlap, one is missing */
	assert_true(log.first == from);
	assert_true(log.next == to);
	assert_int_equal(log.entries, (to - from) / P - LEAF_SPAN / P);
	assert_int_equal(log.valid, want);
}

/* A nonzero visitor result stops the walk and is returned. */
static void test_leaf_walk_stops(void **state)
{
	struct leaf_log log = { .stop_after = 2 };

	(void)state;
	touch_region(REGION, REGION + REGION_LEN);
	assert_int_equal(pt_for_each_leaf(as->root, REGION, REGION + REGION_LEN, log_run, &log), 7);
	assert_int_equal(log.runs, 2);
	assert_int_equal(pt_for_each_leaf(as->root, REGION + P, REGION + P, log_run, &log), 0);
}

/* pt_for_each_page visitor: count the pages. */
static int count_page(pte_t *ptep, vaddr_t va, void *ctx)
{
	assert_true(hal_pte_is_valid(*ptep) && touched(va));
	(*(size_t *)ctx)++;
	return 0;
}

/* The per-page walk sees exactly the valid entries of a partial range. */
static void test_for_each_page_counts(void **state)
{
	vaddr_t from = REGION + 7 * P, to = HOLE_START + LEAF_SPAN + 9 * P;
	size_t want = touch_region(from, to), seen = 0;

	(void)state;
	assert_int_equal(pt_for_each_page(as->root, from, to, count_page, &seen), 0);
	assert_int_equal(seen, want);
	assert_int_equal(pt_unmap_range(as->root, from, to), want);
	seen = 0;
	assert_int_equal(pt_for_each_page(as->root, from, to, count_page, &seen), 0);
	assert_int_equal(seen, 0);
}

/* Teardown hands frames back so the next eager fork of the same space copies into
 * frames in ascending address order (copies then stream; see pt.c free_table). */
static void test_refork_gets_ascending_frames(void **state)
{
	struct aspace *child;
	paddr_t prev = 0;

	(void)state;
	touch_region(REGION, REGION + REGION_LEN);
	assert_int_equal(aspace_fork(as, FORK_EAGER, &child), 0);
	aspace_put(child);
	assert_int_equal(aspace_fork(as, FORK_EAGER, &child), 0);
	for (vaddr_t va = REGION; va < REGION + REGION_LEN; va += P) {
		paddr_t pa = test_frame_at(child, va);

		if (!touched(va))
			continue;
		assert_true(pa > prev);
		prev = pa;
	}
	aspace_put(child);
}

/* Entries per summary bit of a table (pt.c: 64 bits per table). */
static unsigned group_shift(void)
{
	return hal_pt_geometry()->index_bits - 6;
}

/* Check that every valid entry of the table at pa (level) and below lies in a group
 * its table's summary word marks; returns the number of valid page entries. */
static size_t check_summary(paddr_t pa, unsigned level, unsigned nentries)
{
	const pte_t *t = hal_phys_to_virt(pa);
	uint64_t summary = *frame_owner_word(pa);
	size_t pages = 0;

	for (unsigned i = 0; i < nentries; i++) {
		if (!hal_pte_is_valid(t[i]))
			continue;
		assert_true(summary & (1ull << (i >> group_shift())));
		if (level == 0)
			pages++;
		else
			pages += check_summary(hal_pte_addr(t[i]), level - 1,
					       1u << hal_pt_geometry()->index_bits);
	}
	return pages;
}

/* The user part of space s obeys the summary invariant; returns its valid pages. */
static size_t check_space_summary(struct aspace *s)
{
	const struct hal_pt_geometry *g = hal_pt_geometry();
	vaddr_t root_span = (vaddr_t)1 << (g->page_shift + g->index_bits * (g->levels - 1));

	return check_summary(s->root, g->levels - 1,
			     (unsigned)((g->user_top + root_span - 1) / root_span));
}

/* The tables' summaries cover every valid entry through faults, COW fork, write
 * faults after fork, mprotect and munmap, in parent and child (teardown reads only
 * what they mark, so a miss would leak frames). */
static void test_summary_covers_entries(void **state)
{
	size_t free0 = frames_free_count();
	struct aspace *child;

	(void)state;
	touch_region(REGION, REGION + REGION_LEN);
	assert_int_equal(check_space_summary(as), touch_region(0, ~(vaddr_t)0));
	assert_int_equal(aspace_fork(as, FORK_COW, &child), 0);
	assert_int_equal(check_space_summary(child), check_space_summary(as));
	test_poke(REGION + 3 * P, 1); /* COW break in the parent */
	assert_int_equal(aspace_mprotect(as, REGION, 16 * P, VM_READ), 0);
	assert_int_equal(aspace_munmap(as, REGION + 2 * LEAF_SPAN, LEAF_SPAN), 0);
	check_space_summary(as);
	check_space_summary(child);
	aspace_put(child);
	assert_true(frames_free_count() < free0); /* the parent still holds its pages */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_leaf_runs_cover_range, setup, teardown),
		cmocka_unit_test_setup_teardown(test_leaf_walk_stops, setup, teardown),
		cmocka_unit_test_setup_teardown(test_for_each_page_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refork_gets_ascending_frames, setup, teardown),
		cmocka_unit_test_setup_teardown(test_summary_covers_entries, setup, teardown),
	};

	return cmocka_run_group_tests_name("pt", tests, NULL, NULL);
}
