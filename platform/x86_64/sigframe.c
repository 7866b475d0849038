/*
 * x86_64 Linux signal frames: hal_signal_push_frame builds the rt_sigframe a Linux
 * handler expects (return address, ucontext, siginfo) on the user stack, and
 * hal_signal_pop_frame (rt_sigreturn) restores the registers from it. Pure code: all
 * user memory goes through copy_to_user/copy_from_user, so a bad stack is -EFAULT.
 *
 * FP state: as Linux without XSAVE, the 512-byte FXSAVE image (struct _fpstate) sits
 * 64-byte aligned below the red zone, the frame below it, and sigcontext.fpstate points
 * at it; the handler starts with the clean FP state and may edit the saved image.
 * sigreturn loads the image (refused, so the process dies of SIGSEGV, when misaligned,
 * unreadable or with MXCSR bits the CPU rejects), or the clean state when fpstate is 0.
 *
 * Layouts are the Linux user ABI (asm/sigcontext.h, asm-generic/ucontext.h,
 * asm-generic/siginfo.h), written out here with explicit widths and checked below.
 */
#include "uregs.h"

#include "lib/errno.h"
#include "mm/uaccess.h"
#include "proc/proc.h"

#define X86_RED_ZONE 128          /* bytes below rsp that leaf code may use */
#define X86_SS_DISABLE 2          /* uc_stack.ss_flags: no alternate stack */
#define X86_UC_SIGCONTEXT_SS 0x2  /* uc_flags: the ss slot is saved */
#define X86_UC_STRICT_RESTORE_SS 0x4
#define X86_FPSTATE_SIZE 512      /* FXSAVE image: struct _fpstate */
#define X86_FPSTATE_ALIGN 64      /* where Linux puts it (XSAVE's alignment) */
#define X86_FCW_DEFAULT 0x37f     /* x87 control word after FNINIT */
#define X86_MXCSR_DEFAULT 0x1f80  /* all SSE exceptions masked, round to nearest */

/* RFLAGS bits a user context may change through sigreturn: the arithmetic flags,
 * TF, DF and AC (Linux's set minus RF). IF, IOPL, NT, VM, VIF/VIP never come from
 * the frame: they are forced to X86_USER_RFLAGS. */
#define X86_RFLAGS_SIGRETURN \
	((1UL << 0) | (1UL << 2) | (1UL << 4) | (1UL << 6) | (1UL << 7) | (1UL << 8) | \
	 (1UL << 10) | (1UL << 11) | (1UL << 18))

/* siginfo_t: 128 bytes; the union starts at 16 (8-byte aligned on 64-bit). */
struct x86_siginfo {
	int32_t si_signo;
	int32_t si_errno;
	int32_t si_code;
	int32_t pad;
	uint8_t fields[112]; /* SI_USER: si_pid, si_uid (left 0: the sender is not known) */
};

/* stack_t */
struct x86_stack {
	uint64_t ss_sp;
	int32_t ss_flags;
	int32_t pad;
	uint64_t ss_size;
};

/* struct sigcontext (64-bit), 256 bytes. */
struct x86_sigcontext {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
	uint16_t cs, gs, fs, ss;
	uint64_t err, trapno, oldmask, cr2;
	uint64_t fpstate; /* user pointer to the FXSAVE image; 0 = none (clean state) */
	uint64_t reserved1[8];
};

/* The kernel's struct ucontext: its sigset is 8 bytes (64 signals). */
struct x86_ucontext {
	uint64_t uc_flags;
	uint64_t uc_link;
	struct x86_stack uc_stack;
	struct x86_sigcontext uc_mcontext;
	uint64_t uc_sigmask;
};

/* struct rt_sigframe: the handler's return address first, at the handler's rsp. */
struct x86_rt_sigframe {
	uint64_t pretcode;
	struct x86_ucontext uc;
	struct x86_siginfo info;
};

