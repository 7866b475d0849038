/*
 * Signal frames (platform/<fmt>/sigframe.c), built once per format (HOSTED_FORMAT_x86_64
 * or HOSTED_FORMAT_aarch64): handler entry registers, the frame bytes at the Linux ABI
 * offsets (numbers taken from the kernel's uapi headers, not from the implementation),
 * rt_sigreturn round trips, frames edited by the handler, and every refusal. The FP
 * state is the hosted CPU's simulated register file (hosted_fpu_regs): a test sets
 * it, pushes, clobbers it as the handler would, pops and checks it came back.
 */
#if defined(HOSTED_FORMAT_x86_64) && defined(__x86_64__) && defined(__linux__)
#define _GNU_SOURCE /* REG_* from <sys/ucontext.h>, to cross-check the offsets */
#include <sys/ucontext.h>
#define HAVE_HOST_UCONTEXT 1
#endif

#include <string.h>

#include "harness.h"
#include "mm/uaccess.h"
#include "proc/proc.h"

#if defined(HOSTED_FORMAT_x86_64)
#include "../../platform/x86_64/uregs.h"
#elif defined(HOSTED_FORMAT_aarch64)
#include "../../platform/aarch64/uregs.h"
#else
#error "define HOSTED_FORMAT_x86_64 or HOSTED_FORMAT_aarch64"
#endif

#define P PAGE_SIZE
#define STACK_BASE ((vaddr_t)0x200000) /* nothing is mapped below it */
#define STACK_SIZE (4 * P)
#define STACK_TOP (STACK_BASE + STACK_SIZE)
#define RO_PAGE (STACK_TOP + 2 * P)    /* a hole, then a read-only page */
#define HANDLER ((vaddr_t)0x400123)
#define RESTORER ((vaddr_t)0x401456)
#define KERNEL_PC ((vaddr_t)0xffffffff80001000ULL)
#define OLD_MASK 0x8000000100004002ULL
#define SIG 10

/* ---- Per-format ABI facts: offsets from the start of the frame ------------------ */

#if defined(HOSTED_FORMAT_x86_64)
#define FRAME_SIZE 440   /* pretcode + ucontext (304) + siginfo (128) */
#define UC_OFF 8
#define MC_OFF (UC_OFF + 40)      /* uc_mcontext: struct sigcontext */
#define SIGMASK_OFF (UC_OFF + 296)
#define INFO_OFF 312
#define PC_OFF (MC_OFF + 128)     /* sigcontext.rip */
#define FLAGS_OFF (MC_OFF + 136)  /* sigcontext.eflags */
#define RET_OFF (MC_OFF + 104)    /* sigcontext.rax */
#define REGS_OFF MC_OFF           /* sigcontext.r8 */
#define NREGS 18                  /* r8..r15 rdi rsi rbp rbx rdx rax rcx rsp rip eflags */
#define FP_SIZE 512               /* struct _fpstate: the FXSAVE image */
#define FPSTATE_PTR_OFF (MC_OFF + 184) /* sigcontext.fpstate */
#define FP_MXCSR 24               /* _fpstate.mxcsr */
#define FP_XMM0 160               /* _fpstate._xmm[0] */
#define FP_VREG0 FP_XMM0          /* a 128-bit vector register in the record */
#define ROUND_UP_OFF FP_MXCSR     /* MXCSR.RC = 10b: round up, exceptions masked */
#define ROUND_UP_VALUE 0x5f80u
#else
#define FRAME_SIZE 4688  /* siginfo (128) + ucontext (176 + 288 + 4096) */
#define UC_OFF 128
#define MC_OFF (UC_OFF + 176)     /* uc_mcontext: struct sigcontext */
#define SIGMASK_OFF (UC_OFF + 40)
#define INFO_OFF 0
#define PC_OFF (MC_OFF + 264)     /* sigcontext.pc */
#define FLAGS_OFF (MC_OFF + 272)  /* sigcontext.pstate */
#define RET_OFF (MC_OFF + 8)      /* sigcontext.regs[0] (x0) */
#define RESERVED_OFF (MC_OFF + 288)
#define REGS_OFF (MC_OFF + 8)     /* sigcontext.regs[0], after fault_address */
#define NREGS 34                  /* x0..x30 sp pc pstate */
#define FP_SIZE 528               /* struct fpsimd_context */
#define FP_MAGIC 0x46508001u      /* FPSIMD_MAGIC */
#define ESR_MAGIC 0x45535201u
#define FP_FPSR 8
#define FP_FPCR 12
#define FP_V0 16                  /* fpsimd_context.vregs[0] */
#define FP_VREG0 FP_V0
#define ROUND_UP_OFF FP_FPCR      /* FPCR.RMode = 01b: round towards +infinity */
#define ROUND_UP_VALUE 0x00400000u
#endif

