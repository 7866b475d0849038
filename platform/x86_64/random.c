/* hal_random_bytes: RDRAND when CPUID has it, else a TSC-seeded mixer. Good enough
 * for AT_RANDOM and stack canaries; not a cryptographic source without RDRAND. */
#include "x86.h"

#define RDRAND_TRIES 10
#define CPUID1_ECX_RDRAND (1u << 30)

/* True when CPUID.1:ECX reports RDRAND (checked once). */
static bool have_rdrand(void)
{
	static int known = -1;
	uint32_t r[4];

	if (known < 0) {
		cpuid(1, 0, r);
		known = (r[2] & CPUID1_ECX_RDRAND) != 0;
	}
	return known;
}

/* One 64-bit RDRAND value in *v; false when the generator stayed busy. */
static bool rdrand64(uint64_t *v)
{
	for (int i = 0; i < RDRAND_TRIES; i++) {
		uint8_t ok;

		__asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok) : : "cc");
		if (ok)
			return true;
	}
	return false;
}

/* The next value of a splitmix64 sequence re-seeded from the TSC on every call. */
static uint64_t tsc_mix(void)
{
	static uint64_t state;
	uint64_t z;

	state += 0x9e3779b97f4a7c15ull ^ rdtsc();
	z = state;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

void hal_random_bytes(void *buf, size_t n)
{
	uint8_t *p = buf;

	while (n) {
		uint64_t v;
		size_t k = MIN(n, sizeof(v));

		if (!have_rdrand() || !rdrand64(&v))
			v = tsc_mix();
		for (size_t i = 0; i < k; i++)
			p[i] = (uint8_t)(v >> (8 * i));
		p += k;
		n -= k;
	}
}
