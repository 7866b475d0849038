/* aspace_fork through the software MMU: isolation, sharing, COW breaks, eager mode. */
#include "harness.h"

#define REGION ((size_t)64 << 10)

/* A parent space, active, with a private and a shared region filled with patterns. */
struct family {
	struct aspace *parent, *child;
	vaddr_t priv, shared;
};

/* Build the parent of a family and fork it in mode. */
static void family_fork(struct family *f, enum fork_mode mode)
{
	f->parent = aspace_create();
	assert_non_null(f->parent);
	aspace_activate(f->parent);
	f->priv = test_map(f->parent, 0, REGION, RW, PRIV_ANON);
	f->shared = test_map(f->parent, 0, REGION, RW, SHARED_ANON);
	test_fill(f->priv, REGION, 1);
	test_fill(f->shared, REGION, 2);
	assert_int_equal(aspace_fork(f->parent, mode, &f->child), 0);
}

/* Tear down both spaces of a family. */
static void family_end(struct family *f)
{
	aspace_activate(NULL);
	aspace_put(f->child);
	aspace_put(f->parent);
}

/* Child writes to private memory are invisible to the parent and the reverse. */
static void check_private_isolation(enum fork_mode mode)
{
	struct family f;

	family_fork(&f, mode);
	aspace_activate(f.child);
	test_check(f.priv, REGION, 1);
	test_fill(f.priv, REGION, 10);
	aspace_activate(f.parent);
	test_check(f.priv, REGION, 1);
	test_fill(f.priv, REGION, 11);
	aspace_activate(f.child);
	test_check(f.priv, REGION, 10);
	family_end(&f);
}

static void test_private_isolation_cow(void **state)
{
	(void)state;
	check_private_isolation(FORK_COW);
}

static void test_private_isolation_eager(void **state)
{
	(void)state;
	check_private_isolation(FORK_EAGER);
}

/* MAP_SHARED memory stays shared both ways, including pages first touched later. */
static void check_shared(enum fork_mode mode)
{
	struct family f;
	vaddr_t late;

	family_fork(&f, mode);
	late = test_map(f.parent, 0, REGION, RW, SHARED_ANON);
	aspace_put(f.child);
	assert_int_equal(aspace_fork(f.parent, mode, &f.child), 0);
	aspace_activate(f.child);
	test_check(f.shared, REGION, 2);
	test_fill(f.shared, REGION, 20);
	test_poke(late + 3 * PAGE_SIZE, 0xfeed);
	aspace_activate(f.parent);
	test_check(f.shared, REGION, 20);
	assert_true(test_peek(late + 3 * PAGE_SIZE) == 0xfeed);
	test_poke(late, 0xbeef);
	aspace_activate(f.child);
	assert_true(test_peek(late) == 0xbeef);
	family_end(&f);
}

static void test_shared_cow(void **state)
{
	(void)state;
	check_shared(FORK_COW);
}

static void test_shared_eager(void **state)
{
	(void)state;
	check_shared(FORK_EAGER);
}

/* After a COW fork both sides share each frame; the first writer copies, the last
 * reference is reused without a copy. */
static void test_cow_break_and_reuse(void **state)
{
	struct family f;
	paddr_t pa;

	(void)state;
	family_fork(&f, FORK_COW);
	pa = test_frame_at(f.parent, f.priv);
	assert_true(pa == test_frame_at(f.child, f.priv));
	assert_int_equal(frame_refcount(pa), 2);
	mm_stats = (struct mm_stats){ 0 };

	aspace_activate(f.child);
	test_poke(f.priv, 42);
	assert_int_equal(mm_stats.cow_copies, 1);
	assert_true(test_frame_at(f.child, f.priv) != pa);
	assert_true(test_frame_at(f.parent, f.priv) == pa);
	assert_int_equal(frame_refcount(pa), 1);

	aspace_activate(f.parent);
	test_poke(f.priv, 43);
	assert_int_equal(mm_stats.cow_copies, 1);
	assert_int_equal(mm_stats.cow_reuses, 1);
	assert_true(test_frame_at(f.parent, f.priv) == pa);
	assert_true(test_peek(f.priv) == 43);
	aspace_activate(f.child);
	assert_true(test_peek(f.priv) == 42);
	family_end(&f);
}

/* The parent writing first breaks COW on its side alone; the child keeps the original. */
static void test_parent_breaks_first(void **state)
{
	struct family f;
	paddr_t pa;

	(void)state;
	family_fork(&f, FORK_COW);
	pa = test_frame_at(f.child, f.priv + PAGE_SIZE);
	test_poke(f.priv + PAGE_SIZE, 7); /* parent is still active */
	assert_true(test_frame_at(f.parent, f.priv + PAGE_SIZE) != pa);
	assert_true(test_frame_at(f.child, f.priv + PAGE_SIZE) == pa);
	aspace_activate(f.child);
	test_check(f.priv, REGION, 1);
	family_end(&f);
}

