/* test_x86_traps: what the x86_64 kernel's trap, timer and FPU code must get right, as
 * seen by an ordinary static Linux program (it passes on Linux too). Added to the
 * boot test's /tests by platform/x86_64/kernel.mk. Prints TAP; exit 0 iff all pass. */
#define _GNU_SOURCE
#include <errno.h>
#include <fenv.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define KERNEL_ADDR 0xffffffff80100000ul
#define NON_CANONICAL 0x800000000000ul

#include "../traps.h"

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

static volatile sig_atomic_t sse_handler_runs, sse_handler_clean = 1;

/* A handler that computes with SSE: every XMM register and MXCSR get new values. It
 * notes whether it started with the clean FP state (round to nearest), as on Linux. */
static void sse_handler(int sig)
{
	char buf[32];
	volatile double d = 2.5;

	(void)sig;
	if (fegetround() != FE_TONEAREST)
		sse_handler_clean = 0;
	fesetround(FE_DOWNWARD);
	snprintf(buf, sizeof(buf), "%f", d * 1.5);
	__asm__ volatile("pcmpeqd %%xmm0, %%xmm0\n\t"
			 "movdqa %%xmm0, %%xmm1\n\tmovdqa %%xmm0, %%xmm2\n\t"
			 "movdqa %%xmm0, %%xmm3\n\tmovdqa %%xmm0, %%xmm4\n\t"
			 "movdqa %%xmm0, %%xmm5\n\tmovdqa %%xmm0, %%xmm6\n\t"
			 "movdqa %%xmm0, %%xmm7\n\tmovdqa %%xmm0, %%xmm8\n\t"
			 "movdqa %%xmm0, %%xmm9\n\tmovdqa %%xmm0, %%xmm10\n\t"
			 "movdqa %%xmm0, %%xmm11\n\tmovdqa %%xmm0, %%xmm12\n\t"
			 "movdqa %%xmm0, %%xmm13\n\tmovdqa %%xmm0, %%xmm14\n\t"
			 "movdqa %%xmm0, %%xmm15"
			 : : : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7",
			   "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15");
	sse_handler_runs++;
}

/* Load xmm0-15 from in, kill(pid, sig) (the handler runs on the way back from the
 * syscall), store xmm0-15 to out: no compiled code touches them in between. */
static void sse_kill_self(const unsigned char in[256], unsigned char out[256], long pid,
			  long sig)
{
	__asm__ volatile(
		"movdqu 0(%[in]), %%xmm0\n\tmovdqu 16(%[in]), %%xmm1\n\t"
		"movdqu 32(%[in]), %%xmm2\n\tmovdqu 48(%[in]), %%xmm3\n\t"
		"movdqu 64(%[in]), %%xmm4\n\tmovdqu 80(%[in]), %%xmm5\n\t"
		"movdqu 96(%[in]), %%xmm6\n\tmovdqu 112(%[in]), %%xmm7\n\t"
		"movdqu 128(%[in]), %%xmm8\n\tmovdqu 144(%[in]), %%xmm9\n\t"
		"movdqu 160(%[in]), %%xmm10\n\tmovdqu 176(%[in]), %%xmm11\n\t"
		"movdqu 192(%[in]), %%xmm12\n\tmovdqu 208(%[in]), %%xmm13\n\t"
		"movdqu 224(%[in]), %%xmm14\n\tmovdqu 240(%[in]), %%xmm15\n\t"
		"mov %[nr], %%eax\n\tsyscall\n\t"
		"movdqu %%xmm0, 0(%[out])\n\tmovdqu %%xmm1, 16(%[out])\n\t"
		"movdqu %%xmm2, 32(%[out])\n\tmovdqu %%xmm3, 48(%[out])\n\t"
		"movdqu %%xmm4, 64(%[out])\n\tmovdqu %%xmm5, 80(%[out])\n\t"
		"movdqu %%xmm6, 96(%[out])\n\tmovdqu %%xmm7, 112(%[out])\n\t"
		"movdqu %%xmm8, 128(%[out])\n\tmovdqu %%xmm9, 144(%[out])\n\t"
		"movdqu %%xmm10, 160(%[out])\n\tmovdqu %%xmm11, 176(%[out])\n\t"
		"movdqu %%xmm12, 192(%[out])\n\tmovdqu %%xmm13, 208(%[out])\n\t"
		"movdqu %%xmm14, 224(%[out])\n\tmovdqu %%xmm15, 240(%[out])"
		: : [in] "r"(in), [out] "r"(out), "D"(pid), "S"(sig), [nr] "i"(SYS_kill)
		: "rax", "rcx", "r11", "memory", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4",
		  "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13",
		  "xmm14", "xmm15");
}

/* Every XMM register and the rounding mode survive a signal handler that uses SSE;
 * the handler starts with the clean FP state. */
static void case_signal_sse(void)
{
	unsigned char in[256], out[256];
	int round_kept;

	for (int i = 0; i < 256; i++)
		in[i] = (unsigned char)(i * 37 + 11);
	memset(out, 0, sizeof(out));
	signal(SIGUSR1, sse_handler);
	sse_handler_runs = 0;
	fesetround(FE_UPWARD);
	sse_kill_self(in, out, getpid(), SIGUSR1);
	round_kept = fegetround() == FE_UPWARD;
	fesetround(FE_TONEAREST);
	signal(SIGUSR1, SIG_DFL);
	report(sse_handler_runs == 1 && memcmp(in, out, sizeof(in)) == 0,
	       "xmm0-15 survive a signal handler that uses SSE");
	report(sse_handler_runs == 1 && round_kept, "MXCSR/x87 rounding mode survives a handler");
	report(sse_handler_runs == 1 && sse_handler_clean, "a handler starts with the clean FP state");
}

/* SSE arithmetic interrupted by timer signals whose handler uses SSE stays exact. */
static void case_signal_sse_async(void)
{
	struct itimerval it = { { 0, 2000 }, { 0, 2000 } }, off = { { 0, 0 }, { 0, 0 } };
	int good = 1;

	signal(SIGALRM, sse_handler);
	sse_handler_runs = 0;
	setitimer(ITIMER_REAL, &it, NULL);
	for (int chunk = 0; chunk < 4000 && sse_handler_runs < 20; chunk++)
		good &= fpu_work(3.0 + chunk, 20000);
	setitimer(ITIMER_REAL, &off, NULL);
	signal(SIGALRM, SIG_DFL);
	report(good && sse_handler_runs >= 20, "SSE code interrupted by SSE-using handlers");
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
	case_signal_sse();
	case_signal_sse_async();
	case_exceptions();
	case_efault();
	printf("1..%d\n", cases);
	return failed != 0;
}
