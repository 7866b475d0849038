/* fork/vfork/clone, exit/wait4 and signals, run as syscalls on the hosted machine. */
#include <string.h>

#include "proc_harness.h"

#include "lib/errno.h"
#include "proc/run.h"

#define S SIM_SCRATCH
#define WNOHANG 1

static struct task *init;

static int setup(void **state)
{
	machine_setup(state);
	init = sim_init();
	return 0;
}

static int teardown(void **state)
{
	sim_shutdown();
	return machine_teardown(state);
}

/* Read a 32-bit value from t's memory. */
static int32_t peek32(struct task *t, vaddr_t va)
{
	int32_t v = 0;

	assert_int_equal(aspace_read(t->proc->as, va, &v, sizeof(v)), 0);
	return v;
}

/* Have t exit with code and check it is gone. */
static void sim_exit(struct task *t, int code)
{
	assert_int_equal(SYS1(t, NR_exit_group, code), -EKNORESULT);
	assert_int_equal(t->state, TASK_DEAD);
}

static void test_fork_returns_and_links(void **state)
{
	struct task *child;

	(void)state;
	child = sim_fork(init);
	assert_int_equal(sim_retval(init), child->proc->pid);
	assert_true(child->proc->parent == init->proc);
	assert_int_equal(SYS0(child, NR_getppid), 1);
	assert_int_equal(SYS0(child, NR_getpid), child->proc->pid);
	assert_int_equal(SYS0(child, NR_gettid), child->tid);
	assert_true(child->proc->as != init->proc->as);
}

static void test_fork_memory_isolation(void **state)
{
	struct task *child;
	uint64_t v = 111, got;

	(void)state;
	assert_int_equal(sim_user_write(init, S, &v, sizeof(v)), FAULT_HANDLED);
	child = sim_fork(init);
	v = 222;
	assert_int_equal(sim_user_write(child, S, &v, sizeof(v)), FAULT_HANDLED);
	assert_int_equal(sim_user_read(init, S, &got, sizeof(got)), FAULT_HANDLED);
	assert_true(got == 111);
	assert_int_equal(sim_user_read(child, S, &got, sizeof(got)), FAULT_HANDLED);
	assert_true(got == 222);
}

static void test_exit_wait_status(void **state)
{
	struct task *child = sim_fork(init);
	int pid = child->proc->pid;

	(void)state;
	sim_exit(child, 7);
	assert_int_equal(child->proc->state, PROC_ZOMBIE);
	assert_int_equal(SYS4(init, NR_wait4, -1, S, 0, 0), pid);
	assert_int_equal(peek32(init, S), 7 << 8);
	assert_null(proc_find(pid)); /* reaped exactly once */
	assert_int_equal(SYS4(init, NR_wait4, -1, S, 0, 0), -ECHILD);
	assert_int_equal(SYS4(init, NR_wait4, pid, S, 0, 0), -ECHILD);
}

static void test_wait_blocks_until_exit(void **state)
{
	struct task *child = sim_fork(init);
	int pid = child->proc->pid;

	(void)state;
	assert_int_equal(SYS4(init, NR_wait4, -1, S, WNOHANG, 0), 0);
	assert_int_equal(SYS4(init, NR_wait4, -1, S, 0, 0), -EKBLOCK);
	assert_int_equal(init->state, TASK_BLOCKED);
	sim_exit(child, 3);
	assert_int_equal(init->state, TASK_RUNNABLE);
	assert_int_equal(sim_resume(init), pid);
	assert_int_equal(peek32(init, S), 3 << 8);
}

