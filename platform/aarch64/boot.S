/*
 * Entry from QEMU's arm64 "Linux Image" loader: MMU off, x0 = physical address of the
 * DTB, at EL2 or EL1. Drops to EL1, clears .bss, builds the boot page tables (identity
 * map of the kernel's GiB in TTBR0, 1 GiB direct map of PA 0..4 GiB in TTBR1), turns the
 * MMU on, jumps to the linked (high) address and calls a64_main(dtb_pa).
 */
#include "a64.h"

#define MAIR_VALUE 0x4404ff         /* attr0 normal WB RWA, attr1 device nGnRE, attr2 NC */
#define TCR_VALUE 0xb5103510        /* T0SZ=T1SZ=16, 4K granules, WBWA inner-shareable walks */
#define TCR_IPS_SHIFT 32
#define TCR_AS (1 << 36)            /* 16-bit ASIDs */
#define SCTLR_EL1_MMU_OFF 0x30d00800 /* RES1 bits only */
#define SCTLR_EL1_MMU_ON 0x34d0d81d  /* + M C SA SA0 I, DZE UCT UCI for EL0 */
#define BLK_NORMAL 0x40000000000701  /* 1 GiB block: AttrIndx 0, inner-shareable, AF, UXN */
#define BLK_DEVICE 0x60000000000405  /* 1 GiB block: AttrIndx 1, AF, PXN, UXN */
#define CPACR_FPEN (3 << 20)
#define UART0_PA 0x09000000

	.section .text.head, "ax"
	.globl _start
_start:
	/* arm64 Image header (64 bytes): code0, code1, text_offset, image_size, flags. */
	b	boot_entry
	.long	0
	.quad	KERNEL_PHYS - 0x40000000
	.quad	__image_size
	.quad	0x2			/* little-endian, 4 KiB pages */
	.quad	0, 0, 0
	.ascii	"ARM\x64"
	.long	0

boot_entry:
	mov	x19, x0			/* DTB physical address, kept in a callee-saved reg */
	msr	daifset, #0xf
	bl	boot_drop_to_el1
	adr	x1, _start
	ldr	x2, =KERNEL_PHYS
	cmp	x1, x2
	b.ne	boot_wrong_address
	bl	boot_clear_bss
	bl	boot_build_tables
	bl	boot_enable_mmu
	ldr	x1, =boot_high
	br	x1

/* Now running at the linked address: set the stack and vectors, enter C. */
boot_high:
	adrp	x1, boot_stack
	add	x1, x1, #:lo12:boot_stack
	add	sp, x1, #BOOT_STACK_SIZE
	sub	sp, sp, #TRAP_FRAME_SIZE	/* the top frame is where EL0 entries save */
	adrp	x1, vectors_el1
	add	x1, x1, #:lo12:vectors_el1
	msr	vbar_el1, x1
	isb
	mov	x29, xzr		/* end of the frame-pointer chain for debuggers */
	mov	x0, x19
	bl	a64_main
1:	wfi
	b	1b

/* When entered at EL2: make EL1 AArch64, open the timer and FP to it, eret to EL1. */
boot_drop_to_el1:
	mrs	x1, CurrentEL
	lsr	x1, x1, #2
	cmp	x1, #2
	b.ne	1f
	mov	x1, #(1 << 31)		/* HCR_EL2.RW: EL1 is AArch64 */
	msr	hcr_el2, x1
	mrs	x1, cnthctl_el2
	orr	x1, x1, #3		/* EL1PCTEN | EL1PCEN */
	msr	cnthctl_el2, x1
	msr	cntvoff_el2, xzr
	mov	x1, #0x33ff		/* CPTR_EL2: RES1 bits, no FP/SIMD traps */
	msr	cptr_el2, x1
	msr	hstr_el2, xzr
	mrs	x1, midr_el1
	msr	vpidr_el2, x1
	mrs	x1, mpidr_el1
	msr	vmpidr_el2, x1
	ldr	x1, =SCTLR_EL1_MMU_OFF
	msr	sctlr_el1, x1
	mov	x1, #0x3c5		/* SPSR: EL1h, DAIF masked */
	msr	spsr_el2, x1
	msr	elr_el2, x30
	eret
