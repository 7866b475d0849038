/*
 * Boot in C: read the device tree (memory, UART, PSCI, GIC, command line), finish the
 * MMU set-up, hand usable RAM to the frame allocator, then run the self tests or stop.
 */
#include "a64.h"
#include "sysreg.h"

#include "../../core/lib/errno.h"
#include "../../core/lib/kprintf.h"
#include "../../core/lib/string.h"
#include "../../core/mm/frame.h"
#include "../../core/proc/init.h"

#define MAX_RANGES 16
#define UART0_DEFAULT 0x09000000
#define TICK_HZ 100
#define INIT_DEFAULT "/init"
#define CMD_SEPARATOR " -- "
#define MAX_ENV 8

struct boot_info boot_info;
static char cmdline_buf[512];
static struct hal_phys_range ram[MAX_RANGES]; /* all RAM from the device tree */
static size_t ram_count;
static struct hal_phys_range usable[MAX_RANGES]; /* RAM minus what boot still uses */
static size_t usable_count;

size_t hal_ram_ranges(const struct hal_phys_range **ranges)
{
	*ranges = usable;
	return usable_count;
}

/* Add every reg entry of the memory node to ram[]. */
static void dt_memory_node(const struct fdt *f, int node)
{
	unsigned ac, sc, len, i = 0;
	const void *reg = fdt_prop(f, node, "reg", &len);

	fdt_root_cells(f, &ac, &sc);
	if (!reg || ac + sc == 0)
		return;
	while ((i + ac + sc) * 4 <= len && ram_count < MAX_RANGES) {
		ram[ram_count].base = fdt_read_num(reg, &i, ac);
		ram[ram_count].size = fdt_read_num(reg, &i, sc);
		if (ram[ram_count].size)
			ram_count++;
	}
}

/* Collect the RAM ranges from every top-level memory node; returns 0 or -ENOENT. */
static int dt_memory(const struct fdt *f)
{
	int depth = 0, node;

	for (node = fdt_next_node(f, -1, &depth); node >= 0;
	     node = fdt_next_node(f, node, &depth)) {
		const char *name = fdt_node_name(f, node);

		if (depth == 1 && strncmp(name, "memory", 6) == 0 &&
		    (name[6] == '\0' || name[6] == '@'))
			dt_memory_node(f, node);
	}
	return ram_count ? 0 : -ENOENT;
}

/* Read /chosen: bootargs into cmdline_buf, and the initrd location if present. */
static void dt_chosen(const struct fdt *f)
{
	int node = fdt_find_top(f, "chosen");
	const char *args;
	const void *v;
	unsigned len, i = 0;

	boot_info.cmdline = "";
	if (node < 0)
		return;
	args = fdt_prop(f, node, "bootargs", &len);
	if (args && len > 0) {
		len = MIN(len, (unsigned)sizeof(cmdline_buf) - 1);
		memcpy(cmdline_buf, args, len);
		cmdline_buf[len] = '\0';
		boot_info.cmdline = cmdline_buf;
	}
	v = fdt_prop(f, node, "linux,initrd-start", &len);
	if (v && (len == 4 || len == 8))
		boot_info.initrd_start = fdt_read_num(v, &i, len / 4);
	i = 0;
	v = fdt_prop(f, node, "linux,initrd-end", &len);
	if (v && (len == 4 || len == 8))
		boot_info.initrd_end = fdt_read_num(v, &i, len / 4);
}

/* Find the GIC: version from "compatible", distributor and CPU interface (v2) or
 * redistributor (v3) base from the first two "reg" entries. */
static void dt_gic(const struct fdt *f)
{
	unsigned ac, sc, len, i = 0;
	int node = fdt_find_compatible(f, "arm,gic-v3");
	const void *reg;

	boot_info.gic_version = 3;
	if (node < 0) {
		boot_info.gic_version = 2;
		node = fdt_find_compatible(f, "arm,cortex-a15-gic");
	}
	fdt_root_cells(f, &ac, &sc);
	reg = node >= 0 ? fdt_prop(f, node, "reg", &len) : NULL;
	if (!reg || ac > 2 || sc > 2 || len < 8 * (ac + sc)) {
		boot_info.gic_version = 0;
		return;
	}
	boot_info.gic_dist_pa = fdt_read_num(reg, &i, ac);
	i += sc;
	boot_info.gic_cpu_pa = fdt_read_num(reg, &i, ac);
}

/* INTID of the virtual timer: third entry of /timer "interrupts" (PPI 11 -> 27). */
static void dt_timer(const struct fdt *f)
{
	int node = fdt_find_compatible(f, "arm,armv8-timer");
	unsigned len = 0;
	const void *irqs = node >= 0 ? fdt_prop(f, node, "interrupts", &len) : NULL;

	boot_info.timer_intid = 27;
	if (irqs && len >= 36)
		boot_info.timer_intid = 16 + fdt_cell(irqs, 7);
}

