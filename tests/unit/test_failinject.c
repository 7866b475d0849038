/*
 * Fault injection: fail the k-th allocation inside fork, page faults and the mmap
 * family for every k until the operation no longer reaches k allocations. Each
 * failure must return ENOMEM / FAULT_OOM, leave the space as it was and leak nothing.
 */
#include <string.h>

#include "harness.h"

#define P PAGE_SIZE
#define MAX_VMAS 16

/* What a test can observe of a space: its VMAs and a checksum of every page. */
struct snapshot {
	size_t nvmas;
	vaddr_t vma[MAX_VMAS][3];
	uint64_t sum;
	size_t free_frames, live_objects;
};

/* Record the VMAs and the contents of all mapped memory of as. */
static void snapshot_take(struct aspace *as, struct snapshot *s)
{
	static unsigned char page[4096];
	struct vma *v;

	memset(s, 0, sizeof(*s));
	list_for_each(v, &as->vmas, link) {
		assert_true(s->nvmas < MAX_VMAS);
		s->vma[s->nvmas][0] = v->start;
		s->vma[s->nvmas][1] = v->end;
		s->vma[s->nvmas][2] = v->prot | (vaddr_t)v->flags << 8;
		s->nvmas++;
		for (vaddr_t p = v->start; p < v->end; p += P) {
			assert_int_equal(aspace_read(as, p, page, P), 0);
			for (size_t i = 0; i < P; i += 8)
				s->sum = s->sum * 31 + *(uint64_t *)(page + i) + p;
		}
	}
	s->free_frames = frames_free_count();
	s->live_objects = kmem_live_objects();
}

/* Assert as still matches snapshot s (contents, VMAs, and no frame or object leak). */
static void snapshot_expect(struct aspace *as, const struct snapshot *s)
{
	struct snapshot now;

	snapshot_take(as, &now);
	assert_int_equal(now.nvmas, s->nvmas);
	assert_memory_equal(now.vma, s->vma, sizeof(now.vma));
	assert_true(now.sum == s->sum);
	assert_int_equal(now.live_objects, s->live_objects);
}

/* A parent with private, shared, read-only and untouched regions across tables. */
static struct aspace *make_parent(void)
{
	struct aspace *as = aspace_create();
	vaddr_t a;

	assert_non_null(as);
	aspace_activate(as);
	a = test_map(as, 0x1ff000, 3 * P, RW, PRIV_ANON | LINUX_MAP_FIXED); /* crosses 2 MiB */
	test_fill(a, 3 * P, 1);
	a = test_map(as, 0x40000000, 2 * P, RW, SHARED_ANON | LINUX_MAP_FIXED);
	test_fill(a, 2 * P, 2);
	a = test_map(as, 0x50000000, 2 * P, RW, PRIV_ANON | LINUX_MAP_FIXED);
	test_fill(a, 2 * P, 3);
	assert_int_equal(aspace_mprotect(as, a, 2 * P, VM_READ), 0);
	test_map(as, 0x60000000, 4 * P, RW, PRIV_ANON | LINUX_MAP_FIXED); /* untouched */
	return as;
}

/* Fork with the k-th allocation failing, for both modes and every k. */
static void check_fork_failures(enum fork_mode mode)
{
	struct aspace *parent = make_parent(), *child;
	struct snapshot before;
	unsigned long k;
	int rc;

	snapshot_take(parent, &before);
	for (k = 1;; k++) {
		failpoint_arm(k);
		rc = aspace_fork(parent, mode, &child);
		if (!failpoint_fired())
			break;
		assert_int_equal(rc, -ENOMEM);
		assert_int_equal(frames_free_count(), before.free_frames);
		snapshot_expect(parent, &before);
	}
	failpoint_arm(0);
	assert_int_equal(rc, 0);
	assert_true(k > 5); /* the loop really reached several allocation points */
	aspace_put(child);
	/* The parent still works: its private pages are writable again. */
	test_fill(0x1ff000, 3 * P, 9);
	aspace_activate(NULL);
	aspace_put(parent);
}

static void test_fork_cow_failures(void **state)
{
	(void)state;
	check_fork_failures(FORK_COW);
}

static void test_fork_eager_failures(void **state)
{
	(void)state;
	check_fork_failures(FORK_EAGER);
}

/* A user write at va with the k-th allocation failing, for every k: FAULT_OOM and
 * the page unchanged, then success once no failure triggers; min_points is the
 * number of allocation points the write must have gone through. */
static void check_write_fault_failures(struct aspace *as, vaddr_t va, uint64_t old,
				       unsigned long min_points)
{
	enum fault_result r;
	uint64_t v = 0x1234, now;
	unsigned long k;

	for (k = 1;; k++) {
		failpoint_arm(k);
		r = hosted_user_write(va, &v, sizeof(v));
		if (!failpoint_fired())
			break;
		assert_int_equal(r, FAULT_OOM);
		failpoint_arm(0);
		assert_int_equal(aspace_read(as, va, &now, sizeof(now)), 0); /* no allocation */
		assert_true(now == old);
		hosted_tlb_reset();
		aspace_activate(as);
	}
	failpoint_arm(0);
	assert_int_equal(r, FAULT_HANDLED);
	assert_true(k > min_points);
	assert_true(test_peek(va) == 0x1234);
}

