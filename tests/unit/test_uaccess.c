/* copy_to_user / copy_from_user / strncpy_from_user: EFAULT on every bad pointer. */
#include <string.h>

#include "harness.h"
#include "mm/uaccess.h"

#define P PAGE_SIZE

static struct aspace *as;
static vaddr_t rw, ro, after_rw; /* after_rw: the unmapped page right after rw */

/* Machine with one active space: 2 RW pages, a hole, 1 read-only page. */
static int setup(void **state)
{
	machine_setup(state);
	as = aspace_create();
	aspace_activate(as);
	rw = test_map(as, 0x100000, 2 * P, RW, PRIV_ANON | LINUX_MAP_FIXED);
	after_rw = rw + 2 * P;
	ro = test_map(as, after_rw + P, P, VM_READ, PRIV_ANON | LINUX_MAP_FIXED);
	return 0;
}

static int teardown(void **state)
{
	aspace_activate(NULL);
	aspace_put(as);
	return machine_teardown(state);
}

static void test_copy_roundtrip(void **state)
{
	char in[300], out[300];

	(void)state;
	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = (char)(i * 7);
	assert_int_equal(copy_to_user(rw + P - 100, in, sizeof(in)), 0); /* straddles */
	assert_int_equal(copy_from_user(out, rw + P - 100, sizeof(out)), 0);
	assert_memory_equal(in, out, sizeof(in));
	assert_int_equal(copy_from_user(out, ro, 16), 0); /* read-only reads fine */
	assert_int_equal(copy_to_user(rw, in, 0), 0);
}

static void test_copy_bad_pointers(void **state)
{
	vaddr_t top = hal_pt_geometry()->user_top;
	char buf[64] = { 0 };

	(void)state;
	assert_int_equal(copy_from_user(buf, 0, 8), -EFAULT);
	assert_int_equal(copy_to_user(0, buf, 8), -EFAULT);
	assert_int_equal(copy_from_user(buf, after_rw, 8), -EFAULT);
	assert_int_equal(copy_from_user(buf, after_rw - 8, 16), -EFAULT); /* runs off the end */
	assert_int_equal(copy_to_user(ro, buf, 8), -EFAULT);               /* read-only */
	assert_int_equal(copy_from_user(buf, top - 8, 16), -EFAULT);       /* past the top */
	assert_int_equal(copy_from_user(buf, 0xffff800000000000ULL, 8), -EFAULT); /* kernel */
	assert_int_equal(copy_from_user(buf, rw, (size_t)-1), -EFAULT);    /* wraps */
	assert_int_equal(copy_to_user((vaddr_t)-8, buf, 16), -EFAULT);
}

static void test_strncpy_from_user(void **state)
{
	char dst[64];
	const char *s = "hello, user";

	(void)state;
	assert_int_equal(copy_to_user(rw + 10, s, strlen(s) + 1), 0);
	assert_int_equal(strncpy_from_user(dst, rw + 10, sizeof(dst)), (long)strlen(s));
	assert_string_equal(dst, s);
	/* No NUL within max: returns max, dst unterminated. */
	assert_int_equal(strncpy_from_user(dst, rw + 10, 5), 5);
	assert_memory_equal(dst, "hello", 5);
	/* A string ending on the last byte before an unmapped page is fine. */
	assert_int_equal(copy_to_user(after_rw - 4, "abc", 4), 0);
	assert_int_equal(strncpy_from_user(dst, after_rw - 4, sizeof(dst)), 3);
	/* One that runs into the unmapped page is not. */
	assert_int_equal(copy_to_user(after_rw - 4, "abcd", 4), 0);
	assert_int_equal(strncpy_from_user(dst, after_rw - 4, sizeof(dst)), -EFAULT);
	assert_int_equal(strncpy_from_user(dst, 0, sizeof(dst)), -EFAULT);
	assert_int_equal(strncpy_from_user(dst, 0xffff800000000000ULL, 8), -EFAULT);
	/* A long string across a page boundary. */
	char big[3 * 1000];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	assert_int_equal(copy_to_user(rw + 2000, big, sizeof(big)), 0);
	char got[sizeof(big)];
	assert_int_equal(strncpy_from_user(got, rw + 2000, sizeof(got)), (long)sizeof(big) - 1);
	assert_string_equal(got, big);
}

static void test_copy_to_user_breaks_cow(void **state)
{
	struct aspace *child;
	uint64_t v = 77, got;

	(void)state;
	test_poke(rw, 1);
	assert_int_equal(aspace_fork(as, FORK_COW, &child), 0);
	assert_int_equal(copy_to_user(rw, &v, sizeof(v)), 0);
	aspace_activate(child);
	assert_int_equal(copy_from_user(&got, rw, sizeof(got)), 0);
	assert_true(got == 1);
	aspace_activate(as);
	assert_true(test_peek(rw) == 77);
	aspace_put(child);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_copy_roundtrip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_copy_bad_pointers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_strncpy_from_user, setup, teardown),
		cmocka_unit_test_setup_teardown(test_copy_to_user_breaks_cow, setup, teardown),
	};

	return cmocka_run_group_tests_name("uaccess", tests, NULL, NULL);
}
