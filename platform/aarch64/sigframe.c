/*
 * aarch64 Linux signal frames: hal_signal_push_frame builds the rt_sigframe a Linux
 * handler expects (siginfo, ucontext, then a {fp, lr} frame record) on the user stack,
 * and hal_signal_pop_frame (rt_sigreturn) restores the registers from it. Pure code:
 * all user memory goes through copy_to_user/copy_from_user, so a bad stack is -EFAULT.
 *
 * Layouts are the Linux arm64 user ABI (asm/sigcontext.h, asm/ucontext.h,
 * asm-generic/siginfo.h), written out here with explicit widths and checked below.
 * uc_mcontext.__reserved holds only the terminating zero record: no FP/SIMD state is
 * saved yet (future work), and sigreturn ignores whatever records user code put there.
 */
#include "uregs.h"

#include "lib/errno.h"
#include "mm/uaccess.h"
#include "proc/proc.h"

#define A64_SS_DISABLE 2          /* uc_stack.ss_flags: no alternate stack */
#define A64_RESERVED_SIZE 4096    /* sigcontext.__reserved: context records */
#define A64_PSTATE_NZCV (0xfUL << 28)

/* siginfo_t: 128 bytes; the union starts at 16 (8-byte aligned on 64-bit). */
struct a64_siginfo {
	int32_t si_signo;
	int32_t si_errno;
	int32_t si_code;
	int32_t pad;
	uint8_t fields[112]; /* SI_USER: si_pid, si_uid (left 0: the sender is not known) */
};

/* stack_t */
struct a64_stack {
	uint64_t ss_sp;
	int32_t ss_flags;
	int32_t pad;
	uint64_t ss_size;
};

/* struct sigcontext up to (not including) its 16-byte aligned __reserved[4096]. */
struct a64_sigcontext_head {
	uint64_t fault_address;
	uint64_t regs[31];
	uint64_t sp, pc, pstate;
	uint64_t pad; /* aligns __reserved to 16 */
};

/* struct rt_sigframe {siginfo; ucontext} up to uc_mcontext.__reserved. The kernel's
 * ucontext keeps 128 bytes of sigset space (uc_sigmask + unused), then uc_mcontext
 * aligned to 16. __reserved (A64_RESERVED_SIZE bytes) follows this head. */
struct a64_frame_head {
	struct a64_siginfo info;
	uint64_t uc_flags;
	uint64_t uc_link;
	struct a64_stack uc_stack;
	uint64_t uc_sigmask;
	uint8_t uc_unused[128 - 8];
	uint64_t uc_align; /* uc_mcontext is 16-byte aligned */
	struct a64_sigcontext_head mc;
};

/* The frame record {fp, lr} above the rt_sigframe, which x29 points at. */
struct a64_frame_record {
	uint64_t fp, lr;
};

#define A64_UC_OFFSET offsetof(struct a64_frame_head, uc_flags)
#define A64_FRAME_SIZE (sizeof(struct a64_frame_head) + A64_RESERVED_SIZE)

_Static_assert(sizeof(struct a64_siginfo) == 128, "siginfo is 128 bytes");
_Static_assert(sizeof(struct a64_stack) == 24, "stack_t");
_Static_assert(offsetof(struct a64_frame_head, uc_flags) == 128, "rt_sigframe.uc");
_Static_assert(offsetof(struct a64_frame_head, uc_sigmask) == 128 + 40, "uc_sigmask");
_Static_assert(offsetof(struct a64_frame_head, mc) == 128 + 176, "uc_mcontext");
_Static_assert(offsetof(struct a64_sigcontext_head, sp) == 256, "sigcontext.sp");
_Static_assert(offsetof(struct a64_sigcontext_head, pstate) == 272, "sigcontext.pstate");
_Static_assert(sizeof(struct a64_sigcontext_head) == 288, "sigcontext.__reserved");
_Static_assert(A64_FRAME_SIZE == 4688 && A64_FRAME_SIZE % 16 == 0, "rt_sigframe size");

