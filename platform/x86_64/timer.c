/*
 * Time: the 8254 PIT drives a periodic tick on IRQ 0 (vector 32), and the TSC,
 * calibrated once against PIT channel 2, gives a monotonic nanosecond clock.
 * ns = ((tsc - tsc_base) * mult) >> 32 with a 64x64->128 multiply: no division at
 * run time, no overflow for centuries.
 */
#include "x86.h"

#include "lib/kprintf.h"

#define PIT_HZ 1193182u
#define PIT_CH0 0x40
#define PIT_CH2 0x42
#define PIT_CMD 0x43
#define PIT_GATE 0x61 /* bit 0: channel 2 gate, bit 1: speaker, bit 5: channel 2 out */
#define CALIBRATE_MS 25
#define VEC_TIMER 32

static volatile uint64_t ticks;
static uint64_t tsc_base, tsc_khz, ns_mult;

/* Measure TSC cycles elapsed while PIT channel 2 counts down CALIBRATE_MS. */
static uint64_t tsc_cycles_per_window(void)
{
	uint16_t count = PIT_HZ / 1000 * CALIBRATE_MS;
	uint64_t t0, t1;

	outb(PIT_GATE, (inb(PIT_GATE) & ~0x03) | 0x01); /* gate on, speaker off */
	outb(PIT_CMD, 0xb0); /* channel 2, lobyte/hibyte, mode 0 (one-shot) */
	outb(PIT_CH2, count & 0xff);
	outb(PIT_CH2, count >> 8);
	t0 = rdtsc();
	while (!(inb(PIT_GATE) & 0x20))
		if (rdtsc() - t0 > (1ull << 40))
			panic("timer: PIT channel 2 never finished counting");
	t1 = rdtsc();
	return t1 - t0;
}

/* Calibrate the TSC (best of three windows) and derive the ns multiplier. */
static void tsc_calibrate(void)
{
	uint64_t best = ~0ull;

	for (int i = 0; i < 3; i++) {
		uint64_t c = tsc_cycles_per_window();

		best = MIN(best, c);
	}
	tsc_khz = best / CALIBRATE_MS;
	if (!tsc_khz)
		panic("timer: TSC does not advance");
	ns_mult = (1000000ull << 32) / tsc_khz;
	tsc_base = rdtsc();
}

/* IRQ 0: one more tick. */
static void timer_irq(struct trap_frame *tf)
{
	UNUSED(tf);
	ticks++;
}

void timer_init(unsigned hz)
{
	uint32_t divisor = PIT_HZ / hz;

	tsc_calibrate();
	outb(PIT_CMD, 0x34); /* channel 0, lobyte/hibyte, mode 2 (rate generator) */
	outb(PIT_CH0, divisor & 0xff);
	outb(PIT_CH0, (divisor >> 8) & 0xff);
	trap_set_irq_handler(VEC_TIMER, timer_irq);
	sti();
}

uint64_t timer_ticks(void)
{
	return ticks;
}

uint64_t clock_monotonic_ns(void)
{
	unsigned __int128 d;

	if (!ns_mult)
		return 0;
	d = (unsigned __int128)(rdtsc() - tsc_base) * ns_mult;
	return (uint64_t)(d >> 32);
}

uint64_t clock_tsc_khz(void)
{
	return tsc_khz;
}

/* Monotonic nanoseconds since boot (core/hal.h): the calibrated TSC. */
uint64_t hal_clock_ns(void)
{
	return clock_monotonic_ns();
}
