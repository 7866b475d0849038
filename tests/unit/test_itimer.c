/* setitimer/getitimer(ITIMER_REAL) and alarm: SIGALRM after the time passes, once or
 * periodically, old values reported, not inherited by fork (runtests' per-program
 * timeout is alarm(), which musl implements with setitimer). */
#include <string.h>

#include "proc_harness.h"

#include "hosted.h"
#include "lib/errno.h"
#include "proc/run.h"

#define S SIM_SCRATCH
#define ITIMER_REAL 0
#define ITIMER_VIRTUAL 1
#define MS 1000000ull
#ifdef HOSTED_FORMAT_x86_64
#define NR_getitimer 36
#define NR_setitimer 38
#else
#define NR_getitimer 102
#define NR_setitimer 103
#endif

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

/* Write struct itimerval {interval, value} (seconds, microseconds) at S in t. */
static void put_itimerval(struct task *t, int64_t isec, int64_t iusec, int64_t sec, int64_t usec)
{
	int64_t v[4] = { isec, iusec, sec, usec };

	assert_int_equal(aspace_write(t->proc->as, S, v, sizeof(v)), 0);
}

/* Let ns pass and run the timer tick as the kernels' clock interrupt does. */
static void pass_time(uint64_t ns)
{
	hosted_clock_advance(ns);
	sched_tick(hal_clock_ns());
}

/* SIGALRM bit pending for t's process (process-directed, blocked so it stays). */
static bool alarm_pending(struct task *t)
{
	return (t->proc->shared_pending & SIGBIT(SIGALRM)) != 0;
}

/* Block SIGALRM in t so a delivered alarm stays pending where the test can see it. */
static void block_sigalrm(struct task *t)
{
	uint64_t set = SIGBIT(SIGALRM);

	assert_int_equal(aspace_write(t->proc->as, S + 64, &set, 8), 0);
	assert_int_equal(SYS4(t, NR_rt_sigprocmask, 0 /* SIG_BLOCK */, S + 64, 0, 8), 0);
}

static void test_setitimer_one_shot(void **state)
{
	struct task *c;
	int64_t cur[4];

	(void)state;
	c = sim_fork(init); /* init ignores signals it has no handler for */
	block_sigalrm(c);
	put_itimerval(c, 0, 0, 0, 250000); /* 250 ms */
	assert_int_equal(SYS3(c, NR_setitimer, ITIMER_REAL, S, 0), 0);
	pass_time(100 * MS);
	assert_false(alarm_pending(c));
	assert_int_equal(SYS2(c, NR_getitimer, ITIMER_REAL, S + 128), 0);
	assert_int_equal(aspace_read(c->proc->as, S + 128, cur, sizeof(cur)), 0);
	assert_true(cur[0] == 0 && cur[1] == 0 && cur[2] == 0 && cur[3] == 150000);
	pass_time(150 * MS);
	assert_true(alarm_pending(c));
	/* One shot: disarmed now. */
	assert_int_equal(SYS2(c, NR_getitimer, ITIMER_REAL, S + 128), 0);
	assert_int_equal(aspace_read(c->proc->as, S + 128, cur, sizeof(cur)), 0);
	assert_true(cur[0] == 0 && cur[1] == 0 && cur[2] == 0 && cur[3] == 0);
}

static void test_setitimer_periodic_and_old_value(void **state)
{
	struct task *c;
	int64_t old[4];

	(void)state;
	c = sim_fork(init); /* init ignores signals it has no handler for */
	block_sigalrm(c);
	put_itimerval(c, 1, 0, 2, 0);
	assert_int_equal(SYS3(c, NR_setitimer, ITIMER_REAL, S, 0), 0);
	pass_time(2000 * MS);
	assert_true(alarm_pending(c));
	c->proc->shared_pending &= ~SIGBIT(SIGALRM);
	pass_time(1000 * MS);
	assert_true(alarm_pending(c));
	/* Disarm, reading the old value (interval 1 s, next in 1 s). */
	put_itimerval(c, 0, 0, 0, 0);
	assert_int_equal(SYS3(c, NR_setitimer, ITIMER_REAL, S, S + 128), 0);
	assert_int_equal(aspace_read(c->proc->as, S + 128, old, sizeof(old)), 0);
	assert_true(old[0] == 1 && old[1] == 0 && old[2] == 1 && old[3] == 0);
	c->proc->shared_pending &= ~SIGBIT(SIGALRM);
	pass_time(5000 * MS);
	assert_false(alarm_pending(c));
}

static void test_setitimer_errors(void **state)
{
	(void)state;
	put_itimerval(init, 0, 0, 0, 1000000); /* usec out of range */
	assert_int_equal(SYS3(init, NR_setitimer, ITIMER_REAL, S, 0), -EINVAL);
	put_itimerval(init, 0, 0, 1, 0);
	assert_int_equal(SYS3(init, NR_setitimer, 7, S, 0), -EINVAL);
	assert_int_equal(SYS3(init, NR_setitimer, ITIMER_REAL, 8, 0), -EFAULT);
	assert_int_equal(SYS2(init, NR_getitimer, ITIMER_REAL, 8), -EFAULT);
}

static void test_alarm_kills_by_default_not_inherited(void **state)
{
	struct task *child;

	(void)state;
	child = sim_fork(init);
	put_itimerval(child, 0, 0, 1, 0);
	assert_int_equal(SYS3(child, NR_setitimer, ITIMER_REAL, S, 0), 0);
	struct task *grandchild = sim_fork(child);
	pass_time(1000 * MS);
	/* Default action of SIGALRM: the child dies; its fork child had no timer. */
	proc_schedule(child, false);
	assert_int_equal(child->proc->state, PROC_ZOMBIE);
	assert_int_equal(child->proc->wait_status, SIGALRM);
	assert_false(alarm_pending(grandchild));
	assert_int_equal(grandchild->proc->state, PROC_ALIVE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_setitimer_one_shot, setup, teardown),
		cmocka_unit_test_setup_teardown(test_setitimer_periodic_and_old_value, setup, teardown),
		cmocka_unit_test_setup_teardown(test_setitimer_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alarm_kills_by_default_not_inherited, setup, teardown),
	};

	return cmocka_run_group_tests_name("itimer", tests, NULL, NULL);
}
