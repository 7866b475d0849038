/*
 * Kernel entry and exit. Every way in ends in trap_common with a struct trap_frame
 * (x86.h) on the stack and calls x86_trap(frame); every way out pops that frame and
 * returns with iretq.
 *   - Exceptions and IRQs (vectors 0..47): the stub makes the stack uniform (a zero
 *     error code where the CPU pushes none, then the vector). From user mode the CPU
 *     has switched to TSS.RSP0, the top of the one kernel stack (task.c).
 *   - syscall (x86_syscall_entry, IA32_LSTAR): the CPU leaves RSP alone and IF, TF,
 *     DF, AC and NT cleared (IA32_FMASK), so the entry stores the user RSP in a global
 *     slot, loads the kernel stack top, and pushes the same five words an interrupt
 *     from user mode would push (SS, RSP, RFLAGS from R11, CS, RIP from RCX), then
 *     error 0 and vector X86_VEC_SYSCALL.
 * No SWAPGS anywhere: the kernel never uses GS (there is one CPU and its data are
 * ordinary globals), so the user's GS base is simply left alone.
 */
#define TF_CS 18 * 8 /* offset of cs in struct trap_frame */
#define USER_SS (0x18 | 3)
#define USER_CS (0x20 | 3)
#define VEC_SYSCALL 256

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
	cld
	movq %rsp, %rdi
	call x86_trap
trap_exit:
	popq %r15
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

/* void x86_trap_return(struct trap_frame *tf): restore tf (which must sit at the top
 * of the kernel stack when it returns to user mode) and leave through iretq. */
	.globl x86_trap_return
x86_trap_return:
	movq %rdi, %rsp
	jmp trap_exit

/* syscall: see the comment at the top. Interrupts stay off until iretq. */
	.globl x86_syscall_entry
	.p2align 4
x86_syscall_entry:
	movq %rsp, x86_syscall_user_rsp(%rip)
	movq x86_kstack_top(%rip), %rsp
	pushq $USER_SS
	pushq x86_syscall_user_rsp(%rip)
	pushq %r11
	pushq $USER_CS
	pushq %rcx
	pushq $0
	pushq $VEC_SYSCALL
	jmp trap_common

	.bss
	.p2align 3
x86_syscall_user_rsp:
	.quad 0

/* Vectors where the CPU pushes an error code: 8 10 11 12 13 14 17 21 29 30. */
	.text
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