#ifdef HAVE_HOST_UCONTEXT
/* glibc's ucontext_t shares the kernel's layout up to uc_sigmask. */
_Static_assert(offsetof(ucontext_t, uc_mcontext) == MC_OFF - UC_OFF, "mcontext");
_Static_assert(offsetof(ucontext_t, uc_mcontext.gregs[REG_RIP]) == PC_OFF - UC_OFF, "rip");
_Static_assert(offsetof(ucontext_t, uc_mcontext.gregs[REG_EFL]) == FLAGS_OFF - UC_OFF, "efl");
_Static_assert(offsetof(ucontext_t, uc_mcontext.gregs[REG_RAX]) == RET_OFF - UC_OFF, "rax");
_Static_assert(offsetof(ucontext_t, uc_sigmask) == SIGMASK_OFF - UC_OFF, "sigmask");
_Static_assert(offsetof(ucontext_t, uc_mcontext.fpregs) == FPSTATE_PTR_OFF - UC_OFF, "fpregs");
_Static_assert(sizeof(struct _libc_fpstate) == FP_SIZE, "fpstate size");
_Static_assert(offsetof(struct _libc_fpstate, mxcsr) == FP_MXCSR, "fpstate.mxcsr");
_Static_assert(offsetof(struct _libc_fpstate, _xmm) == FP_XMM0, "fpstate._xmm");
#endif

static struct aspace *as;
static const struct ksigaction act = { .handler = HANDLER, .restorer = RESTORER };
static uint8_t fp_before[FP_SIZE]; /* the live FP state push_and_check pushed */

/* Machine with one active space: a 4-page RW stack and a read-only page. */
static int setup(void **state)
{
	machine_setup(state);
	as = aspace_create();
	aspace_activate(as);
	test_map(as, STACK_BASE, STACK_SIZE, RW, PRIV_ANON | LINUX_MAP_FIXED);
	test_map(as, RO_PAGE, P, VM_READ, PRIV_ANON | LINUX_MAP_FIXED);
	return 0;
}

static int teardown(void **state)
{
	aspace_activate(NULL);
	aspace_put(as);
	return machine_teardown(state);
}

/* The 64-bit little-endian value at buf + off. */
static uint64_t get64(const uint8_t *buf, size_t off)
{
	uint64_t v;

	memcpy(&v, buf + off, sizeof(v));
	return v;
}

/* The 32-bit value at buf + off. */
static uint32_t get32(const uint8_t *buf, size_t off)
{
	uint32_t v;

	memcpy(&v, buf + off, sizeof(v));
	return v;
}

/* Read n user bytes at va as user code would, asserting success. */
static void user_read(vaddr_t va, void *dst, size_t n)
{
	assert_int_equal(hosted_user_read(va, dst, n), FAULT_HANDLED);
}

/* Store a 64-bit value into the frame as the handler would. */
static void user_write64(vaddr_t va, uint64_t v)
{
	assert_int_equal(hosted_user_write(va, &v, sizeof(v)), FAULT_HANDLED);
}

/* Store a 32-bit value into the frame as the handler would. */
static void user_write32(vaddr_t va, uint32_t v)
{
	assert_int_equal(hosted_user_write(va, &v, sizeof(v)), FAULT_HANDLED);
}

/* The simulated CPU's live FP register file. */
static uint8_t *fp_live(void)
{
	return hosted_fpu_regs();
}

/* Address of the FP record of the frame at frame (per format, below). */
static vaddr_t fp_addr(vaddr_t frame);

/* Store v at offset off of the FP record buf. */
static void put32(uint8_t *buf, size_t off, uint32_t v)
{
	memcpy(buf + off, &v, sizeof(v));
}

/* ---- Per-format register helpers ------------------------------------------------ */

#if defined(HOSTED_FORMAT_x86_64)

/* Distinct values in every register (seeded), user selectors, a few user flags. */
static void fill_regs(struct uregs *r, vaddr_t sp, uint64_t seed)
{
	uint64_t *w = (uint64_t *)r;

	for (size_t i = 0; i < sizeof(*r) / 8; i++)
		w[i] = seed + 0x1111111111111111ULL * (i + 1);
	r->rip = 0x10000 + (seed & 0xfff);
	r->cs = X86_USER_CS;
	r->ss = X86_USER_SS;
	r->rflags = X86_USER_RFLAGS | 0x8c5; /* CF PF ZF SF OF */
	r->rsp = sp;
}

/* Accessors the shared steps use: sp, pc, return register, flags, thread pointer. */
static uint64_t get_sp(const struct uregs *r) { return r->rsp; }
static uint64_t get_pc(const struct uregs *r) { return r->rip; }
static uint64_t get_ret(const struct uregs *r) { return r->rax; }
static uint64_t get_flags(const struct uregs *r) { return r->rflags; }
static uint64_t get_tls(const struct uregs *r) { return r->fs_base; }

