/* mmap/munmap/mprotect: placement, splitting, merging and Linux's errno values. */
#include "harness.h"

#define P PAGE_SIZE

static struct aspace *as;

/* Per-test machine plus one active address space. */
static int setup(void **state)
{
	machine_setup(state);
	as = aspace_create();
	assert_non_null(as);
	aspace_activate(as);
	return 0;
}

/* Drop the space, then check for leaks. */
static int teardown(void **state)
{
	aspace_activate(NULL);
	aspace_put(as);
	return machine_teardown(state);
}

/* Assert the space's VMAs are exactly the n (start, end, prot) triples given. */
static void expect_vmas(size_t n, const vaddr_t (*want)[3])
{
	struct vma *v;
	size_t i = 0;

	list_for_each(v, &as->vmas, link) {
		assert_true(i < n);
		assert_true(v->start == want[i][0]);
		assert_true(v->end == want[i][1]);
		assert_int_equal(v->prot, want[i][2]);
		i++;
	}
	assert_int_equal(i, n);
}

static void test_mmap_placement(void **state)
{
	vaddr_t a, b, top = hal_pt_geometry()->user_top;

	(void)state;
	a = test_map(as, 0, 3 * P, RW, PRIV_ANON);
	b = test_map(as, 0, P, VM_READ, PRIV_ANON);
	assert_true(a + 3 * P <= top - MMAP_TOP_GAP);
	assert_true(b + P <= a); /* top-down */
	/* A free hint is honoured (rounded up to a page). */
	assert_int_equal(aspace_mmap(as, 0x10000000 + 5, P, RW, PRIV_ANON), 0x10001000);
	/* A taken hint falls back to another address. */
	assert_true(aspace_mmap(as, a, P, RW, PRIV_ANON) != (long)a);
}

static void test_mmap_fixed_replaces(void **state)
{
	vaddr_t a;

	(void)state;
	a = test_map(as, 0x200000, 4 * P, RW, PRIV_ANON | LINUX_MAP_FIXED);
	test_fill(a, 4 * P, 1);
	assert_int_equal(aspace_mmap(as, a + P, P, VM_READ, PRIV_ANON | LINUX_MAP_FIXED), (long)(a + P));
	assert_true(test_peek(a + P) == 0); /* new, zeroed */
	test_check(a, P, 1);
	test_check(a + 2 * P, 2 * P, 1);
	const vaddr_t want[][3] = { { a, a + P, RW }, { a + P, a + 2 * P, VM_READ },
				    { a + 2 * P, a + 4 * P, RW } };
	expect_vmas(3, want);
	assert_int_equal(aspace_mmap(as, a, P, RW, PRIV_ANON | LINUX_MAP_FIXED_NOREPLACE), -EEXIST);
}

static void test_mmap_bad_args(void **state)
{
	vaddr_t top = hal_pt_geometry()->user_top;

	(void)state;
	assert_int_equal(aspace_mmap(as, 0, 0, RW, PRIV_ANON), -EINVAL);
	assert_int_equal(aspace_mmap(as, 0, P, RW, LINUX_MAP_ANONYMOUS), -EINVAL);
	assert_int_equal(aspace_mmap(as, 0, P, RW, LINUX_MAP_ANONYMOUS | 0x4), -EINVAL);
	assert_int_equal(aspace_mmap(as, 0, P, 0x80, PRIV_ANON), -EINVAL);
	assert_int_equal(aspace_mmap(as, 0x200001, P, RW, PRIV_ANON | LINUX_MAP_FIXED), -EINVAL);
	assert_int_equal(aspace_mmap(as, top - P, 2 * P, RW, PRIV_ANON | LINUX_MAP_FIXED), -ENOMEM);
	assert_int_equal(aspace_mmap(as, top, P, RW, PRIV_ANON | LINUX_MAP_FIXED), -ENOMEM);
	/* x86_64's non-canonical hole and aarch64's kernel half are above user_top. */
	assert_int_equal(aspace_mmap(as, 0xffff800000000000ULL, P, RW, PRIV_ANON | LINUX_MAP_FIXED), -ENOMEM);
	assert_int_equal(aspace_mmap(as, 0, (size_t)-1, RW, PRIV_ANON), -ENOMEM);
	assert_int_equal(aspace_mmap(as, 0, top, RW, PRIV_ANON), -ENOMEM);
	assert_int_equal(aspace_mmap(as, 0, P, RW, PRIV_ANON | LINUX_MAP_FIXED), -EPERM);
	assert_int_equal(aspace_mmap(as, 0, P, RW, LINUX_MAP_PRIVATE), -EBADF);
	assert_int_equal(aspace_vma_count(as), 0);
}

