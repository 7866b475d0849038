/*
 * Core tests written once and run in two rings: by CMocka in the hosted build
 * (tests/unit/test_ktest.c, under Valgrind and the sanitizers) and by the kernels'
 * boot-time self test on real page tables (the Linux KUnit pattern). A test is a
 * function returning true on success; it uses only core/ and must leave frames and
 * kmalloc objects exactly as it found them.
 */
#ifndef CLEAVE_KTEST_H
#define CLEAVE_KTEST_H

#include "lib/types.h"

struct ktest {
	const char *name;
	bool (*run)(void);
};

/* Report a failed check (a TAP diagnostic line on the console). */
void ktest_fail(const char *file, int line, const char *expr);

/* Fail the running test when cond is false. */
#define KT_CHECK(cond)                                          \
	do {                                                    \
		if (!(cond)) {                                  \
			ktest_fail(__FILE__, __LINE__, #cond);  \
			return false;                           \
		}                                               \
	} while (0)

/* Run the platform's own tests, then every shared core test, printing one TAP
 * stream and the line "N passed, N failed"; returns the number that failed. */
unsigned ktest_run_all(const struct ktest *platform_tests, size_t n);

/* Every shared core test, in run order. */
extern const struct ktest ktests_core[];
extern const size_t ktests_core_count;

#endif