/* What the frame must hold for r, in sigcontext order. */
static void saved_order(const struct uregs *r, uint64_t out[NREGS])
{
	const uint64_t v[NREGS] = { r->r8, r->r9, r->r10, r->r11, r->r12, r->r13, r->r14,
				    r->r15, r->rdi, r->rsi, r->rbp, r->rbx, r->rdx, r->rax,
				    r->rcx, r->rsp, r->rip, r->rflags };

	memcpy(out, v, sizeof(v));
}

/* r as the handler must see it after a push from before onto the frame at frame. */
static struct uregs entry_regs(const struct uregs *before, vaddr_t frame)
{
	struct uregs e = *before;

	e.rip = HANDLER;
	e.rdi = SIG;
	e.rsi = frame + INFO_OFF;
	e.rdx = frame + UC_OFF;
	e.rax = 0;
	e.rsp = frame;
	return e;
}

/* The frame address is where the handler starts: aligned as after a call, below
 * the FP image, which is 64-byte aligned below the red zone (Linux's order). */
static void check_placement(vaddr_t sp, vaddr_t frame)
{
	vaddr_t fp = fp_addr(frame);

	assert_true(fp % 64 == 0);
	assert_true(fp + FP_SIZE <= sp - 128);
	assert_true(fp + FP_SIZE + 128 + 64 > sp);
	assert_true((frame + 8) % 16 == 0);
	assert_true(frame + FRAME_SIZE <= fp);
	assert_true(frame + FRAME_SIZE + 24 > fp); /* slack: align down 16, then 8 */
}

/* Format-specific bytes: pretcode, sigcontext selectors, FP pointer, oldmask. */
static void check_frame_extra(const uint8_t *f, const struct uregs *before, vaddr_t frame)
{
	(void)frame;
	assert_true(get64(f, 0) == RESTORER);
	assert_true(get64(f, UC_OFF) == 0x6);          /* UC_SIGCONTEXT_SS|STRICT_RESTORE_SS */
	assert_int_equal(f[MC_OFF + 144] | f[MC_OFF + 145] << 8, before->cs);
	assert_int_equal(f[MC_OFF + 150] | f[MC_OFF + 151] << 8, before->ss);
	assert_true(get64(f, MC_OFF + 168) == OLD_MASK);  /* oldmask */
	assert_true(get64(f, FPSTATE_PTR_OFF) != 0);       /* fpstate (checked by placement) */
}

/* What the handler's return does before rt_sigreturn: ret pops pretcode. */
static void handler_return(struct uregs *r)
{
	r->rsp += 8;
}

/* Overwrite every register except the stack pointer, as a handler may. */
static void scramble(struct uregs *r)
{
	uint64_t sp = r->rsp, tls = r->fs_base, nr = r->syscall_nr;

	memset(r, 0x5a, sizeof(*r));
	r->rsp = sp;
	r->fs_base = tls;
	r->syscall_nr = nr;
}

/* A user-settable flag pattern that differs from fill_regs' and what it becomes. */
#define NEW_FLAGS (X86_USER_RFLAGS | 0x401 | (1UL << 18)) /* CF DF AC */

/* Flags restored from an all-ones eflags: only the user set plus IF and bit 1. */
static void check_flags_sanitised(const struct uregs *r)
{
	assert_true(r->rflags & X86_RFLAGS_IF);
	assert_true((r->rflags & (3UL << 12)) == 0); /* IOPL */
	assert_true((r->rflags & (1UL << 14)) == 0); /* NT */
	assert_true((r->rflags & (1UL << 16)) == 0); /* RF */
	assert_true((r->rflags & (1UL << 17)) == 0); /* VM */
	assert_true((r->rflags & (3UL << 19)) == 0); /* VIF VIP */
	assert_true((r->rflags & ~0xffffffffULL) == 0);
	assert_true((r->rflags & 0x8d5) == 0x8d5);   /* CF PF AF ZF SF OF */
	assert_int_equal(r->cs, X86_USER_CS);
	assert_int_equal(r->ss, X86_USER_SS);
}

/* Put kernel selectors in the frame's cs/ss slots. */
static void poison_privilege(vaddr_t frame)
{
	uint16_t sel[4] = { X86_KERNEL_CS, 0, 0, X86_KERNEL_SS };

	assert_int_equal(hosted_user_write(frame + MC_OFF + 144, sel, sizeof(sel)),
			 FAULT_HANDLED);
}

/* Address of the FP record of the frame at frame: sigcontext.fpstate. */
static vaddr_t fp_addr(vaddr_t frame)
{
	uint64_t p;

	user_read(frame + FPSTATE_PTR_OFF, &p, sizeof(p));
	return p;
}

/* A seeded live FP state the CPU could hold (a valid MXCSR, some flags set). */
static void fill_fp(uint64_t seed)
{
	uint8_t *fp = fp_live();

	for (size_t i = 0; i < FP_SIZE; i++)
		fp[i] = (uint8_t)(seed * 7 + i * 13);
	put32(fp, FP_MXCSR, 0x1f80 | (seed & 0x3f));
}

