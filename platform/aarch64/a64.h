/*
 * Interfaces between the pieces of the aarch64 platform (not seen by core/).
 * Memory map: all physical memory is reached through a direct map at DMAP_BASE
 * (TTBR1, 1 GiB blocks); the kernel is linked at DMAP_BASE + its load address.
 */
#ifndef CLEAVE_A64_H
#define CLEAVE_A64_H

#define DMAP_BASE 0xffff000000000000 /* VA of physical address 0 */
#define KERNEL_PHYS 0x40080000       /* QEMU virt: RAM base + the header's text_offset */
#define BOOT_STACK_SIZE 65536      /* also the one kernel stack every EL0 entry uses */
#define TRAP_FRAME_SIZE 288           /* sizeof(struct trap_frame), for the vectors */
#define VMAP_BASE 0xffff008000000000 /* heap region for objects above a page (TTBR1) */
#define VMAP_SIZE (256ull << 20)

#ifndef __ASSEMBLER__

#include "../../core/hal.h"

/* ---- Boot (boot.S, kernel.ld) ---- */

extern char __kernel_start[], __kernel_end[], __bss_start[], __bss_end[];
extern char __text_start[], __text_end[];
extern uint64_t boot_l0_high[512]; /* TTBR1 root */
extern uint64_t boot_l1_high[512]; /* TTBR1 level-1 table: the 1 GiB direct-map blocks */
extern uint64_t boot_l0_empty[512]; /* empty TTBR0 root while no user space is active */
extern char vectors_el1[];

/* C entry from boot.S: MMU on, running at the high address, on the boot stack. */
_Noreturn void a64_main(paddr_t dtb_pa);

/* ---- Flattened device tree reader (fdt.c) ---- */

struct fdt {
	const unsigned char *blob;
	const unsigned char *structs; /* structure block */
	const char *strings;          /* strings block */
	unsigned struct_size, strings_size, total_size;
};

/* Validate the header of the blob at fdt and fill f; returns 0 or -EINVAL. */
int fdt_open(struct fdt *f, const void *blob);
/* Offset of the next node after node (or of the root when node < 0); -1 at the end.
 * *depth tracks nesting (root = 0); pass the value returned by the previous call. */
int fdt_next_node(const struct fdt *f, int node, int *depth);
/* Name of the node at offset node ("" for the root). */
const char *fdt_node_name(const struct fdt *f, int node);
/* Value of property name of node and its length in *len; NULL when absent. */
const void *fdt_prop(const struct fdt *f, int node, const char *name, unsigned *len);
/* First node whose "compatible" list contains compat, or -1. */
int fdt_find_compatible(const struct fdt *f, const char *compat);
/* First node at depth 1 whose name (before '@') is name, or -1. */
int fdt_find_top(const struct fdt *f, const char *name);
/* Big-endian cell i (32 bits) of a property value. */
uint32_t fdt_cell(const void *val, unsigned i);
/* Read a cells-wide (1 or 2) big-endian number at cell index *i; advances *i. */
uint64_t fdt_read_num(const void *val, unsigned *i, unsigned cells);
/* (#address-cells, #size-cells) of the root node's children (default 2, 1). */
void fdt_root_cells(const struct fdt *f, unsigned *acells, unsigned *scells);
/* Base and size of the first "reg" entry of node; returns 0 or -ENOENT. */
int fdt_reg(const struct fdt *f, int node, uint64_t *base, uint64_t *size);
/* Entry i of the memory reservation block; returns 0 or -ENOENT past the last one. */
int fdt_mem_rsv(const struct fdt *f, unsigned i, uint64_t *base, uint64_t *size);

/* ---- Boot facts collected from the device tree (platform.c) ---- */

enum psci_conduit { PSCI_NONE, PSCI_HVC, PSCI_SMC };

struct boot_info {
	paddr_t dtb_pa, dtb_size;
	paddr_t uart_pa;
	enum psci_conduit psci;
	const char *cmdline; /* /chosen bootargs, "" when absent */
	paddr_t initrd_start, initrd_end;
	paddr_t gic_dist_pa, gic_cpu_pa; /* GIC distributor and CPU interface / redistributor */
	unsigned gic_version;            /* 2 or 3, 0 when not found */
	unsigned timer_intid;            /* INTID of the EL1 virtual timer (PPI) */
	unsigned uart_intid;             /* INTID of the PL011 (SPI), 0 when unknown */
	bool test_mode;                  /* cleave.test=1 */
};

extern struct boot_info boot_info;

/* Value of key=value on the command line copied into buf, or NULL when absent. */
const char *cmdline_get(const char *key, char *buf, size_t size);

/* ---- Console (uart.c) ---- */

/* Use the PL011 at physical address pa from now on and enable it. */
void uart_init(paddr_t pa);
/* Next received byte, or -1 when none is waiting. */
int uart_getc(void);
/* Enable the receive interrupt (intid from the device tree) and route it to us. */
void uart_enable_rx_irq(void);
/* The UART's interrupt: hand every received byte to the console. */
void uart_irq(void);

/* ---- MMU (mmu.c) ---- */

