/* test_a64_traps: what the aarch64 kernel's trap, timer and FP/SIMD code must get
 * right, as seen by an ordinary static Linux program (it passes on Linux too). Added
 * to the boot test's /tests by platform/aarch64/kernel.mk. Prints TAP; exit 0 iff
 * every case passed. */
#define _GNU_SOURCE
#include <errno.h>
#include <fenv.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define KERNEL_ADDR 0xffff000040080000ul

#include "../traps.h"

static volatile int handler_runs;

/* Child bodies for the fault cases. */
static void read_null(void)
{
	(void)*(volatile int *)0;
}

static void read_kernel(void)
{
	(void)*(volatile int *)KERNEL_ADDR;
}

static void undefined_insn(void)
{
	__asm__ volatile("udf #0");
}

/* A handler that computes with FP/SIMD: every v register and FPCR get new values.
 */
static void simd_handler(int sig)
{
	char buf[32];
	volatile double d = 2.5;

	(void)sig;
	fesetround(FE_DOWNWARD);
	snprintf(buf, sizeof(buf), "%f", d * 1.5);
	__asm__ volatile("movi v0.16b, #0xff\n\tmov v1.16b, v0.16b\n\tmov v2.16b, v0.16b\n\t"
			 "mov v3.16b, v0.16b\n\tmov v4.16b, v0.16b\n\tmov v5.16b, v0.16b\n\t"
			 "mov v6.16b, v0.16b\n\tmov v7.16b, v0.16b\n\tmov v8.16b, v0.16b\n\t"
			 "mov v9.16b, v0.16b\n\tmov v10.16b, v0.16b\n\tmov v11.16b, v0.16b\n\t"
			 "mov v12.16b, v0.16b\n\tmov v13.16b, v0.16b\n\tmov v14.16b, v0.16b\n\t"
			 "mov v15.16b, v0.16b\n\tmov v16.16b, v0.16b\n\tmov v31.16b, v0.16b"
			 : : : "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10",
			   "v11", "v12", "v13", "v14", "v15", "v16", "v31");
	handler_runs++;
}

/* Load q0-q31 from in, kill(pid, sig) (the handler runs on the way back from the
 * syscall), store q0-q31 to out: no compiled code touches them in between. */
static void simd_kill_self(const unsigned char in[512], unsigned char out[512], long pid,
			   long sig)
{
	register long x0 __asm__("x0") = pid;
	register long x1 __asm__("x1") = sig;
	register long x8 __asm__("x8") = SYS_kill;
	register const unsigned char *pin __asm__("x9") = in;
	register unsigned char *pout __asm__("x10") = out;

	__asm__ volatile(
		"ldp q0, q1, [x9, #0]\n\tldp q2, q3, [x9, #32]\n\tldp q4, q5, [x9, #64]\n\t"
		"ldp q6, q7, [x9, #96]\n\tldp q8, q9, [x9, #128]\n\tldp q10, q11, [x9, #160]\n\t"
		"ldp q12, q13, [x9, #192]\n\tldp q14, q15, [x9, #224]\n\t"
		"ldp q16, q17, [x9, #256]\n\tldp q18, q19, [x9, #288]\n\t"
		"ldp q20, q21, [x9, #320]\n\tldp q22, q23, [x9, #352]\n\t"
		"ldp q24, q25, [x9, #384]\n\tldp q26, q27, [x9, #416]\n\t"
		"ldp q28, q29, [x9, #448]\n\tldp q30, q31, [x9, #480]\n\t"
		"svc #0\n\t"
		"stp q0, q1, [x10, #0]\n\tstp q2, q3, [x10, #32]\n\tstp q4, q5, [x10, #64]\n\t"
		"stp q6, q7, [x10, #96]\n\tstp q8, q9, [x10, #128]\n\tstp q10, q11, [x10, #160]\n\t"
		"stp q12, q13, [x10, #192]\n\tstp q14, q15, [x10, #224]\n\t"
		"stp q16, q17, [x10, #256]\n\tstp q18, q19, [x10, #288]\n\t"
		"stp q20, q21, [x10, #320]\n\tstp q22, q23, [x10, #352]\n\t"
		"stp q24, q25, [x10, #384]\n\tstp q26, q27, [x10, #416]\n\t"
		"stp q28, q29, [x10, #448]\n\tstp q30, q31, [x10, #480]"
		: "+r"(x0)
		: "r"(x1), "r"(x8), "r"(pin), "r"(pout)
		: "memory", "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10",
		  "v11", "v12", "v13", "v14", "v15", "v16", "v17", "v18", "v19", "v20", "v21",
		  "v22", "v23", "v24", "v25", "v26", "v27", "v28", "v29", "v30", "v31");
}

/* Every v register survives a signal handler that overwrites them all. */
static int simd_survives_handler(void)
{
	unsigned char in[512], out[512];
	struct sigaction sa = { .sa_handler = simd_handler };

	for (int i = 0; i < 512; i++)
		in[i] = (unsigned char)(i * 7 + 3);
	memset(out, 0, sizeof(out));
	sigaction(SIGUSR1, &sa, NULL);
	handler_runs = 0;
	simd_kill_self(in, out, getpid(), SIGUSR1);
	return handler_runs == 1 && memcmp(in, out, sizeof(in)) == 0;
}

/* The interrupted code's rounding mode survives a handler that changes it (arm64
 * Linux hands the handler the interrupted FPCR, unlike x86_64's clean state). */
static int rounding_mode_survives(void)
{
	struct sigaction sa = { .sa_handler = simd_handler };
	int mode;

	sigaction(SIGUSR1, &sa, NULL);
	fesetround(FE_UPWARD);
	kill(getpid(), SIGUSR1);
	mode = fegetround();
	fesetround(FE_TONEAREST);
	return mode == FE_UPWARD;
}

/* A spinning child is preempted: the parent's 200 ms sleep ends on time. */
static int spinner_preempted(void)
{
	struct timespec t0, t1, req = { 0, 200 * 1000000L };
	pid_t c = fork();
	long ms;

	if (c == 0)
		for (;;)
			__asm__ volatile("" ::: "memory");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	nanosleep(&req, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	kill(c, SIGKILL);
	waitpid(c, NULL, 0);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	return ms >= 190 && ms < 2000;
}

int main(void)
{
	int p[2];

	report(killed_by(in_child(read_null), SIGSEGV), "NULL read: SIGSEGV for the child only");
	report(killed_by(in_child(read_kernel), SIGSEGV), "kernel address read: SIGSEGV");
	report(killed_by(in_child(undefined_insn), SIGILL), "udf #0: SIGILL");
	report(pipe(p) == 0 && write(p[1], "x", 1) == 1 && read(p[0], (void *)8, 1) == -1 &&
		       errno == EFAULT,
	       "read() into page 0: EFAULT");
	report(simd_survives_handler(), "q0-q31 survive a handler that overwrites them");
	report(rounding_mode_survives(), "rounding mode survives a handler that changes it");
	report(spinner_preempted(), "spinning child preempted, nanosleep 200 ms on time");
	printf("1..%d\n", cases);
	return failed != 0;
}
