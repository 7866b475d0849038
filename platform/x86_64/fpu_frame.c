/*
 * The current task's FPU/SSE state as signal frames carry it (core/hal.h): the
 * 512-byte FXSAVE image of Linux's 64-bit struct _fpstate (no XSAVE: CR4.OSXSAVE is
 * off, so sw_reserved carries no FP_XSTATE_MAGIC1 and stays zero). Both directions
 * first make the current task the FPU owner (fpu.c), so the registers hold its state.
 */
#include "x86.h"

#include "lib/errno.h"
#include "lib/kprintf.h"
#include "lib/string.h"
#include "proc/proc.h"

#define FX_SIZE 512
#define FX_MXCSR 24          /* offset of MXCSR in the image */
#define FX_MXCSR_MASK 28     /* offset of MXCSR_MASK */
#define FX_HW_END 464        /* fxsave writes bytes [0, 464); the rest is software's */
#define MXCSR_MASK_DEFAULT 0xffbfu /* what a zero MXCSR_MASK means (SDM 10.5.1.2) */

struct fx_image {
	uint8_t bytes[FX_SIZE];
} __attribute__((aligned(16)));

/* Save the live FPU/SSE state into a (bytes FX_HW_END and up are left as they are). */
static void fx_save(struct fx_image *a)
{
	__asm__ volatile("fxsave64 %0" : "=m"(*a));
}

/* Load the FPU/SSE state from a (whose MXCSR must fit the CPU's MXCSR_MASK). */
static void fx_load(const struct fx_image *a)
{
	__asm__ volatile("fxrstor64 %0" : : "m"(*a));
}

/* The 32-bit value at offset off of a. */
static uint32_t fx_get32(const struct fx_image *a, size_t off)
{
	uint32_t v;

	memcpy(&v, a->bytes + off, sizeof(v));
	return v;
}

/* The MXCSR bits this CPU accepts: fxrstor of any other set bit raises #GP. */
static uint32_t fx_mxcsr_mask(void)
{
	static uint32_t mask;
	struct fx_image a;

	if (!mask) {
		fx_save(&a);
		mask = fx_get32(&a, FX_MXCSR_MASK);
		if (!mask)
			mask = MXCSR_MASK_DEFAULT;
	}
	return mask;
}

/* Make the current task's state the live one. 0, or -ENOMEM (no save area). */
static int fx_own_current(void)
{
	struct task *t = task_current();

	KASSERT(t);
	return fpu_switch_to(t) ? 0 : -ENOMEM;
}

/* Bytes of the frame FP record: the FXSAVE image. */
size_t hal_fpu_state_size(void)
{
	return FX_SIZE;
}

/* The FXSAVE image of the current task, with the software-available tail zeroed. */
int hal_fpu_state_save(void *buf)
{
	struct fx_image a = { { 0 } };
	int rc = fx_own_current();

	if (rc)
		goto fail;
	fx_save(&a);
	memset(a.bytes + FX_HW_END, 0, FX_SIZE - FX_HW_END);
	memcpy(buf, &a, FX_SIZE);
	return 0;
fail:
	return rc;
}

/* Load buf into the current task's registers unless its MXCSR would fault. */
int hal_fpu_state_restore(const void *buf)
{
	struct fx_image a;
	int rc = -EINVAL;

	memcpy(&a, buf, FX_SIZE);
	if (fx_get32(&a, FX_MXCSR) & ~fx_mxcsr_mask())
		goto fail;
	rc = fx_own_current();
	if (rc)
		goto fail;
	fx_load(&a);
	return 0;
fail:
	return rc;
}
