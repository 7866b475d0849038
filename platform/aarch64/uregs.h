/*
 * aarch64 user register state as saved on exception entry from EL0 and restored by
 * ERET. Core sees it only through the hal_uregs_* accessors; the vector assembly
 * relies on the layout checked in uregs.c.
 */
#ifndef CLEAVE_AARCH64_UREGS_H
#define CLEAVE_AARCH64_UREGS_H

#include "hal.h"

/* SPSR_EL1 for a fresh EL0 context: M[4:0] = 0b00000 (AArch64 EL0t), DAIF clear. */
#define A64_SPSR_EL0T 0UL
#define A64_SPSR_DAIF_MASK (0xfUL << 6)

struct uregs {
	uint64_t x[31];     /* x0..x30 (x30 is the link register) */
	uint64_t sp;        /* SP_EL0 */
	uint64_t pc;        /* ELR_EL1: where ERET resumes */
	uint64_t spsr;      /* SPSR_EL1: PSTATE restored by ERET */
	uint64_t tpidr;     /* TPIDR_EL0: thread pointer */
};

/* The syscall number lives in x8, which the result (x0) never overwrites. */
#define A64_SYSCALL_NR_REG 8

#endif
