/*
 * The narrow platform interface: everything core/ needs from a machine, and nothing
 * more. Each platform (hosted, x86_64, aarch64) implements every function here.
 * Page-table *policy* (walking, mapping, COW) lives in core/mm; the platform supplies
 * only the entry codec, TLB maintenance and the physical-memory view.
 */
#ifndef CLEAVE_HAL_H
#define CLEAVE_HAL_H

#include "lib/types.h"

/* ---- Page-table geometry ------------------------------------------------------ */

/* Shape of the user page tables: levels-1 is the root, level 0 holds page entries. */
struct hal_pt_geometry {
	unsigned levels;     /* number of table levels (4 on both architectures) */
	unsigned page_shift; /* log2 of the page and table size (12) */
	unsigned index_bits; /* virtual-address bits resolved per level (9) */
	vaddr_t user_top;    /* first address above the user range (exclusive limit) */
	const char *name;    /* "x86_64" or "aarch64", for test names and messages */
};

/* The geometry of this platform's page tables; constant for the life of the system. */
const struct hal_pt_geometry *hal_pt_geometry(void);

/* ---- Page-table entry codec (pure functions, no hardware access) -------------- */

/* Architecture-neutral attributes of a page entry; the codec maps them to real bits. */
enum pte_attr {
	PTE_WRITE = 1u << 0,    /* writable (by the user when PTE_USER, else by the kernel) */
	PTE_USER = 1u << 1,     /* accessible from user mode */
	PTE_EXEC = 1u << 2,     /* executable (by the user when PTE_USER, else the kernel) */
	PTE_ACCESSED = 1u << 3, /* accessed flag (set by hardware or the codec) */
	PTE_DIRTY = 1u << 4,    /* dirty flag */
	PTE_COW = 1u << 5,      /* software: write-protected copy-on-write page */
	PTE_GLOBAL = 1u << 6,   /* kernel mapping shared by all address spaces */
	PTE_PROTNONE = 1u << 7, /* holds a frame but the hardware sees no mapping
				   (PROT_NONE): hal_pte_is_valid() is still true */
};

/* The entry value that maps nothing; every format uses an all-zero entry. */
#define PTE_NONE ((pte_t)0)

/* Prepare a freshly zeroed user root table at root_pa: install the kernel's own
 * mappings where this architecture shares one root between user and kernel. */
void hal_pt_root_init(paddr_t root_pa);
/* Encode a level>0 entry that points at the next-level table at physical table_pa. */
pte_t hal_pte_make_table(paddr_t table_pa);
/* Encode a level-0 entry mapping the page at physical frame_pa with attrs (enum pte_attr). */
pte_t hal_pte_make_page(paddr_t frame_pa, unsigned attrs);
/* True when the entry maps something (a table or a page). */
bool hal_pte_is_valid(pte_t pte);
/* True when a valid level>0 entry points at a next-level table (not a block mapping). */
bool hal_pte_is_table(pte_t pte, unsigned level);
/* Physical address a valid entry points at (table or page frame). The address is a
 * plain bit field of a page entry: hal_pte_make_page(pa, a) == (hal_pte_make_page(0,
 * a) | pa) and pte ^ hal_pte_addr(pte) is the entry without it, so core may move an
 * entry's attribute bits to another frame without decoding them (test_pte.c). */
paddr_t hal_pte_addr(pte_t pte);
/* Neutral attributes (enum pte_attr) of a valid level-0 page entry. */
unsigned hal_pte_attrs(pte_t pte);

/* ---- MMU control -------------------------------------------------------------- */

/* Make the user page tables rooted at root_pa current on this CPU (0: kernel only). */
void hal_mmu_activate(paddr_t root_pa);
/* Invalidate cached translations of [start, end) in the space rooted at root_pa. */
void hal_tlb_flush_range(paddr_t root_pa, vaddr_t start, vaddr_t end);
/* Invalidate every cached translation of the space rooted at root_pa. Core calls it
 * before the root's frame is freed, so a reused frame never inherits stale entries
 * (or, on aarch64, a stale ASID). */
void hal_tlb_flush_space(paddr_t root_pa);

/* ---- Physical memory ---------------------------------------------------------- */

/* One range of usable RAM, page aligned. */
struct hal_phys_range {
	paddr_t base;
	size_t size;
};

/* The usable RAM ranges handed to the frame allocator; returns their count. */
size_t hal_ram_ranges(const struct hal_phys_range **ranges);
/* Kernel virtual address through which physical address pa is reachable. */
void *hal_phys_to_virt(paddr_t pa);
/* Physical address of kernel virtual address va (which must come from hal_phys_to_virt). */
paddr_t hal_virt_to_phys(const void *va);

/* ---- Kernel heap ---------------------------------------------------------------- */

/* Allocate size bytes of zeroed kernel memory, or NULL. Use kmalloc(), not this. */
void *hal_heap_alloc(size_t size);
/* Release memory from hal_heap_alloc (NULL is ignored). */
void hal_heap_free(void *p);

