/* The generic timer: a periodic tick on the EL1 virtual timer and a monotonic clock. */
#include "a64.h"
#include "sysreg.h"

#define CNTV_CTL_ENABLE 1u

static uint64_t tick_interval; /* counter increments per tick */
static volatile uint64_t ticks;

/* Arm the virtual timer to fire tick_interval counts from now. */
static void timer_arm(void)
{
	sysreg_write(cntv_tval_el0, tick_interval);
	sysreg_write(cntv_ctl_el0, CNTV_CTL_ENABLE);
	isb();
}

void timer_init(unsigned hz)
{
	tick_interval = sysreg_read(cntfrq_el0) / hz;
	gic_enable_irq(boot_info.timer_intid);
	timer_arm();
}

void timer_irq(void)
{
	ticks++;
	timer_arm();
}

uint64_t timer_ticks(void)
{
	return ticks;
}

uint64_t timer_ns(void)
{
	uint64_t freq = sysreg_read(cntfrq_el0), cnt;

	isb();
	cnt = sysreg_read(cntvct_el0);
	return cnt / freq * 1000000000ull + cnt % freq * 1000000000ull / freq;
}

uint64_t hal_clock_ns(void)
{
	return timer_ns();
}
