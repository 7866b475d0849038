/*
 * Raw user copies for core/mm/uaccess.c. The copy runs on the current address space.
 * A page fault on the copy instruction is first offered to core's mm_fault() by
 * trap.c (COW break, demand zero: the copy resumes); an unresolved one stops it and
 * the caller learns how many bytes were not copied.
 */
#include "x86.h"

size_t x86_user_copy(void *dst, const void *src, size_t n);
extern const char x86_user_copy_insn[], x86_user_copy_fixup[];

/* Read by usercopy_asm.S: nonzero when CR4.SMAP is on (stac/clac are needed). */
uint8_t x86_smap_enabled;

/* True when [va, va+n) lies in the lower canonical half (core checks user_top too),
 * so the copy can only fault with #PF, never #GP. */
static bool user_span_ok(vaddr_t va, size_t n)
{
	const vaddr_t lower_half_end = 1ull << 47;

	return n <= lower_half_end && va <= lower_half_end - n;
}

size_t hal_copy_from_user(void *dst, vaddr_t src, size_t n)
{
	if (!user_span_ok(src, n))
		return n;
	return x86_user_copy(dst, (const void *)src, n);
}

size_t hal_copy_to_user(vaddr_t dst, const void *src, size_t n)
{
	if (!user_span_ok(dst, n))
		return n;
	return x86_user_copy((void *)dst, src, n);
}

bool usercopy_fixup_applies(const struct trap_frame *tf)
{
	return tf->vector == 14 && !(tf->cs & 3) && tf->rip == (uintptr_t)x86_user_copy_insn;
}

bool usercopy_fixup(struct trap_frame *tf)
{
	if (!usercopy_fixup_applies(tf))
		return false;
	tf->rip = (uintptr_t)x86_user_copy_fixup;
	return true;
}