/* The FXSAVE image of the clean state: FCW 0x37f, MXCSR 0x1f80, all else zero. */
static void fp_clean(uint8_t out[FP_SIZE])
{
	memset(out, 0, FP_SIZE);
	out[0] = 0x7f;
	out[1] = 0x03;
	put32(out, FP_MXCSR, 0x1f80);
}

/* Linux gives the handler the clean FP state. */
static void check_fp_handler_state(void)
{
	uint8_t clean[FP_SIZE];

	fp_clean(clean);
	assert_memory_equal(fp_live(), clean, FP_SIZE);
}

/* Make the saved FP record one the hardware refuses (MXCSR reserved bit 16). */
static void poison_fp(vaddr_t frame)
{
	user_write32(fp_addr(frame) + FP_MXCSR, 0x11f80);
}

#else /* aarch64 */

/* Distinct values in every register (seeded), EL0t with some NZCV flags. */
static void fill_regs(struct uregs *r, vaddr_t sp, uint64_t seed)
{
	for (unsigned i = 0; i < 31; i++)
		r->x[i] = seed + 0x1111111111111111ULL * (i + 1);
	r->pc = 0x10000 + (seed & 0xffc);
	r->spsr = A64_SPSR_EL0T | (0xaUL << 28); /* N C */
	r->tpidr = seed ^ 0x7770000;
	r->sp = sp;
}

/* Accessors the shared steps use: sp, pc, return register, flags, thread pointer. */
static uint64_t get_sp(const struct uregs *r) { return r->sp; }
static uint64_t get_pc(const struct uregs *r) { return r->pc; }
static uint64_t get_ret(const struct uregs *r) { return r->x[0]; }
static uint64_t get_flags(const struct uregs *r) { return r->spsr; }
static uint64_t get_tls(const struct uregs *r) { return r->tpidr; }

/* What the frame must hold for r: regs[31], sp, pc, pstate. */
static void saved_order(const struct uregs *r, uint64_t out[NREGS])
{
	for (unsigned i = 0; i < 31; i++)
		out[i] = r->x[i];
	out[31] = r->sp;
	out[32] = r->pc;
	out[33] = r->spsr;
}

/* r as the handler must see it after a push from before onto the frame at frame. */
static struct uregs entry_regs(const struct uregs *before, vaddr_t frame)
{
	struct uregs e = *before;

	e.x[0] = SIG;
	e.x[1] = frame + INFO_OFF;
	e.x[2] = frame + UC_OFF;
	e.x[29] = frame + FRAME_SIZE;
	e.x[30] = RESTORER;
	e.sp = frame;
	e.pc = HANDLER;
	return e;
}

/* The frame and the record above it fit below sp, 16-byte aligned. */
static void check_placement(vaddr_t sp, vaddr_t frame)
{
	assert_true(frame % 16 == 0);
	assert_true(frame + FRAME_SIZE + 16 <= sp);
	assert_true(frame + FRAME_SIZE + 16 + 16 > sp);
}

/* Format-specific bytes: fault_address, the fpsimd record then only zeros (the
 * terminator record), the frame record. */
static void check_frame_extra(const uint8_t *f, const struct uregs *before, vaddr_t frame)
{
	uint64_t rec[2];

	assert_true(get64(f, UC_OFF) == 0);   /* uc_flags */
	assert_true(get64(f, MC_OFF) == 0);   /* fault_address */
	assert_int_equal(get32(f, RESERVED_OFF), FP_MAGIC);
	assert_int_equal(get32(f, RESERVED_OFF + 4), FP_SIZE);
	for (size_t i = RESERVED_OFF + FP_SIZE; i < FRAME_SIZE; i++)
		assert_int_equal(f[i], 0);
	user_read(frame + FRAME_SIZE, rec, sizeof(rec));
	assert_true(rec[0] == before->x[29]);
	assert_true(rec[1] == before->x[30]);
}

/* The handler returns through x30 into the restorer: sp is back at the frame. */
static void handler_return(struct uregs *r)
{
	(void)r;
}

/* Overwrite every register except the stack pointer, as a handler may. */
static void scramble(struct uregs *r)
{
	uint64_t sp = r->sp, tls = r->tpidr;

	memset(r, 0x5a, sizeof(*r));
	r->sp = sp;
	r->tpidr = tls;
}

/* A pstate with other NZCV flags than fill_regs' (EL0t). */
#define NEW_FLAGS (A64_SPSR_EL0T | (0x5UL << 28)) /* Z V */

/* pstate restored from all ones: EL0t, DAIF clear, only NZCV kept. */
static void check_flags_sanitised(const struct uregs *r)
{
	assert_true(r->spsr == (0xfUL << 28));
	assert_true((r->spsr & 0x1f) == 0);                 /* M = EL0t */
	assert_true((r->spsr & A64_SPSR_DAIF_MASK) == 0);
}

