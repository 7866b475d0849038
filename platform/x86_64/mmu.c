/*
 * Kernel page tables and MMU control. The kernel half of every address space
 * (PML4 slots 256..511) is built once here and shared:
 *   slot 256  direct map of physical memory at X86_DIRECT_MAP (1 GiB or 2 MiB pages)
 *   slot 384  vmap region for page-granular kernel mappings (heap.c large objects)
 *   slot 511  the kernel image at X86_KERNEL_VMA, 4 KiB pages: text RX, rodata R,
 *             data/bss RW, all NX except text
 * Those PML4 entries never change after mmu_init(), so hal_mmu_activate() can copy
 * them into any user root (core only manages slots 0..255, below user_top).
 */
#include "x86.h"

#include "lib/errno.h"
#include "lib/kprintf.h"
#include "lib/string.h"
#include "mm/frame.h"

#define GIB (1ull << 30)
#define MIB2 (1ull << 21)
#define DMAP_MAX_PDS 64 /* 2 MiB-page fallback covers 64 GiB */
#define KIMG_MAX_PTS 4  /* kernel image up to 8 MiB of physical memory */
#define CR0_MP (1ull << 1)
#define CR0_EM (1ull << 2)
#define CR0_TS (1ull << 3)
#define CR0_NE (1ull << 5)
#define CR0_WP (1ull << 16)
#define CR4_PGE (1ull << 7)
#define CR4_OSFXSR (1ull << 9)
#define CR4_OSXMMEXCPT (1ull << 10)
#define CR4_SMEP (1ull << 20)
#define CR4_SMAP (1ull << 21)

typedef uint64_t table_t[512];

static table_t kernel_pml4 __attribute__((aligned(4096)));
static table_t dmap_pdpt __attribute__((aligned(4096)));
static table_t dmap_pds[DMAP_MAX_PDS] __attribute__((aligned(4096)));
static table_t vmap_pdpt __attribute__((aligned(4096)));
static table_t kimg_pdpt __attribute__((aligned(4096)));
static table_t kimg_pd __attribute__((aligned(4096)));
static table_t kimg_pts[KIMG_MAX_PTS] __attribute__((aligned(4096)));

extern char __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern char __data_start[], __data_end[];

static uint64_t nx_bit;     /* X86_PTE_NX when EFER.NXE is on, else 0 */
static uint64_t global_bit; /* X86_PTE_G when CR4.PGE is on, else 0 */
static paddr_t dmap_limit;  /* physical addresses below this are direct-mapped */
static bool smep_on, smap_on;

/* Physical address of a static object of the kernel image. */
static paddr_t image_pa(const void *va)
{
	return (paddr_t)((uintptr_t)va - X86_KERNEL_VMA);
}

/* Table entry pointing at the next-level table at physical pa (kernel-only, RW). */
static uint64_t kernel_table_entry(paddr_t pa)
{
	return pa | X86_PTE_P | X86_PTE_W;
}

/* True when CPUID reports feature bit `bit` of register reg (0..3) in leaf/subleaf. */
static bool cpu_has(uint32_t leaf, uint32_t sub, unsigned reg, unsigned bit)
{
	uint32_t r[4];

	cpuid(leaf & 0x80000000u, 0, r);
	if (r[0] < leaf)
		return false;
	cpuid(leaf, sub, r);
	return (r[reg] >> bit) & 1;
}

/* Map physical [0, limit) at X86_DIRECT_MAP with 1 GiB pages, or 2 MiB pages. */
static void build_direct_map(paddr_t limit, bool gib_pages)
{
	uint64_t leaf = X86_PTE_P | X86_PTE_W | X86_PTE_PS | global_bit | nx_bit;

	for (paddr_t gb = 0; gb < limit / GIB; gb++) {
		if (gib_pages) {
			dmap_pdpt[gb] = (gb * GIB) | leaf;
			continue;
		}
		for (unsigned i = 0; i < 512; i++)
			dmap_pds[gb][i] = (gb * GIB + i * MIB2) | leaf;
		dmap_pdpt[gb] = kernel_table_entry(image_pa(dmap_pds[gb]));
	}
	kernel_pml4[X86_PML4_KERNEL_FIRST] = kernel_table_entry(image_pa(dmap_pdpt));
}

