/*
 * The current task's FP/SIMD state as signal frames carry it (core/hal.h): Linux's
 * struct fpsimd_context {head {magic, size}, fpsr, fpcr, vregs[32]}, 528 bytes. Both
 * directions first make the current task the FP/SIMD owner (task.c), so q0-q31, FPSR
 * and FPCR hold its state; fpsimd.S moves them.
 */
#include "a64.h"

#include "../../core/lib/errno.h"
#include "../../core/lib/kprintf.h"
#include "../../core/lib/string.h"
#include "../../core/proc/proc.h"

#define FPSIMD_MAGIC 0x46508001u

/* fpsimd.S's register file: q0..q31 (low half first), then FPSR and FPCR (the same
 * type as task.c's). */
struct fpsimd_area {
	uint64_t q[64];
	uint64_t fpsr, fpcr;
};

/* struct fpsimd_context of the arm64 signal frame. */
struct fpsimd_record {
	uint32_t magic, size;
	uint32_t fpsr, fpcr;
	uint64_t vregs[64]; /* 32 x 128 bits, little-endian */
};

_Static_assert(sizeof(struct fpsimd_record) == 528, "fpsimd_context size");
_Static_assert(offsetof(struct fpsimd_record, vregs) == 16, "fpsimd_context.vregs");

void fpsimd_save(struct fpsimd_area *a);
void fpsimd_load(const struct fpsimd_area *a);

/* Make the current task's state the live one. 0, or -ENOMEM (no save area). */
static int fpsimd_own_current(void)
{
	struct task *t = task_current();

	KASSERT(t);
	return fpsimd_switch_to(t) ? 0 : -ENOMEM;
}

/* Bytes of the frame FP record: struct fpsimd_context. */
size_t hal_fpu_state_size(void)
{
	return sizeof(struct fpsimd_record);
}

/* The fpsimd_context record of the current task. */
int hal_fpu_state_save(void *buf)
{
	struct fpsimd_area regs;
	struct fpsimd_record rec;
	int rc = fpsimd_own_current();

	if (rc)
		goto fail;
	fpsimd_save(&regs);
	rec.magic = FPSIMD_MAGIC;
	rec.size = sizeof(rec);
	rec.fpsr = (uint32_t)regs.fpsr;
	rec.fpcr = (uint32_t)regs.fpcr;
	memcpy(rec.vregs, regs.q, sizeof(rec.vregs));
	memcpy(buf, &rec, sizeof(rec));
	return 0;
fail:
	return rc;
}

/* Load the record in buf into the current task's registers if its head is right. */
int hal_fpu_state_restore(const void *buf)
{
	struct fpsimd_area regs;
	struct fpsimd_record rec;
	int rc = -EINVAL;

	memcpy(&rec, buf, sizeof(rec));
	if (rec.magic != FPSIMD_MAGIC || rec.size != sizeof(rec))
		goto fail;
	rc = fpsimd_own_current();
	if (rc)
		goto fail;
	memcpy(regs.q, rec.vregs, sizeof(regs.q));
	regs.fpsr = rec.fpsr;
	regs.fpcr = rec.fpcr;
	fpsimd_load(&regs);
	return 0;
fail:
	return rc;
}
