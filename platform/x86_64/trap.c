/*
 * Trap dispatch. From user mode everything goes to task.c (x86_user_trap), which
 * calls back here for IRQs and exceptions: a page fault goes to core's mm_fault(), any
 * other exception becomes the matching signal for the process. In kernel mode a page
 * fault inside a user copy is first offered to mm_fault() (COW break, demand zero) and
 * only then fails the copy; any other exception prints a register dump and stops the
 * machine. Vectors 32..47 are the legacy PIC's IRQs 0..15, dispatched to registered
 * handlers and acknowledged here.
 */
#include "x86.h"

#include "lib/kprintf.h"
#include "mm/aspace.h"
#include "proc/signal.h"

#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xa0
#define PIC2_DATA 0xa1
#define PIC_EOI 0x20
#define IRQ_BASE 32
#define IRQ_COUNT 16
#define VEC_DEBUG 1
#define VEC_PAGE_FAULT 14
#define PF_WRITE (1u << 1)
#define PF_FETCH (1u << 4)

static const char *const exception_names[32] = {
	"#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow",
	"#BR bound range", "#UD invalid opcode", "#NM device not available",
	"#DF double fault", "coprocessor overrun", "#TS invalid TSS",
	"#NP segment not present", "#SS stack fault", "#GP general protection",
	"#PF page fault", "reserved 15", "#MF x87 error", "#AC alignment check",
	"#MC machine check", "#XM SIMD error", "#VE virtualization",
	"#CP control protection", "reserved 22", "reserved 23", "reserved 24",
	"reserved 25", "reserved 26", "reserved 27", "#HV hypervisor injection",
	"#VC VMM communication", "#SX security", "reserved 31",
};

static irq_handler_t irq_handlers[IRQ_COUNT];
static int expect_vector = -1;
static vaddr_t expect_resume;
static unsigned expect_hits;

/* Remap the 8259 PICs to vectors 32..47 and mask every line. */
static void pic_init(void)
{
	outb(PIC1_CMD, 0x11); /* ICW1: init, expect ICW4 */
	outb(PIC2_CMD, 0x11);
	outb(PIC1_DATA, IRQ_BASE);     /* ICW2: vector base */
	outb(PIC2_DATA, IRQ_BASE + 8);
	outb(PIC1_DATA, 0x04); /* ICW3: slave on IRQ2 */
	outb(PIC2_DATA, 0x02);
	outb(PIC1_DATA, 0x01); /* ICW4: 8086 mode */
	outb(PIC2_DATA, 0x01);
	outb(PIC1_DATA, 0xff & ~0x04); /* everything masked except the cascade */
	outb(PIC2_DATA, 0xff);
}

/* Unmask legacy IRQ line irq (0..15) on the PIC. */
static void pic_unmask(unsigned irq)
{
	uint16_t port = irq < 8 ? PIC1_DATA : PIC2_DATA;

	outb(port, inb(port) & ~(1u << (irq & 7)));
}

void trap_set_irq_handler(unsigned vector, irq_handler_t handler)
{
	static bool pic_ready;

	if (!pic_ready) {
		pic_init();
		pic_ready = true;
	}
	KASSERT(vector >= IRQ_BASE && vector < IRQ_BASE + IRQ_COUNT);
	irq_handlers[vector - IRQ_BASE] = handler;
	pic_unmask(vector - IRQ_BASE);
}

void trap_expect(unsigned vector, vaddr_t resume_rip)
{
	expect_vector = (int)vector;
	expect_resume = resume_rip;
	expect_hits = 0;
}

unsigned trap_expected_hits(void)
{
	return expect_hits;
}

/* Print the decoded page-fault error code and faulting address. */
static void dump_page_fault(const struct trap_frame *tf)
{
	uint64_t e = tf->error;

	kprintf("  cr2 %016llx  (%s, %s, %s mode%s%s)\n", (unsigned long long)read_cr2(),
		(e & 1) ? "protection violation" : "not present",
		(e & 16) ? "instruction fetch" : (e & 2) ? "write" : "read",
		(e & 4) ? "user" : "kernel", (e & 8) ? ", reserved bit set" : "",
		(e & 32) ? ", protection key" : "");
}

