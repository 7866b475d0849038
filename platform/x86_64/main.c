/* The x86_64 kernel's C entry: bring up console, descriptors, memory, then run. */
#include "x86.h"

#include "lib/kprintf.h"
#include "lib/string.h"
#include "mm/frame.h"

#define TIMER_HZ 100

/* Called from boot.S on the boot stack; start_pa is the PVH hvm_start_info. */
/* cleave.crash=1 makes a kernel page fault on purpose, to show (and let the runner's
 * own tests check) the register dump and the panic exit status. */
static void crash_if_asked(void)
{
	char v[8];

	if (x86_cmdline_get("cleave.crash", v, sizeof(v)) && !strcmp(v, "1"))
		*(volatile uint64_t *)0xdead000 = 1;
}

_Noreturn void x86_main(uint32_t start_pa);

/* Print what the command line asks for (init= and the test switch). */
static void print_cmdline(void)
{
	char init[128];

	kprintf("cmdline: \"%s\"\n", x86_cmdline());
	if (x86_cmdline_get("init", init, sizeof(init)))
		kprintf("init: %s\n", init);
}

/* True when the command line has cleave.test=1. */
static bool test_mode(void)
{
	char v[8];

	return x86_cmdline_get("cleave.test", v, sizeof(v)) && !strcmp(v, "1");
}

/* Hand usable RAM to the frame allocator and report it. */
static void memory_init(void)
{
	int err;

	pvh_print_memmap();
	err = frames_init();
	if (err)
		panic("x86_main: frames_init failed: %d", err);
	kprintf("frames: %zu free of %zu (%zu MiB)\n", frames_free_count(),
		frames_total_count(), frames_total_count() * PAGE_SIZE >> 20);
}

_Noreturn void x86_main(uint32_t start_pa)
{
	uart_init();
	kprintf("\nCleave x86_64 booting\n");
	pvh_parse(start_pa);
	gdt_init();
	idt_init();
	mmu_init();
	kprintf("mmu: higher half at 0x%llx, direct map at 0x%llx, SMEP %s, SMAP %s\n",
		X86_KERNEL_VMA, X86_DIRECT_MAP, mmu_has_smep() ? "on" : "off",
		mmu_has_smap() ? "on" : "off");
	print_cmdline();
	memory_init();
	timer_init(TIMER_HZ);
	kprintf("clock: TSC %llu kHz\n", (unsigned long long)clock_tsc_khz());
	crash_if_asked();
	if (test_mode())
		x86_exit(selftest_run() ? X86_EXIT_FAIL : X86_EXIT_PASS);
	kprintf("no init yet (core/proc missing): powering off\n");
	hal_halt(HAL_HALT_POWEROFF);
}
