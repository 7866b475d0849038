/* x86_64 user register accessors: the Linux syscall ABI (number in rax, arguments in
 * rdi, rsi, rdx, r10, r8, r9, result in rax). Pure code, no hardware access. */
#include "uregs.h"

/* The interrupt-return frame must end the general part, in hardware order. */
_Static_assert(offsetof(struct uregs, cs) == offsetof(struct uregs, rip) + 8, "iret frame");
_Static_assert(offsetof(struct uregs, rflags) == offsetof(struct uregs, rip) + 16, "iret frame");
_Static_assert(offsetof(struct uregs, rsp) == offsetof(struct uregs, rip) + 24, "iret frame");
_Static_assert(offsetof(struct uregs, ss) == offsetof(struct uregs, rip) + 32, "iret frame");
_Static_assert(offsetof(struct uregs, rip) == 16 * 8, "15 registers and the syscall number");

/* Size of struct uregs in bytes. */
size_t hal_uregs_size(void)
{
	return sizeof(struct uregs);
}

/* Store the syscall result in rax; the saved syscall number is unchanged. */
void hal_uregs_set_return(struct uregs *r, long value)
{
	r->rax = (uint64_t)value;
}

/* Set the user stack pointer restored by iret/sysret. */
void hal_uregs_set_sp(struct uregs *r, vaddr_t sp)
{
	r->rsp = sp;
}

/* Set the user instruction pointer. */
void hal_uregs_set_pc(struct uregs *r, vaddr_t pc)
{
	r->rip = pc;
}

/* Set the FS base (the x86_64 thread pointer). */
void hal_uregs_set_tls(struct uregs *r, vaddr_t tls)
{
	r->fs_base = tls;
}

/* The syscall number saved from rax at entry. */
long hal_uregs_syscall_nr(const struct uregs *r)
{
	return (long)r->syscall_nr;
}

/* Argument i (0..5) from rdi, rsi, rdx, r10, r8, r9; 0 for any other i. */
unsigned long hal_uregs_syscall_arg(const struct uregs *r, unsigned i)
{
	switch (i) {
	case 0: return r->rdi;
	case 1: return r->rsi;
	case 2: return r->rdx;
	case 3: return r->r10;
	case 4: return r->r8;
	case 5: return r->r9;
	default: return 0;
	}
}

/* Zero every register, then enter 64-bit user mode with interrupts enabled. */
void hal_uregs_reset(struct uregs *r)
{
	*r = (struct uregs){ 0 };
	r->cs = X86_USER_CS;
	r->ss = X86_USER_SS;
	r->rflags = X86_USER_RFLAGS;
}

/* The thread pointer. */
vaddr_t hal_uregs_tls(const struct uregs *r)
{
	return r->fs_base;
}

/* x86_64 programs: EM_X86_64. */
uint16_t hal_elf_machine(void)
{
	return 62;
}

/* AT_HWCAP on x86_64 is CPUID.1:EDX; programs use it only as a hint, and a pure
 * build cannot read CPUID, so the baseline every x86_64 CPU has is reported:
 * FPU, TSC, CX8, CMOV, MMX, FXSR, SSE, SSE2. */
uint64_t hal_elf_hwcap(void)
{
	return (1u << 0) | (1u << 4) | (1u << 8) | (1u << 15) | (1u << 23) | (1u << 24) |
	       (1u << 25) | (1u << 26);
}

/* Make r re-execute its syscall on return: back over the 2-byte `syscall`
 * instruction, with rax holding the number again (the result never reached it). */
void hal_uregs_rewind_syscall(struct uregs *r)
{
	r->rip -= 2;
	r->rax = r->syscall_nr;
}
