/* The syscall table of the format under test uses the system headers' numbers. */
#include <string.h>

#include "harness.h"

#include "sys/syscall.h"

#ifdef HOSTED_FORMAT_x86_64
#include <asm/unistd_64.h>
#else
/* arm64's uapi asm/unistd.h asks for these before using the generic table. */
#define __ARCH_WANT_SET_GET_RLIMIT
#define __ARCH_WANT_NEW_STAT
#include <asm-generic/unistd.h>
#endif

/* A syscall the table must have: its number from the headers, and the handler name's
 * suffix (the table names handlers sys_NAME or <arch>_NAME). */
struct expect {
	long nr;
	const char *suffix;
};

#define E(name) { __NR_##name, "_" #name }
#define E_AS(name, handler) { __NR_##name, "_" #handler }

static const struct expect expected[] = {
	E(read), E(write), E(close), E(lseek), E(mmap), E(mprotect), E(munmap), E(brk),
	E(rt_sigaction), E(rt_sigprocmask), E(rt_sigreturn), E(rt_sigpending), E(ioctl),
	E(readv), E(writev), E(sched_yield), E(madvise), E(dup), E(dup3), E(nanosleep),
	E(getpid), E(execve), E(exit), E(wait4), E(kill), E(uname), E(fcntl), E(getcwd),
	E(chdir), E(fchdir), E(umask), E(gettimeofday), E(getrlimit), E(sysinfo), E(getuid),
	E_AS(getgid, getuid), E_AS(geteuid, getuid), E_AS(getegid, getuid), E(setpgid),
	E(getppid), E(setsid), E(getpgid), E(getsid), E(reboot), E(gettid), E(tkill),
	E(futex), E(getdents64), E(set_tid_address), E(clock_gettime), E(clock_nanosleep),
	E(exit_group), E(tgkill), E(openat), E(mkdirat), E(newfstatat), E(unlinkat),
	E(faccessat), E(set_robust_list), E(pipe2), E(prlimit64), E(clone), E(fstat),
	E(getitimer), E(setitimer),
#ifdef HOSTED_FORMAT_x86_64
	E(alarm),
	E(open), E(stat), E(lstat), E(access), E(pipe), E(dup2), E(fork), E(vfork),
	E(mkdir), E(rmdir), E(creat), E(unlink), E(arch_prctl), E(getpgrp),
#endif
};

/* True when s ends with suffix. */
static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static void test_numbers_match_headers(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(expected); i++) {
		const struct expect *e = &expected[i];

		assert_true(e->nr >= 0 && (unsigned long)e->nr < syscall_table_size);
		if (!syscall_table[e->nr].fn || !ends_with(syscall_table[e->nr].name, e->suffix))
			fail_msg("syscall %ld: want *%s, table has %s", e->nr, e->suffix,
				 syscall_table[e->nr].name ? syscall_table[e->nr].name : "nothing");
	}
}

static void test_no_custom_calls(void **state)
{
	/* Every table entry is a Linux syscall of this architecture: its number is one
	 * of the expected ones (no private spawn or test calls hide in the table). */
	(void)state;
	for (unsigned nr = 0; nr < syscall_table_size; nr++) {
		bool known = false;

		if (!syscall_table[nr].fn)
			continue;
		for (size_t i = 0; i < ARRAY_SIZE(expected); i++)
			known |= expected[i].nr == (long)nr;
		if (!known)
			fail_msg("table entry %u (%s) is not a checked Linux syscall", nr,
				 syscall_table[nr].name);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers_match_headers),
		cmocka_unit_test(test_no_custom_calls),
	};

	return cmocka_run_group_tests_name("systable", tests, NULL, NULL);
}