/* Map the kernel image section [start, end) at its link address with flags. */
static void map_image_range(const char *start, const char *end, uint64_t flags)
{
	for (uintptr_t va = (uintptr_t)start; va < (uintptr_t)end; va += X86_PAGE_SIZE) {
		paddr_t pa = va - X86_KERNEL_VMA;
		size_t page = pa / X86_PAGE_SIZE;

		if (page >= KIMG_MAX_PTS * 512)
			panic("mmu: kernel image beyond %d MiB", KIMG_MAX_PTS * 2);
		kimg_pts[page / 512][page % 512] = pa | X86_PTE_P | global_bit | flags;
	}
}

/* Map the kernel image with per-section permissions (slot 511, PDPT entry 510). */
static void build_image_map(void)
{
	map_image_range(__text_start, __text_end, 0);
	map_image_range(__rodata_start, __rodata_end, nx_bit);
	map_image_range(__data_start, __data_end, X86_PTE_W | nx_bit);
	for (unsigned i = 0; i < KIMG_MAX_PTS; i++)
		kimg_pd[i] = kernel_table_entry(image_pa(kimg_pts[i]));
	kimg_pdpt[510] = kernel_table_entry(image_pa(kimg_pd));
	kernel_pml4[511] = kernel_table_entry(image_pa(kimg_pdpt));
	kernel_pml4[(X86_VMAP_BASE >> 39) & 511] = kernel_table_entry(image_pa(vmap_pdpt));
}

/* Turn on the CR0/CR4 protections and extensions this CPU supports. */
static void enable_cpu_features(void)
{
	uint64_t cr4 = read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT;

	smep_on = cpu_has(7, 0, 1, 7);
	smap_on = cpu_has(7, 0, 1, 20);
	if (global_bit)
		cr4 |= CR4_PGE;
	if (smep_on)
		cr4 |= CR4_SMEP;
	if (smap_on)
		cr4 |= CR4_SMAP;
	x86_smap_enabled = smap_on;
	write_cr4(cr4);
	write_cr0((read_cr0() | CR0_WP | CR0_MP | CR0_NE) & ~(CR0_EM | CR0_TS));
}

void mmu_init(void)
{
	bool gib_pages = cpu_has(0x80000001u, 0, 3, 26);
	paddr_t limit = ALIGN_UP(MAX(pvh_ram_end(), 4 * GIB), GIB);
	paddr_t max = gib_pages ? 512 * GIB : DMAP_MAX_PDS * GIB;

	nx_bit = (rdmsr(0xc0000080) & (1u << 11)) ? X86_PTE_NX : 0;
	global_bit = cpu_has(1, 0, 3, 13) ? X86_PTE_G : 0;
	if (limit > max) {
		kprintf("mmu: RAM above %llu GiB is not direct-mapped and not used\n",
			(unsigned long long)(max / GIB));
		limit = max;
	}
	dmap_limit = limit;
	build_direct_map(limit, gib_pages);
	build_image_map();
	pvh_build_ranges(limit);
	write_cr3(image_pa(kernel_pml4));
	enable_cpu_features();
}

/* Unmap one page of the kernel image's data (a stack guard): a later access faults. */
void mmu_guard_page(vaddr_t va)
{
	size_t page = (va - X86_KERNEL_VMA) / X86_PAGE_SIZE;

	KASSERT(va >= (uintptr_t)__data_start && va < (uintptr_t)__data_end);
	kimg_pts[page / 512][page % 512] = 0;
	invlpg(va);
}

paddr_t mmu_kernel_root(void)
{
	return image_pa(kernel_pml4);
}

bool mmu_has_smep(void)
{
	return smep_on;
}

bool mmu_has_smap(void)
{
	return smap_on;
}

void *hal_phys_to_virt(paddr_t pa)
{
	KASSERT(pa < dmap_limit);
	return (void *)(uintptr_t)(X86_DIRECT_MAP + pa);
}

paddr_t hal_virt_to_phys(const void *va)
{
	uintptr_t v = (uintptr_t)va;

	if (v >= X86_KERNEL_VMA)
		return v - X86_KERNEL_VMA;
	KASSERT(v >= X86_DIRECT_MAP && v - X86_DIRECT_MAP < dmap_limit);
	return v - X86_DIRECT_MAP;
}