/* Nothing beyond pstate carries privilege in the aarch64 frame. */
static void poison_privilege(vaddr_t frame)
{
	(void)frame;
}

/* Address of the FP record of the frame at frame: first in __reserved. */
static vaddr_t fp_addr(vaddr_t frame)
{
	return frame + RESERVED_OFF;
}

/* A seeded live FP/SIMD state: a valid head, fpsr, fpcr and v0-v31 patterns. */
static void fill_fp(uint64_t seed)
{
	uint8_t *fp = fp_live();

	for (size_t i = 0; i < FP_SIZE; i++)
		fp[i] = (uint8_t)(seed * 7 + i * 13);
	put32(fp, 0, FP_MAGIC);
	put32(fp, 4, FP_SIZE);
	put32(fp, FP_FPSR, 0x8000009f & (uint32_t)(seed * 0x01010101));
	put32(fp, FP_FPCR, 0x00c00000 & (uint32_t)(seed << 22)); /* RMode */
}

/* Linux leaves the FP/SIMD registers as they were for the handler. */
static void check_fp_handler_state(void)
{
	assert_memory_equal(fp_live(), fp_before, FP_SIZE);
}

/* Make the saved FP record one sigreturn refuses (a wrong magic). */
static void poison_fp(vaddr_t frame)
{
	user_write32(fp_addr(frame), FP_MAGIC ^ 1);
}

#endif

/* ---- Shared steps ---------------------------------------------------------------- */

/* Push a frame for SIG from r (asserting success); returns the frame address. */
static vaddr_t push(struct uregs *r)
{
	assert_int_equal(hal_signal_push_frame(r, SIG, &act, OLD_MASK), 0);
	return get_sp(r);
}

/* Check the common frame bytes: siginfo, sigmask, saved registers, uc_stack, FP. */
static void check_frame(const struct uregs *before, vaddr_t frame)
{
	static uint8_t f[FRAME_SIZE], fp[FP_SIZE];
	uint64_t want[NREGS];

	user_read(frame, f, sizeof(f));
	assert_int_equal(get32(f, INFO_OFF), SIG);         /* si_signo */
	assert_int_equal(get32(f, INFO_OFF + 4), 0);       /* si_errno */
	assert_int_equal(get32(f, INFO_OFF + 8), 0);       /* si_code: SI_USER */
	assert_true(get64(f, SIGMASK_OFF) == OLD_MASK);
	assert_true(get64(f, UC_OFF + 8) == 0);            /* uc_link */
	assert_int_equal(get32(f, UC_OFF + 24), 2);        /* uc_stack.ss_flags: SS_DISABLE */
	saved_order(before, want);
	for (unsigned i = 0; i < NREGS; i++)
		assert_true(get64(f, REGS_OFF + 8 * i) == want[i]);
	check_frame_extra(f, before, frame);
	user_read(fp_addr(frame), fp, sizeof(fp));
	assert_memory_equal(fp, fp_before, FP_SIZE);
}

/* Overwrite the live FP state with another valid one, as a handler using FP does. */
static void scramble_fp(void)
{
	fill_fp(0xee);
}

/* Push from sp, check entry registers, placement and bytes; returns the frame. */
static vaddr_t push_and_check(struct uregs *r, vaddr_t sp, uint64_t seed)
{
	struct uregs before, want;
	vaddr_t frame;

	fill_regs(r, sp, seed);
	fill_fp(seed);
	memcpy(fp_before, fp_live(), FP_SIZE);
	before = *r;
	frame = push(r);
	want = entry_regs(&before, frame);
	assert_memory_equal(r, &want, sizeof(want));
	check_placement(sp, frame);
	check_frame(&before, frame);
	check_fp_handler_state();
	return frame;
}

/* Push then pop must give back every register and the mask. */
static void test_roundtrip(void **state)
{
	struct uregs r, before;
	uint64_t mask = 0;

	(void)state;
	for (unsigned k = 0; k < 40; k++) {
		vaddr_t sp = STACK_TOP - 8 * k - (k & 7);

		push_and_check(&r, sp, 0x100 * k + 1);
		fill_regs(&before, sp, 0x100 * k + 1);
		scramble(&r);
		scramble_fp();
		handler_return(&r);
		assert_int_equal(hal_signal_pop_frame(&r, &mask), 0);
		assert_memory_equal(&r, &before, sizeof(r));
		assert_memory_equal(fp_live(), fp_before, FP_SIZE);
		assert_true(mask == OLD_MASK);
	}
}

/* The thread pointer is live state, not frame state: pop keeps the current one. */
static void test_pop_keeps_tls(void **state)
{
	struct uregs r;
	uint64_t mask;

	(void)state;
	push_and_check(&r, STACK_TOP - 64, 7);
	handler_return(&r);
	hal_uregs_set_tls(&r, 0x12345000);
	assert_int_equal(hal_signal_pop_frame(&r, &mask), 0);
	assert_true(get_tls(&r) == 0x12345000);
}

