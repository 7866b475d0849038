/* aarch64 user register accessors: the Linux syscall ABI (SVC #0, number in x8,
 * arguments in x0..x5, result in x0). Pure code, no hardware access. */
#include "uregs.h"

/* Vector assembly saves x0..x30 and then SP_EL0, ELR_EL1, SPSR_EL1 as pairs. */
_Static_assert(offsetof(struct uregs, sp) == 31 * 8, "sp follows x30");
_Static_assert(offsetof(struct uregs, pc) == 32 * 8, "elr follows sp");
_Static_assert(offsetof(struct uregs, spsr) == 33 * 8, "spsr follows elr");

/* Size of struct uregs in bytes. */
size_t hal_uregs_size(void)
{
	return sizeof(struct uregs);
}

/* Store the syscall result in x0 (which also held argument 0). */
void hal_uregs_set_return(struct uregs *r, long value)
{
	r->x[0] = (uint64_t)value;
}

/* Set SP_EL0, the user stack pointer. */
void hal_uregs_set_sp(struct uregs *r, vaddr_t sp)
{
	r->sp = sp;
}

/* Set ELR_EL1, the user program counter ERET returns to. */
void hal_uregs_set_pc(struct uregs *r, vaddr_t pc)
{
	r->pc = pc;
}

/* Set TPIDR_EL0, the aarch64 thread pointer. */
void hal_uregs_set_tls(struct uregs *r, vaddr_t tls)
{
	r->tpidr = tls;
}

/* The syscall number, from x8 as saved at SVC entry. */
long hal_uregs_syscall_nr(const struct uregs *r)
{
	return (long)r->x[A64_SYSCALL_NR_REG];
}

/* Argument i (0..5) from x0..x5; 0 for any other i. */
unsigned long hal_uregs_syscall_arg(const struct uregs *r, unsigned i)
{
	return i < 6 ? r->x[i] : 0;
}

/* Zero every register, then EL0t with D, A, I and F unmasked. */
void hal_uregs_reset(struct uregs *r)
{
	*r = (struct uregs){ 0 };
	r->spsr = A64_SPSR_EL0T;
}

/* The thread pointer. */
vaddr_t hal_uregs_tls(const struct uregs *r)
{
	return r->tpidr;
}

/* aarch64 programs: EM_AARCH64. */
uint16_t hal_elf_machine(void)
{
	return 183;
}

/* AT_HWCAP: FP and ASIMD, which every Armv8-A CPU QEMU offers has. */
uint64_t hal_elf_hwcap(void)
{
	return (1u << 0) | (1u << 1);
}

/* Make r re-execute its syscall on return: back over the 4-byte `svc #0`. x0 still
 * holds the first argument: a blocked call never stored its result there. */
void hal_uregs_rewind_syscall(struct uregs *r)
{
	r->pc -= 4;
}
