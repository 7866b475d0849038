/* The kernels' boot-time TAP runner: platform checks, then the shared core tests. */
#include "ktest.h"

#include "lib/kprintf.h"

/* Run one test and print its TAP line; returns true when it passed. */
static bool run_one(const struct ktest *t, size_t number)
{
	bool ok = t->run();

	kprintf("%sok %zu - %s\n", ok ? "" : "not ", number, t->name);
	return ok;
}

unsigned ktest_run_all(const struct ktest *platform_tests, size_t n)
{
	size_t total = n + ktests_core_count, number = 0;
	unsigned failed = 0;

	kprintf("TAP version 13\n1..%zu\n", total);
	for (size_t i = 0; i < n; i++)
		failed += !run_one(&platform_tests[i], ++number);
	for (size_t i = 0; i < ktests_core_count; i++)
		failed += !run_one(&ktests_core[i], ++number);
	kprintf("%zu passed, %u failed\n", total - failed, failed);
	return failed;
}