/* Eager mode gives the child its own frames at once: no COW faults afterwards. */
static void test_eager_copies_up_front(void **state)
{
	struct family f;

	(void)state;
	family_fork(&f, FORK_EAGER);
	for (vaddr_t p = f.priv; p < f.priv + REGION; p += PAGE_SIZE) {
		assert_true(test_frame_at(f.parent, p) != test_frame_at(f.child, p));
		assert_int_equal(frame_refcount(test_frame_at(f.child, p)), 1);
	}
	assert_true(test_frame_at(f.parent, f.shared) == test_frame_at(f.child, f.shared));
	mm_stats = (struct mm_stats){ 0 };
	aspace_activate(f.child);
	test_fill(f.priv, REGION, 5);
	assert_int_equal(mm_stats.faults, 0);
	family_end(&f);
}

/* Grandchildren: COW chains across three generations stay isolated. */
static void test_three_generations(void **state)
{
	struct family f;
	struct aspace *grandchild;

	(void)state;
	family_fork(&f, FORK_COW);
	aspace_activate(f.child);
	test_fill(f.priv, PAGE_SIZE, 30);
	assert_int_equal(aspace_fork(f.child, FORK_COW, &grandchild), 0);
	aspace_activate(grandchild);
	test_check(f.priv, PAGE_SIZE, 30);
	test_check(f.priv + PAGE_SIZE, REGION - PAGE_SIZE, 1);
	test_fill(f.priv, REGION, 31);
	aspace_activate(f.child);
	test_check(f.priv, PAGE_SIZE, 30);
	aspace_activate(f.parent);
	test_check(f.priv, REGION, 1);
	aspace_activate(NULL);
	aspace_put(grandchild);
	family_end(&f);
}

/* Untouched (never faulted) private memory forks as nothing and reads zero on both sides. */
static void test_untouched_memory(void **state)
{
	struct aspace *parent, *child;
	vaddr_t a;

	(void)state;
	parent = aspace_create();
	aspace_activate(parent);
	a = test_map(parent, 0, REGION, RW, PRIV_ANON);
	assert_int_equal(aspace_fork(parent, FORK_COW, &child), 0);
	aspace_activate(child);
	assert_true(test_peek(a + 5 * PAGE_SIZE) == 0);
	test_poke(a, 1);
	aspace_activate(parent);
	assert_true(test_peek(a) == 0);
	aspace_activate(NULL);
	aspace_put(child);
	aspace_put(parent);
}

/* A read-only private region is shared without COW marks and still faults on write. */
static void test_readonly_region_shared(void **state)
{
	struct family f;
	vaddr_t ro;

	(void)state;
	family_fork(&f, FORK_COW);
	aspace_put(f.child);
	ro = test_map(f.parent, 0, REGION, RW, PRIV_ANON);
	test_fill(ro, REGION, 9);
	assert_int_equal(aspace_mprotect(f.parent, ro, REGION, VM_READ), 0);
	assert_int_equal(aspace_fork(f.parent, FORK_COW, &f.child), 0);
	assert_true(test_frame_at(f.parent, ro) == test_frame_at(f.child, ro));
	aspace_activate(f.child);
	test_check(ro, REGION, 9);
	uint64_t v = 1;
	assert_int_equal(hosted_user_write(ro, &v, sizeof(v)), FAULT_SIGSEGV);
	/* Making it writable again in the child copies instead of writing the shared frame. */
	assert_int_equal(aspace_mprotect(f.child, ro, REGION, RW), 0);
	test_fill(ro, REGION, 8);
	aspace_activate(f.parent);
	test_check(ro, REGION, 9);
	family_end(&f);
}

/* Forking, faulting and destroying in a loop returns every frame (harness checks). */
static void test_accounting_loop(void **state)
{
	(void)state;
	for (int i = 0; i < 50; i++) {
		struct family f;

		family_fork(&f, i % 2 ? FORK_EAGER : FORK_COW);
		aspace_activate(f.child);
		test_fill(f.priv, REGION / 2, (uint64_t)i);
		test_fill(f.shared + REGION / 2, REGION / 2, (uint64_t)i);
		family_end(&f);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_private_isolation_cow, machine_setup, machine_teardown),
		cmocka_unit_test_setup_teardown(test_private_isolation_eager, machine_setup, machine_teardown),
		cmocka_unit_test_setup_teardown(test_shared_cow, machine_setup, machine_teardown),
		cmocka_unit_test_setup_teardown(test_shared_eager, machine_setup, machine_teardown),
		cmocka_unit_test_setup_teardown(test_cow_break_and_reuse, machine_setup, machine_teardown),
		cmocka_unit_test_setup_teardown(test_parent_breaks_first, machine_setup, machine_teardown),
		cmocka_unit_test_setup_teardown(test_eager_copies_up_front, machine_setup, machine_teardown),
		cmocka_unit_test_setup_teardown(test_three_generations, machine_setup, machine_teardown),
		cmocka_unit_test_setup_teardown(test_untouched_memory, machine_setup, machine_teardown),
		cmocka_unit_test_setup_teardown(test_readonly_region_shared, machine_setup, machine_teardown),
		cmocka_unit_test_setup_teardown(test_accounting_loop, machine_setup, machine_teardown),
	};

	return cmocka_run_group_tests_name("fork", tests, NULL, NULL);
}
