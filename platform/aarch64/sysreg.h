/* System-register access, barriers and the architectural constants the platform uses. */
#ifndef CLEAVE_A64_SYSREG_H
#define CLEAVE_A64_SYSREG_H

#include <stdint.h>

/* Read the system register named reg (an assembler name such as esr_el1). */
#define sysreg_read(reg)                                            \
	({                                                          \
		uint64_t v_;                                        \
		__asm__ volatile("mrs %0, " #reg : "=r"(v_));       \
		v_;                                                 \
	})

/* Write value v to the system register named reg (no implicit synchronisation). */
#define sysreg_write(reg, v)                                                    \
	do {                                                                    \
		uint64_t w_ = (uint64_t)(v);                                    \
		__asm__ volatile("msr " #reg ", %0" : : "r"(w_) : "memory");    \
	} while (0)

/* Instruction barrier: later instructions see earlier system-register writes. */
static inline void isb(void)
{
	__asm__ volatile("isb" ::: "memory");
}

/* Full-system data barrier over the inner-shareable domain. */
static inline void dsb_ish(void)
{
	__asm__ volatile("dsb ish" ::: "memory");
}

/* Store barrier: earlier stores (e.g. page-table writes) complete before TLB work. */
static inline void dsb_ishst(void)
{
	__asm__ volatile("dsb ishst" ::: "memory");
}

/* Mask IRQs at this CPU. */
static inline void irq_disable(void)
{
	__asm__ volatile("msr daifset, #2" ::: "memory");
}

/* Unmask IRQs at this CPU. */
static inline void irq_enable(void)
{
	__asm__ volatile("msr daifclr, #2" ::: "memory");
}

/* Wait for an interrupt (or another wake-up event). */
static inline void cpu_wfi(void)
{
	__asm__ volatile("wfi" ::: "memory");
}

/* MAIR_EL1 attribute indices; index 0 matches the PTE codec's AttrIndx 0. */
#define MAIR_IDX_NORMAL 0   /* normal memory, inner/outer write-back RW-allocate */
#define MAIR_IDX_DEVICE 1   /* Device-nGnRE, for MMIO */
#define MAIR_IDX_NORMAL_NC 2 /* normal memory, non-cacheable */

/* Descriptor bits of stage-1 block entries the boot code builds itself. */
#define DESC_BLOCK 0x1ull
#define DESC_TABLE 0x3ull
#define DESC_ATTRIDX(i) ((uint64_t)(i) << 2)
#define DESC_SH_INNER (3ull << 8)
#define DESC_AF (1ull << 10)
#define DESC_PXN (1ull << 53)
#define DESC_UXN (1ull << 54)
#define BLOCK_1G_NORMAL (DESC_BLOCK | DESC_ATTRIDX(MAIR_IDX_NORMAL) | DESC_SH_INNER | \
			 DESC_AF | DESC_UXN)
#define BLOCK_1G_DEVICE (DESC_BLOCK | DESC_ATTRIDX(MAIR_IDX_DEVICE) | DESC_AF | DESC_PXN | \
			 DESC_UXN)

/* ESR_EL1 fields. */
#define ESR_EC(esr) (((esr) >> 26) & 0x3f)
#define ESR_ISS(esr) ((esr)&0x1ffffff)
#define ESR_EC_UNKNOWN 0x00
#define ESR_EC_SVC64 0x15
#define ESR_EC_IABT_LOW 0x20
#define ESR_EC_IABT_CUR 0x21
#define ESR_EC_DABT_LOW 0x24
#define ESR_EC_DABT_CUR 0x25
#define ESR_EC_BRK64 0x3c
#define ESR_EC_PC_ALIGN 0x22
#define ESR_EC_SP_ALIGN 0x26
#define ESR_EC_FP_EXC 0x2c
#define ESR_EC_BKPT_LOW 0x30
#define ESR_EC_SSTEP_LOW 0x32
#define ESR_EC_WATCH_LOW 0x34
/* Abort ISS bits: FAR not valid, cache maintenance, write not read. */
#define ESR_ISS_FNV (1u << 10)
#define ESR_ISS_CM (1u << 8)
#define ESR_ISS_WNR (1u << 6)

/* ID register fields. */
#define ID_MMFR0_PARANGE(v) ((v)&0xf)
#define ID_MMFR0_ASIDBITS(v) (((v) >> 4) & 0xf)
#define ID_MMFR1_PAN(v) (((v) >> 20) & 0xf)

/* SCTLR_EL1.SPAN: when clear, taking an exception to EL1 sets PSTATE.PAN. */
#define SCTLR_SPAN (1ull << 23)

/* PSTATE.PAN as a system register (S3_0_C4_C2_3), usable without -march=armv8.1-a. */
#define pan_write(v) sysreg_write(S3_0_C4_C2_3, (uint64_t)(v) << 22)
#define pan_read() ((sysreg_read(S3_0_C4_C2_3) >> 22) & 1)

#endif