static void test_wait_selection_and_errors(void **state)
{
	struct task *a = sim_fork(init), *b = sim_fork(init);
	int pa = a->proc->pid, pb = b->proc->pid;

	(void)state;
	assert_int_equal(SYS4(init, NR_wait4, -1, S, 0x100, 0), -EINVAL);
	assert_int_equal(SYS4(init, NR_wait4, 12345, S, 0, 0), -ECHILD);
	assert_int_equal(SYS2(b, NR_setpgid, 0, 0), 0); /* b leads its own group */
	sim_exit(a, 1);
	sim_exit(b, 2);
	assert_int_equal(SYS4(init, NR_wait4, -pb, S, 0, 0), pb);
	assert_int_equal(peek32(init, S), 2 << 8);
	/* A bad status pointer fails without reaping the zombie (stricter than Linux). */
	assert_int_equal(SYS4(init, NR_wait4, pa, 8, 0, 0), -EFAULT);
	assert_non_null(proc_find(pa));
	assert_int_equal(SYS4(init, NR_wait4, 0, S, 0, 0), pa);
}

static void test_orphans_reparented_to_init(void **state)
{
	struct task *parent = sim_fork(init), *orphan = sim_fork(parent);
	int pp = parent->proc->pid, po = orphan->proc->pid;

	(void)state;
	sim_exit(parent, 0);
	assert_true(orphan->proc->parent == init->proc);
	assert_int_equal(SYS0(orphan, NR_getppid), 1);
	sim_exit(orphan, 5);
	assert_int_equal(SYS4(init, NR_wait4, po, S, 0, 0), po);
	assert_int_equal(peek32(init, S), 5 << 8);
	assert_int_equal(SYS4(init, NR_wait4, pp, S, 0, 0), pp);
}

static void test_zombie_orphans_announced(void **state)
{
	struct task *parent = sim_fork(init), *child = sim_fork(parent);
	int pc = child->proc->pid;

	(void)state;
	sim_exit(child, 9); /* zombie of parent */
	sim_exit(parent, 0); /* the zombie moves to init */
	assert_int_equal(SYS4(init, NR_wait4, pc, S, 0, 0), pc);
	assert_int_equal(peek32(init, S), 9 << 8);
}

static void test_sigchld_ignored_autoreaps(void **state)
{
	uint64_t act[4] = { 1 /* SIG_IGN */, 0, 0, 0 };
	struct task *child;

	(void)state;
	assert_int_equal(aspace_write(init->proc->as, S + 64, act, sizeof(act)), 0);
	assert_int_equal(SYS4(init, NR_rt_sigaction, SIGCHLD, S + 64, 0, 8), 0);
	child = sim_fork(init);
	sim_exit(child, 1);
	assert_int_equal(SYS4(init, NR_wait4, -1, S, 0, 0), -ECHILD);
}

static void test_clone_flag_rules(void **state)
{
	(void)state;
	assert_int_equal(sim_clone(init, CLONE_THREAD | CLONE_VM, 0, 0, 0, 0), -EINVAL);
	assert_int_equal(sim_clone(init, CLONE_SIGHAND, 0, 0, 0, 0), -EINVAL);
	assert_int_equal(sim_clone(init, CLONE_NEWNS | SIGCHLD, 0, 0, 0, 0), -EINVAL);
	assert_int_equal(sim_clone(init, 65, 0, 0, 0, 0), -EINVAL); /* exit signal > 64 */
	assert_int_equal(proc_count(), 1);
}

static void test_threads_share_and_settid(void **state)
{
	unsigned long flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |
			      CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID |
			      CLONE_CHILD_CLEARTID;
	struct task *thr;
	long tid;

	(void)state;
	tid = sim_clone(init, flags, S + 4096, S + 16, S + 32, 0x1234000);
	assert_true(tid > 1);
	thr = NULL;
	{
		struct task *t;

		list_for_each(t, &init->proc->threads, group_link)
			if (t->tid == tid)
				thr = t;
	}
	assert_non_null(thr);
	assert_true(thr->proc == init->proc);
	assert_int_equal(SYS0(thr, NR_getpid), 1);
	assert_int_equal(SYS0(thr, NR_gettid), tid);
	assert_int_equal(peek32(init, S + 16), tid);
	assert_int_equal(hal_uregs_tls(thr->regs), 0x1234000);
	/* Thread exit clears the tid word and wakes a joiner blocked on it. */
	assert_int_equal(aspace_write(init->proc->as, S + 32, &tid, 4), 0);
	assert_int_equal(SYS4(init, NR_futex, S + 32, 0, tid, 0), -EKBLOCK);
	assert_int_equal(SYS1(thr, NR_exit, 0), -EKNORESULT);
	assert_int_equal(peek32(init, S + 32), 0);
	assert_int_equal(init->state, TASK_RUNNABLE);
	assert_int_equal(sim_resume(init), 0);
	assert_int_equal(init->proc->nr_threads, 1);
}

