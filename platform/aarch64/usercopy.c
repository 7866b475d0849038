/*
 * User-memory copies for core (hal_copy_*_user) on top of uaccess.S, and the fault
 * fixup trap.c applies to an abort raised inside them: first mm_fault (demand zero,
 * COW break, stack growth), retrying the access when it resolves; otherwise the copy
 * resumes at its fixup and returns the bytes not copied.
 */
#include "a64.h"
#include "sysreg.h"

#include "../../core/mm/aspace.h"

struct uaccess_fixup {
	uint64_t insn, target;
};

extern const struct uaccess_fixup uaccess_fixups[], uaccess_fixups_end[];
size_t uaccess_copy_from(void *dst, vaddr_t usrc, size_t n);
size_t uaccess_copy_to(vaddr_t udst, const void *src, size_t n);

size_t hal_copy_from_user(void *dst, vaddr_t src, size_t n)
{
	return uaccess_copy_from(dst, src, n);
}

size_t hal_copy_to_user(vaddr_t dst, const void *src, size_t n)
{
	return uaccess_copy_to(dst, src, n);
}

/* The fixup address for a fault at pc, or 0 when pc is not a user access. */
static uint64_t uaccess_fixup_for(uint64_t pc)
{
	for (const struct uaccess_fixup *f = uaccess_fixups; f < uaccess_fixups_end; f++)
		if (f->insn == pc)
			return f->target;
	return 0;
}

bool uaccess_fault(struct trap_frame *tf)
{
	uint64_t target = uaccess_fixup_for(tf->elr);
	unsigned iss = ESR_ISS(tf->esr), fsc = iss & 0x3c;
	struct aspace *as = aspace_current();

	if (!target)
		return false;
	if (as && !(iss & ESR_ISS_FNV) && (fsc == 0x04 || fsc == 0x08 || fsc == 0x0c) &&
	    mm_fault(as, tf->far, iss & ESR_ISS_WNR ? FAULT_WRITE : FAULT_READ) == FAULT_HANDLED)
		return true;
	tf->elr = target;
	return true;
}