static void test_demand_zero_failures(void **state)
{
	struct aspace *as = aspace_create();

	(void)state;
	aspace_activate(as);
	test_map(as, 0x7f0000000000ULL & (hal_pt_geometry()->user_top - 1), P, RW,
		 PRIV_ANON | LINUX_MAP_FIXED);
	/* Fresh tables at every level are needed: several allocation points. */
	check_write_fault_failures(as, 0x7f0000000000ULL & (hal_pt_geometry()->user_top - 1), 0, 3);
	aspace_activate(NULL);
	aspace_put(as);
}

static void test_cow_break_failures(void **state)
{
	struct aspace *parent = make_parent(), *child;
	paddr_t pa;

	(void)state;
	assert_int_equal(aspace_fork(parent, FORK_COW, &child), 0);
	pa = test_frame_at(parent, 0x1ff000);
	aspace_activate(child);
	check_write_fault_failures(child, 0x1ff000, test_peek(0x1ff000), 1);
	assert_true(test_frame_at(parent, 0x1ff000) == pa);
	aspace_activate(parent);
	test_check(0x1ff000, 3 * P, 1);
	aspace_activate(NULL);
	aspace_put(child);
	aspace_put(parent);
}

static void test_shared_fill_failures(void **state)
{
	struct aspace *as = aspace_create(), *child;
	vaddr_t a;

	(void)state;
	aspace_activate(as);
	a = test_map(as, 0, 4 * P, RW, SHARED_ANON);
	assert_int_equal(aspace_fork(as, FORK_COW, &child), 0);
	check_write_fault_failures(as, a + P, 0, 2);
	aspace_activate(child);
	assert_true(test_peek(a + P) == 0x1234);
	aspace_activate(NULL);
	aspace_put(child);
	aspace_put(as);
}

/* Run op with the k-th allocation failing for every k; each failure must give
 * -ENOMEM and leave the space exactly as before. */
static void check_op_failures(struct aspace *as, long (*op)(struct aspace *), long want)
{
	struct snapshot before;
	unsigned long k;
	long rc;

	snapshot_take(as, &before);
	for (k = 1;; k++) {
		failpoint_arm(k);
		rc = op(as);
		if (!failpoint_fired())
			break;
		assert_int_equal(rc, -ENOMEM);
		failpoint_arm(0);
		snapshot_expect(as, &before);
		assert_int_equal(frames_free_count(), before.free_frames);
	}
	failpoint_arm(0);
	assert_int_equal(rc, want);
}

static long op_mmap_fixed_over(struct aspace *as)
{
	return aspace_mmap(as, 0x200000, P, VM_READ, SHARED_ANON | LINUX_MAP_FIXED);
}

static long op_munmap_middle(struct aspace *as)
{
	return aspace_munmap(as, 0x200000, P);
}

static long op_mprotect_middle(struct aspace *as)
{
	return aspace_mprotect(as, 0x200000, P, VM_READ);
}

static void test_mmap_family_failures(void **state)
{
	struct aspace *as = make_parent();

	(void)state;
	check_op_failures(as, op_mprotect_middle, 0);
	check_op_failures(as, op_munmap_middle, 0);
	check_op_failures(as, op_mmap_fixed_over, 0x200000);
	aspace_activate(NULL);
	aspace_put(as);
}

/* A kernel heap's own frames must not take a second turn of the countdown: kmalloc()
 * already asked failpoint_hit() once for the object they back. */
static void test_heap_frames_skip_failpoint(void **state)
{
	size_t base = frames_free_count();
	paddr_t pa;

	(void)state;
	failpoint_arm(1);
	pa = frame_alloc_for_heap();
	assert_true(pa != 0);
	assert_false(failpoint_fired());
	assert_int_equal(failpoint_calls(), 0);
	assert_int_equal(frame_refcount(pa), 1);
	assert_int_equal(frame_alloc(), 0); /* the armed failure is still the next one */
	assert_true(failpoint_fired());
	failpoint_arm(0);
	frame_put(pa);
	assert_int_equal(frames_free_count(), base);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fork_cow_failures, machine_setup, machine_teardown),
		cmocka_unit_test_setup_teardown(test_fork_eager_failures, machine_setup, machine_teardown),
		cmocka_unit_test_setup_teardown(test_demand_zero_failures, machine_setup, machine_teardown),
		cmocka_unit_test_setup_teardown(test_cow_break_failures, machine_setup, machine_teardown),
		cmocka_unit_test_setup_teardown(test_shared_fill_failures, machine_setup, machine_teardown),
		cmocka_unit_test_setup_teardown(test_mmap_family_failures, machine_setup, machine_teardown),
		cmocka_unit_test_setup_teardown(test_heap_frames_skip_failpoint, machine_setup, machine_teardown),
	};

	return cmocka_run_group_tests_name("failinject", tests, NULL, NULL);
}