/* Changes the handler makes to the saved context take effect. */
static void test_edited_frame_honoured(void **state)
{
	struct uregs r;
	uint64_t mask;
	vaddr_t frame;

	(void)state;
	frame = push_and_check(&r, STACK_TOP - 200, 3);
	user_write64(frame + PC_OFF, 0x777000);
	user_write64(frame + RET_OFF, 0xdeadbeefcafeULL);
	user_write64(frame + FLAGS_OFF, NEW_FLAGS);
	user_write64(frame + SIGMASK_OFF, 0x55);
	handler_return(&r);
	assert_int_equal(hal_signal_pop_frame(&r, &mask), 0);
	assert_true(get_pc(&r) == 0x777000);
	assert_true(get_ret(&r) == 0xdeadbeefcafeULL);
	assert_true(get_flags(&r) == NEW_FLAGS);
	assert_true(mask == 0x55);
}

/* Privilege bits (x86: IOPL, NT, VM, IF clear, kernel selectors; aarch64: mode and
 * DAIF) written into the frame are not honoured. */
static void test_privilege_bits_ignored(void **state)
{
	struct uregs r;
	uint64_t mask;
	vaddr_t frame;

	(void)state;
	frame = push_and_check(&r, STACK_TOP - 64, 5);
	user_write64(frame + FLAGS_OFF, ~0ULL);
	poison_privilege(frame);
	handler_return(&r);
	assert_int_equal(hal_signal_pop_frame(&r, &mask), 0);
	check_flags_sanitised(&r);
}

/* A push that cannot write the whole frame fails with r unchanged. */
static void test_push_bad_stack(void **state)
{
	const vaddr_t bad_sp[] = {
		STACK_TOP + P,         /* unmapped */
		RO_PAGE + P - 16,      /* read-only */
		STACK_BASE + 256,      /* frame runs off the bottom of the stack */
		64,                    /* too low to hold a frame at all */
		0,
	};
	struct uregs r, before;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad_sp); i++) {
		fill_regs(&r, bad_sp[i], i);
		fill_fp(i);
		memcpy(fp_before, fp_live(), FP_SIZE);
		before = r;
		assert_int_equal(hal_signal_push_frame(&r, SIG, &act, OLD_MASK), -EFAULT);
		assert_memory_equal(&r, &before, sizeof(r));
		assert_memory_equal(fp_live(), fp_before, FP_SIZE); /* not even reset */
	}
}

/* A handler address outside the user range is refused before anything is written. */
static void test_push_kernel_handler(void **state)
{
	struct ksigaction bad = act;
	struct uregs r, before;

	(void)state;
	bad.handler = KERNEL_PC;
	fill_regs(&r, STACK_TOP, 1);
	before = r;
	assert_int_equal(hal_signal_push_frame(&r, SIG, &bad, 0), -EFAULT);
	assert_memory_equal(&r, &before, sizeof(r));
}

/* Pop from an unreadable or partly readable frame: -EFAULT, r and mask unchanged. */
static void test_pop_bad_stack(void **state)
{
	const vaddr_t bad_sp[] = { STACK_TOP + P, STACK_TOP - 64, 0, KERNEL_PC, ~0ULL - 15 };
	struct uregs r, before;
	uint64_t mask = 99;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad_sp); i++) {
		fill_regs(&r, bad_sp[i], i);
		before = r;
		assert_int_equal(hal_signal_pop_frame(&r, &mask), -EFAULT);
		assert_memory_equal(&r, &before, sizeof(r));
		assert_true(mask == 99);
	}
}

/* A saved pc in kernel space (or at the user top) is refused; just below is fine. */
static void test_pop_kernel_pc(void **state)
{
	const vaddr_t top = hal_pt_geometry()->user_top;
	const vaddr_t pcs[] = { KERNEL_PC, top, ~0ULL };
	struct uregs r, before;
	uint64_t mask = 99;
	vaddr_t frame;

	(void)state;
	frame = push_and_check(&r, STACK_TOP - 32, 9);
	handler_return(&r);
	before = r;
	for (size_t i = 0; i < ARRAY_SIZE(pcs); i++) {
		user_write64(frame + PC_OFF, pcs[i]);
		assert_int_equal(hal_signal_pop_frame(&r, &mask), -EFAULT);
		assert_memory_equal(&r, &before, sizeof(r));
		assert_true(mask == 99);
	}
	user_write64(frame + PC_OFF, top - 4);
	assert_int_equal(hal_signal_pop_frame(&r, &mask), 0);
	assert_true(get_pc(&r) == top - 4);
}