static void test_vfork_parent_waits(void **state)
{
	struct task *child;
	long r;

	(void)state;
	r = sim_clone(init, CLONE_VM | CLONE_VFORK | SIGCHLD, 0, 0, 0, 0);
	assert_int_equal(r, -EKNORESULT);
	assert_int_equal(init->state, TASK_BLOCKED);
	child = sim_task_of((int)sim_retval(init));
	assert_non_null(child);
	assert_true(child->proc->as == init->proc->as); /* shares memory */
	assert_int_equal(sim_retval(child), 0);
	sim_exit(child, 4);
	assert_int_equal(init->state, TASK_RUNNABLE);
	assert_int_equal(sim_retval(init), child->proc->pid);
}

static void test_process_limit_eagain(void **state)
{
	long r;
	unsigned n = 0;

	(void)state;
	do {
#ifdef HOSTED_FORMAT_x86_64
		r = SYS0(init, 57);
#else
		r = sim_clone(init, SIGCHLD, 0, 0, 0, 0);
#endif
		n++;
	} while (r > 0 && n < 5000);
	assert_int_equal(r, -EAGAIN);
	assert_int_equal(proc_count(), PROC_LIMIT);
}

static void test_pids_not_reused_immediately(void **state)
{
	struct task *a = sim_fork(init);
	int pa = a->proc->pid;

	(void)state;
	sim_exit(a, 0);
	assert_int_equal(SYS4(init, NR_wait4, pa, 0, 0, 0), pa);
	assert_true(sim_fork(init)->proc->pid != pa);
}

static void test_kill_default_terminates(void **state)
{
	struct task *child = sim_fork(init);
	int pid = child->proc->pid;

	(void)state;
	assert_int_equal(SYS2(init, NR_kill, pid, SIGTERM), 0);
	assert_int_equal(child->proc->state, PROC_ALIVE); /* acts on its return to user */
	assert_int_equal(SYS0(child, NR_getpid), pid);     /* ...which is now */
	assert_int_equal(child->proc->state, PROC_ZOMBIE);
	assert_int_equal(SYS4(init, NR_wait4, pid, S, 0, 0), pid);
	assert_int_equal(peek32(init, S), SIGTERM);
	assert_int_equal(SYS2(init, NR_kill, pid, SIGTERM), -ESRCH);
	assert_int_equal(SYS2(init, NR_kill, 1, 65), -EINVAL);
}

static void test_sigkill_is_immediate_and_wakes(void **state)
{
	struct task *child = sim_fork(init);
	int pid = child->proc->pid;

	(void)state;
	assert_int_equal(SYS4(child, NR_wait4, -1, 0, 0, 0), -ECHILD);
	assert_int_equal(SYS2(init, NR_kill, pid, SIGKILL), 0);
	assert_int_equal(child->proc->state, PROC_ZOMBIE);
	assert_int_equal(SYS4(init, NR_wait4, pid, S, 0, 0), pid);
	assert_int_equal(peek32(init, S), SIGKILL);
}

