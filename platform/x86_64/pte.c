/*
 * x86_64 page-table entry codec: 4-level paging (PML4, PDPT, PD, PT), 4 KiB pages.
 * Pure functions over entry values; no hardware access, so the hosted build uses it too.
 * Bit positions are those of the Intel SDM Vol. 3A, "4-Level Paging" entry formats.
 */
#include "hal.h"

#define X86_PTE_P (1ULL << 0)    /* present */
#define X86_PTE_RW (1ULL << 1)   /* writable */
#define X86_PTE_US (1ULL << 2)   /* user accessible */
#define X86_PTE_A (1ULL << 5)    /* accessed */
#define X86_PTE_D (1ULL << 6)    /* dirty (leaf only) */
#define X86_PTE_PS (1ULL << 7)   /* large page at PDPT/PD level (PAT at PT level) */
#define X86_PTE_G (1ULL << 8)    /* global (leaf only) */
#define X86_PTE_COW (1ULL << 9)  /* software: copy-on-write (bit ignored by hardware) */
#define X86_PTE_PROTNONE (1ULL << 10) /* software: holds a frame, P clear (PROT_NONE) */
#define X86_PTE_NX (1ULL << 63)  /* execute disable (EFER.NXE = 1) */

/* Physical-address field, bits 51:12 (MAXPHYADDR is at most 52). */
#define X86_PTE_ADDR_MASK 0x000ffffffffff000ULL

/* Every table entry: present, and writable/user/accessed so that the leaf alone
 * decides the permissions of a page. */
#define X86_PTE_TABLE_BITS (X86_PTE_P | X86_PTE_RW | X86_PTE_US | X86_PTE_A)

static const struct hal_pt_geometry x86_geometry = {
	.levels = 4,
	.page_shift = 12,
	.index_bits = 9,
	.user_top = 0x00007ffffffff000ULL, /* one guard page below the canonical hole */
	.name = "x86_64",
};

/* The geometry of x86_64 4-level paging with 4 KiB pages. */
const struct hal_pt_geometry *hal_pt_geometry(void)
{
	return &x86_geometry;
}

/* Table entry pointing at table_pa; address bits outside 51:12 are dropped. */
pte_t hal_pte_make_table(paddr_t table_pa)
{
	return (table_pa & X86_PTE_ADDR_MASK) | X86_PTE_TABLE_BITS;
}

/* Hardware permission bits (RW, US, NX, G) for neutral attrs. */
static pte_t x86_perm_bits(unsigned attrs)
{
	pte_t bits = 0;

	if (attrs & PTE_WRITE)
		bits |= X86_PTE_RW;
	if (attrs & PTE_USER)
		bits |= X86_PTE_US;
	if (!(attrs & PTE_EXEC))
		bits |= X86_PTE_NX;
	if (attrs & PTE_GLOBAL)
		bits |= X86_PTE_G;
	return bits;
}

/* Status bits (A, D, software COW) for neutral attrs. */
static pte_t x86_status_bits(unsigned attrs)
{
	pte_t bits = 0;

	if (attrs & PTE_ACCESSED)
		bits |= X86_PTE_A;
	if (attrs & PTE_DIRTY)
		bits |= X86_PTE_D;
	if (attrs & PTE_COW)
		bits |= X86_PTE_COW;
	return bits;
}

/* Present 4 KiB page entry for frame_pa with attrs; unknown attr bits are ignored,
 * PTE_WRITE is encoded as given (core clears it on COW pages). PTE_PROTNONE gives
 * an entry with P clear that still records the frame. */
pte_t hal_pte_make_page(paddr_t frame_pa, unsigned attrs)
{
	pte_t present = (attrs & PTE_PROTNONE) ? X86_PTE_PROTNONE : X86_PTE_P;

	return (frame_pa & X86_PTE_ADDR_MASK) | present | x86_perm_bits(attrs) |
	       x86_status_bits(attrs);
}

/* True when the present bit is set, or the entry is a PROT_NONE page. */
bool hal_pte_is_valid(pte_t pte)
{
	return (pte & (X86_PTE_P | X86_PTE_PROTNONE)) != 0;
}

/* True for a present entry above level 0 that is not a large page (PS clear). */
bool hal_pte_is_table(pte_t pte, unsigned level)
{
	return level > 0 && level < 4 && (pte & X86_PTE_P) && !(pte & X86_PTE_PS);
}

/* Physical address field of the entry (bits 51:12). */
paddr_t hal_pte_addr(pte_t pte)
{
	return pte & X86_PTE_ADDR_MASK;
}

/* Neutral attributes of a level-0 page entry. */
unsigned hal_pte_attrs(pte_t pte)
{
	unsigned attrs = 0;

	if (pte & X86_PTE_RW)
		attrs |= PTE_WRITE;
	if (pte & X86_PTE_US)
		attrs |= PTE_USER;
	if (!(pte & X86_PTE_NX))
		attrs |= PTE_EXEC;
	if (pte & X86_PTE_A)
		attrs |= PTE_ACCESSED;
	if (pte & X86_PTE_D)
		attrs |= PTE_DIRTY;
	if (pte & X86_PTE_COW)
		attrs |= PTE_COW;
	if (pte & X86_PTE_G)
		attrs |= PTE_GLOBAL;
	if (pte & X86_PTE_PROTNONE)
		attrs |= PTE_PROTNONE;
	return attrs;
}