1:	ret

/* Zero .bss (which holds the boot page tables and stack), 16 bytes at a time. */
boot_clear_bss:
	adrp	x1, __bss_start
	add	x1, x1, #:lo12:__bss_start
	adrp	x2, __bss_end
	add	x2, x2, #:lo12:__bss_end
1:	cmp	x1, x2
	b.hs	2f
	stp	xzr, xzr, [x1], #16
	b	1b
2:	ret

/* Fill the boot tables: TTBR0 identity for the kernel's GiB, TTBR1 direct map 0..4 GiB. */
boot_build_tables:
	adrp	x1, boot_l0_id
	adrp	x2, boot_l1_id
	orr	x3, x2, #3
	str	x3, [x1]
	adr	x4, _start
	lsr	x5, x4, #30
	lsl	x6, x5, #30
	ldr	x7, =BLK_NORMAL
	orr	x6, x6, x7
	str	x6, [x2, x5, lsl #3]
	adrp	x1, boot_l0_high
	adrp	x2, boot_l1_high
	orr	x3, x2, #3
	str	x3, [x1]
	ldr	x3, =BLK_DEVICE
	str	x3, [x2]
	mov	x5, #1
1:	lsl	x6, x5, #30
	orr	x6, x6, x7
	str	x6, [x2, x5, lsl #3]
	add	x5, x5, #1
	cmp	x5, #4
	b.lo	1b
	dsb	sy
	ret

/* Program MAIR, TCR (IPS from PARange, 16-bit ASIDs if present), TTBRs; MMU on. */
boot_enable_mmu:
	ldr	x1, =MAIR_VALUE
	msr	mair_el1, x1
	ldr	x1, =TCR_VALUE
	mrs	x2, id_aa64mmfr0_el1
	and	x3, x2, #0xf
	cmp	x3, #5			/* 52-bit PA needs LPA2 with 4K pages: clamp to 48 */
	mov	x4, #5
	csel	x3, x3, x4, ls
	orr	x1, x1, x3, lsl #TCR_IPS_SHIFT
	ubfx	x3, x2, #4, #4
	cmp	x3, #2
	b.ne	1f
	orr	x1, x1, #TCR_AS
1:	msr	tcr_el1, x1
	adrp	x1, boot_l0_id
	msr	ttbr0_el1, x1
	adrp	x1, boot_l0_high
	msr	ttbr1_el1, x1
	mov	x1, #CPACR_FPEN
	msr	cpacr_el1, x1
	isb
	tlbi	vmalle1
	dsb	nsh
	isb
	ldr	x1, =SCTLR_EL1_MMU_ON
	msr	sctlr_el1, x1
	isb
	ret

/* Loaded somewhere the link address does not match: say so on the UART and stop. */
boot_wrong_address:
	ldr	x1, =UART0_PA
	adr	x2, wrong_msg
1:	ldrb	w3, [x2], #1
	cbz	w3, 2f
	str	w3, [x1]
	b	1b
2:	wfi
	b	2b

wrong_msg:
	.asciz	"cleave: not loaded at the linked physical address, stopping\r\n"
	.balign	4
	.ltorg

	.section .bss.pgtables, "aw", %nobits
	.balign	4096
	.globl	boot_l0_id, boot_l1_id, boot_l0_high, boot_l1_high, boot_l0_empty
boot_l0_id:	.space	4096
boot_l1_id:	.space	4096
boot_l0_high:	.space	4096
boot_l1_high:	.space	4096
boot_l0_empty:	.space	4096

	.section .bss.stack, "aw", %nobits
	.balign	16
	.globl	boot_stack
boot_stack:	.space	BOOT_STACK_SIZE
