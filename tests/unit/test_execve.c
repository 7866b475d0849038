/* execve through the syscall layer: the commit half, vfork, threads, CLOEXEC,
 * signal reset, failures that keep the old image, and fork+exec+exit+wait loops. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proc_harness.h"

#include "elf_build.h"
#include "exec_fixtures.h"
#include "fs/vfs.h"
#include "lib/errno.h"

#define S SIM_SCRATCH
#define O_CLOEXEC_FLAG 02000000

static struct task *init;

static int setup(void **state)
{
	size_t size;
	uint8_t *elf;

	machine_setup(state);
	init = sim_init();
	elf = ex_elf(false, hal_elf_machine(), EB_VALID, &size);
	assert_int_equal(vfs_create_file("/bin/prog", 0755, elf, size), 0);
	free(elf);
	elf = ex_elf(false, hal_elf_machine(), EB_BAD_PHENTSIZE, &size);
	assert_int_equal(vfs_create_file("/bin/bad", 0755, elf, size), 0);
	free(elf);
	return 0;
}

static int teardown(void **state)
{
	sim_shutdown();
	return machine_teardown(state);
}

/* Lay out path, argv and envp in t's scratch memory; returns the three addresses. */
static void put_exec_args(struct task *t, const char *path, vaddr_t out[3])
{
	struct aspace *as = t->proc->as;
	const char *a0 = "prog", *a1 = "arg one", *e0 = "HOME=/";
	uint64_t argv[3], envp[2];

	assert_int_equal(aspace_write(as, S + 1024, path, strlen(path) + 1), 0);
	assert_int_equal(aspace_write(as, S + 1280, a0, strlen(a0) + 1), 0);
	assert_int_equal(aspace_write(as, S + 1296, a1, strlen(a1) + 1), 0);
	assert_int_equal(aspace_write(as, S + 1312, e0, strlen(e0) + 1), 0);
	argv[0] = S + 1280;
	argv[1] = S + 1296;
	argv[2] = 0;
	envp[0] = S + 1312;
	envp[1] = 0;
	assert_int_equal(aspace_write(as, S + 1536, argv, sizeof(argv)), 0);
	assert_int_equal(aspace_write(as, S + 1600, envp, sizeof(envp)), 0);
	out[0] = S + 1024;
	out[1] = S + 1536;
	out[2] = S + 1600;
}

/* execve(path) as t with the standard arguments. */
static long do_exec(struct task *t, const char *path)
{
	vaddr_t a[3];

	put_exec_args(t, path, a);
	return SYS3(t, NR_execve, a[0], a[1], a[2]);
}

static void test_exec_replaces_image_keeps_pid(void **state)
{
	struct task *child = sim_fork(init);
	struct aspace *old = child->proc->as;
	int pid = child->proc->pid;
	uint64_t word;

	(void)state;
	assert_int_equal(do_exec(child, "/bin/prog"), -EKNORESULT);
	assert_true(child->proc->as != old);
	assert_int_equal(child->proc->pid, pid);
	assert_int_equal(child->tid, pid);
	assert_int_equal(sim_retval(child), 0);
	assert_string_equal(child->proc->comm, "prog");
	/* The scratch region is gone in the new image. */
	assert_int_equal(sim_user_read(child, S, &word, sizeof(word)), FAULT_SIGSEGV);
	assert_int_equal(SYS4(init, NR_wait4, pid, S, 0, 0), pid); /* the read killed it */
}

static void test_exec_failure_keeps_old_image(void **state)
{
	struct task *child = sim_fork(init);
	struct aspace *old = child->proc->as;
	uint64_t v = 0x5151, got;

	(void)state;
	assert_int_equal(sim_user_write(child, S + 8, &v, sizeof(v)), FAULT_HANDLED);
	assert_int_equal(do_exec(child, "/bin/bad"), -ENOEXEC);
	assert_int_equal(do_exec(child, "/bin/missing"), -ENOENT);
	assert_int_equal(SYS3(child, NR_execve, 8, 0, 0), -EFAULT);
	assert_true(child->proc->as == old);
	assert_int_equal(child->proc->state, PROC_ALIVE);
	assert_int_equal(sim_user_read(child, S + 8, &got, sizeof(got)), FAULT_HANDLED);
	assert_true(got == 0x5151);
}

