/*
 * Address spaces: a page-table root plus the sorted VMA list, with Linux's
 * mmap/munmap/mprotect semantics, fork (copy-on-write or eager copy), and kernel
 * access to spaces that are not current (used by exec to build a new image).
 */
#ifndef CLEAVE_ASPACE_H
#define CLEAVE_ASPACE_H

#include "vma.h"

/* Linux mmap flag values (uapi/asm-generic/mman-common.h). */
#define LINUX_MAP_SHARED 0x01u
#define LINUX_MAP_PRIVATE 0x02u
#define LINUX_MAP_SHARED_VALIDATE 0x03u
#define LINUX_MAP_TYPE 0x0fu
#define LINUX_MAP_FIXED 0x10u
#define LINUX_MAP_ANONYMOUS 0x20u
#define LINUX_MAP_GROWSDOWN 0x0100u
#define LINUX_MAP_DENYWRITE 0x0800u
#define LINUX_MAP_EXECUTABLE 0x1000u
#define LINUX_MAP_LOCKED 0x2000u
#define LINUX_MAP_NORESERVE 0x4000u
#define LINUX_MAP_POPULATE 0x8000u
#define LINUX_MAP_NONBLOCK 0x10000u
#define LINUX_MAP_STACK 0x20000u
#define LINUX_MAP_HUGETLB 0x40000u
#define LINUX_MAP_FIXED_NOREPLACE 0x100000u
#define LINUX_PROT_GROWSDOWN 0x01000000u
#define LINUX_PROT_GROWSUP 0x02000000u

/* Lowest address a fixed mapping may use (Linux's default vm.mmap_min_addr). */
#define MMAP_MIN_ADDR ((vaddr_t)0x10000)
/* Distance below the top of the user range where mmap's top-down search starts. */
#define MMAP_TOP_GAP ((vaddr_t)128 << 20)
/* Largest size a grows-down stack may reach (Linux's default RLIMIT_STACK). */
#define STACK_LIMIT ((vaddr_t)8 << 20)
/* Unmapped pages kept between a grows-down stack and the mapping below it. */
#define STACK_GUARD_GAP ((vaddr_t)256 << 12)

struct aspace {
	paddr_t root;       /* page-table root */
	struct list vmas;   /* struct vma, sorted by address */
	unsigned refs;      /* users (threads and vfork children share a space) */
	vaddr_t mmap_base;  /* top-down mmap placement starts below this */
	vaddr_t brk_start;  /* start of the heap (end of the loaded image) */
	vaddr_t brk;        /* current program break */
};

enum fork_mode {
	FORK_COW,   /* share private pages write-protected; copy on the first write */
	FORK_EAGER, /* copy every private writable page during fork (for comparison) */
};

/* Counters of page-fault outcomes, for tests and benchmarks. */
struct mm_stats {
	unsigned long faults;     /* calls to mm_fault() */
	unsigned long zero_fills; /* demand-zero pages allocated */
	unsigned long cow_copies; /* COW breaks that copied a shared frame */
	unsigned long cow_reuses; /* COW breaks that reused the last reference */
};
extern struct mm_stats mm_stats;

/* A new empty address space with one reference, or NULL when out of memory. */
struct aspace *aspace_create(void);
/* Add a reference (a thread or vfork child sharing the space). */
void aspace_get(struct aspace *as);
/* Drop a reference; the last one frees every page, table and VMA. The space must
 * not be active on the CPU. */
void aspace_put(struct aspace *as);
/* Make a child copy of parent in *child (see enum fork_mode); LINUX_MAP_SHARED regions
 * stay shared. Returns 0, or -ENOMEM with parent's contents and VMAs unchanged. */
int aspace_fork(struct aspace *parent, enum fork_mode mode, struct aspace **child);
/* Install as (NULL: kernel-only tables) on the CPU and make it current. */
void aspace_activate(struct aspace *as);
/* The address space active on the CPU, or NULL. */
struct aspace *aspace_current(void);

/* mmap(2) of anonymous memory: returns the address or a negative errno. */
long aspace_mmap(struct aspace *as, vaddr_t addr, size_t len, unsigned prot, unsigned flags);
/* munmap(2): returns 0 or a negative errno; no change on error. */
int aspace_munmap(struct aspace *as, vaddr_t addr, size_t len);
/* mprotect(2): returns 0 or a negative errno; no change on error (stricter than
 * Linux, which may apply a prefix of the range before failing with ENOMEM). */
int aspace_mprotect(struct aspace *as, vaddr_t addr, size_t len, unsigned prot);

/* Kernel write of n bytes at va in any space, ignoring the VMA's protection (as a
 * debugger or exec does): 0, -EFAULT (no VMA) or -ENOMEM. */
int aspace_write(struct aspace *as, vaddr_t va, const void *src, size_t n);
/* Kernel read of n bytes at va in any space; untouched anonymous pages read as
 * zeroes without being allocated. 0 or -EFAULT (no VMA). */
int aspace_read(struct aspace *as, vaddr_t va, void *dst, size_t n);

/* Number of VMAs in the space. */
size_t aspace_vma_count(struct aspace *as);

/* ---- page faults (fault.c) ----------------------------------------------------- */

enum fault_access { FAULT_READ, FAULT_WRITE, FAULT_EXEC };
enum fault_result {
	FAULT_HANDLED = 0, /* the access can be retried */
	FAULT_SIGSEGV,     /* no mapping or a real permission violation */
	FAULT_OOM,         /* no memory to resolve the fault */
};

/* Resolve a user-address fault in as: demand-zero fill, shared-object fill, COW
 * break (copy, or reuse of the last reference) or stack growth. */
enum fault_result mm_fault(struct aspace *as, vaddr_t va, enum fault_access acc);

/* Make the page at va (inside v) present, private-exclusive where v is private,
 * and writable in the tables; its frame in *pa. 0 or -ENOMEM. Used by mm_fault and
 * aspace_write. */
int mm_prepare_write(struct aspace *as, struct vma *v, vaddr_t page, paddr_t *pa);
/* Page-entry attributes for a page of v (writable: install it writable). */
unsigned mm_pte_attrs(const struct vma *v, bool writable);

#endif
