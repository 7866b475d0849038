/*
 * Running tasks: one kernel stack, trap in, schedule, trap out.
 *
 * Cleave's syscalls never sleep half-way (ARCHITECTURE.md): a task that waits has
 * returned -EKBLOCK and left no kernel state behind, and a preempted task was in user
 * mode. So between traps a task is fully described by its struct uregs (kept by core)
 * plus its FPU area (fpu.c), and the CPU needs only ONE kernel stack: every entry from
 * user mode lands at its top (TSS.RSP0, and the syscall entry loads the same value),
 * the trap frame there is copied into the current task's uregs, and on the way out
 * the frame is overwritten with the uregs of whichever task proc_schedule() picked.
 * "Context switch" is therefore: copy registers, switch CR3 (core's task_set_current
 * -> hal_mmu_activate), write IA32_FS_BASE, switch FPU state. No per-task kernel
 * stacks, nothing to leak; the kernel runs with interrupts off except while idle.
 */
#include "x86.h"

#include "lib/kprintf.h"
#include "lib/string.h"
#include "proc/run.h"
#include "proc/sched.h"
#include "proc/signal.h"
#include "sys/syscall.h"

#define KSTACK_SIZE (64 * 1024)
#define MSR_FS_BASE 0xc0000100u
#define VEC_TIMER 32
#define SYS_CLONE 56
#define SYS_FORK 57
#define SYS_VFORK 58
#define SYS_EXECVE 59
#define SYS_EXECVEAT 322
#define SYS_CLONE3 435
/* RFLAGS bits user code controls (CF PF AF ZF SF TF DF OF AC ID); IF is forced on,
 * IOPL, NT, RF, VM, VIF and VIP are forced off. */
#define USER_RFLAGS_MASK 0x240dd5ull

/* The kernel stack; its lowest page is unmapped by kstack_init() as a guard. */
static uint8_t kstack[KSTACK_SIZE] __attribute__((aligned(4096)));
uint64_t x86_kstack_top;

void kstack_init(void)
{
	x86_kstack_top = (uintptr_t)kstack + KSTACK_SIZE;
	mmu_guard_page((uintptr_t)kstack);
	tss_set_kernel_stack(x86_kstack_top);
}

/* The trap frame of an entry from user mode: always at the top of the kernel stack. */
static struct trap_frame *user_frame(void)
{
	return (struct trap_frame *)(x86_kstack_top - sizeof(struct trap_frame));
}

/* Copy the user registers of trap frame tf into r (syscall_nr from rax for a syscall,
 * -1 otherwise). FS base is not in the frame: r->fs_base is already the live value. */
static void uregs_from_frame(struct uregs *r, const struct trap_frame *tf)
{
	r->r15 = tf->r15, r->r14 = tf->r14, r->r13 = tf->r13, r->r12 = tf->r12;
	r->r11 = tf->r11, r->r10 = tf->r10, r->r9 = tf->r9, r->r8 = tf->r8;
	r->rbp = tf->rbp, r->rdi = tf->rdi, r->rsi = tf->rsi, r->rdx = tf->rdx;
	r->rcx = tf->rcx, r->rbx = tf->rbx, r->rax = tf->rax;
	r->syscall_nr = tf->vector == X86_VEC_SYSCALL ? tf->rax : ~0ull;
	r->rip = tf->rip, r->cs = tf->cs, r->rflags = tf->rflags;
	r->rsp = tf->rsp, r->ss = tf->ss;
}

/* Fill tf from r for iretq to user mode, forcing user selectors and safe RFLAGS. */
static void frame_from_uregs(struct trap_frame *tf, const struct uregs *r)
{
	tf->r15 = r->r15, tf->r14 = r->r14, tf->r13 = r->r13, tf->r12 = r->r12;
	tf->r11 = r->r11, tf->r10 = r->r10, tf->r9 = r->r9, tf->r8 = r->r8;
	tf->rbp = r->rbp, tf->rdi = r->rdi, tf->rsi = r->rsi, tf->rdx = r->rdx;
	tf->rcx = r->rcx, tf->rbx = r->rbx, tf->rax = r->rax;
	tf->vector = 0, tf->error = 0;
	tf->rip = r->rip, tf->rsp = r->rsp;
	tf->cs = X86_USER_CS, tf->ss = X86_USER_SS;
	tf->rflags = (r->rflags & USER_RFLAGS_MASK) | X86_USER_RFLAGS;
}

/* True when iretq can return to rip: a canonical lower-half address (iretq to a
 * non-canonical one would fault in the kernel, not in the program). */
static bool user_rip_ok(uint64_t rip)
{
	return rip < (1ull << 47);
}

/* Wait for an interrupt with interrupts enabled, then disable them again. */
static void idle_wait(void)
{
	__asm__ volatile("sti\n\thlt\n\tcli" : : : "memory");
}

/* The task to run next after prev trapped, idling until one is runnable. Kills
 * (through a fault signal) a picked task that cannot return to user mode. */
static struct task *pick_next(struct task *prev, bool preempt)
{
	struct task *t = proc_schedule(prev, preempt);

	for (;;) {
		while (!t) {
			idle_wait();
			sched_tick(hal_clock_ns());
			t = proc_schedule(NULL, false);
		}
		if (!fpu_switch_to(t))
			signal_force_fault(t, SIGKILL);
		else if (!user_rip_ok(t->regs->rip))
			signal_force_fault(t, SIGSEGV);
		else
			return t;
		t = proc_schedule(t, false);
	}
}

/* Schedule after prev trapped and load the chosen task into tf. */
static void resume_user(struct trap_frame *tf, struct task *prev, bool preempt)
{
	struct task *t = pick_next(prev, preempt);

	frame_from_uregs(tf, t->regs);
	wrmsr(MSR_FS_BASE, t->regs->fs_base);
}

/* Run t's syscall; the FPU state follows clone (copied) and execve (reset). */
static void handle_syscall(struct task *t)
{
	long nr = (long)t->regs->syscall_nr, rc;

	if (nr == SYS_CLONE || nr == SYS_FORK || nr == SYS_VFORK || nr == SYS_CLONE3)
		fpu_note_clone(t);
	rc = syscall_dispatch(t);
	if ((nr == SYS_EXECVE || nr == SYS_EXECVEAT) && rc == -EKNORESULT &&
	    task_current() == t)
		fpu_reset_live(t);
}

void x86_user_trap(struct trap_frame *tf)
{
	struct task *t = task_current();
	bool preempt = false;

	if (x86_smap_enabled)
		__asm__ volatile("clac" : : : "memory");
	KASSERT(t && tf == user_frame());
	uregs_from_frame(t->regs, tf);
	if (tf->vector == X86_VEC_SYSCALL) {
		handle_syscall(t);
	} else if (tf->vector >= X86_VEC_IRQ_BASE &&
		   tf->vector < X86_VEC_IRQ_BASE + X86_VEC_IRQ_COUNT) {
		trap_dispatch_irq(tf);
		if (tf->vector == VEC_TIMER) {
			sched_tick(hal_clock_ns());
			preempt = true;
		}
	} else {
		trap_user_exception(t, tf);
	}
	resume_user(tf, t, preempt);
}

_Noreturn void x86_run_userspace(void)
{
	struct trap_frame *tf = user_frame();

	resume_user(tf, task_current(), false);
	x86_trap_return(tf);
}