static void test_exec_closes_cloexec_only(void **state)
{
	struct task *child;
	int32_t fds[4];

	(void)state;
	assert_int_equal(SYS2(init, NR_pipe2, S, O_CLOEXEC_FLAG), 0);
	assert_int_equal(SYS2(init, NR_pipe2, S + 8, 0), 0);
	assert_int_equal(aspace_read(init->proc->as, S, fds, sizeof(fds)), 0);
	child = sim_fork(init);
	assert_int_equal(do_exec(child, "/bin/prog"), -EKNORESULT);
	assert_null(fd_lookup(child->proc->files, fds[0]));
	assert_null(fd_lookup(child->proc->files, fds[1]));
	assert_non_null(fd_lookup(child->proc->files, fds[2]));
	assert_non_null(fd_lookup(child->proc->files, fds[3]));
	assert_non_null(fd_lookup(init->proc->files, fds[0]));
}

static void test_exec_resets_caught_handlers(void **state)
{
	uint64_t handler[4] = { 0x400000, 0x04000000, 0x401000, 0 };
	uint64_t ignore[4] = { 1, 0, 0, 0 }, mask = SIGBIT(SIGUSR2);
	struct task *child;

	(void)state;
	assert_int_equal(aspace_write(init->proc->as, S, handler, sizeof(handler)), 0);
	assert_int_equal(aspace_write(init->proc->as, S + 64, ignore, sizeof(ignore)), 0);
	assert_int_equal(aspace_write(init->proc->as, S + 128, &mask, sizeof(mask)), 0);
	assert_int_equal(SYS4(init, NR_rt_sigaction, SIGUSR1, S, 0, 8), 0);
	assert_int_equal(SYS4(init, NR_rt_sigaction, SIGTERM, S + 64, 0, 8), 0);
	assert_int_equal(SYS4(init, NR_rt_sigprocmask, 2, S + 128, 0, 8), 0);
	child = sim_fork(init);
	assert_int_equal(do_exec(child, "/bin/prog"), -EKNORESULT);
	assert_true(child->proc->sighand->action[SIGUSR1 - 1].handler == 0);
	assert_true(child->proc->sighand->action[SIGTERM - 1].handler == 1);
	assert_true(child->sigmask == SIGBIT(SIGUSR2));
	assert_true(init->proc->sighand->action[SIGUSR1 - 1].handler == 0x400000);
}

static void test_vfork_parent_released_by_exec(void **state)
{
	struct task *child;
	vaddr_t a[3];

	(void)state;
	put_exec_args(init, "/bin/prog", a);
	assert_int_equal(sim_clone(init, CLONE_VM | CLONE_VFORK | SIGCHLD, 0, 0, 0, 0),
			 -EKNORESULT);
	child = sim_task_of((int)sim_retval(init));
	assert_int_equal(init->state, TASK_BLOCKED);
	assert_int_equal(SYS3(child, NR_execve, a[0], a[1], a[2]), -EKNORESULT);
	assert_int_equal(init->state, TASK_RUNNABLE);
	assert_int_equal(sim_retval(init), child->proc->pid);
	assert_true(child->proc->as != init->proc->as);
	assert_int_equal(init->proc->as->refs, 1);
}

static void test_exec_from_thread_ends_others(void **state)
{
	unsigned long flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD;
	struct task *child = sim_fork(init), *thr = NULL, *t;
	int pid = child->proc->pid;
	long tid;

	(void)state;
	tid = sim_clone(child, flags, 0, 0, 0, 0);
	assert_true(sim_clone(child, flags, 0, 0, 0, 0) > 0);
	list_for_each(t, &child->proc->threads, group_link)
		if (t->tid == tid)
			thr = t;
	assert_non_null(thr);
	assert_int_equal(do_exec(thr, "/bin/prog"), -EKNORESULT);
	assert_int_equal(thr->proc->nr_threads, 1);
	assert_int_equal(thr->tid, pid); /* the execing thread takes over the pid */
	assert_int_equal(SYS0(thr, NR_gettid), pid);
	sim_syscall(thr, NR_exit_group, 0, 0, 0, 0, 0, 0);
	assert_int_equal(SYS4(init, NR_wait4, pid, S, 0, 0), pid);
}

