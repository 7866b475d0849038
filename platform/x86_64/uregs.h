/*
 * x86_64 user register state as saved on kernel entry (syscall or trap) and
 * restored on return to user mode. Core sees it only through the hal_uregs_*
 * accessors; trap-entry assembly relies on the layout checked in uregs.c.
 */
#ifndef CLEAVE_X86_64_UREGS_H
#define CLEAVE_X86_64_UREGS_H

#include "hal.h"

/*
 * GDT selectors. SYSRET loads CS = STAR[63:48] + 16 and SS = STAR[63:48] + 8 (RPL 3),
 * so user data must sit directly below user code: GDT slots are 1 kernel code,
 * 2 kernel data, 3 user data, 4 user code (64-bit), 5..6 the TSS; STAR[63:48] = 0x10.
 */
#define X86_KERNEL_CS 0x08
#define X86_KERNEL_SS 0x10
#define X86_USER_SS (0x18 | 3)
#define X86_USER_CS (0x20 | 3)
#define X86_STAR_SYSRET_BASE 0x10

/* RFLAGS for a fresh user context: IF (bit 9) plus the always-one bit 1. */
#define X86_RFLAGS_IF (1UL << 9)
#define X86_RFLAGS_FIXED (1UL << 1)
#define X86_USER_RFLAGS (X86_RFLAGS_IF | X86_RFLAGS_FIXED)

struct uregs {
	/* General registers, in the order trap entry pushes them (last pushed first). */
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	/* Syscall number as it arrived in rax; kept when rax becomes the return value. */
	uint64_t syscall_nr;
	/* The interrupt-return frame, in the order the CPU pushes it (rip lowest). */
	uint64_t rip, cs, rflags, rsp, ss;
	/* Thread pointer (IA32_FS_BASE), restored on return to user mode. */
	uint64_t fs_base;
};

#endif
