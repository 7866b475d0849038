/*
 * Memory probes for the boot self tests: each performs one access that may fault.
 * The test arms trap_expect(14, x86_probe_fault or x86_probe_exec_fault) first; a page
 * fault then resumes at that label, which returns 1. Without a fault they return 0.
 */
	.text
	.globl x86_probe_write, x86_probe_read, x86_probe_exec, x86_probe_fault
	.globl x86_probe_exec_fault

/* int x86_probe_write(void *p, uint64_t v): store v at p. */
x86_probe_write:
	movq %rsi, (%rdi)
	xorl %eax, %eax
	ret

/* int x86_probe_read(const void *p): load from p. */
x86_probe_read:
	movq (%rdi), %rax
	xorl %eax, %eax
	ret

/* Resume point of a faulting write or read probe. */
x86_probe_fault:
	movl $1, %eax
	ret

/* int x86_probe_exec(const void *code): call code (which must be a bare `ret`). */
x86_probe_exec:
	call *%rdi
	xorl %eax, %eax
	ret

/* Resume point of a faulting exec probe: drop the return address the call pushed. */
x86_probe_exec_fault:
	addq $8, %rsp
	movl $1, %eax
	ret

	.section .note.GNU-stack, "", @progbits