/* ---- User memory access (the current address space) -------------------------- */

/* Copy n bytes from user address src; returns the number of bytes NOT copied. A
 * fault is first offered to core's fault handler; an unresolvable one stops the copy. */
size_t hal_copy_from_user(void *dst, vaddr_t src, size_t n);
/* Copy n bytes to user address dst; returns the number of bytes NOT copied. */
size_t hal_copy_to_user(vaddr_t dst, const void *src, size_t n);

/* ---- User register state (opaque, per architecture) --------------------------- */

struct uregs;

/* Size in bytes of struct uregs, so core can allocate and copy it. */
size_t hal_uregs_size(void);
/* Set the value a syscall returns to user mode. */
void hal_uregs_set_return(struct uregs *r, long value);
/* Set the user stack pointer. */
void hal_uregs_set_sp(struct uregs *r, vaddr_t sp);
/* Set the user program counter. */
void hal_uregs_set_pc(struct uregs *r, vaddr_t pc);
/* Set the thread pointer (FS base on x86_64, TPIDR_EL0 on aarch64). */
void hal_uregs_set_tls(struct uregs *r, vaddr_t tls);
/* The thread pointer. */
vaddr_t hal_uregs_tls(const struct uregs *r);
/* Syscall number of the trapped call. */
long hal_uregs_syscall_nr(const struct uregs *r);
/* Syscall argument i (0..5) in the architecture's Linux calling convention. */
unsigned long hal_uregs_syscall_arg(const struct uregs *r, unsigned i);
/* Make r re-execute the syscall it trapped with when it returns to user mode (for a
 * call interrupted by a signal whose handler has SA_RESTART). Only valid while the
 * call has not stored a result. */
void hal_uregs_rewind_syscall(struct uregs *r);
/* Reset r to a fresh user-mode state (interrupts on, all other registers zero). */
void hal_uregs_reset(struct uregs *r);

/* ---- Per-task platform data ------------------------------------------------------ */

struct task;

/* Release whatever the platform keeps for t in t->platform (kernel stack, FPU area);
 * core calls it exactly once, when it frees t. t->platform starts out NULL. */
void hal_task_free(struct task *t);

/* ---- What a new program is told about the machine ------------------------------ */

/* ELF e_machine of programs this machine runs (EM_X86_64 62, EM_AARCH64 183). */
uint16_t hal_elf_machine(void);
/* AT_HWCAP value for new programs. */
uint64_t hal_elf_hwcap(void);
/* Fill buf with n unpredictable bytes (AT_RANDOM, stack canaries). */
void hal_random_bytes(void *buf, size_t n);

/* ---- Time ------------------------------------------------------------------------ */

/* Monotonic time in nanoseconds since boot. */
uint64_t hal_clock_ns(void);

/* ---- Signal frames (per-architecture Linux layouts) ---------------------------- */

struct ksigaction;

/* Push a Linux rt_sigframe for signal sig onto the user stack of r in the current
 * address space (saving r, saved_mask and the current task's FP state in it) and set r
 * to enter act->handler with the architecture's arguments and return address
 * (act->restorer). 0, or -EFAULT/-ENOMEM with r unchanged. */
int hal_signal_push_frame(struct uregs *r, int sig, const struct ksigaction *act,
			  uint64_t saved_mask);
/* rt_sigreturn: restore r and the FP state from the frame at r's stack pointer; *mask
 * gets the saved signal mask. 0, or -EFAULT/-EINVAL (unreadable frame, FP record the
 * hardware or the ABI refuses) with r, *mask and the FP state unchanged. */
int hal_signal_pop_frame(struct uregs *r, uint64_t *mask);

/* ---- FP/SIMD state of the current task, in the signal-frame format ------------- *
 * The record is the architecture's Linux frame format: x86_64 the 512-byte FXSAVE
 * image sigcontext.fpstate points at; aarch64 the 528-byte fpsimd_context (head,
 * fpsr, fpcr, v0-v31). The sigframe code calls these for task_current(). */

/* Size in bytes of the FP record (constant). */
size_t hal_fpu_state_size(void);
/* Write the current task's FP state into buf (hal_fpu_state_size() bytes). 0, or
 * -ENOMEM when its save area cannot be made (the state is then unchanged). */
int hal_fpu_state_save(void *buf);
/* Make the record in buf the current task's FP state. 0; -EINVAL when the hardware
 * or the ABI would refuse it (x86_64: MXCSR bits outside MXCSR_MASK; aarch64: wrong
 * magic or size) or -ENOMEM, and then the state is unchanged. */
int hal_fpu_state_restore(const void *buf);

/* ---- Console and stopping ----------------------------------------------------- */

/* Write n bytes to the console. */
void hal_console_write(const char *s, size_t n);

enum hal_halt_reason { HAL_HALT_POWEROFF, HAL_HALT_PANIC };
/* Stop the machine (power off, or stop after a panic); never returns. */
_Noreturn void hal_halt(enum hal_halt_reason why);

#endif