static void test_munmap_middle_splits(void **state)
{
	vaddr_t a;
	uint64_t v;

	(void)state;
	a = test_map(as, 0x400000, 8 * P, RW, PRIV_ANON | LINUX_MAP_FIXED);
	test_fill(a, 8 * P, 3);
	assert_int_equal(aspace_munmap(as, a + 3 * P, 2 * P), 0);
	const vaddr_t want[][3] = { { a, a + 3 * P, RW }, { a + 5 * P, a + 8 * P, RW } };
	expect_vmas(2, want);
	test_check(a, 3 * P, 3);
	test_check(a + 5 * P, 3 * P, 3);
	assert_int_equal(hosted_user_read(a + 3 * P, &v, sizeof(v)), FAULT_SIGSEGV);
	assert_int_equal(hosted_user_read(a + 5 * P - 8, &v, sizeof(v)), FAULT_SIGSEGV);
	/* Unmapping across the hole and both neighbours' edges. */
	assert_int_equal(aspace_munmap(as, a + 2 * P, 4 * P), 0);
	const vaddr_t want2[][3] = { { a, a + 2 * P, RW }, { a + 6 * P, a + 8 * P, RW } };
	expect_vmas(2, want2);
	/* Unmapping nothing is fine; a partial page length rounds up. */
	assert_int_equal(aspace_munmap(as, 0x70000000, P), 0);
	assert_int_equal(aspace_munmap(as, a + 6 * P, 1), 0);
	const vaddr_t want3[][3] = { { a, a + 2 * P, RW }, { a + 7 * P, a + 8 * P, RW } };
	expect_vmas(2, want3);
}

static void test_munmap_bad_args(void **state)
{
	vaddr_t top = hal_pt_geometry()->user_top;

	(void)state;
	assert_int_equal(aspace_munmap(as, 0x400001, P), -EINVAL);
	assert_int_equal(aspace_munmap(as, 0x400000, 0), -EINVAL);
	assert_int_equal(aspace_munmap(as, top - P, 2 * P), -EINVAL);
	assert_int_equal(aspace_munmap(as, top + P, P), -EINVAL);
	assert_int_equal(aspace_munmap(as, 0x400000, (size_t)-4096), -EINVAL);
}

static void test_mprotect_middle_splits_and_merges(void **state)
{
	vaddr_t a;
	uint64_t v = 5;

	(void)state;
	a = test_map(as, 0x800000, 6 * P, RW, PRIV_ANON | LINUX_MAP_FIXED);
	test_fill(a, 6 * P, 4);
	assert_int_equal(aspace_mprotect(as, a + 2 * P, 2 * P, VM_READ), 0);
	const vaddr_t want[][3] = { { a, a + 2 * P, RW }, { a + 2 * P, a + 4 * P, VM_READ },
				    { a + 4 * P, a + 6 * P, RW } };
	expect_vmas(3, want);
	assert_int_equal(hosted_user_write(a + 2 * P, &v, sizeof(v)), FAULT_SIGSEGV);
	assert_int_equal(hosted_user_write(a + 4 * P - 8, &v, sizeof(v)), FAULT_SIGSEGV);
	test_poke(a + 2 * P - 8, 1);
	test_poke(a + 4 * P, 1);
	test_check(a + 2 * P, 2 * P, 4);
	/* Restoring the protection merges the three back into one. */
	assert_int_equal(aspace_mprotect(as, a + 2 * P, 2 * P, RW), 0);
	const vaddr_t whole[][3] = { { a, a + 6 * P, RW } };
	expect_vmas(1, whole);
	test_poke(a + 2 * P, 9);
}

