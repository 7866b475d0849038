/* test_x86_traps: what the x86_64 kernel's trap, timer and FPU code must get right, as
 * seen by an ordinary static Linux program (it passes on Linux too). Added to the
 * boot test's /tests by platform/x86_64/kernel.mk. Prints TAP; exit 0 iff all pass. */
#define _GNU_SOURCE
#include <errno.h>
#include <fenv.h>
#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define KERNEL_ADDR 0xffffffff80100000ul
#define NON_CANONICAL 0x800000000000ul

static int cases, failed;

/* Print one TAP line for a case. */
static void report(int ok, const char *name)
{
	printf("%sok %d - %s\n", ok ? "" : "not ", ++cases, name);
	failed += !ok;
}

/* Run fn in a child; returns its wait status. */
static int in_child(void (*fn)(void))
{
	int st = 0;
	pid_t c = fork();

	if (c == 0) {
		fn();
		_exit(0);
	}
	waitpid(c, &st, 0);
	return st;
}

/* True when status st means "killed by sig". */
static int killed_by(int st, int sig)
{
	return WIFSIGNALED(st) && WTERMSIG(st) == sig;
}

/* Round-trip a double many times; 1 when every step gave back seed exactly. */
static int fpu_work(double seed, long iters)
{
	volatile double acc = seed;

	for (long i = 0; i < iters; i++) {
		acc = acc * 2.0 + 1.0;
		acc = (acc - 1.0) / 2.0;
		if (acc != seed)
			return 0;
	}
	return 1;
}

/* Milliseconds between two CLOCK_MONOTONIC readings. */
static long ms_between(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1000 + (b->tv_nsec - a->tv_nsec) / 1000000;
}

/* A spinning child must not starve its parent: the timer preempts user mode. */
static void case_preemption(void)
{
	struct timespec req = { 0, 200 * 1000 * 1000 }, t0, t1;
	int st = 0;
	pid_t c = fork();

	if (c == 0)
		for (;;)
			;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	nanosleep(&req, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	kill(c, SIGKILL);
	waitpid(c, &st, 0);
	report(killed_by(st, SIGKILL) && ms_between(&t0, &t1) >= 200 &&
	       ms_between(&t0, &t1) < 1000, "spinning child preempted, nanosleep 200 ms on time");
}

/* Processes computing with different SSE values at once never see each other's. */
static void case_fpu_isolation(void)
{
	pid_t kids[3];
	int good, st;

	for (int k = 0; k < 3; k++) {
		kids[k] = fork();
		if (kids[k] == 0)
			_exit(fpu_work(1.0 + k * 1000.0, 2000000) ? 0 : 1);
	}
	good = fpu_work(77.0, 2000000);
	for (int k = 0; k < 3; k++) {
		waitpid(kids[k], &st, 0);
		good &= WIFEXITED(st) && WEXITSTATUS(st) == 0;
	}
	report(good, "SSE state is per process across preemption");
}

/* The rounding mode (MXCSR, x87 control word) is inherited by a fork child. */
static void case_fpu_fork(void)
{
	int st = 0;
	pid_t c;

	fesetround(FE_UPWARD);
	c = fork();
	if (c == 0)
		_exit(fegetround() == FE_UPWARD ? 0 : 1);
	waitpid(c, &st, 0);
	fesetround(FE_TONEAREST);
	report(WIFEXITED(st) && WEXITSTATUS(st) == 0, "fork child inherits the rounding mode");
}

static void write_kernel(void) { *(volatile int *)KERNEL_ADDR = 1; }
static void read_null(void) { (void)*(volatile int *)0; }
static void exec_ud2(void) { __asm__ volatile("ud2"); }
static void divide_zero(void) { volatile int z = 0, r = 5 / z; (void)r; }
static void exec_hlt(void) { __asm__ volatile("hlt"); }
static void jump_noncanonical(void) { __asm__ volatile("jmp *%0" : : "r"(NON_CANONICAL)); }
static void exec_int3(void) { __asm__ volatile("int3"); }

/* Exceptions in user mode become signals for that process only. */
static void case_exceptions(void)
{
	report(killed_by(in_child(write_kernel), SIGSEGV), "write to a kernel address: SIGSEGV");
	report(killed_by(in_child(read_null), SIGSEGV), "read of NULL: SIGSEGV");
	report(killed_by(in_child(exec_ud2), SIGILL), "ud2: SIGILL");
	report(killed_by(in_child(divide_zero), SIGFPE), "integer divide by zero: SIGFPE");
	report(killed_by(in_child(exec_hlt), SIGSEGV), "hlt in user mode: SIGSEGV");
	report(killed_by(in_child(jump_noncanonical), SIGSEGV), "jump to a non-canonical address: SIGSEGV");
	report(killed_by(in_child(exec_int3), SIGTRAP), "int3: SIGTRAP");
}

/* Bad user pointers in syscalls fail with EFAULT; the kernel keeps running. */
static void case_efault(void)
{
	int pfd[2];
	long r;

	errno = 0;
	r = syscall(SYS_write, 1, (void *)KERNEL_ADDR, 10);
	report(r == -1 && errno == EFAULT, "write() from a kernel pointer: EFAULT");
	if (pipe(pfd) || write(pfd[1], "data", 4) != 4) {
		report(0, "read() into page 0: EFAULT (pipe setup failed)");
		return;
	}
	r = syscall(SYS_read, pfd[0], (void *)16, 4);
	report(r == -1 && errno == EFAULT, "read() into page 0: EFAULT");
	close(pfd[0]);
	close(pfd[1]);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	case_preemption();
	case_fpu_isolation();
	case_fpu_fork();
	case_exceptions();
	case_efault();
	printf("1..%d\n", cases);
	return failed != 0;
}