/* INTID of the UART's interrupt: "interrupts" = <type number flags>, type 0 = SPI. */
static void dt_uart_irq(const struct fdt *f, int node)
{
	unsigned len = 0;
	const void *irqs = node >= 0 ? fdt_prop(f, node, "interrupts", &len) : NULL;

	if (irqs && len >= 12)
		boot_info.uart_intid = (fdt_cell(irqs, 0) == 0 ? 32 : 16) + fdt_cell(irqs, 1);
}

/* Find the UART and the PSCI conduit. */
static void dt_devices(const struct fdt *f)
{
	uint64_t base, size;
	int node = fdt_find_compatible(f, "arm,pl011");
	const char *method;
	unsigned len;

	boot_info.uart_pa = UART0_DEFAULT;
	if (node >= 0 && fdt_reg(f, node, &base, &size) == 0)
		boot_info.uart_pa = base;
	dt_uart_irq(f, node);
	node = fdt_find_compatible(f, "arm,psci-0.2");
	if (node < 0)
		node = fdt_find_compatible(f, "arm,psci");
	method = node >= 0 ? fdt_prop(f, node, "method", &len) : NULL;
	if (method && strncmp(method, "hvc", len) == 0)
		boot_info.psci = PSCI_HVC;
	else if (method && strncmp(method, "smc", len) == 0)
		boot_info.psci = PSCI_SMC;
	dt_gic(f);
	dt_timer(f);
}

/* Parse the device tree at physical dtb_pa into boot_info and ram[]; 0 or -errno. */
static int dt_parse(paddr_t dtb_pa)
{
	struct fdt f;
	int err = fdt_open(&f, hal_phys_to_virt(dtb_pa));
	const char *test;
	char val[8];

	if (err < 0)
		goto fail;
	boot_info.dtb_pa = dtb_pa;
	boot_info.dtb_size = f.total_size;
	err = dt_memory(&f);
	if (err < 0)
		goto fail;
	dt_chosen(&f);
	dt_devices(&f);
	test = cmdline_get("cleave.test", val, sizeof(val));
	boot_info.test_mode = test && strcmp(test, "1") == 0;
	return 0;
fail:
	return err;
}

const char *cmdline_get(const char *key, char *buf, size_t size)
{
	const char *s = boot_info.cmdline ? boot_info.cmdline : "";
	size_t klen = strlen(key);

	while (*s) {
		size_t n = 0;

		while (*s == ' ')
			s++;
		while (s[n] && s[n] != ' ')
			n++;
		if (n > klen && strncmp(s, key, klen) == 0 && s[klen] == '=' && size > 0) {
			size_t vlen = MIN(n - klen - 1, size - 1);

			memcpy(buf, s + klen + 1, vlen);
			buf[vlen] = '\0';
			return buf;
		}
		s += n;
	}
	return NULL;
}

/* Remove [base, base+size) from usable[]: keep the pieces on either side of it. */
static void usable_remove(paddr_t base, paddr_t size)
{
	paddr_t end = base + size;

	for (size_t i = 0; i < usable_count; i++) {
		paddr_t rb = usable[i].base, re = rb + usable[i].size;

		if (end <= rb || base >= re)
			continue;
		usable[i].size = base > rb ? base - rb : 0;
		if (end < re && usable_count < MAX_RANGES) {
			usable[usable_count].base = end;
			usable[usable_count++].size = re - end;
		}
	}
}

/* Page-align every usable range inwards and drop the empty ones. */
static void usable_trim(void)
{
	size_t n = 0;

	for (size_t i = 0; i < usable_count; i++) {
		paddr_t b = ALIGN_UP(usable[i].base, 4096);
		paddr_t e = ALIGN_DOWN(usable[i].base + usable[i].size, 4096);

		if (e > b) {
			usable[n].base = b;
			usable[n++].size = e - b;
		}
	}
	usable_count = n;
}

/* usable[] = RAM minus the kernel image, the DTB, its reservations and the initrd. */
static void usable_compute(void)
{
	struct fdt f;
	uint64_t base, size;

	memcpy(usable, ram, sizeof(ram));
	usable_count = ram_count;
	usable_remove(hal_virt_to_phys(__kernel_start),
		      (paddr_t)(__kernel_end - __kernel_start));
	usable_remove(ALIGN_DOWN(boot_info.dtb_pa, 4096),
		      ALIGN_UP(boot_info.dtb_pa + boot_info.dtb_size, 4096) -
			      ALIGN_DOWN(boot_info.dtb_pa, 4096));
	if (boot_info.initrd_end > boot_info.initrd_start)
		usable_remove(boot_info.initrd_start,
			      boot_info.initrd_end - boot_info.initrd_start);
	if (fdt_open(&f, hal_phys_to_virt(boot_info.dtb_pa)) == 0)
		for (unsigned i = 0; fdt_mem_rsv(&f, i, &base, &size) == 0; i++)
			usable_remove(base, size);
	usable_trim();
}