static void test_blocked_signal_pending_and_fork_clears(void **state)
{
	uint64_t set = SIGBIT(SIGUSR1), got;
	struct task *child;

	(void)state;
	assert_int_equal(aspace_write(init->proc->as, S, &set, 8), 0);
	assert_int_equal(SYS4(init, NR_rt_sigprocmask, 0 /* SIG_BLOCK */, S, 0, 8), 0);
	child = sim_fork(init);
	assert_int_equal(SYS2(child, NR_kill, child->proc->pid, SIGUSR1), 0);
	assert_int_equal(SYS2(child, NR_rt_sigpending, S + 8, 8), 0);
	assert_int_equal(aspace_read(child->proc->as, S + 8, &got, 8), 0);
	assert_true(got == SIGBIT(SIGUSR1));
	/* A fork of the child: mask inherited, pending cleared. */
	struct task *grandchild = sim_fork(child);
	assert_true(grandchild->sigmask == SIGBIT(SIGUSR1));
	assert_int_equal(SYS2(grandchild, NR_rt_sigpending, S + 8, 8), 0);
	assert_int_equal(aspace_read(grandchild->proc->as, S + 8, &got, 8), 0);
	assert_true(got == 0);
	/* Unblocking in the child delivers the default action: it dies. */
	assert_int_equal(SYS4(child, NR_rt_sigprocmask, 1 /* SIG_UNBLOCK */, S, 0, 8), 0);
	assert_int_equal(child->proc->state, PROC_ZOMBIE);
	assert_int_equal(child->proc->wait_status, SIGUSR1);
}

static void test_sigaction_rules(void **state)
{
	uint64_t act[4] = { 0x400000, 0x04000000, 0x401000, SIGBIT(SIGKILL) | SIGBIT(SIGUSR2) };
	uint64_t old[4];

	(void)state;
	assert_int_equal(aspace_write(init->proc->as, S, act, sizeof(act)), 0);
	assert_int_equal(SYS4(init, NR_rt_sigaction, SIGKILL, S, 0, 8), -EINVAL);
	assert_int_equal(SYS4(init, NR_rt_sigaction, 0, S, 0, 8), -EINVAL);
	assert_int_equal(SYS4(init, NR_rt_sigaction, SIGUSR1, S, 0, 4), -EINVAL);
	assert_int_equal(SYS4(init, NR_rt_sigaction, SIGUSR1, 8, 0, 8), -EFAULT);
	assert_int_equal(SYS4(init, NR_rt_sigaction, SIGUSR1, S, S + 64, 8), 0);
	assert_int_equal(SYS4(init, NR_rt_sigaction, SIGUSR1, 0, S + 64, 8), 0);
	assert_int_equal(aspace_read(init->proc->as, S + 64, old, sizeof(old)), 0);
	assert_true(old[0] == act[0] && old[1] == act[1] && old[2] == act[2]);
	assert_true(old[3] == SIGBIT(SIGUSR2)); /* SIGKILL cannot be masked */
	/* A fork child inherits the handler. */
	struct task *child = sim_fork(init);
	assert_true(child->proc->sighand->action[SIGUSR1 - 1].handler == 0x400000);
	assert_true(child->proc->sighand != init->proc->sighand);
}

static void test_segv_kills_only_the_faulting_process(void **state)
{
	struct task *child = sim_fork(init);
	int pid = child->proc->pid;
	uint64_t v = 1;

	(void)state;
	assert_int_equal(sim_user_write(child, 0, &v, sizeof(v)), FAULT_SIGSEGV);
	assert_int_equal(child->proc->state, PROC_ZOMBIE);
	assert_int_equal(SYS4(init, NR_wait4, pid, S, 0, 0), pid);
	assert_int_equal(peek32(init, S), SIGSEGV);
	assert_int_equal(sim_user_write(init, S, &v, sizeof(v)), FAULT_HANDLED);
}

static void test_exit_group_ends_all_threads(void **state)
{
	unsigned long flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD;
	struct task *child = sim_fork(init);
	int pid = child->proc->pid;

	(void)state;
	assert_true(sim_clone(child, flags, 0, 0, 0, 0) > 0);
	assert_true(sim_clone(child, flags, 0, 0, 0, 0) > 0);
	assert_int_equal(child->proc->nr_threads, 3);
	assert_int_equal(SYS1(child, NR_exit_group, 6), -EKNORESULT);
	assert_int_equal(SYS4(init, NR_wait4, pid, S, 0, 0), pid);
	assert_int_equal(peek32(init, S), 6 << 8);
}

