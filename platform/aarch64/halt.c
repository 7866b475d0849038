/*
 * Stopping the machine. Semihosting SYS_EXIT is tried first because it carries an
 * exit status to the host (QEMU -semihosting-config enable=on,target=native); when
 * semihosting is off the HLT traps as undefined, trap.c skips it through
 * halt_semihost_trap(), and PSCI SYSTEM_OFF (no status) is used instead.
 * Status mapping: enum a64_exit_status in a64.h (0 passed, 1 failed, 2 panic).
 */
#include "a64.h"
#include "sysreg.h"

#include "../../core/lib/kprintf.h"

#define SEMIHOST_SYS_EXIT 0x18
#define ADP_STOPPED_APPLICATION_EXIT 0x20026
#define PSCI_SYSTEM_OFF 0x84000008u

static enum a64_exit_status exit_status = A64_EXIT_PASSED;
static volatile bool semihost_trying, semihost_absent;

void halt_set_status(enum a64_exit_status status)
{
	exit_status = status;
}

/* Called by trap.c for an undefined-instruction trap: true when it was our HLT. */
bool halt_semihost_trap(struct trap_frame *tf)
{
	if (!semihost_trying)
		return false;
	semihost_absent = true;
	tf->elr += 4;
	return true;
}

/* Ask the host to exit with code; returns only when semihosting is unavailable. */
static void semihost_exit(unsigned code)
{
	uint64_t block[2] = { ADP_STOPPED_APPLICATION_EXIT, code };
	register uint64_t x0 __asm__("x0") = SEMIHOST_SYS_EXIT;
	register uint64_t x1 __asm__("x1") = (uint64_t)block;

	semihost_trying = true;
	__asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
	semihost_trying = false;
}

/* PSCI SYSTEM_OFF through the conduit named in the device tree. */
static void psci_system_off(void)
{
	register uint64_t x0 __asm__("x0") = PSCI_SYSTEM_OFF;

	if (boot_info.psci == PSCI_HVC)
		__asm__ volatile("hvc #0" : "+r"(x0) : : "memory");
	else if (boot_info.psci == PSCI_SMC)
		__asm__ volatile("smc #0" : "+r"(x0) : : "memory");
}

_Noreturn void hal_halt(enum hal_halt_reason why)
{
	unsigned code = why == HAL_HALT_PANIC ? A64_EXIT_PANIC : exit_status;

	irq_disable();
	if (why == HAL_HALT_POWEROFF && boot_info.test_mode)
		kprintf("cleave: power off (kernel stack high-water %zu of %u bytes)\n",
			kstack_high_water(), BOOT_STACK_SIZE);
	if (!semihost_absent)
		semihost_exit(code);
	psci_system_off();
	for (;;)
		cpu_wfi();
}