/* Print what the boot found: EL, memory, devices, command line. */
static void boot_report(void)
{
	size_t total = 0;

	for (size_t i = 0; i < ram_count; i++)
		total += ram[i].size;
	kprintf("cleave: aarch64, EL%lu, %zu MiB RAM at 0x%lx, kernel 0x%lx-0x%lx\n",
		(unsigned long)(sysreg_read(CurrentEL) >> 2), total >> 20,
		(unsigned long)ram[0].base, (unsigned long)hal_virt_to_phys(__kernel_start),
		(unsigned long)hal_virt_to_phys(__kernel_end));
	kprintf("cleave: dtb 0x%lx (%lu bytes), uart 0x%lx, gic v%u at 0x%lx, psci %s, pan %s\n",
		(unsigned long)boot_info.dtb_pa, (unsigned long)boot_info.dtb_size,
		(unsigned long)boot_info.uart_pa, boot_info.gic_version,
		(unsigned long)boot_info.gic_dist_pa,
		boot_info.psci == PSCI_HVC ? "hvc" : boot_info.psci == PSCI_SMC ? "smc" : "none",
		mmu_pan_enabled() ? "on" : "off");
	kprintf("cleave: command line \"%s\"\n", boot_info.cmdline);
	kprintf("cleave: %zu free frames (%zu MiB)\n", frames_free_count(),
		frames_free_count() >> 8);
}

/* cleave.crash=abort|undef|hang|panic: fail on purpose, to check the dump and the runner. */
static void boot_crash_on_request(void)
{
	char how[16];

	if (!cmdline_get("cleave.crash", how, sizeof(how)))
		return;
	if (strcmp(how, "abort") == 0)
		*(volatile uint64_t *)0xffff800000000010ull = 1;
	if (strcmp(how, "undef") == 0)
		__asm__ volatile(".inst 0x00000000" ::: "memory");
	while (strcmp(how, "hang") == 0)
		cpu_wfi();
	panic("cleave.crash=%s requested", how);
}

/* The command line after " -- " (the CLEAVE_CMD line for init), or NULL. */
static const char *cmdline_command(void)
{
	const char *c = boot_info.cmdline;
	size_t sep = strlen(CMD_SEPARATOR);

	for (; *c; c++)
		if (!strncmp(c, CMD_SEPARATOR, sep))
			return c + sep;
	return NULL;
}

/* init's environment: PATH, HOME and TERM, CLEAVE_TEST=1 in test mode, CLEAVE_CMD=line
 * when the command line carries one after " -- ". Strings live in static storage. */
static void build_init_env(const char *envp[MAX_ENV])
{
	static char cmd_env[sizeof(cmdline_buf) + 16];
	const char *cmd = cmdline_command();
	unsigned n = 0;

	envp[n++] = "PATH=/bin";
	envp[n++] = "HOME=/";
	envp[n++] = "TERM=vt100";
	if (boot_info.test_mode)
		envp[n++] = "CLEAVE_TEST=1";
	if (cmd) {
		ksnprintf(cmd_env, sizeof(cmd_env), "CLEAVE_CMD=%s", cmd);
		envp[n++] = cmd_env;
	}
	envp[n] = NULL;
}

/* Unpack the initramfs, start init= (default /init) as pid 1 and enter user mode. */
static _Noreturn void start_userspace(void)
{
	static char init[128];
	const char *envp[MAX_ENV];
	paddr_t start = boot_info.initrd_start, end = boot_info.initrd_end;
	size_t size = end > start ? end - start : 0;
	int rc;

	if (!cmdline_get("init", init, sizeof(init)))
		memcpy(init, INIT_DEFAULT, sizeof(INIT_DEFAULT));
	if (!size)
		kprintf("cleave: no initramfs (QEMU -initrd)\n");
	else
		kprintf("cleave: initramfs %zu bytes at 0x%lx\n", size, (unsigned long)start);
	build_init_env(envp);
	rc = kernel_start_userspace(size ? hal_phys_to_virt(start) : NULL, size, init, envp);
	if (rc)
		panic("a64_main: cannot start %s: error %d", init, rc);
	kprintf("cleave: starting %s as pid 1\n", init);
	a64_run_userspace();
}

_Noreturn void a64_main(paddr_t dtb_pa)
{
	int err = dt_parse(dtb_pa);

	if (err < 0)
		panic("a64_main: no usable device tree at 0x%lx (%d)", (unsigned long)dtb_pa, err);
	uart_init(boot_info.uart_pa);
	mmu_init(ram, ram_count);
	usable_compute();
	err = frames_init();
	if (err < 0)
		panic("a64_main: frames_init failed (%d)", err);
	boot_report();
	boot_crash_on_request();
	if (gic_init() == 0) {
		timer_init(TICK_HZ);
		irq_enable();
	}
	if (boot_info.test_mode && selftest_run())
		halt_set_status(A64_EXIT_FAILED);
	irq_disable();
	uart_enable_rx_irq();
	kstack_paint();
	start_userspace();
}
