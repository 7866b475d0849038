/* The hosted platform's own interface, used by its parts and by the unit tests. */
#ifndef CLEAVE_HOSTED_H
#define CLEAVE_HOSTED_H

#include "hal.h"

/* Physical address at which the hosted RAM arena starts (nonzero, to catch 0 bugs). */
#define HOSTED_RAM_BASE ((paddr_t)0x40000000)

/* Create the RAM arena of size bytes (page multiple) and reset MMU/TLB state. */
void hosted_ram_init(size_t size);
/* Release the arena; every pointer into it becomes invalid. */
void hosted_ram_fini(void);
/* True when [pa, pa+len) lies inside the arena. */
bool hosted_ram_contains(paddr_t pa, size_t len);

#endif

/* Advance the simulated monotonic clock (hal_clock_ns) by ns. */
void hosted_clock_advance(uint64_t ns);

/* ---- The simulated CPU (mmu.c): user-mode accesses through the real-format tables,
 * with a TLB tagged by table root; faults are raised into core's mm_fault(). */

#include "mm/aspace.h"

/* Read n bytes at user address va as a user-mode load; FAULT_HANDLED on success. */
enum fault_result hosted_user_read(vaddr_t va, void *dst, size_t n);
/* Write n bytes at user address va as a user-mode store. */
enum fault_result hosted_user_write(vaddr_t va, const void *src, size_t n);
/* Fetch one instruction byte at va as user mode. */
enum fault_result hosted_user_fetch(vaddr_t va);
/* Address of the last fault core could not resolve. */
vaddr_t hosted_last_fault_addr(void);
/* Drop every TLB entry (as a reset does). */
void hosted_tlb_reset(void);
/* TLB hits and misses since the last reset. */
void hosted_tlb_stats(unsigned long *hits, unsigned long *misses);

/* ---- The simulated FP/SIMD register file (fpu.c) ---- */

/* The live FP state hal_fpu_state_save/restore read and write: hal_fpu_state_size()
 * bytes in the emulated architecture's signal-frame record format (x86_64: FXSAVE
 * image; aarch64: fpsimd_context, whose head a save always writes as the valid one).
 * Starts zeroed; tests set and check it directly. */
void *hosted_fpu_regs(void);
