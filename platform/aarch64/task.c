/*
 * Running tasks on aarch64: one kernel stack, trap in, schedule, trap out.
 *
 * Cleave's syscalls never sleep half-way (ARCHITECTURE.md): a task that waits has
 * returned -EKBLOCK and left nothing on a kernel stack, and a preempted task was at
 * EL0. So between exceptions a task is fully described by its struct uregs (kept by
 * core) plus its FP/SIMD registers, and the CPU needs ONE kernel stack (the boot
 * stack). Every entry from EL0 finds SP_EL1 at the stack's top; the vectors save a
 * trap frame there, which is copied into the current task's uregs; on the way out the
 * frame is overwritten with the registers of whichever task proc_schedule() picked and
 * ERET resumes it. A switch is: copy registers, TTBR0 (core's task_set_current ->
 * hal_mmu_activate), TPIDR_EL0, FP/SIMD. The kernel runs with IRQs masked except in the
 * idle wait, so an interrupt never lands in the middle of a syscall.
 *
 * FP/SIMD is switched lazily: the kernel is built with -mgeneral-regs-only, so q0-q31,
 * FPCR and FPSR always hold user state and are saved only when another task is about to
 * run. A task's area (task->platform) is made at its first switch-in from the state its
 * creator had when it entered clone (Linux copies it); execve resets it to zero.
 */
#include "a64.h"
#include "sysreg.h"

#include "../../core/lib/errno.h"
#include "../../core/lib/kmem.h"
#include "../../core/lib/kprintf.h"
#include "../../core/lib/string.h"
#include "../../core/mm/aspace.h"
#include "../../core/mm/frame.h"
#include "../../core/mm/pt.h"
#include "../../core/mm/vma.h"
#include "../../core/proc/run.h"
#include "../../core/proc/sched.h"
#include "../../core/proc/signal.h"
#include "../../core/sys/syscall.h"
#include "uregs.h"

#define SYS_CLONE 220
#define SYS_EXECVE 221
#define SYS_EXECVEAT 281
#define SYS_CLONE3 435
#define SPSR_NZCV (0xfull << 28) /* the only PSTATE bits user code may carry */

/* Per-task FP/SIMD register file (task->platform); layout used by fpsimd.S. */
struct fpsimd_area {
	uint64_t q[64]; /* q0..q31, low half first */
	uint64_t fpsr, fpcr;
};

_Static_assert(sizeof(struct trap_frame) == TRAP_FRAME_SIZE, "vectors.S frame size");
_Static_assert(offsetof(struct fpsimd_area, fpsr) == 512, "fpsimd.S layout");

/* fpsimd.S: save the live registers into a / load them from a. */
void fpsimd_save(struct fpsimd_area *a);
void fpsimd_load(const struct fpsimd_area *a);

static struct task *fp_owner;            /* whose state is live (NULL: nobody's) */
static struct fpsimd_area clone_capture; /* the state of the last task entering clone */

extern char boot_stack[];

/* The trap frame of an entry from EL0: always at the top of the kernel stack. */
static struct trap_frame *user_frame(void)
{
	return (struct trap_frame *)(boot_stack + BOOT_STACK_SIZE - TRAP_FRAME_SIZE);
}

#define KSTACK_PAINT 0x5a5a5a5a5a5a5a5aull

void kstack_paint(void)
{
	uint64_t *p = (uint64_t *)boot_stack;
	uint64_t *limit = (uint64_t *)__builtin_frame_address(0) - 64;

	while (p < limit)
		*p++ = KSTACK_PAINT;
}

size_t kstack_high_water(void)
{
	const uint64_t *p = (const uint64_t *)boot_stack;

	while (p < (const uint64_t *)(boot_stack + BOOT_STACK_SIZE) && *p == KSTACK_PAINT)
		p++;
	return (size_t)(boot_stack + BOOT_STACK_SIZE - (const char *)p);
}