static void test_mprotect_bad_args(void **state)
{
	vaddr_t a;

	(void)state;
	a = test_map(as, 0x800000, 2 * P, RW, PRIV_ANON | LINUX_MAP_FIXED);
	assert_int_equal(aspace_mprotect(as, a + 1, P, VM_READ), -EINVAL);
	assert_int_equal(aspace_mprotect(as, a, P, 0x10), -EINVAL);
	assert_int_equal(aspace_mprotect(as, a, P, VM_READ | LINUX_PROT_GROWSDOWN), -EINVAL);
	assert_int_equal(aspace_mprotect(as, a, 3 * P, VM_READ), -ENOMEM); /* runs past the end */
	assert_int_equal(aspace_mprotect(as, a - P, 2 * P, VM_READ), -ENOMEM);
	assert_int_equal(aspace_mprotect(as, a, (size_t)-4096, VM_READ), -ENOMEM);
	assert_int_equal(aspace_mprotect(as, a, 0, VM_READ), 0);
	/* Nothing changed, not even the part before the hole (stricter than Linux). */
	const vaddr_t want[][3] = { { a, a + 2 * P, RW } };
	expect_vmas(1, want);
}

static void test_prot_none_keeps_data(void **state)
{
	vaddr_t a;
	uint64_t v;

	(void)state;
	a = test_map(as, 0, 2 * P, RW, PRIV_ANON);
	test_fill(a, 2 * P, 6);
	assert_int_equal(aspace_mprotect(as, a, 2 * P, 0), 0);
	assert_int_equal(hosted_user_read(a, &v, sizeof(v)), FAULT_SIGSEGV);
	assert_int_equal(hosted_user_write(a + P, &v, sizeof(v)), FAULT_SIGSEGV);
	assert_int_equal(aspace_mprotect(as, a, 2 * P, VM_READ), 0);
	test_check(a, 2 * P, 6);
}

static void test_exec_permission(void **state)
{
	vaddr_t code, data;

	(void)state;
	code = test_map(as, 0, P, VM_READ | VM_EXEC, PRIV_ANON);
	data = test_map(as, 0, P, RW, PRIV_ANON);
	assert_int_equal(hosted_user_fetch(code), FAULT_HANDLED);
	assert_int_equal(hosted_user_fetch(data), FAULT_SIGSEGV);
	test_poke(data, 1);
	assert_int_equal(hosted_user_fetch(data), FAULT_SIGSEGV); /* now present, still NX */
	assert_int_equal(aspace_mprotect(as, data, P, VM_READ | VM_EXEC), 0);
	assert_int_equal(hosted_user_fetch(data), FAULT_HANDLED);
	assert_int_equal(aspace_mprotect(as, code, P, VM_READ), 0);
	assert_int_equal(hosted_user_fetch(code), FAULT_SIGSEGV);
}

static void test_kernel_page_faults_for_user(void **state)
{
	vaddr_t a;
	pte_t *ptep;
	paddr_t pa;
	uint64_t v;

	(void)state;
	a = test_map(as, 0, P, RW, PRIV_ANON);
	pa = frame_alloc_zeroed();
	assert_true(pa != 0);
	ptep = pt_lookup_alloc(as->root, a);
	assert_non_null(ptep);
	*ptep = hal_pte_make_page(pa, PTE_WRITE | PTE_ACCESSED);
	assert_int_equal(hosted_user_read(a, &v, sizeof(v)), FAULT_SIGSEGV);
	assert_int_equal(hosted_user_write(a, &v, sizeof(v)), FAULT_SIGSEGV);
	/* Also where no VMA covers it. */
	ptep = pt_lookup_alloc(as->root, 0x30000000);
	frame_get(pa);
	*ptep = hal_pte_make_page(pa, PTE_WRITE | PTE_ACCESSED);
	assert_int_equal(hosted_user_read(0x30000000, &v, sizeof(v)), FAULT_SIGSEGV);
	assert_int_equal(pt_unmap_range(as->root, 0x30000000, 0x30001000), 1);
}

