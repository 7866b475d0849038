/*
 * MMU control: the kernel's direct map (TTBR1), user roots in TTBR0 tagged with ASIDs,
 * TLB maintenance, PAN. ASIDs are handed out lazily per root on activation; when they
 * run out every TLB entry is flushed and numbering starts again. Contract with core:
 * call hal_tlb_flush_space(root) before the root's frame is freed or reused.
 */
#include "a64.h"
#include "sysreg.h"

#include "../../core/lib/kprintf.h"

#define GIB (1ull << 30)
#define ASID_SLOTS 256        /* roots remembered at once (before a full flush) */
#define FLUSH_PAGES_MAX 64    /* larger ranges flush the whole ASID */
#define TTBR_ASID_SHIFT 48

struct asid_slot {
	paddr_t root;
	uint16_t asid;
};

static struct asid_slot asid_slots[ASID_SLOTS];
static unsigned asid_used;   /* slots in use; slot i holds ASID i + 1 */
static unsigned asid_limit;  /* highest ASID + 1 the CPU supports */
static bool pan_on;

/* The vmap region's tables: one level-1 table under TTBR1 root entry 1, one level-2
 * table, and enough level-3 tables for VMAP_SIZE (static, so the heap never needs
 * frames for its own tables). */
#define VMAP_L3_TABLES (VMAP_SIZE >> 21)
#define DESC_PAGE 0x3ull
#define DESC_ADDR_MASK 0x0000fffffffff000ull
static uint64_t vmap_l1[512] __attribute__((aligned(4096)));
static uint64_t vmap_l2[512] __attribute__((aligned(4096)));
static uint64_t vmap_l3[VMAP_L3_TABLES][512] __attribute__((aligned(4096)));

void *hal_phys_to_virt(paddr_t pa)
{
	return (void *)(uintptr_t)(DMAP_BASE + pa);
}

paddr_t hal_virt_to_phys(const void *va)
{
	uintptr_t v = (uintptr_t)va;

	KASSERT(v >= DMAP_BASE);
	return v - DMAP_BASE;
}

/* Set the TTBR1 1 GiB blocks: GiB 0 (MMIO) as device, GiBs holding RAM as normal. */
static void mmu_set_direct_map(const struct hal_phys_range *ram, size_t n)
{
	static uint64_t want[512];

	want[0] = BLOCK_1G_DEVICE;
	for (size_t i = 0; i < n; i++) {
		uint64_t first = ram[i].base / GIB, last = (ram[i].base + ram[i].size - 1) / GIB;

		KASSERT(last < 512);
		for (uint64_t g = first; g <= last && g > 0; g++)
			want[g] = g * GIB | BLOCK_1G_NORMAL;
	}
	for (unsigned g = 0; g < 512; g++)
		boot_l1_high[g] = want[g];
}

/* Invalidate every EL1&0 TLB entry of this CPU and the inner-shareable domain. */
static void tlb_flush_all(void)
{
	dsb_ishst();
	__asm__ volatile("tlbi vmalle1is" ::: "memory");
	dsb_ish();
	isb();
}

/* Turn PAN on when ID_AA64MMFR1_EL1 reports it, also for every exception entry. */
static void mmu_enable_pan(void)
{
	if (ID_MMFR1_PAN(sysreg_read(id_aa64mmfr1_el1)) == 0)
		return;
	sysreg_write(sctlr_el1, sysreg_read(sctlr_el1) & ~SCTLR_SPAN);
	isb();
	pan_write(1);
	isb();
	pan_on = true;
}

/* Link the vmap tables under TTBR1 root entry 1 (VMAP_BASE). */
static void mmu_init_vmap(void)
{
	_Static_assert(VMAP_BASE == DMAP_BASE + (1ull << 39), "vmap is root entry 1");
	_Static_assert(VMAP_L3_TABLES <= 512, "vmap fits one level-2 table");
	for (unsigned i = 0; i < VMAP_L3_TABLES; i++)
		vmap_l2[i] = hal_virt_to_phys(vmap_l3[i]) | DESC_TABLE;
	vmap_l1[0] = hal_virt_to_phys(vmap_l2) | DESC_TABLE;
	boot_l0_high[1] = hal_virt_to_phys(vmap_l1) | DESC_TABLE;
}

/* The level-3 entry for vmap address va. */
static uint64_t *vmap_entry(vaddr_t va)
{
	uint64_t i = (va - VMAP_BASE) >> 12;

	KASSERT(va >= VMAP_BASE && va - VMAP_BASE < VMAP_SIZE);
	return &vmap_l3[i / 512][i % 512];
}

void kmap_map(vaddr_t va, paddr_t pa)
{
	uint64_t *e = vmap_entry(va);

	KASSERT(*e == 0);
	*e = pa | DESC_PAGE | DESC_ATTRIDX(MAIR_IDX_NORMAL) | DESC_SH_INNER | DESC_AF |
	     DESC_PXN | DESC_UXN;
	dsb_ishst();
	isb();
}