/* Map exactly the RAM ranges and the first GiB of MMIO in the direct map; drop the
 * boot identity map; turn PAN on when the CPU has it. */
void mmu_init(const struct hal_phys_range *ram, size_t n);
/* True when PAN was enabled at boot. */
bool mmu_pan_enabled(void);
/* Map the frame at pa read/write (kernel only, never executable) at va in the vmap
 * region, where nothing is mapped. */
void kmap_map(vaddr_t va, paddr_t pa);
/* Remove the vmap mapping at va (and its TLB entries); returns the frame it mapped. */
paddr_t kmap_unmap(vaddr_t va);
/* Make n bytes at kernel address va, just written as data, safe to execute at any
 * address mapping the same memory: clean the D-cache to the point of unification and
 * invalidate the I-cache. */
void cache_sync_exec(const void *va, size_t n);

/* ---- Exceptions (trap.c, vectors.S) ---- */

/* Register state saved by the exception vectors, in this order (see vectors.S). */
struct trap_frame {
	uint64_t x[31]; /* x0..x30 */
	uint64_t sp;    /* the interrupted stack pointer (SP_EL0 or SP_EL1) */
	uint64_t elr, spsr, esr, far;
};

/* Called from vectors.S for every exception; kind is the vector slot 0..15. */
void trap_dispatch(struct trap_frame *tf, unsigned kind);
/* Acknowledge and handle pending interrupts (timer, UART receive); true when the
 * timer ticked. */
bool irq_handle(void);
/* vectors.S: restore the EL0 state in tf (at the top of the kernel stack) and ERET. */
_Noreturn void a64_user_enter(struct trap_frame *tf);

/* ---- Tasks (task.c) and user copies (usercopy.c, uaccess.S) ---- */

/* An exception from EL0 (slots 8..11): handle it for the current task, then load the
 * task proc_schedule() picks into tf for the return to EL0. */
void a64_el0_trap(struct trap_frame *tf, unsigned kind);
/* Fill the unused part of the kernel stack with a pattern (boot, before userspace). */
void kstack_paint(void);
/* Deepest kernel stack use in bytes since kstack_paint(). */
size_t kstack_high_water(void);
/* Enter user mode with the first runnable task (init); IRQs get masked. */
_Noreturn void a64_run_userspace(void);
/* Make t's FP/SIMD state the live one in q0-q31/FPSR/FPCR (saving the previous
 * owner's); false when its save area cannot be allocated. */
bool fpsimd_switch_to(struct task *t);
/* An EL1 abort: when tf->elr is a user-copy access, resolve the fault or redirect the
 * copy to its fixup, and return true; false for any other kernel abort. */
bool uaccess_fault(struct trap_frame *tf);
/* Print a readable dump of tf (registers, ESR decoded, FAR). */
void trap_dump(const struct trap_frame *tf, unsigned kind);
/* Let the next BRK instruction at EL1 be counted and skipped instead of panicking. */
void trap_expect_brk(void);
/* Number of expected BRK exceptions taken so far. */
unsigned trap_brk_count(void);

/* ---- Stopping (halt.c) ---- */

/* Exit statuses seen by the host when semihosting is on (the test runner's contract). */
enum a64_exit_status {
	A64_EXIT_PASSED = 0, /* normal power-off, every test passed */
	A64_EXIT_FAILED = 1, /* tests ran and at least one failed */
	A64_EXIT_PANIC = 2,  /* panic or unexpected exception */
};

/* Status reported by the next hal_halt(HAL_HALT_POWEROFF). */
void halt_set_status(enum a64_exit_status status);
/* For trap.c: true (and the HLT skipped) when an undefined-instruction trap came from
 * the semihosting call of hal_halt() on a QEMU without semihosting. */
bool halt_semihost_trap(struct trap_frame *tf);

/* ---- Heap (heap.c) ---- */

/* Frames the heap holds right now (slabs and large objects). */
size_t heap_frames_in_use(void);

/* ---- Timer and interrupts (timer.c, gic.c) ---- */

/* Set up the interrupt controller found in boot_info; returns 0 or -ENODEV. */
int gic_init(void);
/* Enable delivery of interrupt intid (a PPI or SPI) to this CPU. */
void gic_enable_irq(unsigned intid);
/* Acknowledge the pending interrupt; returns its INTID (1023 = spurious). */
unsigned gic_ack(void);
/* Signal the end of handling intid. */
void gic_eoi(unsigned intid);

/* Start the periodic tick of hz interrupts per second on the virtual timer. */
void timer_init(unsigned hz);
/* Called for the timer interrupt: re-arms it and counts the tick. */
void timer_irq(void);
/* Number of ticks since timer_init(). */
uint64_t timer_ticks(void);
/* Monotonic time since boot in nanoseconds, from CNTVCT_EL0 and CNTFRQ_EL0. */
uint64_t timer_ns(void);

/* ---- In-kernel self tests (selftest.c) ---- */

/* Run the boot-time checks, print TAP, and return the number of failures. */
unsigned selftest_run(void);

#endif /* __ASSEMBLER__ */
#endif
