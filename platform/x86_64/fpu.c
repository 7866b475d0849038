/*
 * User FPU/SSE state. The kernel is built with -mgeneral-regs-only, so the x87/SSE
 * registers always hold user state: they stay live across a trap and are only
 * switched when another task is about to run. Each task gets a 512-byte FXSAVE area
 * (x87, MMX, XMM0-15, MXCSR) lazily, keyed by task->platform, freed by hal_task_free.
 * XSAVE is not enabled (CR4.OSXSAVE stays 0), so CPUID tells programs that AVX state
 * is unavailable and they stay on SSE, which FXSAVE covers completely.
 * A new task starts with its creator's state, as on Linux: the live state is captured
 * when a task enters clone/fork/vfork, and a task's first switch-in copies that
 * capture; execve resets the state to the clean image (FNINIT, MXCSR 0x1f80).
 */
#include "x86.h"

#include "lib/kprintf.h"
#include "lib/string.h"
#include "proc/proc.h"

#define FXSAVE_SIZE 512
#define MXCSR_DEFAULT 0x1f80u

struct fpu_area {
	uint8_t bytes[FXSAVE_SIZE];
} __attribute__((aligned(16)));

static struct fpu_area clean_state, clone_state;
static bool clone_state_valid;
static struct task *fpu_owner; /* whose state is in the registers (NULL: nobody's) */

/* Save the live FPU/SSE state into a. */
static void fxsave(struct fpu_area *a)
{
	__asm__ volatile("fxsave64 %0" : "=m"(*a));
}

/* Load the FPU/SSE state from a. */
static void fxrstor(const struct fpu_area *a)
{
	__asm__ volatile("fxrstor64 %0" : : "m"(*a));
}

void fpu_init(void)
{
	uint32_t mxcsr = MXCSR_DEFAULT;

	__asm__ volatile("fninit\n\tldmxcsr %0" : : "m"(mxcsr));
	fxsave(&clean_state);
}

/* t's save area, allocated (from the clone capture or the clean image) on first use;
 * NULL when the heap is exhausted. */
static struct fpu_area *task_area(struct task *t)
{
	struct fpu_area *a = t->platform;

	if (a)
		return a;
	a = hal_heap_alloc(sizeof(*a));
	if (!a)
		return NULL;
	KASSERT(((uintptr_t)a & 15) == 0);
	memcpy(a, clone_state_valid ? &clone_state : &clean_state, sizeof(*a));
	t->platform = a;
	return a;
}

bool fpu_switch_to(struct task *t)
{
	struct fpu_area *a;

	if (fpu_owner == t)
		return true;
	a = task_area(t);
	if (!a)
		return false;
	if (fpu_owner)
		fxsave(fpu_owner->platform);
	fxrstor(a);
	fpu_owner = t;
	return true;
}

void fpu_note_clone(struct task *t)
{
	KASSERT(fpu_owner == t);
	fxsave(&clone_state);
	clone_state_valid = true;
}

void fpu_reset_live(struct task *t)
{
	KASSERT(fpu_owner == t);
	fxrstor(&clean_state);
}

void fpu_task_free(struct task *t)
{
	if (fpu_owner == t)
		fpu_owner = NULL;
	hal_heap_free(t->platform);
	t->platform = NULL;
}

/* The platform's part of freeing a task (core/hal.h). */
void hal_task_free(struct task *t)
{
	fpu_task_free(t);
}
