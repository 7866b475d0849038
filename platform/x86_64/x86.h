/*
 * x86_64 platform internals: memory layout, CPU register access and the interfaces
 * between the platform's own parts (boot, MMU, descriptors, traps, UART, timer).
 * Nothing here crosses into core/: core sees only hal.h.
 */
#ifndef CLEAVE_X86_H
#define CLEAVE_X86_H

#include "hal.h"
#include "uregs.h"

struct task;

/* ---- Virtual memory layout (4-level paging, 48-bit addresses) ------------------- */

/* The kernel image is linked here (top 2 GiB, -mcmodel=kernel) and maps phys 0. */
#define X86_KERNEL_VMA 0xffffffff80000000ull
/* All physical memory is mapped linearly from here (PML4 slot 256). */
#define X86_DIRECT_MAP 0xffff800000000000ull
/* Page-granular kernel virtual region for large heap objects (PML4 slot 384). */
#define X86_VMAP_BASE 0xffffc00000000000ull
#define X86_VMAP_SIZE (1ull << 39)
/* First PML4 slot of the kernel half; slots below it belong to user space. */
#define X86_PML4_KERNEL_FIRST 256
#define X86_PAGE_SIZE 4096ull

/* ---- Segment selectors: the GDT layout is fixed by uregs.h (SYSRET order) ------ */

#define X86_SEL_KCODE X86_KERNEL_CS
#define X86_SEL_KDATA X86_KERNEL_SS
#define X86_SEL_UDATA X86_USER_SS
#define X86_SEL_UCODE X86_USER_CS
#define X86_SEL_TSS 0x28

/* ---- Hardware page-table bits (kernel mappings only; user PTEs use pte.c) ------ */

#define X86_PTE_P (1ull << 0)
#define X86_PTE_W (1ull << 1)
#define X86_PTE_U (1ull << 2)
#define X86_PTE_PWT (1ull << 3)
#define X86_PTE_PCD (1ull << 4)
#define X86_PTE_PS (1ull << 7)
#define X86_PTE_G (1ull << 8)
#define X86_PTE_NX (1ull << 63)
#define X86_PTE_ADDR 0x000ffffffffff000ull

/* ---- CPU access helpers ---------------------------------------------------------- */

/* Write one byte to an I/O port. */
static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

/* Read one byte from an I/O port. */
static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* Write a 32-bit value to an I/O port. */
static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

/* Read a model-specific register. */
static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

/* Write a model-specific register. */
static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

/* Execute CPUID for leaf/subleaf; out receives eax, ebx, ecx, edx. */
static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t out[4])
{
	__asm__ volatile("cpuid"
			 : "=a"(out[0]), "=b"(out[1]), "=c"(out[2]), "=d"(out[3])
			 : "a"(leaf), "c"(sub));
}

/* Read the time-stamp counter. */
static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

