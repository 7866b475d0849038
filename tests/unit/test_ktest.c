/* Ring 1 run of the shared core tests (tests/ktest): each is a CMocka case on a
 * fresh hosted machine, so Valgrind and the sanitizers see them too. */
#include "harness.h"

#include "../ktest/ktest.h"

/* Run the shared test at index *state. */
static void run_ktest(void **state)
{
	const struct ktest *t = *state;

	assert_true(t->run());
}

int main(void)
{
	struct CMUnitTest tests[32];
	size_t n = ktests_core_count;

	assert_true(n <= 32);
	for (size_t i = 0; i < n; i++) {
		tests[i] = (struct CMUnitTest){ ktests_core[i].name, run_ktest, machine_setup,
						 machine_teardown, (void *)&ktests_core[i] };
	}
	return _cmocka_run_group_tests("ktest", tests, n, NULL, NULL);
}
