/*
 * aarch64 Linux signal frames: hal_signal_push_frame builds the rt_sigframe a Linux
 * handler expects (siginfo, ucontext, then a {fp, lr} frame record) on the user stack,
 * and hal_signal_pop_frame (rt_sigreturn) restores the registers from it. Pure code:
 * all user memory goes through copy_to_user/copy_from_user, so a bad stack is -EFAULT.
 *
 * Layouts are the Linux arm64 user ABI (asm/sigcontext.h, asm/ucontext.h,
 * asm-generic/siginfo.h), written out here with explicit widths and checked below.
 * uc_mcontext.__reserved holds the fpsimd_context record (the FP/SIMD state the handler
 * may edit) and then the terminating zero record. sigreturn walks the records as Linux
 * does: the fpsimd record is required, exactly once and exactly 528 bytes; esr records
 * are skipped; any other record (SVE, extra, unknown) or a malformed list is refused,
 * so the process dies of SIGSEGV.
 */
#include "uregs.h"

#include "lib/errno.h"
#include "mm/uaccess.h"
#include "proc/proc.h"

#define A64_SS_DISABLE 2          /* uc_stack.ss_flags: no alternate stack */
#define A64_RESERVED_SIZE 4096    /* sigcontext.__reserved: context records */
#define A64_PSTATE_NZCV (0xfUL << 28)
#define A64_FPSIMD_MAGIC 0x46508001u
#define A64_FPSIMD_SIZE 528       /* struct fpsimd_context */
#define A64_ESR_MAGIC 0x45535201u

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

/* struct _aarch64_ctx: the head of each record in __reserved. */
struct a64_ctx_head {
	uint32_t magic, size;
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

/* Write n zero bytes at user address va. 0 or -EFAULT. */
static int a64_clear_user(vaddr_t va, size_t n)
{
	static const uint8_t zeros[512];
	size_t chunk;

	for (size_t off = 0; off < n; off += chunk) {
		chunk = MIN(n - off, sizeof(zeros));
		if (copy_to_user(va + off, zeros, chunk))
			return -EFAULT;
	}
	return 0;
}

/* Fill __reserved at user address va: the fpsimd record fp, then zeros (the
 * terminator record and unused space). 0 or -EFAULT. */
static int a64_write_records(vaddr_t va, const uint8_t *fp)
{
	if (copy_to_user(va, fp, A64_FPSIMD_SIZE))
		return -EFAULT;
	return a64_clear_user(va + A64_FPSIMD_SIZE, A64_RESERVED_SIZE - A64_FPSIMD_SIZE);
}

/* Walk the record list in __reserved at user address va (Linux's parse_user_sigframe
 * without SVE/SME/extra support): *fp gets the address of the one fpsimd record.
 * 0, -EFAULT (unreadable) or -EINVAL (no, or a second, fpsimd record; an unknown
 * record; a size that is misaligned, too small or runs past the end). */
static int a64_find_fpsimd(vaddr_t va, vaddr_t *fp)
{
	struct a64_ctx_head h;
	size_t off = 0;

	*fp = 0;
	for (;;) {
		if (A64_RESERVED_SIZE - off < sizeof(h))
			return -EINVAL;
		if (copy_from_user(&h, va + off, sizeof(h)))
			return -EFAULT;
		if (h.magic == 0 && h.size == 0)
			return *fp ? 0 : -EINVAL;
		if (h.size < sizeof(h) || h.size % 16 || h.size > A64_RESERVED_SIZE - off)
			return -EINVAL;
		if (h.magic == A64_FPSIMD_MAGIC && !*fp && h.size >= A64_FPSIMD_SIZE)
			*fp = va + off;
		else if (h.magic != A64_ESR_MAGIC)
			return -EINVAL;
		off += h.size;
	}
}

/* sigreturn's FP part: load the fpsimd record of the __reserved area at user address
 * va. 0, -EFAULT or -EINVAL, with the FP state unchanged on failure. */
static int a64_restore_fpsimd(vaddr_t va)
{
	uint8_t fp[A64_FPSIMD_SIZE];
	vaddr_t rec;
	int rc = a64_find_fpsimd(va, &rec);

	if (rc)
		return rc;
	if (copy_from_user(fp, rec, sizeof(fp)))
		return -EFAULT;
	return hal_fpu_state_restore(fp);
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

/* Write an rt_sigframe (with the FP/SIMD state) and frame record for sig below r's
 * stack, then point r at act->handler with x0 = sig, x1 = &info, x2 = &uc, sp at the
 * frame, x29 at the frame record and x30 = act->restorer; the FP/SIMD registers stay
 * as they are, as on Linux. 0, or -EFAULT or -ENOMEM with r unchanged. */
int hal_signal_push_frame(struct uregs *r, int sig, const struct ksigaction *act,
			  uint64_t saved_mask)
{
	struct a64_frame_head h;
	struct a64_frame_record rec = { .fp = r->x[29], .lr = r->x[30] };
	uint8_t fp[A64_FPSIMD_SIZE];
	vaddr_t record, frame;
	int rc = -EFAULT;

	if (r->sp < A64_FRAME_SIZE + 32 || !a64_user_pc_ok(act->handler))
		goto fault;
	rc = hal_fpu_state_save(fp);
	if (rc)
		goto fault;
	rc = -EFAULT;
	record = ALIGN_DOWN(r->sp - sizeof(rec), 16);
	frame = record - A64_FRAME_SIZE;
	a64_fill_head(&h, r, sig, saved_mask);
	if (copy_to_user(frame, &h, sizeof(h)) || a64_write_records(frame + sizeof(h), fp) ||
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
	return rc;
}

/* rt_sigreturn: the frame is at sp (which must be 16-byte aligned). Restore the
 * FP/SIMD state, x0..x30, sp, pc and the NZCV flags (EL0t, DAIF clear) and return the
 * mask in *mask; tpidr is kept. 0, or -EFAULT (unaligned or unreadable frame, or a pc
 * outside the user range) or -EINVAL (bad record list) with r, *mask and the FP/SIMD
 * state unchanged. */
int hal_signal_pop_frame(struct uregs *r, uint64_t *mask)
{
	struct a64_frame_head h;
	int rc = -EFAULT;

	if (!IS_ALIGNED(r->sp, 16) || copy_from_user(&h, r->sp, sizeof(h)))
		goto fault;
	if (!a64_user_pc_ok(h.mc.pc))
		goto fault;
	rc = a64_restore_fpsimd(r->sp + sizeof(h));
	if (rc)
		goto fault;
	for (unsigned i = 0; i < 31; i++)
		r->x[i] = h.mc.regs[i];
	r->sp = h.mc.sp;
	r->pc = h.mc.pc;
	r->spsr = A64_SPSR_EL0T | (h.mc.pstate & A64_PSTATE_NZCV);
	*mask = h.uc_sigmask;
	return 0;
fault:
	return rc;
}
