/* The x86_64 kernel's C entry: bring up console, descriptors, memory, then run. */
#include "x86.h"

#include "lib/kprintf.h"
#include "lib/string.h"
#include "mm/frame.h"
#include "proc/init.h"

#define TIMER_HZ 100
#define INIT_DEFAULT "/init"
#define CMD_SEPARATOR " -- "
#define MAX_ENV 8

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

/* The command line after " -- " (the CLEAVE_CMD line for init), or NULL. */
static const char *cmdline_command(void)
{
	const char *c = x86_cmdline();

	for (; *c; c++)
		if (!strncmp(c, CMD_SEPARATOR, strlen(CMD_SEPARATOR)))
			return c + strlen(CMD_SEPARATOR);
	return NULL;
}

/* init's environment: a PATH and HOME, CLEAVE_TEST=1 in test mode, CLEAVE_CMD=line
 * when the command line carries one after " -- ". Strings live in static storage. */
static void build_init_env(const char *envp[MAX_ENV])
{
	static char cmd_env[1100];
	const char *cmd = cmdline_command();
	unsigned n = 0;

	envp[n++] = "PATH=/bin";
	envp[n++] = "HOME=/";
	envp[n++] = "TERM=vt100";
	if (test_mode())
		envp[n++] = "CLEAVE_TEST=1";
	if (cmd) {
		size_t len = MIN(strlen(cmd), sizeof(cmd_env) - 12);

		memcpy(cmd_env, "CLEAVE_CMD=", 11);
		memcpy(cmd_env + 11, cmd, len);
		cmd_env[11 + len] = '\0';
		envp[n++] = cmd_env;
	}
	envp[n] = NULL;
}

/* Unpack the initramfs (boot module 0), start init as pid 1 and enter user mode. */
static _Noreturn void start_userspace(void)
{
	static char init[128];
	const char *envp[MAX_ENV];
	paddr_t pa = 0;
	size_t size = 0;
	int rc;

	if (!x86_cmdline_get("init", init, sizeof(init)))
		memcpy(init, INIT_DEFAULT, sizeof(INIT_DEFAULT));
	if (!pvh_module(0, &pa, &size))
		kprintf("no initramfs module (-initrd)\n");
	build_init_env(envp);
	kprintf("initramfs: %zu bytes at 0x%llx\n", size, (unsigned long long)pa);
	rc = kernel_start_userspace(size ? hal_phys_to_virt(pa) : NULL, size, init, envp);
	if (rc)
		panic("x86_main: cannot start %s: error %d", init, rc);
	kprintf("cleave: starting %s as pid 1\n", init);
	x86_run_userspace();
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
	kstack_init();
	syscall_init();
	fpu_init();
	timer_init(TIMER_HZ);
	kprintf("clock: TSC %llu kHz\n", (unsigned long long)clock_tsc_khz());
	crash_if_asked();
	if (test_mode() && selftest_run())
		x86_selftest_failed = true;
	cli();
	uart_enable_rx_irq();
	start_userspace();
}