/* Print every register of tf with the exception's name. */
static void dump_frame(const struct trap_frame *tf)
{
	kprintf("\n*** exception %llu: %s, error code 0x%llx, in %s mode\n",
		(unsigned long long)tf->vector, exception_names[tf->vector & 31],
		(unsigned long long)tf->error, (tf->cs & 3) ? "user" : "kernel");
	kprintf("  rip %016llx  cs %04llx  rflags %016llx\n", (unsigned long long)tf->rip,
		(unsigned long long)tf->cs, (unsigned long long)tf->rflags);
	kprintf("  rsp %016llx  ss %04llx\n", (unsigned long long)tf->rsp,
		(unsigned long long)tf->ss);
	if (tf->vector == VEC_PAGE_FAULT)
		dump_page_fault(tf);
	kprintf("  rax %016llx  rbx %016llx  rcx %016llx\n", (unsigned long long)tf->rax,
		(unsigned long long)tf->rbx, (unsigned long long)tf->rcx);
	kprintf("  rdx %016llx  rsi %016llx  rdi %016llx\n", (unsigned long long)tf->rdx,
		(unsigned long long)tf->rsi, (unsigned long long)tf->rdi);
	kprintf("  rbp %016llx  r8  %016llx  r9  %016llx\n", (unsigned long long)tf->rbp,
		(unsigned long long)tf->r8, (unsigned long long)tf->r9);
	kprintf("  r10 %016llx  r11 %016llx  r12 %016llx\n", (unsigned long long)tf->r10,
		(unsigned long long)tf->r11, (unsigned long long)tf->r12);
	kprintf("  r13 %016llx  r14 %016llx  r15 %016llx\n", (unsigned long long)tf->r13,
		(unsigned long long)tf->r14, (unsigned long long)tf->r15);
	kprintf("  cr0 %016llx  cr3 %016llx  cr4 %016llx\n", (unsigned long long)read_cr0(),
		(unsigned long long)read_cr3(), (unsigned long long)read_cr4());
}

/* True (and the frame adjusted to resume) when a self test expected this exception. */
static bool exception_expected(struct trap_frame *tf)
{
	if ((int)tf->vector != expect_vector || (tf->cs & 3))
		return false;
	expect_hits++;
	if (expect_resume)
		tf->rip = expect_resume;
	expect_vector = -1;
	return true;
}

void trap_dispatch_irq(struct trap_frame *tf)
{
	unsigned irq = (unsigned)tf->vector - IRQ_BASE;

	if (irq_handlers[irq])
		irq_handlers[irq](tf);
	if (irq >= 8)
		outb(PIC2_CMD, PIC_EOI);
	outb(PIC1_CMD, PIC_EOI);
}

/* The access a page fault's error code describes. */
static enum fault_access fault_access_of(uint64_t error)
{
	if (error & PF_FETCH)
		return FAULT_EXEC;
	return (error & PF_WRITE) ? FAULT_WRITE : FAULT_READ;
}

/* The signal a user-mode exception vector means (Linux's choices). */
static int exception_signal(uint64_t vector)
{
	switch (vector) {
	case 0: case 7: case 16: case 19: return SIGFPE;  /* #DE #NM #MF #XM */
	case 1: case 3: return SIGTRAP;                   /* #DB #BP */
	case 6: return SIGILL;                            /* #UD */
	case 11: case 12: case 17: return SIGBUS;         /* #NP #SS #AC */
	default: return SIGSEGV;                          /* #GP #OF #BR #TS ... */
	}
}

void trap_user_exception(struct task *t, struct trap_frame *tf)
{
	enum fault_result r;

	if (tf->vector != VEC_PAGE_FAULT) {
		signal_force_fault(t, exception_signal(tf->vector));
		return;
	}
	r = mm_fault(aspace_current(), read_cr2(), fault_access_of(tf->error));
	if (r == FAULT_SIGSEGV)
		signal_force_fault(t, SIGSEGV);
	else if (r == FAULT_OOM)
		signal_force_fault(t, SIGKILL);
}

/* A kernel-mode page fault in a user copy that core can resolve: true if so (the
 * copy instruction is retried). */
static bool usercopy_fault_resolved(const struct trap_frame *tf)
{
	struct aspace *as = aspace_current();

	if (tf->vector != VEC_PAGE_FAULT || !as || !usercopy_fixup_applies(tf))
		return false;
	return mm_fault(as, read_cr2(), fault_access_of(tf->error)) == FAULT_HANDLED;
}

void x86_trap(struct trap_frame *tf)
{
	if (tf->cs & 3) {
		x86_user_trap(tf);
		return;
	}
	if (tf->vector >= IRQ_BASE && tf->vector < IRQ_BASE + IRQ_COUNT) {
		trap_dispatch_irq(tf);
		return;
	}
	if (exception_expected(tf) || usercopy_fault_resolved(tf) || usercopy_fixup(tf))
		return;
	if (tf->vector == VEC_DEBUG) /* a single-step trap left over from user TF */
		return;
	dump_frame(tf);
	kprintf("panic: unexpected exception %llu\n", (unsigned long long)tf->vector);
	x86_exit(X86_EXIT_PANIC);
}