static void test_fork_exec_exit_wait_loop(void **state)
{
	size_t frames = 0, objects = 0;

	(void)state;
	for (int i = 0; i <= 1000; i++) {
		if (i == 1) { /* baseline once init's status word has been faulted in */
			frames = frames_free_count();
			objects = kmem_live_objects();
		}
		struct task *child = sim_fork(init);
		int pid = child->proc->pid;

		assert_int_equal(do_exec(child, "/bin/prog"), -EKNORESULT);
		sim_syscall(child, NR_exit_group, i & 0xff, 0, 0, 0, 0, 0);
		assert_int_equal(SYS4(init, NR_wait4, pid, S, 0, 0), pid);
	}
	assert_int_equal(frames_free_count(), frames);
	assert_int_equal(kmem_live_objects(), objects);
}

/* Read the whole file at path into a malloc'd buffer; NULL when it cannot. */
static uint8_t *slurp(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*size = (size_t)n;
	}
	fclose(f);
	return buf;
}

/* Real binaries from the cross compiler (ET_EXEC and static PIE) exec through the
 * syscall: the entry is the ELF's (biased for PIE) and argc/argv sit at sp. */
static void test_exec_real_binaries(void **state)
{
	const char *dir = getenv("CLEAVE_ELF_FIXTURES");
	const char *kinds[] = { "exec", "pie" };

	(void)state;
	if (!dir)
		skip();
	for (int i = 0; i < 2; i++) {
		char path[512];
		struct task *child;
		uint64_t entry, argc;
		size_t size = 0;
		int pid;
		uint8_t *elf;

		snprintf(path, sizeof(path), "%s/tiny-%s-%s", dir, hal_pt_geometry()->name, kinds[i]);
		elf = slurp(path, &size);
		assert_non_null(elf);
		memcpy(&entry, elf + 24, sizeof(entry)); /* e_entry */
		assert_int_equal(vfs_create_file("/bin/tiny", 0755, elf, size), 0);
		free(elf);
		child = sim_fork(init);
		assert_int_equal(do_exec(child, "/bin/tiny"), -EKNORESULT);
		if (i == 0)
			assert_true(sim_pc(child) == entry);
		else
			assert_true(sim_pc(child) > entry && (sim_pc(child) & 0xfff) == (entry & 0xfff));
		assert_int_equal(aspace_read(child->proc->as, sim_sp(child), &argc, 8), 0);
		assert_true(argc == 2);
		assert_true((sim_sp(child) & 15) == 0);
		pid = child->proc->pid;
		sim_syscall(child, NR_exit_group, 0, 0, 0, 0, 0, 0);
		assert_int_equal(SYS4(init, NR_wait4, pid, 0, 0, 0), pid);
	}
}

/* execve with the k-th allocation failing for every k: -ENOMEM and the old image
 * running, until it succeeds. */
static void test_exec_fault_injection(void **state)
{
	struct task *child = sim_fork(init);
	struct aspace *old = child->proc->as;
	vaddr_t a[3];
	unsigned long k;
	long r;

	(void)state;
	put_exec_args(child, "/bin/prog", a);
	for (k = 1;; k++) {
		failpoint_arm(k);
		r = SYS3(child, NR_execve, a[0], a[1], a[2]);
		if (!failpoint_fired())
			break;
		failpoint_arm(0);
		assert_int_equal(r, -ENOMEM);
		assert_true(child->proc->as == old);
		assert_int_equal(child->proc->state, PROC_ALIVE);
	}
	failpoint_arm(0);
	assert_int_equal(r, -EKNORESULT);
	assert_true(k > 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_exec_replaces_image_keeps_pid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exec_failure_keeps_old_image, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exec_closes_cloexec_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exec_resets_caught_handlers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vfork_parent_released_by_exec, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exec_from_thread_ends_others, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fork_exec_exit_wait_loop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exec_fault_injection, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exec_real_binaries, setup, teardown),
	};

	return cmocka_run_group_tests_name("execve", tests, NULL, NULL);
}