static void test_unmapped_and_null(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(hosted_user_read(0, &v, sizeof(v)), FAULT_SIGSEGV);
	assert_int_equal(hosted_user_write(0x1000, &v, sizeof(v)), FAULT_SIGSEGV);
	assert_int_equal(hosted_user_read(0xffff800000001000ULL, &v, sizeof(v)), FAULT_SIGSEGV);
	assert_int_equal(hosted_user_read(hal_pt_geometry()->user_top, &v, 1), FAULT_SIGSEGV);
}

static void test_stack_grows_down(void **state)
{
	vaddr_t top = 0x7000000000ULL, stack;
	uint64_t v;

	(void)state;
	stack = test_map(as, top - 4 * P, 4 * P, RW, PRIV_ANON | LINUX_MAP_FIXED | LINUX_MAP_GROWSDOWN);
	test_poke(stack - 8, 1); /* one page below: grows */
	assert_true(vma_find(&as->vmas, stack - P)->start == stack - P);
	test_poke(top - STACK_LIMIT, 2); /* right at the limit */
	assert_int_equal(hosted_user_read(top - STACK_LIMIT - 8, &v, sizeof(v)), FAULT_SIGSEGV);
	assert_int_equal(aspace_vma_count(as), 1);
	/* A mapping just below the stack leaves less than the guard gap: no growth. */
	test_map(as, top - STACK_LIMIT - 300 * P, P, RW, PRIV_ANON | LINUX_MAP_FIXED);
	assert_int_equal(aspace_munmap(as, top - STACK_LIMIT, STACK_LIMIT - 8 * P), 0);
	test_map(as, top - 9 * P - STACK_GUARD_GAP, P, RW, PRIV_ANON | LINUX_MAP_FIXED);
	assert_int_equal(hosted_user_write(top - 9 * P - 8, &v, sizeof(v)), FAULT_SIGSEGV);
}

static void test_kernel_read_write_any_space(void **state)
{
	struct aspace *other = aspace_create();
	vaddr_t ro;
	char buf[32] = "hello", out[32];

	(void)state;
	ro = test_map(other, 0, 2 * P, VM_READ, PRIV_ANON);
	assert_int_equal(aspace_read(other, ro + 100, out, sizeof(out)), 0);
	for (size_t i = 0; i < sizeof(out); i++)
		assert_int_equal(out[i], 0);
	assert_int_equal(test_frame_at(other, ro), 0); /* reading did not allocate */
	assert_int_equal(aspace_write(other, ro + P - 3, buf, sizeof(buf)), 0); /* straddles */
	assert_int_equal(aspace_read(other, ro + P - 3, out, sizeof(out)), 0);
	assert_memory_equal(buf, out, sizeof(buf));
	assert_int_equal(aspace_write(other, ro + 2 * P - 1, buf, 2), -EFAULT);
	assert_int_equal(aspace_read(other, 0x1000, out, 1), -EFAULT);
	/* The forced write did not make the page writable for the user. */
	aspace_activate(other);
	assert_int_equal(hosted_user_write(ro, buf, 1), FAULT_SIGSEGV);
	aspace_activate(as);
	aspace_put(other);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_mmap_placement, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mmap_fixed_replaces, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mmap_bad_args, setup, teardown),
		cmocka_unit_test_setup_teardown(test_munmap_middle_splits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_munmap_bad_args, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mprotect_middle_splits_and_merges, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mprotect_bad_args, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prot_none_keeps_data, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exec_permission, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kernel_page_faults_for_user, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unmapped_and_null, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stack_grows_down, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kernel_read_write_any_space, setup, teardown),
	};

	return cmocka_run_group_tests_name("vma", tests, NULL, NULL);
}
