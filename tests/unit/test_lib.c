/* core/lib and the frame allocator: formatting, failpoints, frame accounting. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "lib/kprintf.h"

/* Assert ksnprintf(fmt, ...) renders exactly want. */
#define EXPECT_FMT(want, ...)                                               \
	do {                                                                \
		char buf_[128];                                             \
		int n_ = ksnprintf(buf_, sizeof(buf_), __VA_ARGS__);        \
		assert_string_equal(buf_, want);                            \
		assert_int_equal(n_, (int)strlen(want));                    \
	} while (0)

static void test_ksnprintf(void **state)
{
	char small[5];

	(void)state;
	EXPECT_FMT("42 -7 ff FF 17", "%d %i %x %X %o", 42, -7, 255u, 255u, 15u);
	EXPECT_FMT("[  abc][abc  ][00042][-0042]", "[%5s][%-5s][%05d][%05d]", "abc", "abc", 42, -42);
	EXPECT_FMT("18446744073709551615 -9223372036854775808", "%llu %lld",
		   18446744073709551615ULL, (long long)(-9223372036854775807LL - 1));
	EXPECT_FMT("0x1000 (null) % c", "%p %s %% %c", (void *)0x1000, (char *)NULL, 'c');
	EXPECT_FMT("123456 ffffffffffffffff", "%zu %lx", (size_t)123456, ~0UL);
	assert_int_equal(ksnprintf(small, sizeof(small), "%s", "truncated"), 9);
	assert_string_equal(small, "trun");
}

static void test_failpoint_counts(void **state)
{
	(void)state;
	failpoint_arm(3);
	assert_false(failpoint_hit());
	assert_false(failpoint_hit());
	assert_false(failpoint_fired());
	assert_true(failpoint_hit());
	assert_true(failpoint_fired());
	assert_false(failpoint_hit()); /* only once */
	assert_int_equal(failpoint_calls(), 4);
	failpoint_arm(0);
	assert_false(failpoint_hit());
}

static void test_frames_exhaust_and_return(void **state)
{
	size_t total = frames_free_count(), n = 0;
	paddr_t *all = calloc(total, sizeof(paddr_t)), pa;

	(void)state;
	assert_true(total > 0 && total <= frames_total_count());
	while ((pa = frame_alloc()) != 0) {
		assert_true(IS_ALIGNED(pa, PAGE_SIZE));
		assert_true(hosted_ram_contains(pa, PAGE_SIZE));
		assert_int_equal(frame_refcount(pa), 1);
		all[n++] = pa;
	}
	assert_int_equal(n, total);
	assert_int_equal(frames_free_count(), 0);
	assert_int_equal(frame_alloc_zeroed(), 0);
	frame_get(all[0]);
	frame_put(all[0]);
	assert_int_equal(frames_free_count(), 0);
	for (size_t i = 0; i < n; i++)
		frame_put(all[i]);
	assert_int_equal(frames_free_count(), total);
	free(all);
}

static void test_frame_zeroed_and_failpoint(void **state)
{
	paddr_t pa;

	(void)state;
	pa = frame_alloc();
	memset(hal_phys_to_virt(pa), 0xaa, PAGE_SIZE);
	frame_put(pa);
	pa = frame_alloc_zeroed();
	for (size_t i = 0; i < PAGE_SIZE; i++)
		assert_int_equal(((unsigned char *)hal_phys_to_virt(pa))[i], 0);
	frame_put(pa);
	failpoint_arm(1);
	assert_int_equal(frame_alloc(), 0);
	void *obj = kmalloc(8); /* only the first allocation fails */
	assert_non_null(obj);
	kfree(obj);
	failpoint_arm(0);
}

/* A frame returned through frame_put_zeroed serves the next frame_alloc_zeroed as is,
 * while frame_alloc prefers frames of unknown contents; both count as free. */
static void test_frame_zeroed_stack(void **state)
{
	size_t free0 = frames_free_count();
	paddr_t z, a, b;

	(void)state;
	z = frame_alloc_zeroed();
	assert_int_equal(frames_free_count(), free0 - 1);
	frame_put_zeroed(z);
	assert_int_equal(frames_free_count(), free0);
	a = frame_alloc();
	assert_true(a != z); /* unknown-contents frames go first */
	memset(hal_phys_to_virt(a), 0x55, PAGE_SIZE);
	b = frame_alloc_zeroed();
	assert_true(b == z); /* the zeroed frame, not a cleared one */
	assert_int_equal(frame_refcount(b), 1);
	frame_get(b);
	frame_put_zeroed(b); /* still referenced: not freed yet */
	assert_int_equal(frames_free_count(), free0 - 2);
	frame_put_zeroed(b);
	frame_put(a);
	assert_int_equal(frames_free_count(), free0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ksnprintf),
		cmocka_unit_test(test_failpoint_counts),
		cmocka_unit_test_setup_teardown(test_frames_exhaust_and_return, machine_setup, machine_teardown),
		cmocka_unit_test_setup_teardown(test_frame_zeroed_and_failpoint, machine_setup, machine_teardown),
		cmocka_unit_test_setup_teardown(test_frame_zeroed_stack, machine_setup, machine_teardown),
	};

	return cmocka_run_group_tests_name("lib", tests, NULL, NULL);
}
