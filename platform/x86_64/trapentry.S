/*
 * Trap entry stubs for vectors 0..47. Each stub makes the stack uniform (a zero error
 * code where the CPU pushes none, then the vector), saves every general register in
 * struct trap_frame order (x86.h) and calls x86_trap(frame). SWAPGS runs when the trap
 * came from user mode, so %gs always holds the kernel's base inside the kernel.
 */
#define TF_CS 18 * 8 /* offset of cs in struct trap_frame */

	.text
trap_common:
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	testb $3, TF_CS(%rsp)
	jz 1f
	swapgs
1:	cld
	movq %rsp, %rdi
	call x86_trap
	testb $3, TF_CS(%rsp)
	jz 2f
	swapgs
2:	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	addq $16, %rsp /* vector and error code */
	iretq

/* Vectors where the CPU pushes an error code: 8 10 11 12 13 14 17 21 29 30. */
.macro stub vec
	.p2align 4
trap_stub_\vec:
	.if (\vec == 8) || (\vec >= 10 && \vec <= 14) || (\vec == 17) || (\vec == 21) || (\vec == 29) || (\vec == 30)
	.else
	pushq $0
	.endif
	pushq $\vec
	jmp trap_common
.endm

.altmacro
.macro stub_n n
	stub %n
.endm
.macro stub_entry n
	.quad trap_stub_\n
.endm
.macro entry_n n
	stub_entry %n
.endm

	.set i, 0
	.rept 48
	stub_n i
	.set i, i + 1
	.endr

	.section .rodata
	.p2align 3
	.globl trap_stubs
trap_stubs:
	.set i, 0
	.rept 48
	entry_n i
	.set i, i + 1
	.endr

	.section .note.GNU-stack, "", @progbits
