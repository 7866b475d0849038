/* Starting pid 1: console fds, exec of /init, clean failure and fault injection. */
#include <stdlib.h>
#include <string.h>

#include "proc_harness.h"

#include "elf_build.h"
#include "exec_fixtures.h"
#include "fs/vfs.h"
#include "lib/errno.h"
#include "proc/init.h"
#include "proc/proc_internal.h"

static const char *const argv[] = { "/init", "test", NULL };
static const char *const envp[] = { "HOME=/", "CLEAVE_TEST=1", NULL };

/* A machine with /init (a valid static ELF) and /dev. */
static int setup(void **state)
{
	size_t size;
	uint8_t *elf;

	machine_setup(state);
	proc_reset();
	console_reset();
	elf = ex_elf(false, hal_elf_machine(), EB_VALID, &size);
	assert_int_equal(vfs_create_file("/init", 0755, elf, size), 0);
	free(elf);
	assert_int_equal(vfs_register_devices(), 0);
	return 0;
}

static int teardown(void **state)
{
	if (proc_init())
		sim_shutdown();
	else
		vfs_reset();
	console_reset();
	return machine_teardown(state);
}

static void test_init_starts_with_console(void **state)
{
	struct task *t;
	struct file *f0;

	(void)state;
	assert_int_equal(proc_start_init("/init", argv, envp), 0);
	t = sim_task_of(1);
	assert_non_null(t);
	assert_int_equal(t->state, TASK_RUNNABLE);
	assert_string_equal(t->proc->comm, "init");
	f0 = fd_lookup(t->proc->files, 0);
	assert_non_null(f0);
	assert_true(fd_lookup(t->proc->files, 1) == f0 && fd_lookup(t->proc->files, 2) == f0);
	assert_true(f0->inode && (f0->inode->mode & S_IFMT) == S_IFCHR);
	assert_null(fd_lookup(t->proc->files, 3));
	assert_true(sched_pick_next() == t);
	assert_int_equal(SYS0(t, NR_getpid), 1);
	assert_int_equal(SYS0(t, NR_getppid), 0);
}

static void test_init_missing_fails_cleanly(void **state)
{
	(void)state;
	assert_int_equal(proc_start_init("/sbin/none", argv, envp), -ENOENT);
	assert_null(proc_init());
	assert_int_equal(proc_count(), 0);
}

static void test_init_fault_injection(void **state)
{
	unsigned long k;
	int rc;

	(void)state;
	for (k = 1;; k++) {
		failpoint_arm(k);
		rc = proc_start_init("/init", argv, envp);
		if (!failpoint_fired())
			break;
		failpoint_arm(0);
		assert_int_equal(rc, -ENOMEM);
		assert_int_equal(proc_count(), 0);
		proc_reset();
	}
	failpoint_arm(0);
	assert_int_equal(rc, 0);
	assert_true(k > 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_init_starts_with_console, setup, teardown),
		cmocka_unit_test_setup_teardown(test_init_missing_fails_cleanly, setup, teardown),
		cmocka_unit_test_setup_teardown(test_init_fault_injection, setup, teardown),
	};

	return cmocka_run_group_tests_name("init", tests, NULL, NULL);
}
