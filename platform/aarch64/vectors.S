/*
 * EL1 exception vector table (VBAR_EL1). Every slot saves a struct trap_frame on the
 * EL1 stack and calls trap_dispatch(frame, slot); slots are numbered 0..15 in table
 * order: (current EL with SP_EL0, current EL with SP_ELx, lower EL AArch64, lower EL
 * AArch32) x (synchronous, IRQ, FIQ, SError). If the handler returns, the (possibly
 * modified) frame is restored and the exception returns.
 */
#include "a64.h"
#define FRAME_SIZE TRAP_FRAME_SIZE
#define FRAME_SP 248
#define FRAME_ELR 256
#define FRAME_ESR 272

	.macro	ventry slot
	.balign	0x80
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp]
	mov	x1, #\slot
	b	trap_entry
	.endm

	.text
	.balign	2048
	.globl	vectors_el1
vectors_el1:
	.irp	slot, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	ventry	\slot
	.endr

/* x0 and x1 are saved, x1 = slot: save the rest, call C, restore, return. */
trap_entry:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	str	x30, [sp, #240]
	mov	x19, x1
	/* The interrupted SP: SP_EL0 for slots 0-3 and 8-15, else SP_EL1 before entry. */
	add	x2, sp, #FRAME_SIZE
	mrs	x3, sp_el0
	sub	x4, x19, #4
	cmp	x4, #4
	csel	x2, x2, x3, lo
	str	x2, [sp, #FRAME_SP]
	mrs	x2, elr_el1
	mrs	x3, spsr_el1
	stp	x2, x3, [sp, #FRAME_ELR]
	mrs	x2, esr_el1
	mrs	x3, far_el1
	stp	x2, x3, [sp, #FRAME_ESR]
	mov	x0, sp
	mov	x1, x19
	bl	trap_dispatch
trap_return:
	ldp	x2, x3, [sp, #FRAME_ELR]
	msr	elr_el1, x2
	msr	spsr_el1, x3
	cmp	x19, #8
	b.lo	1f
	ldr	x2, [sp, #FRAME_SP]
	msr	sp_el0, x2
1:	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	ldr	x30, [sp, #240]
	ldp	x0, x1, [sp]
	add	sp, sp, #FRAME_SIZE
	eret

/* a64_user_enter(frame): the frame at the top of the kernel stack holds EL0 state;
 * restore it as an exception return from an EL0 slot would. */
	.globl	a64_user_enter
a64_user_enter:
	msr	daifset, #0xf
	mov	sp, x0
	mov	x19, #8
	b	trap_return