_Static_assert(sizeof(struct x86_siginfo) == 128, "siginfo is 128 bytes");
_Static_assert(sizeof(struct x86_stack) == 24, "stack_t");
_Static_assert(offsetof(struct x86_sigcontext, rip) == 128, "sigcontext.rip");
_Static_assert(offsetof(struct x86_sigcontext, cs) == 144, "sigcontext.cs");
_Static_assert(offsetof(struct x86_sigcontext, fpstate) == 184, "sigcontext.fpstate");
_Static_assert(sizeof(struct x86_sigcontext) == 256, "sigcontext is 256 bytes");
_Static_assert(offsetof(struct x86_ucontext, uc_mcontext) == 40, "uc_mcontext");
_Static_assert(offsetof(struct x86_ucontext, uc_sigmask) == 296, "uc_sigmask");
_Static_assert(offsetof(struct x86_rt_sigframe, uc) == 8, "rt_sigframe.uc");
_Static_assert(offsetof(struct x86_rt_sigframe, info) == 312, "rt_sigframe.info");

/* True when pc is an address in the user range. */
static bool x86_user_pc_ok(uint64_t pc)
{
	return pc < hal_pt_geometry()->user_top;
}

/* Address of the FP image: 64-byte aligned below rsp's red zone; 0 when the stack is
 * too low to hold it and the frame below it. */
static vaddr_t x86_fpstate_addr(uint64_t rsp)
{
	uint64_t need = X86_RED_ZONE + X86_FPSTATE_SIZE + X86_FPSTATE_ALIGN +
			sizeof(struct x86_rt_sigframe) + 16;

	if (rsp < need)
		return 0;
	return ALIGN_DOWN(rsp - X86_RED_ZONE - X86_FPSTATE_SIZE, X86_FPSTATE_ALIGN);
}

/* Address of a frame below the FP image at fpstate (nonzero) such that frame + 8 is
 * 16-byte aligned (the handler starts as if called). */
static vaddr_t x86_frame_addr(vaddr_t fpstate)
{
	return ALIGN_DOWN(fpstate - sizeof(struct x86_rt_sigframe), 16) - 8;
}

/* The FXSAVE image of the clean FP state (FNINIT, default MXCSR), as Linux gives a
 * handler and a sigreturn without fpstate. */
static const void *x86_fpu_clean(void)
{
	static const uint16_t clean[X86_FPSTATE_SIZE / 2] = {
		[0] = X86_FCW_DEFAULT,
		[12] = X86_MXCSR_DEFAULT, /* byte 24: MXCSR */
	};

	return clean;
}

/* sigreturn's FP part: load the image at user address fpstate (16-byte aligned, as
 * FXRSTOR needs), or the clean state when fpstate is 0. 0, -EFAULT or -EINVAL, with
 * the FP state unchanged on failure. */
static int x86_restore_fpstate(uint64_t fpstate)
{
	uint8_t fx[X86_FPSTATE_SIZE];

	if (!fpstate)
		return hal_fpu_state_restore(x86_fpu_clean());
	if (!IS_ALIGNED(fpstate, 16) || copy_from_user(fx, fpstate, sizeof(fx)))
		return -EFAULT;
	return hal_fpu_state_restore(fx);
}

/* Fill sc with r's registers, the old mask and the FP image's address. */
static void x86_save_sigcontext(struct x86_sigcontext *sc, const struct uregs *r,
				uint64_t mask, vaddr_t fpstate)
{
	*sc = (struct x86_sigcontext){
		.r8 = r->r8, .r9 = r->r9, .r10 = r->r10, .r11 = r->r11,
		.r12 = r->r12, .r13 = r->r13, .r14 = r->r14, .r15 = r->r15,
		.rdi = r->rdi, .rsi = r->rsi, .rbp = r->rbp, .rbx = r->rbx,
		.rdx = r->rdx, .rax = r->rax, .rcx = r->rcx, .rsp = r->rsp,
		.rip = r->rip, .eflags = r->rflags,
		.cs = (uint16_t)r->cs, .ss = (uint16_t)r->ss,
		.oldmask = mask,
		.fpstate = fpstate,
	};
}

/* Load r from sc: general registers, rip, rsp, the user-changeable RFLAGS bits;
 * cs/ss are forced to the user selectors, fs_base and syscall_nr are kept. */