#define X86_READ_CR(n)                                                   \
	static inline uint64_t read_cr##n(void)                          \
	{                                                                \
		uint64_t v;                                              \
		__asm__ volatile("mov %%cr" #n ", %0" : "=r"(v));       \
		return v;                                                \
	}
#define X86_WRITE_CR(n)                                                          \
	static inline void write_cr##n(uint64_t v)                               \
	{                                                                        \
		__asm__ volatile("mov %0, %%cr" #n : : "r"(v) : "memory");      \
	}
X86_READ_CR(0)
X86_READ_CR(2)
X86_READ_CR(3)
X86_READ_CR(4)
X86_WRITE_CR(0)
X86_WRITE_CR(3)
X86_WRITE_CR(4)

/* Invalidate the TLB entry of one virtual page. */
static inline void invlpg(vaddr_t va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

/* Enable maskable interrupts. */
static inline void sti(void)
{
	__asm__ volatile("sti" : : : "memory");
}

/* Disable maskable interrupts. */
static inline void cli(void)
{
	__asm__ volatile("cli" : : : "memory");
}

/* ---- Boot information (pvh.c) ---------------------------------------------------- */

/* Copy the PVH start info at physical start_pa (reached through the boot identity
 * map) into kernel memory; panics if it is not a valid hvm_start_info. */
void pvh_parse(uint32_t start_pa);
/* The kernel command line ("" when none was given). */
const char *x86_cmdline(void);
/* Value of "key=value" on the command line copied into buf, or NULL if absent. */
const char *x86_cmdline_get(const char *key, char *buf, size_t size);
/* Compute the usable RAM ranges below limit: firmware RAM minus low memory (< 1 MiB),
 * the kernel image and boot modules. hal_ram_ranges() returns the result. */
void pvh_build_ranges(paddr_t limit);
/* Physical location of boot module i (an initramfs); false when there is none. */
bool pvh_module(unsigned i, paddr_t *pa, size_t *size);
/* Highest physical address + 1 of any RAM in the firmware memory map. */
paddr_t pvh_ram_end(void);
/* Print the firmware memory map and the usable ranges. */
void pvh_print_memmap(void);

/* ---- MMU (mmu.c) ------------------------------------------------------------------ */

/* Build the final kernel page tables (higher-half image + direct map) and switch to
 * them; the boot identity map is gone afterwards. Enables WP, NX, SMEP/SMAP. */
void mmu_init(void);
/* Map one 4 KiB kernel page va -> pa with X86_PTE_* flags; 0 or -ENOMEM. */
int mmu_kmap_page(vaddr_t va, paddr_t pa, uint64_t flags);
/* Unmap one kernel page and flush it; returns the physical address it mapped. */
paddr_t mmu_kunmap_page(vaddr_t va);
/* Unmap one page of the kernel image's .data/.bss (a stack guard page). */
void mmu_guard_page(vaddr_t va);
/* Physical address of the kernel's master PML4. */
paddr_t mmu_kernel_root(void);
/* True when CR4.SMEP / CR4.SMAP are enabled. */
bool mmu_has_smep(void);
bool mmu_has_smap(void);

/* ---- Descriptors and traps (desc.c, trap.c, trap.S) ------------------------------ */

/* Register state saved by every trap stub; layout fixed by trap.S. */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};

/* Load the GDT (kernel/user segments, TSS) and reload every segment register. */
void gdt_init(void);
/* Set the stack the CPU switches to on a trap from user mode (TSS.RSP0). */
void tss_set_kernel_stack(vaddr_t rsp0);
/* Fill and load the IDT: exceptions 0-31 and IRQ vectors 32-47. */
void idt_init(void);
/* Handler for an interrupt vector >= 32; runs with interrupts off. */
typedef void (*irq_handler_t)(struct trap_frame *tf);
/* Route vector (32..47) to handler. */
void trap_set_irq_handler(unsigned vector, irq_handler_t handler);
/* Test seam: the next exception `vector` in kernel mode is counted and resumed at
 * resume_rip (0: at the next instruction for traps like #BP) instead of panicking. */
void trap_expect(unsigned vector, vaddr_t resume_rip);
/* Number of expected exceptions delivered since the last trap_expect(). */
unsigned trap_expected_hits(void);
/* Called by trapentry.S for every vector and for syscall. */
void x86_trap(struct trap_frame *tf);
/* trap_frame.vector of a syscall entry (not an IDT vector). */
#define X86_VEC_SYSCALL 256
#define X86_VEC_IRQ_BASE 32
#define X86_VEC_IRQ_COUNT 16
/* Run the handler of IRQ vector tf->vector and acknowledge it at the PIC. */
void trap_dispatch_irq(struct trap_frame *tf);
/* A user-mode exception in tf (not an IRQ or syscall) for task t: resolve a page
 * fault through mm_fault or post the signal the exception means for t. */
void trap_user_exception(struct task *t, struct trap_frame *tf);
/* Restore tf (at the top of the kernel stack) and return to user mode (trapentry.S). */
_Noreturn void x86_trap_return(struct trap_frame *tf);
/* Program the syscall MSRs (EFER.SCE, STAR, LSTAR, FMASK) for x86_syscall_entry. */
void syscall_init(void);

/* ---- Tasks, the kernel stack and the way back to user mode (task.c) --------------- */

/* Top of the kernel stack every entry from user mode runs on (read by the syscall
 * entry; TSS.RSP0 holds the same value). */
extern uint64_t x86_kstack_top;
/* Set up the kernel stack (with a guard page) and point TSS.RSP0 at its top. */
void kstack_init(void);
/* Every trap from user mode (syscall, IRQ, exception) with tf at the stack top: save
 * the registers into the current task, handle the trap, and leave tf holding the
 * registers of the task proc_schedule() picks (idling while there is none). */
void x86_user_trap(struct trap_frame *tf);
/* Enter user mode for the first time, in the task core made current. */
_Noreturn void x86_run_userspace(void);

/* ---- FPU/SSE state (fpu.c) ------------------------------------------------------- */

/* Record the clean FXSAVE image new programs start from. */
void fpu_init(void);
/* Make t's FPU/SSE state the live one (saving the previous owner's); false when its
 * save area cannot be allocated. */
bool fpu_switch_to(struct task *t);
/* The live state belongs to t, which is about to clone: children created now start
 * with a copy of it. */
void fpu_note_clone(struct task *t);
/* t (the live owner) completed execve: reset the live state to the clean image. */
void fpu_reset_live(struct task *t);
/* t is being freed: forget and free its save area. */
void fpu_task_free(struct task *t);

/* True when tf is a kernel-mode #PF on x86_user_copy's copy instruction. */
bool usercopy_fixup_applies(const struct trap_frame *tf);
/* A kernel-mode #PF inside x86_user_copy: redirect tf to its fixup; true if so. */
bool usercopy_fixup(struct trap_frame *tf);
/* Set by mmu.c when CR4.SMAP is on; usercopy then brackets copies with stac/clac. */
extern uint8_t x86_smap_enabled;

/* ---- Console (uart.c) --------------------------------------------------------------- */

/* Program COM1 for 115200 8N1, no interrupts. */
void uart_init(void);
/* Deliver received bytes to console_input() through IRQ 4. */
void uart_enable_rx_irq(void);

/* ---- Timer and clock (timer.c) ------------------------------------------------------ */

/* Calibrate the TSC against the PIT and start a periodic tick at hz. */
void timer_init(unsigned hz);
/* Timer ticks since timer_init(). */
uint64_t timer_ticks(void);
/* Monotonic nanoseconds since boot from the calibrated TSC (0 before calibration). */
uint64_t clock_monotonic_ns(void);
/* TSC frequency in kHz found by calibration. */
uint64_t clock_tsc_khz(void);

/* ---- Heap (heap.c) --------------------------------------------------------------- */

/* Live small-object pages and large allocations, for leak checks in tests. */
size_t heap_pages_in_use(void);

/* ---- Stopping (halt.c) --------------------------------------------------------------- */

/*
 * QEMU exit status through isa-debug-exit (iobase 0xf4): QEMU exits with
 * (value << 1) | 1, so:
 *   X86_EXIT_PASS  (0) -> status 1: clean power-off / every test passed
 *   X86_EXIT_PANIC (1) -> status 3: kernel panic or unexpected exception
 *   X86_EXIT_FAIL  (2) -> status 5: test mode finished with failures
 * Without the device (real hardware, other VMMs) the CPU just halts.
 */
enum x86_exit_code { X86_EXIT_PASS = 0, X86_EXIT_PANIC = 1, X86_EXIT_FAIL = 2 };
/* Set when the boot self test failed: power-off then exits with X86_EXIT_FAIL. */
extern bool x86_selftest_failed;
/* Leave QEMU with the status for code; halts forever if the device is absent. */
_Noreturn void x86_exit(enum x86_exit_code code);

/* ---- Boot self tests (selftest.c) -------------------------------------------------- */

/* Run the in-kernel TAP suite; returns the number of failed tests. */
unsigned selftest_run(void);

#endif
