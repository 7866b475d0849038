/*
 * Model of the x86_64 MMU's 4-level table walk (Intel SDM Vol. 3A, "4-Level Paging"
 * and "Access Rights"), written independently of platform/x86_64/pte.c so that it can
 * catch codec bugs: it has its own bit names and reads raw entries from hosted RAM.
 *
 * Modelled configuration: CR0.WP = 1, CR4.SMEP = 1, CR4.SMAP = 1 with RFLAGS.AC = 0
 * (plain kernel accesses), EFER.NXE = 1, MAXPHYADDR = 52, no protection keys.
 * Large pages (PS = 1 in a PDPT or PD entry: 1 GiB / 2 MiB) are supported; PS in a
 * PML4 entry is a reserved-bit violation, reported as HW_FAULT_PROTECTION.
 * Accessed bits are set in every entry used, and the dirty bit in the leaf on a
 * write, only when the access succeeds (the SDM allows A to be set on a faulting
 * walk too; the model picks the deterministic choice).
 */
#include "hosted.h"
#include "hw.h"

#define X86_HW_P (1ULL << 0)
#define X86_HW_RW (1ULL << 1)
#define X86_HW_US (1ULL << 2)
#define X86_HW_A (1ULL << 5)
#define X86_HW_D (1ULL << 6)
#define X86_HW_PS (1ULL << 7)
#define X86_HW_XD (1ULL << 63)
#define X86_HW_ADDR 0x000ffffffffff000ULL /* bits 51:12 of a table or 4 KiB entry */

#define X86_HW_LEVELS 4
#define X86_HW_PAGE 4096ULL

/* Rights accumulated over the walk: a right holds only if every level grants it. */
struct x86_walk {
	bool us, rw, xd;
	pte_t *used[X86_HW_LEVELS]; /* entries used, for setting A (and D in the leaf) */
	unsigned nused;
	paddr_t page_pa;
};

/* True when bits 63:47 of va are all equal (a canonical 48-bit address). */
static bool x86_hw_canonical(vaddr_t va)
{
	uint64_t top = va >> 47;

	return top == 0 || top == 0x1ffff;
}

/* Pointer to entry idx of the table at table_pa, or NULL when outside hosted RAM
 * (a walk into nonexistent memory is reported as not present). */
static pte_t *x86_hw_entry(paddr_t table_pa, unsigned idx)
{
	paddr_t pa = table_pa + (paddr_t)idx * sizeof(pte_t);

	if (!hosted_ram_contains(pa, sizeof(pte_t)))
		return NULL;
	return hal_phys_to_virt(pa);
}

/* Physical 4 KiB page holding va inside the large page mapped by e at level (1 or 2);
 * the size alignment also drops the large-page PAT bit (bit 12). Low address bits
 * that should be zero (a reserved-bit fault on hardware) are ignored. */
static paddr_t x86_hw_large_page(pte_t e, unsigned level, vaddr_t va)
{
	uint64_t size = X86_HW_PAGE << (9 * level);
	paddr_t base = e & X86_HW_ADDR & ~(size - 1);

	return base + ((va & (size - 1)) & ~(X86_HW_PAGE - 1));
}

/* Walk the tables for va, filling w; returns HW_OK or the fault the walk hits. */
static enum hw_result x86_hw_walk(paddr_t root_pa, vaddr_t va, struct x86_walk *w)
{
	paddr_t table = root_pa & X86_HW_ADDR;
	int level;

	*w = (struct x86_walk){ .us = true, .rw = true, .xd = false };
	for (level = X86_HW_LEVELS - 1; level >= 0; level--) {
		pte_t *e = x86_hw_entry(table, (va >> (12 + 9 * level)) & 0x1ff);

		if (!e || !(*e & X86_HW_P))
			return HW_FAULT_NOT_PRESENT;
		w->used[w->nused++] = e;
		w->us = w->us && (*e & X86_HW_US);
		w->rw = w->rw && (*e & X86_HW_RW);
		w->xd = w->xd || (*e & X86_HW_XD);
		if (level == 3 && (*e & X86_HW_PS))
			return HW_FAULT_PROTECTION; /* reserved bit set: RSVD page fault */
		if (level > 0 && (*e & X86_HW_PS)) {
			w->page_pa = x86_hw_large_page(*e, level, va);
			return HW_OK;
		}
		table = *e & X86_HW_ADDR;
	}
	w->page_pa = table;
	return HW_OK;
}

/* Whether acc from the given mode is allowed on a page with rights w (SDM "Access
 * Rights"); fills the per-mode permissions into out. */
static bool x86_hw_allowed(const struct x86_walk *w, enum hw_access acc, bool user,
			   struct hw_translation *out)
{
	bool any;

	if (user)
		any = w->us;          /* supervisor pages are closed to user mode */
	else
		any = !w->us;         /* SMAP (data) and SMEP (fetch) close user pages */
	out->page_pa = w->page_pa;
	out->user = w->us;
	out->write = any && w->rw;    /* CR0.WP = 1: kernel writes obey R/W too */
	out->exec = any && !w->xd;
	if (acc == HW_WRITE)
		return out->write;
	if (acc == HW_EXEC)
		return out->exec;
	return any;
}

/* Set A in every entry used by the walk and D in the leaf when acc is a write. */
static void x86_hw_set_status(const struct x86_walk *w, enum hw_access acc)
{
	unsigned i;

	for (i = 0; i < w->nused; i++)
		*w->used[i] |= X86_HW_A;
	if (acc == HW_WRITE && w->nused > 0)
		*w->used[w->nused - 1] |= X86_HW_D;
}

/* Translate va for access acc from user or kernel mode through the tables at root_pa. */
enum hw_result hw_translate(paddr_t root_pa, vaddr_t va, enum hw_access acc, bool user,
			    struct hw_translation *out)
{
	struct x86_walk w;
	struct hw_translation t;
	enum hw_result res;

	if (!x86_hw_canonical(va))
		return HW_FAULT_ADDRESS;
	if (acc != HW_READ && acc != HW_WRITE && acc != HW_EXEC)
		return HW_FAULT_PROTECTION; /* no such access kind: refuse it */
	res = x86_hw_walk(root_pa, va, &w);
	if (res != HW_OK)
		goto fail;
	if (!x86_hw_allowed(&w, acc, user, &t)) {
		res = HW_FAULT_PROTECTION;
		goto fail;
	}
	x86_hw_set_status(&w, acc);
	if (out)
		*out = t;
	return HW_OK;
fail:
	return res;
}

/* The modelled architecture. */
const char *hw_name(void)
{
	return "x86_64";
}
