/*
 * Signal frames (platform/<fmt>/sigframe.c), built once per format (HOSTED_FORMAT_x86_64
 * or HOSTED_FORMAT_aarch64): handler entry registers, the frame bytes at the Linux ABI
 * offsets (numbers taken from the kernel's uapi headers, not from the implementation),
 * rt_sigreturn round trips, frames edited by the handler, and every refusal.
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
#endif

#ifdef HAVE_HOST_UCONTEXT
/* glibc's ucontext_t shares the kernel's layout up to uc_sigmask. */
_Static_assert(offsetof(ucontext_t, uc_mcontext) == MC_OFF - UC_OFF, "mcontext");
_Static_assert(offsetof(ucontext_t, uc_mcontext.gregs[REG_RIP]) == PC_OFF - UC_OFF, "rip");
_Static_assert(offsetof(ucontext_t, uc_mcontext.gregs[REG_EFL]) == FLAGS_OFF - UC_OFF, "efl");
_Static_assert(offsetof(ucontext_t, uc_mcontext.gregs[REG_RAX]) == RET_OFF - UC_OFF, "rax");
_Static_assert(offsetof(ucontext_t, uc_sigmask) == SIGMASK_OFF - UC_OFF, "sigmask");
#endif

static struct aspace *as;
static const struct ksigaction act = { .handler = HANDLER, .restorer = RESTORER };

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
 * the red zone. */
static void check_placement(vaddr_t sp, vaddr_t frame)
{
	assert_true((frame + 8) % 16 == 0);
	assert_true(frame + FRAME_SIZE <= sp - 128);
	assert_true(frame + FRAME_SIZE + 128 + 24 > sp); /* slack: align down 16, then 8 */
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
	assert_true(get64(f, MC_OFF + 184) == 0);         /* fpstate: none */
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

/* Format-specific bytes: fault_address, the empty record list, the frame record. */
static void check_frame_extra(const uint8_t *f, const struct uregs *before, vaddr_t frame)
{
	uint64_t rec[2];

	assert_true(get64(f, UC_OFF) == 0);   /* uc_flags */
	assert_true(get64(f, MC_OFF) == 0);   /* fault_address */
	for (size_t i = RESERVED_OFF; i < FRAME_SIZE; i++)
		assert_int_equal(f[i], 0); /* terminator record, nothing else */
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

#endif

/* ---- Shared steps ---------------------------------------------------------------- */

/* Push a frame for SIG from r (asserting success); returns the frame address. */
static vaddr_t push(struct uregs *r)
{
	assert_int_equal(hal_signal_push_frame(r, SIG, &act, OLD_MASK), 0);
	return get_sp(r);
}

/* Check the common frame bytes: siginfo, sigmask, saved registers, uc_stack. */
static void check_frame(const struct uregs *before, vaddr_t frame)
{
	static uint8_t f[FRAME_SIZE];
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
}

/* Push from sp, check entry registers, placement and bytes; returns the frame. */
static vaddr_t push_and_check(struct uregs *r, vaddr_t sp, uint64_t seed)
{
	struct uregs before, want;
	vaddr_t frame;

	fill_regs(r, sp, seed);
	before = *r;
	frame = push(r);
	want = entry_regs(&before, frame);
	assert_memory_equal(r, &want, sizeof(want));
	check_placement(sp, frame);
	check_frame(&before, frame);
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
		handler_return(&r);
		assert_int_equal(hal_signal_pop_frame(&r, &mask), 0);
		assert_memory_equal(&r, &before, sizeof(r));
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
		before = r;
		assert_int_equal(hal_signal_push_frame(&r, SIG, &act, OLD_MASK), -EFAULT);
		assert_memory_equal(&r, &before, sizeof(r));
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

/* Two nested signals: the second frame sits below the first and both unwind. */
static void test_nested(void **state)
{
	struct uregs r, outer, inner;
	uint64_t mask;

	(void)state;
	fill_regs(&r, STACK_TOP - 8, 21);
	outer = r;
	push(&r);
	inner = r;
	assert_int_equal(hal_signal_push_frame(&r, SIG, &act, 0x3), 0);
	assert_true(get_sp(&r) + FRAME_SIZE <= get_sp(&inner));
	handler_return(&r);
	assert_int_equal(hal_signal_pop_frame(&r, &mask), 0);
	assert_memory_equal(&r, &inner, sizeof(r));
	assert_true(mask == 0x3);
	handler_return(&r);
	assert_int_equal(hal_signal_pop_frame(&r, &mask), 0);
	assert_memory_equal(&r, &outer, sizeof(r));
	assert_true(mask == OLD_MASK);
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
	};

	return cmocka_run_group_tests_name("sigframe", tests, NULL, NULL);
}
