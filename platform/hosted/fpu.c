/*
 * The simulated CPU's FP/SIMD register file (core/hal.h hal_fpu_*): the hosted CPU runs
 * no user code, so the "live" FP state is a buffer in the frame-record format of the
 * emulated architecture that tests set and read (hosted_fpu_regs). One register file
 * for whichever task is current, as on a CPU with eager switching and no other user.
 * Restore refuses what the modelled hardware or ABI refuses: x86_64, MXCSR bits outside
 * MXCSR_MASK 0xffff (QEMU's and current CPUs'); aarch64, a wrong record head.
 */
#include <string.h>

#include "hosted.h"
#include "lib/errno.h"

#if defined(HOSTED_FORMAT_x86_64)
#define FP_SIZE 512
#define FP_MXCSR 24
#define FP_MXCSR_MASK 0xffffu
#elif defined(HOSTED_FORMAT_aarch64)
#define FP_SIZE 528
#define FP_MAGIC 0x46508001u
#else
#error "define HOSTED_FORMAT_x86_64 or HOSTED_FORMAT_aarch64"
#endif

static uint8_t fp_regs[FP_SIZE];

/* The 32-bit value at offset off of the record at buf. */
static uint32_t fp_get32(const void *buf, size_t off)
{
	uint32_t v;

	memcpy(&v, (const uint8_t *)buf + off, sizeof(v));
	return v;
}

/* True when the modelled machine accepts the record at buf. */
static bool fp_record_ok(const void *buf)
{
#if defined(HOSTED_FORMAT_x86_64)
	return !(fp_get32(buf, FP_MXCSR) & ~FP_MXCSR_MASK);
#else
	return fp_get32(buf, 0) == FP_MAGIC && fp_get32(buf, 4) == FP_SIZE;
#endif
}

/* The live register file (hosted.h). */
void *hosted_fpu_regs(void)
{
	return fp_regs;
}

/* Bytes of the emulated architecture's frame record. */
size_t hal_fpu_state_size(void)
{
	return FP_SIZE;
}

/* Give the record at buf the head the real kernels write (aarch64 only). */
static void fp_stamp(void *buf)
{
#if defined(HOSTED_FORMAT_aarch64)
	const uint32_t head[2] = { FP_MAGIC, FP_SIZE };

	memcpy(buf, head, sizeof(head));
#else
	(void)buf;
#endif
}

/* The register file as a record; on aarch64 its head is always the valid one. */
int hal_fpu_state_save(void *buf)
{
	memcpy(buf, fp_regs, FP_SIZE);
	fp_stamp(buf);
	return 0;
}

/* Make buf the register file if the modelled machine accepts it. */
int hal_fpu_state_restore(const void *buf)
{
	if (!fp_record_ok(buf))
		return -EINVAL;
	memcpy(fp_regs, buf, FP_SIZE);
	return 0;
}