/* Copy the EL0 state in tf (and the live TPIDR_EL0) into r. */
static void uregs_from_frame(struct uregs *r, const struct trap_frame *tf)
{
	memcpy(r->x, tf->x, sizeof(r->x));
	r->sp = tf->sp;
	r->pc = tf->elr;
	r->spsr = tf->spsr;
	r->tpidr = sysreg_read(tpidr_el0);
}

/* Fill tf from r for ERET to EL0t with interrupts unmasked; set TPIDR_EL0. */
static void frame_from_uregs(struct trap_frame *tf, const struct uregs *r)
{
	memcpy(tf->x, r->x, sizeof(tf->x));
	tf->sp = r->sp;
	tf->elr = r->pc;
	tf->spsr = r->spsr & SPSR_NZCV; /* M = EL0t, DAIF clear, nothing else */
	tf->esr = tf->far = 0;
	sysreg_write(tpidr_el0, r->tpidr);
}

/* Make t's FP/SIMD state the live one (first switch-in: its creator's state).
 * False when its area cannot be allocated. */
bool fpsimd_switch_to(struct task *t)
{
	struct fpsimd_area *a = t->platform;

	if (fp_owner == t)
		return true;
	if (!a) {
		a = kmalloc(sizeof(*a));
		if (!a)
			return false;
		*a = clone_capture;
		t->platform = a;
	}
	if (fp_owner)
		fpsimd_save(fp_owner->platform);
	fpsimd_load(a);
	fp_owner = t;
	return true;
}

/* execve succeeded for t (the live owner): a new program starts with zeroed FP/SIMD. */
static void fpsimd_reset_live(struct task *t)
{
	static const struct fpsimd_area zero;

	if (fp_owner != t)
		return;
	fpsimd_load(&zero);
}

/* pt_for_each_page visitor: make one present executable page coherent for fetches. */
static int sync_exec_page(pte_t *ptep, vaddr_t va, void *ctx)
{
	UNUSED(va);
	UNUSED(ctx);
	if (hal_pte_attrs(*ptep) & PTE_EXEC)
		cache_sync_exec(hal_phys_to_virt(hal_pte_addr(*ptep)), PAGE_SIZE);
	return 0;
}

/* The kernel wrote as's executable pages through the direct map (execve loads the
 * segments with aspace_write; a fault may fill or copy a page): clean them to the
 * point of unification and invalidate the I-cache before EL0 fetches from them. */
static void sync_exec_range(struct aspace *as, vaddr_t start, vaddr_t end)
{
	struct vma *v;

	list_for_each(v, &as->vmas, link)
		if ((v->prot & VM_EXEC) && v->end > start && v->start < end)
			pt_for_each_page(as->root, MAX(v->start, start), MIN(v->end, end),
					 sync_exec_page, NULL);
}

void hal_task_free(struct task *t)
{
	if (fp_owner == t)
		fp_owner = NULL;
	kfree(t->platform);
	t->platform = NULL;
}

/* Wait for an interrupt with IRQs masked (WFI wakes on a pending one), take it, mask
 * again: no wake-up can slip in between the check and the wait. */
static void idle_wait(void)
{
	cpu_wfi();
	irq_enable();
	isb();
	irq_disable();
}

/* The task to resume after prev trapped, idling until one is runnable. A picked task
 * whose FP/SIMD area cannot be made is killed. */
static struct task *pick_next(struct task *prev, bool preempt)
{
	struct task *t = proc_schedule(prev, preempt);

	for (;;) {
		while (!t) {
			idle_wait();
			sched_tick(hal_clock_ns());
			t = proc_schedule(NULL, false);
		}
		if (fpsimd_switch_to(t))
			return t;
		signal_force_fault(t, SIGKILL);
		t = proc_schedule(t, false);
	}
}

/* Run t's syscall; the FP/SIMD state follows clone (copied) and execve (reset). */
static void handle_syscall(struct task *t)
{
	long nr = hal_uregs_syscall_nr(t->regs), rc;

	if (nr == SYS_CLONE || nr == SYS_CLONE3)
		fpsimd_save(&clone_capture);
	rc = syscall_dispatch(t);
	if ((nr == SYS_EXECVE || nr == SYS_EXECVEAT) && rc == -EKNORESULT &&
	    task_current() == t) {
		fpsimd_reset_live(t);
		sync_exec_range(aspace_current(), 0, hal_pt_geometry()->user_top);
	}
}

