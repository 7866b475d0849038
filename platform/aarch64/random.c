/*
 * hal_random_bytes: the RNDR register (FEAT_RNG, ID_AA64ISAR0_EL1.RNDR) when the CPU
 * has it, else the virtual counter mixed through a 64-bit finaliser with a running
 * state (unpredictable enough for AT_RANDOM and stack canaries on an emulator, not
 * for cryptography).
 */
#include "a64.h"
#include "sysreg.h"

#include "../../core/lib/string.h"

#define ISAR0_RNDR(v) (((v) >> 60) & 0xf)

static uint64_t mix_state = 0x9e3779b97f4a7c15ull;

/* One RNDR value into *v; false when the CPU has none or it failed (NZCV.Z set). */
static bool rndr(uint64_t *v)
{
	uint64_t val, nzcv;

	if (ISAR0_RNDR(sysreg_read(id_aa64isar0_el1)) == 0)
		return false;
	__asm__ volatile("mrs %0, s3_3_c2_c4_0\n\tmrs %1, nzcv" : "=r"(val), "=r"(nzcv));
	*v = val;
	return !(nzcv & (1ull << 30));
}

/* The next counter-mixed value (splitmix64 over the state plus CNTVCT_EL0). */
static uint64_t counter_mix(void)
{
	uint64_t z;

	isb();
	mix_state += 0x9e3779b97f4a7c15ull + sysreg_read(cntvct_el0);
	z = mix_state;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

void hal_random_bytes(void *buf, size_t n)
{
	unsigned char *p = buf;

	while (n) {
		uint64_t v;
		size_t k = MIN(n, sizeof(v));

		if (!rndr(&v))
			v = counter_mix();
		memcpy(p, &v, k);
		p += k;
		n -= k;
	}
}
