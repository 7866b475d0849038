/*
 * PVH entry. QEMU (-kernel with an ELF carrying XEN_ELFNOTE_PHYS32_ENTRY) loads the
 * segments at their physical addresses and jumps to pvh_entry in 32-bit protected
 * mode, paging off, with %ebx = physical address of struct hvm_start_info.
 *
 * This file builds temporary page tables (the first 1 GiB identity-mapped and again at
 * X86_KERNEL_VMA, with 2 MiB pages), enters long mode, jumps to the higher half and
 * calls x86_main(start_info_pa). mmu.c replaces these tables with the final ones.
 * The .boot.* sections are linked at their physical addresses (see linker.ld).
 */

#define KERNEL_VMA 0xffffffff80000000
#define XEN_ELFNOTE_PHYS32_ENTRY 18
#define MSR_EFER 0xc0000080
#define EFER_LME (1 << 8)
#define EFER_NXE (1 << 11)
#define CR0_PE (1 << 0)
#define CR0_WP (1 << 16)
#define CR0_PG (1 << 31)
#define CR4_PAE (1 << 5)
#define PG_PRESENT_RW 0x3
#define PG_LARGE 0x80

/* The PVH note: name "Xen", type 18, desc = 32-bit physical entry (8 bytes, since
 * QEMU reads a pointer-sized value from ELF64 notes). 4-byte alignment throughout. */
	.section .note.pvh, "a", @note
	.p2align 2
	.long 4                         /* namesz */
	.long 8                         /* descsz */
	.long XEN_ELFNOTE_PHYS32_ENTRY  /* type */
	.asciz "Xen"
	.p2align 2
	.quad pvh_entry

	.section .boot.text, "ax", @progbits
	.code32
	.globl pvh_entry
pvh_entry:
	cli
	cld
	movl %ebx, %esi                 /* keep the start info pointer in %esi */

	/* Long mode present? CPUID 0x80000001 EDX bit 29. Otherwise stop here. */
	movl $0x80000000, %eax
	cpuid
	cmpl $0x80000001, %eax
	jb no_long_mode
	movl $0x80000001, %eax
	cpuid
	btl $29, %edx
	jnc no_long_mode
	movl %edx, %ebp                 /* bit 20 = NX, used below */

	/* PD: 512 x 2 MiB pages covering physical [0, 1 GiB). */
	movl $boot_pd, %edi
	xorl %ecx, %ecx
1:	movl %ecx, %eax
	shll $21, %eax
	orl $(PG_PRESENT_RW | PG_LARGE), %eax
	movl %eax, (%edi,%ecx,8)
	movl $0, 4(%edi,%ecx,8)
	incl %ecx
	cmpl $512, %ecx
	jne 1b

	/* PML4[0] -> low PDPT[0] -> PD; PML4[511] -> high PDPT[510] -> PD. */
	movl $(boot_pdpt_low + PG_PRESENT_RW), boot_pml4
	movl $(boot_pdpt_high + PG_PRESENT_RW), boot_pml4 + 511 * 8
	movl $(boot_pd + PG_PRESENT_RW), boot_pdpt_low
	movl $(boot_pd + PG_PRESENT_RW), boot_pdpt_high + 510 * 8

	movl %cr4, %eax
	orl $CR4_PAE, %eax
	movl %eax, %cr4
	movl $boot_pml4, %eax
	movl %eax, %cr3

	movl $MSR_EFER, %ecx
	rdmsr
	orl $EFER_LME, %eax
	btl $20, %ebp
	jnc 2f
	orl $EFER_NXE, %eax
2:	wrmsr

	movl %cr0, %eax
	orl $(CR0_PE | CR0_PG | CR0_WP), %eax
	movl %eax, %cr0

	lgdt boot_gdt_ptr
	ljmp $0x08, $long_mode_low

no_long_mode:
	hlt
	jmp no_long_mode

	.code64
long_mode_low:
	movl $0x10, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	xorl %eax, %eax
	movl %eax, %fs
	movl %eax, %gs
	movabsq $long_mode_high, %rax
	jmp *%rax

	.section .boot.data, "aw", @progbits
	.p2align 3
boot_gdt:
	.quad 0                         /* null */
	.quad 0x00af9a000000ffff        /* 0x08: 64-bit code, DPL 0 */
	.quad 0x00cf92000000ffff        /* 0x10: data, DPL 0 */
boot_gdt_end:
	.p2align 3
boot_gdt_ptr:
	.word boot_gdt_end - boot_gdt - 1
	.quad boot_gdt

	.p2align 12
boot_pml4:	.fill 512, 8, 0
boot_pdpt_low:	.fill 512, 8, 0
boot_pdpt_high:	.fill 512, 8, 0
boot_pd:	.fill 512, 8, 0

	.text
long_mode_high:
	/* Now running at X86_KERNEL_VMA; the stack lives in .bss, zeroed here first. */
	movl %esi, %r12d
	leaq __bss_start(%rip), %rdi
	leaq __bss_end(%rip), %rcx
	subq %rdi, %rcx
	xorl %eax, %eax
	rep stosb
	leaq boot_stack_top(%rip), %rsp
	xorl %ebp, %ebp
	movl %r12d, %edi
	call x86_main
3:	cli
	hlt
	jmp 3b

	.bss
	.p2align 12
	.globl boot_stack_bottom, boot_stack_top
boot_stack_bottom:
	.skip 16384
boot_stack_top:

	.section .note.GNU-stack, "", @progbits
