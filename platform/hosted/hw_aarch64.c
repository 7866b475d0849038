/*
 * Model of the aarch64 stage 1 table walk for the EL1&0 regime (Arm ARM DDI 0487,
 * "The VMSAv8-64 address translation system"), written independently of
 * platform/aarch64/pte.c so that it can catch codec bugs: it has its own bit names and
 * reads raw descriptors from hosted RAM. Arm level numbers (0 = root) are used here.
 *
 * Modelled configuration: TTBR0_EL1 only, T0SZ = 16 (48-bit VA), 4 KiB granule,
 * 48-bit output addresses, PSTATE.PAN = 1, SCTLR_EL1.WXN = 0, no hardware
 * management of the access flag or dirty state (FEAT_HAFDBS off), so a descriptor
 * with AF = 0 takes an Access flag fault. Blocks at levels 1 (1 GiB) and 2 (2 MiB)
 * are supported; APTable, UXNTable and PXNTable in table descriptors are honoured.
 */
#include "hosted.h"
#include "hw.h"

#define A64_HW_VALID (1ULL << 0)
#define A64_HW_TYPE (1ULL << 1)       /* with VALID: table (levels 0-2) or page (3) */
#define A64_HW_AP1 (1ULL << 6)        /* AP[1]: EL0 access */
#define A64_HW_AP2 (1ULL << 7)        /* AP[2]: read-only */
#define A64_HW_AF (1ULL << 10)
#define A64_HW_PXN (1ULL << 53)
#define A64_HW_UXN (1ULL << 54)
#define A64_HW_PXNTABLE (1ULL << 59)
#define A64_HW_UXNTABLE (1ULL << 60)
#define A64_HW_APTABLE0 (1ULL << 61)  /* no EL0 access at later levels */
#define A64_HW_APTABLE1 (1ULL << 62)  /* no writes at later levels */
#define A64_HW_OA 0x0000fffffffff000ULL /* output address bits 47:12 */

#define A64_HW_PAGE 4096ULL

/* Permissions gathered on the walk, combined from table and final descriptors. */
struct a64_walk {
	bool no_el0, ro, uxn, pxn; /* restrictions accumulated from APTable/XNTable */
	pte_t leaf;                /* the page or block descriptor */
	paddr_t page_pa;
};

/* Descriptor idx of the table at table_pa, or false when outside hosted RAM (a real
 * walk would take an external abort; the model reports it as a translation fault). */
static bool a64_hw_read(paddr_t table_pa, unsigned idx, pte_t *d)
{
	paddr_t pa = table_pa + (paddr_t)idx * sizeof(pte_t);

	if (!hosted_ram_contains(pa, sizeof(pte_t)))
		return false;
	*d = *(const pte_t *)hal_phys_to_virt(pa);
	return true;
}

/* Fold a table descriptor's hierarchical restrictions into w. */
static void a64_hw_table_limits(struct a64_walk *w, pte_t d)
{
	w->no_el0 = w->no_el0 || (d & A64_HW_APTABLE0);
	w->ro = w->ro || (d & A64_HW_APTABLE1);
	w->uxn = w->uxn || (d & A64_HW_UXNTABLE);
	w->pxn = w->pxn || (d & A64_HW_PXNTABLE);
}

/* Physical 4 KiB page holding va in the block or page d at level (1, 2 or 3). */
static paddr_t a64_hw_output(pte_t d, unsigned level, vaddr_t va)
{
	uint64_t size = A64_HW_PAGE << (9 * (3 - level));

	return (d & A64_HW_OA & ~(size - 1)) + ((va & (size - 1)) & ~(A64_HW_PAGE - 1));
}

/* Walk the tables for va, filling w; returns HW_OK or the fault the walk hits. */
static enum hw_result a64_hw_walk(paddr_t root_pa, vaddr_t va, struct a64_walk *w)
{
	paddr_t table = root_pa & A64_HW_OA;
	unsigned level;
	pte_t d = 0;

	*w = (struct a64_walk){ 0 };
	for (level = 0; level <= 3; level++) {
		if (!a64_hw_read(table, (va >> (39 - 9 * level)) & 0x1ff, &d))
			return HW_FAULT_NOT_PRESENT;
		if (!(d & A64_HW_VALID))
			return HW_FAULT_NOT_PRESENT;
		if (level < 3 && (d & A64_HW_TYPE)) {
			a64_hw_table_limits(w, d);
			table = d & A64_HW_OA;
			continue;
		}
		/* Blocks exist only at levels 1 and 2; 0b01 at level 3 is reserved. */
		if (level == 0 || (level == 3 && !(d & A64_HW_TYPE)))
			return HW_FAULT_NOT_PRESENT;
		break;
	}
	w->leaf = d;
	w->page_pa = a64_hw_output(d, level, va);
	return HW_OK;
}

/* Fill out with what the final permissions of w allow in the given mode. */
static void a64_hw_perms(const struct a64_walk *w, bool user, struct hw_translation *out)
{
	bool el0 = (w->leaf & A64_HW_AP1) && !w->no_el0;
	bool ro = (w->leaf & A64_HW_AP2) || w->ro;
	bool el0_writable = el0 && !ro;

	out->page_pa = w->page_pa;
	out->user = el0;
	if (user) {
		out->write = el0 && !ro;
		out->exec = el0 && !(w->leaf & A64_HW_UXN) && !w->uxn;
	} else {
		/* PAN: EL1 data accesses to EL0-accessible pages fault. */
		out->write = !el0 && !ro;
		/* EL1 never executes from EL0-writable memory, whatever PXN says. */
		out->exec = !(w->leaf & A64_HW_PXN) && !w->pxn && !el0_writable;
	}
}

/* Whether acc is allowed given the per-mode permissions in t. */
static bool a64_hw_allowed(const struct hw_translation *t, enum hw_access acc, bool user)
{
	if (acc == HW_WRITE)
		return t->write;
	if (acc == HW_EXEC)
		return t->exec;
	return user ? t->user : !t->user; /* EL0 needs AP[1]; EL1 reads obey PAN */
}

/* Translate va for access acc from EL0 (user) or EL1 through the tables at root_pa. */
enum hw_result hw_translate(paddr_t root_pa, vaddr_t va, enum hw_access acc, bool user,
			    struct hw_translation *out)
{
	struct a64_walk w;
	struct hw_translation t;
	enum hw_result res;

	if (va >> 48)
		return HW_FAULT_ADDRESS; /* not a TTBR0 address (TTBR1 is not modelled) */
	if (acc != HW_READ && acc != HW_WRITE && acc != HW_EXEC)
		return HW_FAULT_PROTECTION; /* no such access kind: refuse it */
	res = a64_hw_walk(root_pa, va, &w);
	if (res != HW_OK)
		goto fail;
	/* Access flag fault: a distinct fault class on Arm, reported as protection
	 * because the mapping exists; core resolves it like a permission fault. */
	res = HW_FAULT_PROTECTION;
	if (!(w.leaf & A64_HW_AF))
		goto fail;
	a64_hw_perms(&w, user, &t);
	if (!a64_hw_allowed(&t, acc, user))
		goto fail;
	if (out)
		*out = t;
	return HW_OK;
fail:
	return res;
}

/* The modelled architecture. */
const char *hw_name(void)
{
	return "aarch64";
}