/* exit, exit_group and wait4 allocate nothing, so they cannot fail for memory: a
 * failure armed at the very next allocation is never reached. */
static void test_exit_and_wait_allocate_nothing(void **state)
{
	unsigned long flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD;
	struct task *child = sim_fork(init);
	int pid = child->proc->pid;

	(void)state;
	assert_true(sim_clone(child, flags, 0, 0, 0, 0) > 0);
	assert_int_equal(sim_user_write(init, S, &pid, sizeof(pid)), FAULT_HANDLED);
	failpoint_arm(1);
	assert_int_equal(SYS1(child, NR_exit_group, 2), -EKNORESULT);
	assert_int_equal(SYS4(init, NR_wait4, pid, S, 0, 0), pid);
	assert_false(failpoint_fired());
	assert_int_equal(failpoint_calls(), 0);
	failpoint_arm(0);
}

static void test_handler_runs_and_sigreturn_restores(void **state)
{
	uint64_t act[4] = { 0x400000, 0x04000000 /* SA_RESTORER */, 0x401000, SIGBIT(SIGUSR2) };
	vaddr_t pc, sp;
	long r;

	(void)state;
	assert_int_equal(aspace_write(init->proc->as, S, act, sizeof(act)), 0);
	assert_int_equal(SYS4(init, NR_rt_sigaction, SIGUSR1, S, 0, 8), 0);
	hal_uregs_set_sp(init->regs, S + SIM_SCRATCH_SIZE - 64);
	hal_uregs_set_pc(init->regs, 0x402000);
	pc = sim_pc(init);
	sp = sim_sp(init);
	r = SYS2(init, NR_kill, 1, SIGUSR1); /* init handles it, so init gets it */
	assert_int_equal(r, 0);
	assert_true(sim_pc(init) == 0x400000); /* entered the handler on return to user */
	assert_true(sim_sp(init) < sp);
	assert_true(init->sigmask == (SIGBIT(SIGUSR1) | SIGBIT(SIGUSR2)));
#ifdef HOSTED_FORMAT_x86_64
	hal_uregs_set_sp(init->regs, sim_sp(init) + 8); /* the handler's ret pops pretcode */
#endif
	assert_int_equal(SYS0(init, NR_rt_sigreturn), -EKNORESULT);
	assert_true(sim_pc(init) == pc);
	assert_true(sim_sp(init) == sp);
	assert_int_equal(sim_retval(init), 0); /* kill's result, restored from the frame */
	assert_true(init->sigmask == 0);
}

static void test_sigchld_handler_notified(void **state)
{
	uint64_t act[4] = { 0x400000, 0x04000000, 0x401000, 0 };
	struct task *child;

	(void)state;
	assert_int_equal(aspace_write(init->proc->as, S, act, sizeof(act)), 0);
	assert_int_equal(SYS4(init, NR_rt_sigaction, SIGCHLD, S, 0, 8), 0);
	init->sigmask = SIGBIT(SIGCHLD); /* keep it pending to look at it */
	child = sim_fork(init);
	sim_exit(child, 0);
	assert_true(init->proc->shared_pending & SIGBIT(SIGCHLD));
}

/* A signal with a handler breaks a blocking wait4: -EINTR without SA_RESTART; with
 * SA_RESTART the call is set to run again after the handler. */
