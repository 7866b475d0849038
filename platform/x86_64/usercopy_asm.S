/*
 * size_t x86_user_copy(void *dst, const void *src, size_t n): copy n bytes where one
 * side is a user address; returns the number of bytes NOT copied. A page fault on the
 * rep movsb is sent by trap.c (usercopy_fixup) to x86_user_copy_fixup, where %rcx
 * still holds the bytes left. With SMAP on, EFLAGS.AC is raised only for the copy.
 */
	.text
	.globl x86_user_copy, x86_user_copy_insn, x86_user_copy_fixup

x86_user_copy:
	movq %rdx, %rcx
	cmpb $0, x86_smap_enabled(%rip)
	je 1f
	stac
1:
x86_user_copy_insn:
	rep movsb
x86_user_copy_fixup:
	cmpb $0, x86_smap_enabled(%rip)
	je 2f
	clac
2:	movq %rcx, %rax
	ret

	.section .note.GNU-stack, "", @progbits