static void x86_load_sigcontext(struct uregs *r, const struct x86_sigcontext *sc)
{
	r->r8 = sc->r8; r->r9 = sc->r9; r->r10 = sc->r10; r->r11 = sc->r11;
	r->r12 = sc->r12; r->r13 = sc->r13; r->r14 = sc->r14; r->r15 = sc->r15;
	r->rdi = sc->rdi; r->rsi = sc->rsi; r->rbp = sc->rbp; r->rbx = sc->rbx;
	r->rdx = sc->rdx; r->rax = sc->rax; r->rcx = sc->rcx; r->rsp = sc->rsp;
	r->rip = sc->rip;
	r->rflags = X86_USER_RFLAGS | (sc->eflags & X86_RFLAGS_SIGRETURN);
	r->cs = X86_USER_CS;
	r->ss = X86_USER_SS;
}

/* Fill f for sig from r: return address, ucontext (registers, mask, fpstate), info. */
static void x86_fill_frame(struct x86_rt_sigframe *f, const struct uregs *r, int sig,
			   const struct ksigaction *act, uint64_t mask, vaddr_t fpstate)
{
	*f = (struct x86_rt_sigframe){ 0 };
	f->pretcode = act->restorer;
	f->uc.uc_flags = X86_UC_SIGCONTEXT_SS | X86_UC_STRICT_RESTORE_SS;
	f->uc.uc_stack.ss_flags = X86_SS_DISABLE;
	x86_save_sigcontext(&f->uc.uc_mcontext, r, mask, fpstate);
	f->uc.uc_sigmask = mask;
	f->info.si_signo = sig;
	f->info.si_code = 0; /* SI_USER */
}

/* Write the FP image and an rt_sigframe for sig below r's stack, give the task the
 * clean FP state, then point r at act->handler with rdi = sig, rsi = &info, rdx = &uc,
 * rax = 0 and rsp at the frame (its first word is act->restorer). 0, or -EFAULT or
 * -ENOMEM with r and the FP state unchanged. */
int hal_signal_push_frame(struct uregs *r, int sig, const struct ksigaction *act,
			  uint64_t saved_mask)
{
	struct x86_rt_sigframe f;
	uint8_t fx[X86_FPSTATE_SIZE];
	vaddr_t fpstate = x86_fpstate_addr(r->rsp);
	vaddr_t frame = fpstate ? x86_frame_addr(fpstate) : 0;
	int rc = -EFAULT;

	if (!frame || !x86_user_pc_ok(act->handler))
		goto fault;
	rc = hal_fpu_state_save(fx);
	if (rc)
		goto fault;
	rc = -EFAULT;
	x86_fill_frame(&f, r, sig, act, saved_mask, fpstate);
	if (copy_to_user(fpstate, fx, sizeof(fx)) || copy_to_user(frame, &f, sizeof(f)))
		goto fault;
	(void)hal_fpu_state_restore(x86_fpu_clean()); /* the save made the area */
	r->rip = act->handler;
	r->rdi = (uint64_t)sig;
	r->rsi = frame + offsetof(struct x86_rt_sigframe, info);
	r->rdx = frame + offsetof(struct x86_rt_sigframe, uc);
	r->rax = 0;
	r->rsp = frame;
	return 0;
fault:
	return rc;
}

/* rt_sigreturn: the handler's ret popped pretcode, so the ucontext is at rsp. Restore
 * the FP state and r from it and return its mask in *mask. 0, or -EFAULT (unreadable
 * frame or FP image, a rip outside the user range) or -EINVAL (an FP image the CPU
 * refuses) with r, *mask and the FP state unchanged. */
int hal_signal_pop_frame(struct uregs *r, uint64_t *mask)
{
	struct x86_ucontext uc;
	int rc = -EFAULT;

	if (copy_from_user(&uc, r->rsp, sizeof(uc)))
		goto fault;
	if (!x86_user_pc_ok(uc.uc_mcontext.rip))
		goto fault;
	rc = x86_restore_fpstate(uc.uc_mcontext.fpstate);
	if (rc)
		goto fault;
	x86_load_sigcontext(r, &uc.uc_mcontext);
	*mask = uc.uc_sigmask;
	return 0;
fault:
	return rc;
}