static void check_interrupted_wait(unsigned long sa_flags, bool restarts)
{
	uint64_t act[4] = { 0x400000, 0x04000000 | sa_flags, 0x401000, 0 };
	struct task *child = sim_fork(init);
	vaddr_t pc;

	assert_int_equal(aspace_write(init->proc->as, S, act, sizeof(act)), 0);
	assert_int_equal(SYS4(init, NR_rt_sigaction, SIGUSR1, S, 0, 8), 0);
	hal_uregs_set_sp(init->regs, S + SIM_SCRATCH_SIZE - 64);
	hal_uregs_set_pc(init->regs, 0x402000);
	assert_int_equal(SYS4(init, NR_wait4, -1, S + 256, 0, 0), -EKBLOCK);
	pc = sim_pc(init);
	assert_int_equal(SYS2(child, NR_kill, 1, SIGUSR1), 0);
	assert_int_equal(init->state, TASK_RUNNABLE);
	assert_true(proc_schedule(child, true) == init); /* init's way back to user */
	assert_true(sim_pc(init) == 0x400000);
#ifdef HOSTED_FORMAT_x86_64
	hal_uregs_set_sp(init->regs, sim_sp(init) + 8);
#endif
	assert_int_equal(SYS0(init, NR_rt_sigreturn), -EKNORESULT);
	if (restarts) {
		assert_true(sim_pc(init) == pc - (hal_elf_machine() == 62 ? 2 : 4));
		assert_int_equal(sim_trap_again(init), -EKBLOCK); /* the same wait4 again */
		assert_int_equal(hal_uregs_syscall_nr(init->regs), NR_wait4);
	} else {
		assert_true(sim_pc(init) == pc);
		assert_int_equal(sim_retval(init), -EINTR);
	}
}

static void test_signal_interrupts_wait_eintr(void **state)
{
	(void)state;
	check_interrupted_wait(0, false);
}

static void test_signal_restarts_wait_sa_restart(void **state)
{
	(void)state;
	check_interrupted_wait(0x10000000 /* SA_RESTART */, true);
}

/* Fork with the k-th allocation failing, for every k: an errno, nothing leaked,
 * the parent intact. */
static void test_fork_fault_injection(void **state)
{
	size_t frames = frames_free_count(), objects = kmem_live_objects();
	uint64_t v = 77, got;
	unsigned long k;
	long r;

	(void)state;
	assert_int_equal(sim_user_write(init, S, &v, sizeof(v)), FAULT_HANDLED);
	frames = frames_free_count();
	for (k = 1;; k++) {
		failpoint_arm(k);
#ifdef HOSTED_FORMAT_x86_64
		r = SYS0(init, 57);
#else
		r = sim_clone(init, SIGCHLD, 0, 0, 0, 0);
#endif
		if (!failpoint_fired())
			break;
		failpoint_arm(0);
		assert_int_equal(r, -ENOMEM);
		assert_int_equal(proc_count(), 1);
		assert_int_equal(kmem_live_objects(), objects);
		assert_int_equal(frames_free_count(), frames);
		assert_int_equal(sim_user_read(init, S, &got, sizeof(got)), FAULT_HANDLED);
		assert_true(got == 77);
	}
	failpoint_arm(0);
	assert_true(r > 1);
	assert_true(k > 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fork_returns_and_links, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fork_memory_isolation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exit_wait_status, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wait_blocks_until_exit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wait_selection_and_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_orphans_reparented_to_init, setup, teardown),
		cmocka_unit_test_setup_teardown(test_zombie_orphans_announced, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sigchld_ignored_autoreaps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clone_flag_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_threads_share_and_settid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vfork_parent_waits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_process_limit_eagain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pids_not_reused_immediately, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kill_default_terminates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sigkill_is_immediate_and_wakes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_blocked_signal_pending_and_fork_clears, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sigaction_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_segv_kills_only_the_faulting_process, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exit_group_ends_all_threads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fork_fault_injection, setup, teardown),
		cmocka_unit_test_setup_teardown(test_handler_runs_and_sigreturn_restores, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sigchld_handler_notified, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exit_and_wait_allocate_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_signal_interrupts_wait_eintr, setup, teardown),
		cmocka_unit_test_setup_teardown(test_signal_restarts_wait_sa_restart, setup, teardown),
	};

	return cmocka_run_group_tests_name("proc", tests, NULL, NULL);
}