#if defined(HOSTED_FORMAT_aarch64)
/* rt_sigreturn with a misaligned sp is refused even when the memory is readable. */
static void test_pop_unaligned(void **state)
{
	struct uregs r, before;
	uint64_t mask = 99;

	(void)state;
	push_and_check(&r, STACK_TOP - 48, 11);
	for (unsigned off = 1; off < 16; off++) {
		r.sp += off;
		before = r;
		assert_int_equal(hal_signal_pop_frame(&r, &mask), -EFAULT);
		assert_memory_equal(&r, &before, sizeof(r));
		r.sp -= off;
	}
	assert_int_equal(hal_signal_pop_frame(&r, &mask), 0);
	assert_true(mask == OLD_MASK);
}
#endif

#if defined(HOSTED_FORMAT_x86_64)
/* sigcontext.fpstate as the handler may set it: 0 gives the clean FP state (Linux);
 * a misaligned, unmapped or kernel pointer is refused with nothing changed. */
static void test_fpstate_pointer(void **state)
{
	const vaddr_t bad[] = { 8, 1, STACK_TOP + P, KERNEL_PC & ~63ULL, RO_PAGE + P - 256 };
	struct uregs r, before;
	uint64_t mask = 99;
	uint8_t clean[FP_SIZE];
	vaddr_t frame, fp;

	(void)state;
	frame = push_and_check(&r, STACK_TOP - 8, 19);
	fp = fp_addr(frame);
	handler_return(&r);
	before = r;
	scramble_fp();
	memcpy(fp_before, fp_live(), FP_SIZE);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		user_write64(frame + FPSTATE_PTR_OFF, bad[i] < 16 ? fp + bad[i] : bad[i]);
		assert_int_equal(hal_signal_pop_frame(&r, &mask), -EFAULT);
		assert_memory_equal(&r, &before, sizeof(r));
		assert_memory_equal(fp_live(), fp_before, FP_SIZE);
		assert_true(mask == 99);
	}
	user_write64(frame + FPSTATE_PTR_OFF, 0);
	assert_int_equal(hal_signal_pop_frame(&r, &mask), 0);
	fp_clean(clean);
	assert_memory_equal(fp_live(), clean, FP_SIZE);
}
#endif

#if defined(HOSTED_FORMAT_aarch64)
/* One __reserved record list a handler could leave, and what sigreturn makes of it. */
struct record_case {
	const char *name;
	uint32_t head[6][2]; /* {magic, size} records laid end to end, then zeros */
	int want;
};

/* Write the records of c into __reserved at va: fpsimd records get the payload of
 * the saved state (fp_before), others zero bodies. */
static void write_records(vaddr_t va, const struct record_case *c)
{
	static uint8_t res[4096];
	size_t off = 0;

	memset(res, 0, sizeof(res));
	for (unsigned i = 0; i < 6 && c->head[i][1] && off < sizeof(res); i++) {
		if (c->head[i][0] == FP_MAGIC)
			memcpy(res + off, fp_before, MIN((size_t)FP_SIZE, sizeof(res) - off));
		put32(res, off, c->head[i][0]);
		put32(res, off + 4, c->head[i][1]);
		off += c->head[i][1];
	}
	assert_int_equal(hosted_user_write(va, res, sizeof(res)), FAULT_HANDLED);
}

/* sigreturn walks __reserved as Linux does: fpsimd required once with its exact size,
 * esr records skipped, anything else or a malformed list refused. */
static void test_fp_record_list(void **state)
{
	const struct record_case cases[] = {
		{ "no fpsimd record", { { 0, 0 } }, -EINVAL },
		{ "fpsimd too short", { { FP_MAGIC, 512 } }, -EINVAL },
		{ "fpsimd too long", { { FP_MAGIC, 544 } }, -EINVAL },
		{ "two fpsimd", { { FP_MAGIC, 528 }, { FP_MAGIC, 528 } }, -EINVAL },
		{ "sve record", { { 0x53564501, 16 }, { FP_MAGIC, 528 } }, -EINVAL },
		{ "unknown record", { { FP_MAGIC, 528 }, { 0x12345678, 16 } }, -EINVAL },
		{ "misaligned size", { { ESR_MAGIC, 24 }, { FP_MAGIC, 528 } }, -EINVAL },
		{ "runs off the end", { { ESR_MAGIC, 4096 } }, -EINVAL },
		{ "zero-size record", { { ESR_MAGIC, 0 }, { FP_MAGIC, 528 } }, -EINVAL },
		{ "esr then fpsimd", { { ESR_MAGIC, 16 }, { FP_MAGIC, 528 } }, 0 },
	};
	struct uregs r, before;
	uint64_t mask;
	vaddr_t frame;

	(void)state;
	frame = push_and_check(&r, STACK_TOP - 32, 23);
	handler_return(&r);
	before = r;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		print_message("# %s\n", cases[i].name);
		write_records(frame + RESERVED_OFF, &cases[i]);
		scramble_fp();
		assert_int_equal(hal_signal_pop_frame(&r, &mask), cases[i].want);
		if (cases[i].want)
			assert_memory_equal(&r, &before, sizeof(r));
	}
	assert_memory_equal(fp_live(), fp_before, FP_SIZE);
}
#endif

