/*
 * aarch64 page-table entry codec: VMSAv8-64 stage 1, 4 KiB granule, 48-bit VA,
 * four levels. Pure functions over descriptor values; no hardware access, so the
 * hosted build uses it too. Bit positions follow the Arm ARM (DDI 0487), "VMSAv8-64
 * translation table format descriptors".
 *
 * Level numbering: core's level 3 (the root) is Arm's lookup level 0, and core's
 * level 0 (page entries) is Arm's level 3.
 *
 * Memory type: pages use AttrIndx 0. The boot code must program MAIR_EL1.Attr0 as
 * Normal, Inner/Outer Write-Back cacheable (0xff); this codec never emits another index.
 */
#include "hal.h"

#define A64_DESC_VALID (1ULL << 0)
#define A64_DESC_TYPE_MASK 3ULL       /* bits[1:0] */
#define A64_DESC_TABLE 3ULL           /* table (levels > 0) or page (level 0) */
#define A64_ATTRINDX_NORMAL (0ULL << 2) /* AttrIndx[2:0] = 0: MAIR_EL1.Attr0 */
#define A64_AP_EL0 (1ULL << 6)        /* AP[1]: EL0 may access */
#define A64_AP_RO (1ULL << 7)         /* AP[2]: read-only at every EL */
#define A64_SH_INNER (3ULL << 8)      /* SH[1:0] = 0b11: inner shareable */
#define A64_AF (1ULL << 10)           /* access flag */
#define A64_NG (1ULL << 11)           /* not global: tagged with the ASID */
#define A64_PXN (1ULL << 53)          /* privileged (EL1) execute never */
#define A64_UXN (1ULL << 54)          /* unprivileged (EL0) execute never */
#define A64_SW_DIRTY (1ULL << 55)     /* software: dirty (bits 58:55 are for software) */
#define A64_SW_COW (1ULL << 56)       /* software: copy-on-write */
#define A64_SW_PROTNONE (1ULL << 57)  /* software: holds a frame, valid bit clear */

/* Output-address field for 48-bit physical addresses, bits 47:12. */
#define A64_ADDR_MASK 0x0000fffffffff000ULL

static const struct hal_pt_geometry a64_geometry = {
	.levels = 4,
	.page_shift = 12,
	.index_bits = 9,
	.user_top = 1ULL << 48, /* TTBR0_EL1 range with T0SZ = 16 */
	.name = "aarch64",
};

/* The geometry of the aarch64 4 KiB granule, 48-bit VA translation regime. */
const struct hal_pt_geometry *hal_pt_geometry(void)
{
	return &a64_geometry;
}

/* Table descriptor pointing at table_pa, with no APTable/XNTable restrictions so
 * the page descriptor alone decides; address bits outside 47:12 are dropped. */
pte_t hal_pte_make_table(paddr_t table_pa)
{
	return (table_pa & A64_ADDR_MASK) | A64_DESC_TABLE;
}

/* AP[2:1] and execute-never bits for neutral attrs (see the file comment). */
static pte_t a64_perm_bits(unsigned attrs)
{
	pte_t bits = 0;

	if (!(attrs & PTE_WRITE))
		bits |= A64_AP_RO;
	if (attrs & PTE_USER) {
		/* EL0 pages: never executable at EL1; executable at EL0 only if asked. */
		bits |= A64_AP_EL0 | A64_PXN;
		if (!(attrs & PTE_EXEC))
			bits |= A64_UXN;
	} else {
		/* Kernel pages: never executable at EL0. */
		bits |= A64_UXN;
		if (!(attrs & PTE_EXEC))
			bits |= A64_PXN;
	}
	return bits;
}

/* nG and the software status bits for neutral attrs (AF is always set). */
static pte_t a64_status_bits(unsigned attrs)
{
	pte_t bits = A64_AF;

	if (!(attrs & PTE_GLOBAL))
		bits |= A64_NG;
	if (attrs & PTE_DIRTY)
		bits |= A64_SW_DIRTY;
	if (attrs & PTE_COW)
		bits |= A64_SW_COW;
	return bits;
}

/* Level-0 (Arm level 3) page descriptor for frame_pa with attrs: normal memory,
 * inner shareable, AF set; PTE_ACCESSED is implied, unknown attr bits ignored. */
pte_t hal_pte_make_page(paddr_t frame_pa, unsigned attrs)
{
	pte_t type = (attrs & PTE_PROTNONE) ? A64_SW_PROTNONE : A64_DESC_TABLE;

	return (frame_pa & A64_ADDR_MASK) | type | A64_ATTRINDX_NORMAL | A64_SH_INNER |
	       a64_perm_bits(attrs) | a64_status_bits(attrs);
}

/* True when the descriptor's valid bit is set, or it is a PROT_NONE page. */
bool hal_pte_is_valid(pte_t pte)
{
	return (pte & (A64_DESC_VALID | A64_SW_PROTNONE)) != 0;
}

/* True for a table descriptor (bits[1:0] = 0b11) above level 0; blocks are not tables. */
bool hal_pte_is_table(pte_t pte, unsigned level)
{
	return level > 0 && level < 4 && (pte & A64_DESC_TYPE_MASK) == A64_DESC_TABLE;
}

/* Output or next-table address of the descriptor (bits 47:12). */
paddr_t hal_pte_addr(pte_t pte)
{
	return pte & A64_ADDR_MASK;
}

/* Neutral attributes of a level-0 page descriptor. */
unsigned hal_pte_attrs(pte_t pte)
{
	unsigned attrs = 0;
	bool user = (pte & A64_AP_EL0) != 0;

	if (!(pte & A64_AP_RO))
		attrs |= PTE_WRITE;
	if (user)
		attrs |= PTE_USER;
	if (!(pte & (user ? A64_UXN : A64_PXN)))
		attrs |= PTE_EXEC;
	if (pte & A64_AF)
		attrs |= PTE_ACCESSED;
	if (pte & A64_SW_DIRTY)
		attrs |= PTE_DIRTY;
	if (pte & A64_SW_COW)
		attrs |= PTE_COW;
	if (!(pte & A64_NG))
		attrs |= PTE_GLOBAL;
	if (pte & A64_SW_PROTNONE)
		attrs |= PTE_PROTNONE;
	return attrs;
}
