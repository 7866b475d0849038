/*
 * Descriptor tables: the GDT (kernel and user segments, the TSS) and the IDT.
 * GDT order is fixed by SYSCALL/SYSRET (see uregs.h): STAR[47:32] = 0x08 gives kernel
 * CS 0x08 and SS 0x10; STAR[63:48] = 0x10 gives user SS 0x10+8 = 0x18 and 64-bit user
 * CS 0x10+16 = 0x20. The TSS descriptor takes slots 5 and 6 (selector 0x28).
 */
#include "x86.h"

#define IST_STACK_SIZE 8192
#define IST_DOUBLE_FAULT 1
#define IST_NMI 2
#define IST_MACHINE_CHECK 3
#define IST_DEBUG 4 /* #DB right after syscall would otherwise run on the user stack */
#define IDT_VECTORS 48
#define GATE_INTERRUPT 0x8e /* present, DPL 0, 64-bit interrupt gate */
#define GATE_USER 0x60      /* DPL 3: reachable by int3 from user mode */

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

struct idt_gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_high;
	uint32_t zero;
} __attribute__((packed));

struct table_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

static uint64_t gdt[7] __attribute__((aligned(16))) = {
	0,
	0x00af9a000000ffffull, /* 0x08 kernel code, 64-bit */
	0x00cf92000000ffffull, /* 0x10 kernel data */
	0x00cff2000000ffffull, /* 0x18 user data, DPL 3 */
	0x00affa000000ffffull, /* 0x20 user code, 64-bit, DPL 3 */
	0, 0,                  /* 0x28 TSS (16 bytes), filled in by gdt_init */
};
static struct tss tss __attribute__((aligned(16)));
static struct idt_gate idt[256] __attribute__((aligned(16)));
static uint8_t ist_stacks[4][IST_STACK_SIZE] __attribute__((aligned(16)));

extern const uint64_t trap_stubs[IDT_VECTORS];

/* Encode the 16-byte available-64-bit-TSS descriptor for tss into gdt[5..6]. */
static void gdt_set_tss(void)
{
	uint64_t base = (uintptr_t)&tss;
	uint64_t limit = sizeof(tss) - 1;

	gdt[5] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) |
		 (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	gdt[6] = base >> 32;
}

/* Load the GDT, reload CS through a far return and the data segments, then TR. */
static void gdt_load(void)
{
	struct table_ptr p = { sizeof(gdt) - 1, (uintptr_t)gdt };

	__asm__ volatile("lgdt %0\n\t"
			 "pushq %1\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "movl %2, %%eax\n\t"
			 "movl %%eax, %%ds\n\t"
			 "movl %%eax, %%es\n\t"
			 "movl %%eax, %%ss\n\t"
			 "xorl %%eax, %%eax\n\t"
			 "movl %%eax, %%fs\n\t"
			 "movl %%eax, %%gs\n\t"
			 "ltr %w3"
			 :
			 : "m"(p), "i"(X86_SEL_KCODE), "i"(X86_SEL_KDATA), "r"(X86_SEL_TSS)
			 : "rax", "memory");
}

void gdt_init(void)
{
	tss.ist[IST_DOUBLE_FAULT - 1] = (uintptr_t)ist_stacks[0] + IST_STACK_SIZE;
	tss.ist[IST_NMI - 1] = (uintptr_t)ist_stacks[1] + IST_STACK_SIZE;
	tss.ist[IST_MACHINE_CHECK - 1] = (uintptr_t)ist_stacks[2] + IST_STACK_SIZE;
	tss.ist[IST_DEBUG - 1] = (uintptr_t)ist_stacks[3] + IST_STACK_SIZE;
	tss.iomap_base = sizeof(tss); /* no I/O permission bitmap: user port I/O faults */
	gdt_set_tss();
	gdt_load();
}

void tss_set_kernel_stack(vaddr_t rsp0)
{
	tss.rsp[0] = rsp0;
}

/* Point IDT vector at handler with an IST index (0 = none) and gate attributes. */
static void idt_set(unsigned vector, uint64_t handler, unsigned ist, uint8_t attr)
{
	struct idt_gate *g = &idt[vector];

	g->offset_low = handler & 0xffff;
	g->selector = X86_SEL_KCODE;
	g->ist = ist & 7;
	g->type_attr = attr;
	g->offset_mid = (handler >> 16) & 0xffff;
	g->offset_high = handler >> 32;
	g->zero = 0;
}

void idt_init(void)
{
	struct table_ptr p = { sizeof(idt) - 1, (uintptr_t)idt };

	for (unsigned v = 0; v < IDT_VECTORS; v++)
		idt_set(v, trap_stubs[v], 0, GATE_INTERRUPT);
	idt_set(1, trap_stubs[1], IST_DEBUG, GATE_INTERRUPT);
	idt_set(2, trap_stubs[2], IST_NMI, GATE_INTERRUPT);
	idt_set(3, trap_stubs[3], 0, GATE_INTERRUPT | GATE_USER);
	idt_set(8, trap_stubs[8], IST_DOUBLE_FAULT, GATE_INTERRUPT);
	idt_set(18, trap_stubs[18], IST_MACHINE_CHECK, GATE_INTERRUPT);
	__asm__ volatile("lidt %0" : : "m"(p));
}

#define MSR_EFER 0xc0000080u
#define MSR_STAR 0xc0000081u
#define MSR_LSTAR 0xc0000082u
#define MSR_FMASK 0xc0000084u
#define EFER_SCE (1ull << 0)
/* RFLAGS bits cleared on syscall: TF, IF, DF, NT, AC (interrupts stay off until the
 * entry is on the kernel stack; AC off keeps SMAP armed). */
#define SYSCALL_FMASK ((1ull << 8) | (1ull << 9) | (1ull << 10) | (1ull << 14) | (1ull << 18))

void x86_syscall_entry(void);

void syscall_init(void)
{
	wrmsr(MSR_STAR, ((uint64_t)X86_STAR_SYSRET_BASE << 48) | ((uint64_t)X86_SEL_KCODE << 32));
	wrmsr(MSR_LSTAR, (uintptr_t)x86_syscall_entry);
	wrmsr(MSR_FMASK, SYSCALL_FMASK);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
}