/* Two nested signals: the second frame sits below the first and both unwind, each
 * giving back the registers and FP state it interrupted. */
static void test_nested(void **state)
{
	static uint8_t fp_outer[FP_SIZE], fp_inner[FP_SIZE];
	struct uregs r, outer, inner;
	uint64_t mask;

	(void)state;
	fill_regs(&r, STACK_TOP - 8, 21);
	fill_fp(21);
	memcpy(fp_outer, fp_live(), FP_SIZE);
	outer = r;
	push(&r);
	inner = r;
	fill_fp(22); /* the first handler computes */
	memcpy(fp_inner, fp_live(), FP_SIZE);
	assert_int_equal(hal_signal_push_frame(&r, SIG, &act, 0x3), 0);
	assert_true(get_sp(&r) + FRAME_SIZE <= get_sp(&inner));
	scramble_fp();
	handler_return(&r);
	assert_int_equal(hal_signal_pop_frame(&r, &mask), 0);
	assert_memory_equal(&r, &inner, sizeof(r));
	assert_memory_equal(fp_live(), fp_inner, FP_SIZE);
	assert_true(mask == 0x3);
	handler_return(&r);
	assert_int_equal(hal_signal_pop_frame(&r, &mask), 0);
	assert_memory_equal(&r, &outer, sizeof(r));
	assert_memory_equal(fp_live(), fp_outer, FP_SIZE);
	assert_true(mask == OLD_MASK);
}

/* The FP record is the architecture's Linux one. */
static void test_fp_record_size(void **state)
{
	(void)state;
	assert_int_equal(hal_fpu_state_size(), FP_SIZE);
}

/* A vector register and the rounding mode the handler writes into the saved FP
 * record are what the interrupted code resumes with. */
static void test_fp_edited_honoured(void **state)
{
	const uint8_t v[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
	struct uregs r;
	uint64_t mask;
	vaddr_t frame, fp;

	(void)state;
	frame = push_and_check(&r, STACK_TOP - 100, 13);
	fp = fp_addr(frame);
	assert_int_equal(hosted_user_write(fp + FP_VREG0, v, sizeof(v)), FAULT_HANDLED);
	user_write32(fp + ROUND_UP_OFF, ROUND_UP_VALUE);
	scramble_fp();
	handler_return(&r);
	assert_int_equal(hal_signal_pop_frame(&r, &mask), 0);
	assert_memory_equal(fp_live() + FP_VREG0, v, sizeof(v));
	assert_int_equal(get32(fp_live(), ROUND_UP_OFF), ROUND_UP_VALUE);
	assert_memory_equal(fp_live() + FP_VREG0 + 16, fp_before + FP_VREG0 + 16, 16);
}

/* An FP record the hardware or ABI refuses fails sigreturn (the process then dies of
 * SIGSEGV) with the registers, mask and FP state unchanged. */
static void test_fp_bad_refused(void **state)
{
	static uint8_t fp_handler[FP_SIZE];
	struct uregs r, before;
	uint64_t mask = 99;
	vaddr_t frame;

	(void)state;
	frame = push_and_check(&r, STACK_TOP - 16, 17);
	poison_fp(frame);
	scramble_fp();
	memcpy(fp_handler, fp_live(), FP_SIZE);
	handler_return(&r);
	before = r;
	assert_int_equal(hal_signal_pop_frame(&r, &mask), -EINVAL);
	assert_memory_equal(&r, &before, sizeof(r));
	assert_memory_equal(fp_live(), fp_handler, FP_SIZE);
	assert_true(mask == 99);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_roundtrip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pop_keeps_tls, setup, teardown),
		cmocka_unit_test_setup_teardown(test_edited_frame_honoured, setup, teardown),
		cmocka_unit_test_setup_teardown(test_privilege_bits_ignored, setup, teardown),
		cmocka_unit_test_setup_teardown(test_push_bad_stack, setup, teardown),
		cmocka_unit_test_setup_teardown(test_push_kernel_handler, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pop_bad_stack, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pop_kernel_pc, setup, teardown),
#if defined(HOSTED_FORMAT_aarch64)
		cmocka_unit_test_setup_teardown(test_pop_unaligned, setup, teardown),
#endif
		cmocka_unit_test_setup_teardown(test_nested, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fp_record_size, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fp_edited_honoured, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fp_bad_refused, setup, teardown),
#if defined(HOSTED_FORMAT_x86_64)
		cmocka_unit_test_setup_teardown(test_fpstate_pointer, setup, teardown),
#endif
#if defined(HOSTED_FORMAT_aarch64)
		cmocka_unit_test_setup_teardown(test_fp_record_list, setup, teardown),
#endif
	};

	return cmocka_run_group_tests_name("sigframe", tests, NULL, NULL);
}
