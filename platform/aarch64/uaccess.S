/*
 * Raw user copies with fault fixup. Every instruction that touches user memory is an
 * unprivileged LDTR/STTR (checked with EL0's permissions, unaffected by PAN), and is
 * listed in uaccess_fixups with the address to resume at if it faults; trap.c first
 * offers such a fault to mm_fault and retries, or resumes at the fixup, where x2 holds
 * the bytes not copied. Whole 8-byte words while at least 8 remain, then bytes.
 *
 *   size_t uaccess_copy_from(void *dst, vaddr_t usrc, size_t n)  -> bytes not copied
 *   size_t uaccess_copy_to(vaddr_t udst, const void *src, size_t n)
 */
	.macro	fixup insn, target
	.pushsection .rodata.uaccess_fixups, "a"
	.balign	8
	.quad	\insn, \target
	.popsection
	.endm

	.text
	.globl	uaccess_copy_from, uaccess_copy_to

uaccess_copy_from:
1:	cmp	x2, #8
	b.lo	3f
2:	ldtr	x3, [x1]
	str	x3, [x0], #8
	add	x1, x1, #8
	sub	x2, x2, #8
	b	1b
3:	cbz	x2, 5f
4:	ldtrb	w3, [x1]
	strb	w3, [x0], #1
	add	x1, x1, #1
	sub	x2, x2, #1
	b	3b
5:	mov	x0, x2
	ret
	fixup	2b, 5b
	fixup	4b, 5b

uaccess_copy_to:
1:	cmp	x2, #8
	b.lo	3f
	ldr	x3, [x1], #8
2:	sttr	x3, [x0]
	add	x0, x0, #8
	sub	x2, x2, #8
	b	1b
3:	cbz	x2, 5f
	ldrb	w3, [x1], #1
4:	sttrb	w3, [x0]
	add	x0, x0, #1
	sub	x2, x2, #1
	b	3b
5:	mov	x0, x2
	ret
	fixup	2b, 5b
	fixup	4b, 5b