paddr_t kmap_unmap(vaddr_t va)
{
	uint64_t *e = vmap_entry(va), old = *e;

	KASSERT(old & 1);
	*e = 0;
	dsb_ishst();
	__asm__ volatile("tlbi vaae1is, %0" : : "r"((va >> 12) & 0xfffffffffffull) : "memory");
	dsb_ish();
	isb();
	return old & DESC_ADDR_MASK;
}

/* Smallest D-cache and I-cache line sizes in bytes, from CTR_EL0. */
static void cache_lines(size_t *dline, size_t *iline)
{
	uint64_t ctr = sysreg_read(ctr_el0);

	*dline = (size_t)4 << ((ctr >> 16) & 0xf);
	*iline = (size_t)4 << (ctr & 0xf);
}

void cache_sync_exec(const void *va, size_t n)
{
	uint64_t ctr = sysreg_read(ctr_el0);
	uintptr_t start = (uintptr_t)va, end = start + n;
	size_t dline, iline;

	cache_lines(&dline, &iline);
	if (!(ctr & (1ull << 28))) /* IDC clear: clean to PoU is needed */
		for (uintptr_t p = ALIGN_DOWN(start, dline); p < end; p += dline)
			__asm__ volatile("dc cvau, %0" : : "r"(p) : "memory");
	dsb_ish();
	if (!(ctr & (1ull << 29))) /* DIC clear: invalidate the I-cache to PoU */
		for (uintptr_t p = ALIGN_DOWN(start, iline); p < end; p += iline)
			__asm__ volatile("ic ivau, %0" : : "r"(p) : "memory");
	dsb_ish();
	isb();
}

void mmu_init(const struct hal_phys_range *ram, size_t n)
{
	uint64_t mmfr0 = sysreg_read(id_aa64mmfr0_el1);

	asid_limit = ID_MMFR0_ASIDBITS(mmfr0) == 2 ? 65536 : 256;
	mmu_set_direct_map(ram, n);
	mmu_init_vmap();
	sysreg_write(ttbr0_el1, hal_virt_to_phys(boot_l0_empty));
	isb();
	tlb_flush_all();
	mmu_enable_pan();
}

bool mmu_pan_enabled(void)
{
	return pan_on;
}

/* The ASID given to root, or 0 when it has none (it then has no TLB entries). */
static unsigned asid_find(paddr_t root)
{
	for (unsigned i = 0; i < asid_used; i++)
		if (asid_slots[i].root == root)
			return asid_slots[i].asid;
	return 0;
}

/* The ASID of root, assigning one (after a full flush if all are taken). */
static unsigned asid_get(paddr_t root)
{
	unsigned asid = asid_find(root);

	if (asid)
		return asid;
	if (asid_used == ASID_SLOTS || asid_used + 1 >= asid_limit) {
		/* Park TTBR0 on the empty root with the reserved ASID 0 first, so no walk
		 * can refill the TLB under an ASID that is about to be handed out again. */
		sysreg_write(ttbr0_el1, hal_virt_to_phys(boot_l0_empty));
		isb();
		tlb_flush_all();
		asid_used = 0;
	}
	asid_slots[asid_used].root = root;
	asid_slots[asid_used].asid = (uint16_t)(asid_used + 1);
	return ++asid_used;
}

/* Nothing to install: user roots (TTBR0) and the kernel's tables (TTBR1) are separate. */
void hal_pt_root_init(paddr_t root_pa)
{
	UNUSED(root_pa);
}

void hal_mmu_activate(paddr_t root_pa)
{
	uint64_t asid;

	KASSERT(IS_ALIGNED(root_pa, 4096));
	if (!root_pa) { /* kernel only: the empty root, reserved ASID 0 */
		sysreg_write(ttbr0_el1, hal_virt_to_phys(boot_l0_empty));
		isb();
		return;
	}
	asid = asid_get(root_pa);
	dsb_ishst();
	sysreg_write(ttbr0_el1, root_pa | asid << TTBR_ASID_SHIFT);
	isb();
}

void hal_tlb_flush_space(paddr_t root_pa)
{
	uint64_t asid = asid_find(root_pa);

	if (!asid)
		return;
	dsb_ishst();
	__asm__ volatile("tlbi aside1is, %0" : : "r"(asid << TTBR_ASID_SHIFT) : "memory");
	dsb_ish();
	isb();
}

void hal_tlb_flush_range(paddr_t root_pa, vaddr_t start, vaddr_t end)
{
	uint64_t asid = asid_find(root_pa);

	if (!asid || end <= start)
		return;
	if ((end - start) / 4096 > FLUSH_PAGES_MAX) {
		hal_tlb_flush_space(root_pa);
		return;
	}
	dsb_ishst();
	for (vaddr_t va = ALIGN_DOWN(start, 4096); va < end; va += 4096) {
		uint64_t op = asid << TTBR_ASID_SHIFT | ((va >> 12) & 0xfffffffffffull);

		__asm__ volatile("tlbi vae1is, %0" : : "r"(op) : "memory");
	}
	dsb_ish();
	isb();
}