/* The entry for va in the table at level (3 = PML4 .. 0 = PT) under table. */
static uint64_t *table_slot(uint64_t *table, vaddr_t va, unsigned level)
{
	return &table[(va >> (12 + 9 * level)) & 511];
}

/* Next-level table under *slot, allocating a zeroed one if alloc; NULL if missing. */
static uint64_t *table_next(uint64_t *slot, bool alloc)
{
	paddr_t pa;

	if (!(*slot & X86_PTE_P)) {
		if (!alloc)
			return NULL;
		pa = frame_alloc_zeroed();
		if (!pa)
			return NULL;
		*slot = kernel_table_entry(pa);
	}
	return hal_phys_to_virt(*slot & X86_PTE_ADDR);
}

/* The level-0 entry for vmap address va, creating tables if alloc; NULL if none. */
static uint64_t *vmap_pte(vaddr_t va, bool alloc)
{
	uint64_t *t = kernel_pml4;

	KASSERT(va >= X86_VMAP_BASE && va - X86_VMAP_BASE < X86_VMAP_SIZE);
	for (unsigned level = 3; level > 0; level--) {
		t = table_next(table_slot(t, va, level), alloc);
		if (!t)
			return NULL;
	}
	return table_slot(t, va, 0);
}

int mmu_kmap_page(vaddr_t va, paddr_t pa, uint64_t flags)
{
	uint64_t *pte = vmap_pte(va, true);

	if (!pte)
		return -ENOMEM;
	KASSERT(!(*pte & X86_PTE_P));
	*pte = pa | X86_PTE_P | global_bit | (flags & (X86_PTE_W | X86_PTE_PCD | X86_PTE_PWT)) |
	       ((flags & X86_PTE_NX) ? nx_bit : 0);
	return 0;
}

paddr_t mmu_kunmap_page(vaddr_t va)
{
	uint64_t *pte = vmap_pte(va, false);
	paddr_t pa;

	KASSERT(pte && (*pte & X86_PTE_P));
	pa = *pte & X86_PTE_ADDR;
	*pte = 0;
	invlpg(va);
	return pa;
}

/* Copy the shared kernel half (PML4 slots 256..511, fixed after mmu_init) into a new
 * user root; core owns only the slots below X86_PML4_KERNEL_FIRST. */
void hal_pt_root_init(paddr_t root_pa)
{
	uint64_t *root = hal_phys_to_virt(root_pa);

	for (unsigned i = X86_PML4_KERNEL_FIRST; i < 512; i++)
		root[i] = kernel_pml4[i];
}

/* Load root_pa (a root from hal_pt_root_init; 0: the kernel's own root, so a user
 * root can be freed) into CR3 unless it is already there. */
void hal_mmu_activate(paddr_t root_pa)
{
	if (!root_pa)
		root_pa = mmu_kernel_root();
	if ((read_cr3() & X86_PTE_ADDR) != root_pa)
		write_cr3(root_pa);
}

/* True when root_pa is the table root loaded in CR3 right now. */
static bool root_is_active(paddr_t root_pa)
{
	return (read_cr3() & X86_PTE_ADDR) == root_pa;
}

/*
 * Only the active space can have TLB entries for user addresses: without PCID every
 * CR3 load drops all non-global entries, and user mappings are never global. So an
 * inactive root needs no flush; it starts clean when next activated. Large ranges
 * reload CR3 instead of issuing one invlpg per page.
 */
void hal_tlb_flush_range(paddr_t root_pa, vaddr_t start, vaddr_t end)
{
	if (!root_is_active(root_pa))
		return;
	if (end - start > 64 * X86_PAGE_SIZE) {
		write_cr3(read_cr3());
		return;
	}
	for (vaddr_t va = ALIGN_DOWN(start, X86_PAGE_SIZE); va < end; va += X86_PAGE_SIZE)
		invlpg(va);
}

/* Drop every non-global translation when root_pa is active (see above). */
void hal_tlb_flush_space(paddr_t root_pa)
{
	if (root_is_active(root_pa))
		write_cr3(read_cr3());
}