/* True when pc is an address in the user range. */
static bool a64_user_pc_ok(uint64_t pc)
{
	return pc < hal_pt_geometry()->user_top;
}

/* Write A64_RESERVED_SIZE zero bytes at user address va (an empty record list whose
 * first header is the terminator). 0 or -EFAULT. */
static int a64_clear_reserved(vaddr_t va)
{
	static const uint8_t zeros[512];

	for (size_t off = 0; off < A64_RESERVED_SIZE; off += sizeof(zeros))
		if (copy_to_user(va + off, zeros, sizeof(zeros)))
			return -EFAULT;
	return 0;
}

/* Fill the frame head for sig with r's registers and the old mask. */
static void a64_fill_head(struct a64_frame_head *h, const struct uregs *r, int sig,
			  uint64_t mask)
{
	*h = (struct a64_frame_head){ 0 };
	h->info.si_signo = sig;
	h->info.si_code = 0; /* SI_USER */
	h->uc_stack.ss_flags = A64_SS_DISABLE;
	h->uc_sigmask = mask;
	for (unsigned i = 0; i < 31; i++)
		h->mc.regs[i] = r->x[i];
	h->mc.sp = r->sp;
	h->mc.pc = r->pc;
	h->mc.pstate = r->spsr;
}

/* Write an rt_sigframe and frame record for sig below r's stack, then point r at
 * act->handler with x0 = sig, x1 = &info, x2 = &uc, sp at the frame, x29 at the frame
 * record and x30 = act->restorer. 0, or -EFAULT with r unchanged. */
int hal_signal_push_frame(struct uregs *r, int sig, const struct ksigaction *act,
			  uint64_t saved_mask)
{
	struct a64_frame_head h;
	struct a64_frame_record rec = { .fp = r->x[29], .lr = r->x[30] };
	vaddr_t record, frame;

	if (r->sp < A64_FRAME_SIZE + 32 || !a64_user_pc_ok(act->handler))
		goto fault;
	record = ALIGN_DOWN(r->sp - sizeof(rec), 16);
	frame = record - A64_FRAME_SIZE;
	a64_fill_head(&h, r, sig, saved_mask);
	if (copy_to_user(frame, &h, sizeof(h)) || a64_clear_reserved(frame + sizeof(h)) ||
	    copy_to_user(record, &rec, sizeof(rec)))
		goto fault;
	r->x[0] = (uint64_t)sig;
	r->x[1] = frame + offsetof(struct a64_frame_head, info);
	r->x[2] = frame + A64_UC_OFFSET;
	r->x[29] = record;
	r->x[30] = act->restorer;
	r->sp = frame;
	r->pc = act->handler;
	return 0;
fault:
	return -EFAULT;
}

/* rt_sigreturn: the frame is at sp (which must be 16-byte aligned). Restore x0..x30,
 * sp, pc and the NZCV flags (EL0t, DAIF clear) and return the mask in *mask; tpidr
 * is kept. 0, or -EFAULT (unaligned or unreadable frame, or a pc outside the user
 * range) with r and *mask unchanged. */
int hal_signal_pop_frame(struct uregs *r, uint64_t *mask)
{
	struct a64_frame_head h;

	if (!IS_ALIGNED(r->sp, 16) || copy_from_user(&h, r->sp, sizeof(h)))
		goto fault;
	if (!a64_user_pc_ok(h.mc.pc))
		goto fault;
	for (unsigned i = 0; i < 31; i++)
		r->x[i] = h.mc.regs[i];
	r->sp = h.mc.sp;
	r->pc = h.mc.pc;
	r->spsr = A64_SPSR_EL0T | (h.mc.pstate & A64_PSTATE_NZCV);
	*mask = h.uc_sigmask;
	return 0;
fault:
	return -EFAULT;
}