/* The signal for a data abort at EL0 with fault status fsc that mm_fault cannot
 * take (alignment, external aborts...), or 0 when mm_fault should decide. */
static int abort_signal(unsigned fsc)
{
	switch (fsc & 0x3c) {
	case 0x04: /* translation fault */
	case 0x08: /* access flag fault */
	case 0x0c: /* permission fault */
		return 0;
	case 0x00: /* address size fault: beyond the translated range */
		return SIGSEGV;
	default:
		return SIGBUS;
	}
}

/* An instruction or data abort from EL0: resolve it through mm_fault, or signal. */
static void handle_user_abort(struct task *t, const struct trap_frame *tf)
{
	unsigned ec = ESR_EC(tf->esr), iss = ESR_ISS(tf->esr);
	enum fault_access acc = ec == ESR_EC_IABT_LOW ? FAULT_EXEC
				: (iss & ESR_ISS_WNR) && !(iss & ESR_ISS_CM) ? FAULT_WRITE
									     : FAULT_READ;
	int sig = abort_signal(iss & 0x3f);

	if (!sig && (iss & ESR_ISS_FNV))
		sig = SIGSEGV;
	if (!sig) {
		enum fault_result r = mm_fault(aspace_current(), tf->far, acc);

		if (r == FAULT_HANDLED && acc == FAULT_EXEC)
			sync_exec_range(aspace_current(), ALIGN_DOWN(tf->far, PAGE_SIZE),
					ALIGN_DOWN(tf->far, PAGE_SIZE) + PAGE_SIZE);
		if (r == FAULT_HANDLED)
			return;
		sig = r == FAULT_OOM ? SIGKILL : SIGSEGV;
	}
	signal_force_fault(t, sig);
}

/* A synchronous exception from EL0: syscall, abort, or a fault signal. */
static void handle_user_sync(struct task *t, const struct trap_frame *tf)
{
	switch (ESR_EC(tf->esr)) {
	case ESR_EC_SVC64:
		handle_syscall(t);
		return;
	case ESR_EC_IABT_LOW:
	case ESR_EC_DABT_LOW:
		handle_user_abort(t, tf);
		return;
	case ESR_EC_PC_ALIGN:
	case ESR_EC_SP_ALIGN:
		signal_force_fault(t, SIGBUS);
		return;
	case ESR_EC_FP_EXC:
		signal_force_fault(t, SIGFPE);
		return;
	case ESR_EC_BRK64:
	case ESR_EC_BKPT_LOW:
	case ESR_EC_SSTEP_LOW:
	case ESR_EC_WATCH_LOW:
		signal_force_fault(t, SIGTRAP);
		return;
	default: /* undefined instruction, trapped system register access, ... */
		signal_force_fault(t, SIGILL);
		return;
	}
}

void a64_el0_trap(struct trap_frame *tf, unsigned kind)
{
	struct task *t = task_current();
	bool preempt = false;

	KASSERT(t && tf == user_frame());
	uregs_from_frame(t->regs, tf);
	switch (kind & 3) {
	case 0:
		handle_user_sync(t, tf);
		break;
	case 1:
		if (irq_handle()) {
			sched_tick(hal_clock_ns());
			preempt = true;
		}
		break;
	default: /* FIQ (unused) or SError: an external abort caused by this program */
		signal_force_fault(t, SIGBUS);
		break;
	}
	t = pick_next(t, preempt);
	frame_from_uregs(tf, t->regs);
}

_Noreturn void a64_run_userspace(void)
{
	struct trap_frame *tf = user_frame();
	struct task *t;

	irq_disable();
	sync_exec_range(aspace_current(), 0, hal_pt_geometry()->user_top); /* init's image */
	t = pick_next(NULL, false);
	frame_from_uregs(tf, t->regs);
	a64_user_enter(tf);
}
