/*
 * PTE codec, hardware-model and user-register tests, built once per format
 * (HOSTED_FORMAT_x86_64 or HOSTED_FORMAT_aarch64) with that format's codec, uregs
 * and hosted MMU model. The cross-check builds tables with the codec alone and lets
 * the independently written hardware model judge them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "hal.h"
#include "hosted.h"
#include "hw.h"

#if defined(HOSTED_FORMAT_x86_64)
#include "../../platform/x86_64/uregs.h"
#define FMT_NAME "x86_64"
#define FMT_USER_TOP 0x00007ffffffff000ULL
#define FMT_MAX_FRAME 0x000ffffffffff000ULL /* MAXPHYADDR 52 */
#define FMT_IMPLIED_ATTRS 0u                /* hardware sets A; the codec does not */
#define FMT_HW_SETS_AD true
#elif defined(HOSTED_FORMAT_aarch64)
#include "../../platform/aarch64/uregs.h"
#define FMT_NAME "aarch64"
#define FMT_USER_TOP (1ULL << 48)
#define FMT_MAX_FRAME 0x0000fffffffff000ULL /* 48-bit output addresses */
#define FMT_IMPLIED_ATTRS ((unsigned)PTE_ACCESSED) /* the codec always sets AF */
#define FMT_HW_SETS_AD false
#else
#error "define HOSTED_FORMAT_x86_64 or HOSTED_FORMAT_aarch64"
#endif

#define PAGE 4096ULL
#define RAM_SIZE (4u << 20)
#define ALL_ATTRS 0x7fu /* every defined enum pte_attr bit */
#define DATA_BASE (HOSTED_RAM_BASE + (2u << 20)) /* data frames: upper half of RAM */
#define CROSS_VA 0x0000004000400000ULL           /* 128 pages in one leaf table */

static paddr_t next_table; /* bump allocator for table frames (lower half of RAM) */

/* ---- helpers ------------------------------------------------------------------ */

/* A fresh zeroed table frame from the lower half of the arena. */
static paddr_t test_alloc_table(void)
{
	paddr_t pa = next_table;

	assert_true(pa + PAGE <= DATA_BASE);
	next_table += PAGE;
	memset(hal_phys_to_virt(pa), 0, PAGE);
	return pa;
}

/* Index of va in a level-`level` table, from the codec's geometry. */
static unsigned test_index(vaddr_t va, unsigned level)
{
	const struct hal_pt_geometry *g = hal_pt_geometry();

	return (va >> (g->page_shift + g->index_bits * level)) & ((1u << g->index_bits) - 1);
}

/* Pointer to the entry for va at `level`, creating missing tables above it. */
static pte_t *test_slot(paddr_t root, vaddr_t va, unsigned level)
{
	pte_t *table = hal_phys_to_virt(root);
	unsigned l;

	for (l = hal_pt_geometry()->levels - 1; l > level; l--) {
		pte_t *e = &table[test_index(va, l)];

		if (!hal_pte_is_valid(*e))
			*e = hal_pte_make_table(test_alloc_table());
		assert_true(hal_pte_is_table(*e, l));
		table = hal_phys_to_virt(hal_pte_addr(*e));
	}
	return &table[test_index(va, level)];
}

/* Map the page at va to frame pa with attrs using only the codec; returns the leaf. */
static pte_t *test_map(paddr_t root, vaddr_t va, paddr_t pa, unsigned attrs)
{
	pte_t *leaf = test_slot(root, va, 0);

	*leaf = hal_pte_make_page(pa, attrs);
	return leaf;
}

/* What the permission rules promise for attrs: user mode reaches only user pages,
 * kernel mode only kernel pages (SMAP/SMEP, PAN/PXN); then write and exec bits. */
static bool test_expect(unsigned attrs, bool user, enum hw_access acc)
{
	if (user != ((attrs & PTE_USER) != 0))
		return false;
	if (acc == HW_WRITE)
		return (attrs & PTE_WRITE) != 0;
	if (acc == HW_EXEC)
		return (attrs & PTE_EXEC) != 0;
	return true;
}

/* Assert that every mode and access kind to va gives result want. */
static void test_all_accesses(paddr_t root, vaddr_t va, enum hw_result want)
{
	static const enum hw_access accs[] = { HW_READ, HW_WRITE, HW_EXEC };
	struct hw_translation t;
	unsigned i, u;

	for (u = 0; u < 2; u++)
		for (i = 0; i < ARRAY_SIZE(accs); i++)
			assert_int_equal(hw_translate(root, va, accs[i], u, &t), want);
}

/* Per-test setup: a fresh RAM arena and table allocator. */
static int setup_ram(void **state)
{
	UNUSED(state);
	hosted_ram_init(RAM_SIZE);
	next_table = HOSTED_RAM_BASE;
	return 0;
}

/* Per-test teardown: release the arena. */
static int teardown_ram(void **state)
{
	UNUSED(state);
	hosted_ram_fini();
	return 0;
}

/* ---- codec -------------------------------------------------------------------- */

/* Geometry matches the format, and the model agrees on the architecture. */
static void test_geometry(void **state)
{
	const struct hal_pt_geometry *g = hal_pt_geometry();

	UNUSED(state);
	assert_string_equal(g->name, FMT_NAME);
	assert_string_equal(hw_name(), FMT_NAME);
	assert_int_equal(g->levels, 4);
	assert_int_equal(g->page_shift, 12);
	assert_int_equal(g->index_bits, 9);
	assert_true(g->user_top == FMT_USER_TOP);
}

static const paddr_t frames[] = {
	0, PAGE, HOSTED_RAM_BASE, 0x123456000ULL, 0x0000800000000000ULL, FMT_MAX_FRAME,
};

/* Every attribute combination survives make_page -> attrs/addr at several frames. */
static void test_page_roundtrip(void **state)
{
	unsigned a, i;

	UNUSED(state);
	for (i = 0; i < ARRAY_SIZE(frames); i++) {
		for (a = 0; a <= ALL_ATTRS; a++) {
			pte_t pte = hal_pte_make_page(frames[i], a);

			assert_true(hal_pte_is_valid(pte));
			assert_false(hal_pte_is_table(pte, 0));
			assert_true(hal_pte_addr(pte) == frames[i]);
			assert_int_equal(hal_pte_attrs(pte), a | FMT_IMPLIED_ATTRS);
			/* Undefined attribute bits are ignored, not encoded. */
			assert_true(hal_pte_make_page(frames[i], a | (~ALL_ATTRS & ~PTE_PROTNONE)) == pte);
		}
	}
}

/* The frame address is a plain field (hal.h): an entry is its attribute bits OR'ed
 * with the address, so fork can move attribute bits between frames undecoded. */
static void test_page_address_is_plain_field(void **state)
{
	unsigned a, i;

	UNUSED(state);
	for (i = 0; i < ARRAY_SIZE(frames); i++) {
		for (a = 0; a <= (ALL_ATTRS | PTE_PROTNONE); a++) {
			pte_t pte = hal_pte_make_page(frames[i], a), bits = hal_pte_make_page(0, a);

			assert_true(pte == (bits | frames[i]));
			assert_true((pte ^ hal_pte_addr(pte)) == bits);
			assert_true((bits & frames[i]) == 0);
		}
	}
}

/* A PROT_NONE page keeps its frame and attributes but the hardware sees nothing. */
static void test_page_protnone(void **state)
{
	unsigned a, i;

	UNUSED(state);
	for (i = 0; i < ARRAY_SIZE(frames); i++) {
		for (a = 0; a <= ALL_ATTRS; a++) {
			pte_t pte = hal_pte_make_page(frames[i], a | PTE_PROTNONE);

			assert_true(hal_pte_is_valid(pte));
			assert_true(hal_pte_addr(pte) == frames[i]);
			assert_int_equal(hal_pte_attrs(pte), a | FMT_IMPLIED_ATTRS | PTE_PROTNONE);
			assert_true(pte != hal_pte_make_page(frames[i], a));
		}
	}
}

/* Address bits outside the format's address field never leak into other fields. */
static void test_page_bad_address_bits(void **state)
{
	unsigned a;

	UNUSED(state);
	for (a = 0; a <= ALL_ATTRS; a++) {
		pte_t pte = hal_pte_make_page(~(paddr_t)0, a);

		assert_true(hal_pte_addr(pte) == FMT_MAX_FRAME);
		assert_int_equal(hal_pte_attrs(pte), a | FMT_IMPLIED_ATTRS);
	}
	assert_true(hal_pte_make_table(~(paddr_t)0) == hal_pte_make_table(FMT_MAX_FRAME));
}

/* Table entries are valid tables at every level above 0 and keep their address. */
static void test_table_entries(void **state)
{
	unsigned i, l;

	UNUSED(state);
	for (i = 0; i < ARRAY_SIZE(frames); i++) {
		pte_t t = hal_pte_make_table(frames[i]);

		assert_true(hal_pte_is_valid(t));
		assert_true(hal_pte_addr(t) == frames[i]);
		assert_false(hal_pte_is_table(t, 0));
		for (l = 1; l < 4; l++)
			assert_true(hal_pte_is_table(t, l));
	}
}

/* PTE_NONE maps nothing at any level. */
static void test_pte_none(void **state)
{
	unsigned l;

	UNUSED(state);
	assert_false(hal_pte_is_valid(PTE_NONE));
	for (l = 0; l < 4; l++)
		assert_false(hal_pte_is_table(PTE_NONE, l));
}

/* ---- cross-check: codec-built tables judged by the hardware model -------------- */

/* Check one mapped page of attrs at va against test_expect in both modes. */
static void test_check_page(paddr_t root, vaddr_t va, paddr_t pa, unsigned attrs)
{
	static const enum hw_access accs[] = { HW_READ, HW_WRITE, HW_EXEC };
	struct hw_translation t;
	unsigned i, u;

	for (u = 0; u < 2; u++) {
		for (i = 0; i < ARRAY_SIZE(accs); i++) {
			bool ok = test_expect(attrs, u, accs[i]);
			enum hw_result r = hw_translate(root, va + 0x123, accs[i], u, &t);

			if (r != (ok ? HW_OK : HW_FAULT_PROTECTION))
				fail_msg("attrs 0x%x user %u acc %d: got %d", attrs, u, accs[i], r);
			if (!ok)
				continue;
			assert_true(t.page_pa == pa);
			assert_int_equal(t.user, (attrs & PTE_USER) != 0);
			assert_int_equal(t.write, test_expect(attrs, u, HW_WRITE));
			assert_int_equal(t.exec, test_expect(attrs, u, HW_EXEC));
		}
	}
}

/* Every attribute combination gives exactly the expected user/kernel R/W/X rights. */
static void test_cross_permissions(void **state)
{
	paddr_t root;
	unsigned a;

	UNUSED(state);
	root = test_alloc_table();
	for (a = 0; a <= ALL_ATTRS; a++)
		test_map(root, CROSS_VA + a * PAGE, DATA_BASE + a * PAGE, a);
	for (a = 0; a <= ALL_ATTRS; a++)
		test_check_page(root, CROSS_VA + a * PAGE, DATA_BASE + a * PAGE, a);
}

/* A missing entry at any level, or a cleared leaf, is HW_FAULT_NOT_PRESENT. */
static void test_cross_missing_levels(void **state)
{
	const vaddr_t va = 0x0000004040203000ULL; /* indices 0, 1, 1, 3 from the root */
	unsigned attrs = PTE_USER | PTE_WRITE | PTE_EXEC;
	paddr_t root;
	pte_t *leaf;

	UNUSED(state);
	root = test_alloc_table();
	test_all_accesses(root, va, HW_FAULT_NOT_PRESENT); /* empty root */
	leaf = test_map(root, va, DATA_BASE, attrs);
	test_check_page(root, va, DATA_BASE, attrs);
	test_all_accesses(root, va + (1ULL << 39), HW_FAULT_NOT_PRESENT); /* root slot */
	test_all_accesses(root, va + (1ULL << 30), HW_FAULT_NOT_PRESENT); /* level 2 */
	test_all_accesses(root, va + (1ULL << 21), HW_FAULT_NOT_PRESENT); /* level 1 */
	test_all_accesses(root, va + PAGE, HW_FAULT_NOT_PRESENT);         /* leaf */
	*leaf = PTE_NONE;
	test_all_accesses(root, va, HW_FAULT_NOT_PRESENT);
}

/* The lowest and highest user pages translate; addresses the root cannot
 * translate give HW_FAULT_ADDRESS in every mode. */
static void test_cross_address_range(void **state)
{
	const vaddr_t last = FMT_USER_TOP - PAGE;
	unsigned attrs = PTE_USER | PTE_WRITE;
	paddr_t root;

	UNUSED(state);
	root = test_alloc_table();
	test_map(root, 0, DATA_BASE, attrs);
	test_map(root, last, DATA_BASE + PAGE, attrs);
	test_check_page(root, 0, DATA_BASE, attrs);
	test_check_page(root, last, DATA_BASE + PAGE, attrs);
	test_all_accesses(root, 1ULL << 48, HW_FAULT_ADDRESS);
	test_all_accesses(root, 0x8000000000000000ULL, HW_FAULT_ADDRESS);
	test_all_accesses(root, 0x00ff000000000000ULL, HW_FAULT_ADDRESS);
#if defined(HOSTED_FORMAT_x86_64)
	test_all_accesses(root, 1ULL << 47, HW_FAULT_ADDRESS);           /* non-canonical */
	test_all_accesses(root, 0xffff7fffffffffffULL, HW_FAULT_ADDRESS);
	test_all_accesses(root, 0xffff800000000000ULL, HW_FAULT_NOT_PRESENT); /* canonical */
#else
	test_all_accesses(root, 1ULL << 47, HW_FAULT_NOT_PRESENT); /* TTBR0, unmapped */
	test_all_accesses(root, 0xffff800000000000ULL, HW_FAULT_ADDRESS); /* TTBR1 */
	test_all_accesses(root, 0xffffffffffff0000ULL, HW_FAULT_ADDRESS);
#endif
}

/* Accessed/dirty state seen through the codec after reads and writes: x86_64
 * hardware sets A and D (only on successful accesses); aarch64 without FEAT_HAFDBS
 * leaves AF as the codec made it (set) and never sets the software dirty bit. */
static void test_cross_accessed_dirty(void **state)
{
	const vaddr_t va = CROSS_VA, ro = CROSS_VA + PAGE;
	unsigned dirty_after_write = FMT_HW_SETS_AD ? PTE_DIRTY : 0;
	struct hw_translation t;
	pte_t *leaf, *ro_leaf;
	paddr_t root;

	UNUSED(state);
	root = test_alloc_table();
	leaf = test_map(root, va, DATA_BASE, PTE_USER | PTE_WRITE);
	ro_leaf = test_map(root, ro, DATA_BASE + PAGE, PTE_USER);
	assert_int_equal(hal_pte_attrs(*leaf) & (PTE_ACCESSED | PTE_DIRTY), FMT_IMPLIED_ATTRS);
	assert_int_equal(hw_translate(root, va, HW_EXEC, true, &t), HW_FAULT_PROTECTION);
	assert_int_equal(hal_pte_attrs(*leaf) & (PTE_ACCESSED | PTE_DIRTY), FMT_IMPLIED_ATTRS);
	assert_int_equal(hw_translate(root, va, HW_READ, true, &t), HW_OK);
	assert_int_equal(hal_pte_attrs(*leaf) & (PTE_ACCESSED | PTE_DIRTY), PTE_ACCESSED);
	assert_int_equal(hw_translate(root, va, HW_WRITE, true, &t), HW_OK);
	assert_int_equal(hal_pte_attrs(*leaf) & (PTE_ACCESSED | PTE_DIRTY),
			 PTE_ACCESSED | dirty_after_write);
	assert_int_equal(hw_translate(root, ro, HW_WRITE, true, &t), HW_FAULT_PROTECTION);
	assert_int_equal(hal_pte_attrs(*ro_leaf) & PTE_DIRTY, 0);
	assert_int_equal(hw_translate(root, va, HW_READ, true, NULL), HW_OK);
}

/* A COW page is read-only to the hardware (core clears PTE_WRITE) and keeps its mark. */
static void test_cross_cow(void **state)
{
	unsigned attrs = PTE_USER | PTE_COW | PTE_ACCESSED;
	paddr_t root;
	pte_t *leaf;

	UNUSED(state);
	root = test_alloc_table();
	leaf = test_map(root, CROSS_VA, DATA_BASE, attrs);
	test_check_page(root, CROSS_VA, DATA_BASE, attrs);
	assert_true(hal_pte_attrs(*leaf) & PTE_COW);
	*leaf = hal_pte_make_page(hal_pte_addr(*leaf),
				  (hal_pte_attrs(*leaf) & ~(unsigned)PTE_COW) | PTE_WRITE);
	test_check_page(root, CROSS_VA, DATA_BASE, (attrs & ~(unsigned)PTE_COW) | PTE_WRITE);
	assert_int_equal(hw_translate(root, CROSS_VA, HW_WRITE, true, NULL), HW_OK);
}

/* ---- the hardware model on hand-made raw entries (bits from the manuals) ------- */

#if defined(HOSTED_FORMAT_x86_64)
#define RAW_P (1ULL << 0)
#define RAW_RW (1ULL << 1)
#define RAW_US (1ULL << 2)
#define RAW_A (1ULL << 5)
#define RAW_D (1ULL << 6)
#define RAW_PS (1ULL << 7)
#define RAW_XD (1ULL << 63)

/* 2 MiB and 1 GiB pages (PS) translate to the right 4 KiB page; PS in a PML4
 * entry is reserved; D is set in the large-page entry on a write. */
static void test_model_large_pages(void **state)
{
	const vaddr_t va2m = 0x0000004000400000ULL, va1g = 0x0000008040000000ULL;
	struct hw_translation t;
	pte_t *pde, *pdpte, *pml4e;
	paddr_t root;

	UNUSED(state);
	root = test_alloc_table();
	pde = test_slot(root, va2m, 1);
	*pde = DATA_BASE | RAW_P | RAW_RW | RAW_US | RAW_PS;
	assert_int_equal(hw_translate(root, va2m + 0x5123, HW_WRITE, true, &t), HW_OK);
	assert_true(t.page_pa == DATA_BASE + 0x5000);
	assert_true((*pde & (RAW_A | RAW_D)) == (RAW_A | RAW_D));
	assert_int_equal(hw_translate(root, va2m, HW_EXEC, true, &t), HW_OK);
	pdpte = test_slot(root, va1g, 2);
	*pdpte = HOSTED_RAM_BASE | RAW_P | RAW_US | RAW_PS | RAW_XD;
	assert_int_equal(hw_translate(root, va1g + 0x3456789, HW_READ, true, &t), HW_OK);
	assert_true(t.page_pa == HOSTED_RAM_BASE + 0x3456000);
	assert_false(t.write || t.exec);
	pml4e = test_slot(root, va1g, 3);
	*pml4e |= RAW_PS;
	test_all_accesses(root, va1g, HW_FAULT_PROTECTION);
}

/* U/S, R/W and XD in table entries restrict the whole subtree; A is set in every
 * entry the walk used. */
static void test_model_table_bits(void **state)
{
	const vaddr_t va = CROSS_VA;
	pte_t *e3, *e2, *e1;
	struct hw_translation t;
	paddr_t root;

	UNUSED(state);
	root = test_alloc_table();
	test_map(root, va, DATA_BASE, PTE_USER | PTE_WRITE | PTE_EXEC);
	e3 = test_slot(root, va, 3);
	e2 = test_slot(root, va, 2);
	e1 = test_slot(root, va, 1);
	*e3 &= ~RAW_A;
	*e2 &= ~RAW_A;
	*e1 &= ~RAW_A;
	assert_int_equal(hw_translate(root, va, HW_READ, true, &t), HW_OK);
	assert_true(*e3 & *e2 & *e1 & RAW_A);
	*e2 &= ~RAW_RW;
	assert_int_equal(hw_translate(root, va, HW_WRITE, true, &t), HW_FAULT_PROTECTION);
	assert_int_equal(hw_translate(root, va, HW_READ, true, &t), HW_OK);
	*e3 |= RAW_XD;
	assert_int_equal(hw_translate(root, va, HW_EXEC, true, &t), HW_FAULT_PROTECTION);
	*e1 &= ~RAW_US;
	assert_int_equal(hw_translate(root, va, HW_READ, true, &t), HW_FAULT_PROTECTION);
	assert_int_equal(hw_translate(root, va, HW_READ, false, &t), HW_OK);
	assert_int_equal(hw_translate(root, va, HW_WRITE, false, &t), HW_FAULT_PROTECTION);
}

/* The codec's table entries are P|RW|US|A, and leaves without PTE_EXEC carry XD. */
static void test_codec_raw_bits(void **state)
{
	UNUSED(state);
	assert_true(hal_pte_make_table(HOSTED_RAM_BASE) ==
		    (HOSTED_RAM_BASE | RAW_P | RAW_RW | RAW_US | RAW_A));
	assert_true(hal_pte_make_page(0, PTE_USER) & RAW_XD);
	assert_false(hal_pte_make_page(0, PTE_USER | PTE_EXEC) & RAW_XD);
	assert_false(hal_pte_make_page(0, ALL_ATTRS) & RAW_PS);
}

#define MODEL_TESTS                                                              \
	cmocka_unit_test_setup_teardown(test_model_large_pages, setup_ram, teardown_ram), \
	cmocka_unit_test_setup_teardown(test_model_table_bits, setup_ram, teardown_ram),  \
	cmocka_unit_test(test_codec_raw_bits)

#else /* aarch64 */
#define RAW_VALID (1ULL << 0)
#define RAW_TABLE (3ULL << 0)
#define RAW_ATTRINDX (7ULL << 2)
#define RAW_AP1 (1ULL << 6)
#define RAW_AP2 (1ULL << 7)
#define RAW_SH (3ULL << 8)
#define RAW_AF (1ULL << 10)
#define RAW_NG (1ULL << 11)
#define RAW_PXN (1ULL << 53)
#define RAW_UXN (1ULL << 54)
#define RAW_PXNTABLE (1ULL << 59)
#define RAW_UXNTABLE (1ULL << 60)
#define RAW_APTABLE0 (1ULL << 61)
#define RAW_APTABLE1 (1ULL << 62)

/* Blocks at Arm levels 1 and 2 translate; 0b01 at level 3 or level 0 is invalid;
 * AF = 0 is an access flag fault (reported as protection). */
static void test_model_blocks_and_af(void **state)
{
	const vaddr_t va2m = 0x0000004000400000ULL, va1g = 0x0000008040000000ULL;
	const vaddr_t pva = 0x0000004000800000ULL; /* beside the 2 MiB block */
	struct hw_translation t;
	pte_t *d, *leaf;
	paddr_t root;

	UNUSED(state);
	root = test_alloc_table();
	d = test_slot(root, va2m, 1);
	*d = DATA_BASE | RAW_VALID | RAW_AF | RAW_AP1 | RAW_PXN;
	assert_int_equal(hw_translate(root, va2m + 0x5123, HW_WRITE, true, &t), HW_OK);
	assert_true(t.page_pa == DATA_BASE + 0x5000);
	assert_true(t.exec);
	d = test_slot(root, va1g, 2);
	*d = HOSTED_RAM_BASE | RAW_VALID | RAW_AF | RAW_AP2 | RAW_UXN | RAW_PXN;
	assert_int_equal(hw_translate(root, va1g + 0x3456789, HW_READ, false, &t), HW_OK);
	assert_true(t.page_pa == HOSTED_RAM_BASE + 0x3456000);
	assert_false(t.user || t.write || t.exec);
	leaf = test_map(root, pva, DATA_BASE, PTE_USER | PTE_WRITE);
	*leaf &= ~RAW_AF;
	test_all_accesses(root, pva, HW_FAULT_PROTECTION);
	*leaf = (*leaf | RAW_AF) & ~(1ULL << 1);
	test_all_accesses(root, pva, HW_FAULT_NOT_PRESENT);
	d = test_slot(root, va1g, 3);
	*d &= ~(1ULL << 1);
	test_all_accesses(root, va1g, HW_FAULT_NOT_PRESENT);
}

/* APTable, UXNTable and PXNTable restrict the subtree; EL1 never executes from
 * EL0-writable memory even with PXN clear. */
static void test_model_table_bits(void **state)
{
	const vaddr_t uva = CROSS_VA, kva = CROSS_VA + PAGE;
	pte_t *ul, *e3, *e2, *e1;
	paddr_t root;

	UNUSED(state);
	root = test_alloc_table();
	ul = test_map(root, uva, DATA_BASE, PTE_USER | PTE_WRITE | PTE_EXEC);
	test_map(root, kva, DATA_BASE + PAGE, PTE_WRITE | PTE_EXEC);
	e3 = test_slot(root, uva, 3);
	e2 = test_slot(root, uva, 2);
	e1 = test_slot(root, uva, 1);
	*ul &= ~RAW_PXN; /* EL0-writable: still not executable at EL1 */
	assert_int_equal(hw_translate(root, uva, HW_EXEC, false, NULL), HW_FAULT_PROTECTION);
	*ul |= RAW_AP2;   /* EL0 read-only, PXN clear: EL1 may execute */
	assert_int_equal(hw_translate(root, uva, HW_EXEC, false, NULL), HW_OK);
	*ul = (*ul & ~RAW_AP2) | RAW_PXN;
	*e3 |= RAW_UXNTABLE;
	assert_int_equal(hw_translate(root, uva, HW_EXEC, true, NULL), HW_FAULT_PROTECTION);
	assert_int_equal(hw_translate(root, uva, HW_WRITE, true, NULL), HW_OK);
	*e2 |= RAW_APTABLE1;
	assert_int_equal(hw_translate(root, uva, HW_WRITE, true, NULL), HW_FAULT_PROTECTION);
	assert_int_equal(hw_translate(root, kva, HW_WRITE, false, NULL), HW_FAULT_PROTECTION);
	assert_int_equal(hw_translate(root, uva, HW_READ, true, NULL), HW_OK);
	assert_int_equal(hw_translate(root, kva, HW_EXEC, false, NULL), HW_OK);
	*e1 |= RAW_PXNTABLE;
	assert_int_equal(hw_translate(root, kva, HW_EXEC, false, NULL), HW_FAULT_PROTECTION);
	*e1 |= RAW_APTABLE0; /* no longer EL0-accessible, so PAN no longer applies */
	assert_int_equal(hw_translate(root, uva, HW_READ, true, NULL), HW_FAULT_PROTECTION);
	assert_int_equal(hw_translate(root, uva, HW_READ, false, NULL), HW_OK);
}

/* Raw encoding the model does not check: normal memory index 0, inner shareable,
 * nG unless PTE_GLOBAL, plain table descriptors, page type 0b11. */
static void test_codec_raw_bits(void **state)
{
	unsigned a;

	UNUSED(state);
	assert_true(hal_pte_make_table(HOSTED_RAM_BASE) == (HOSTED_RAM_BASE | RAW_TABLE));
	for (a = 0; a <= ALL_ATTRS; a++) {
		pte_t p = hal_pte_make_page(DATA_BASE, a);

		assert_true((p & RAW_TABLE) == RAW_TABLE);
		assert_true((p & RAW_ATTRINDX) == 0);
		assert_true((p & RAW_SH) == RAW_SH);
		assert_true(p & RAW_AF);
		assert_int_equal((p & RAW_NG) != 0, !(a & PTE_GLOBAL));
		if (a & PTE_USER)
			assert_true(p & RAW_PXN);
		else
			assert_true(p & RAW_UXN);
	}
}

#define MODEL_TESTS                                                                   \
	cmocka_unit_test_setup_teardown(test_model_blocks_and_af, setup_ram, teardown_ram), \
	cmocka_unit_test_setup_teardown(test_model_table_bits, setup_ram, teardown_ram),    \
	cmocka_unit_test(test_codec_raw_bits)
#endif

/* ---- user registers ------------------------------------------------------------ */

/* Set syscall number nr and arguments base+0 .. base+5 the way trap entry saves them,
 * plus a decoy in the register the ABI skips. */
static void test_uregs_load_syscall(struct uregs *r, long nr, unsigned long base)
{
#if defined(HOSTED_FORMAT_x86_64)
	r->rax = (uint64_t)nr;
	r->syscall_nr = (uint64_t)nr;
	r->rdi = base;
	r->rsi = base + 1;
	r->rdx = base + 2;
	r->r10 = base + 3;
	r->r8 = base + 4;
	r->r9 = base + 5;
	r->rcx = 0xdecafULL; /* clobbered by SYSCALL: must not be argument 3 */
#else
	unsigned i;

	for (i = 0; i < 6; i++)
		r->x[i] = base + i;
	r->x[6] = 0xdecafULL;
	r->x[7] = 0xdecafULL;
	r->x[8] = (uint64_t)nr;
#endif
}

/* Struct size is exported, and reset gives user mode with interrupts on. */
static void test_uregs_reset(void **state)
{
	struct uregs r, want;

	UNUSED(state);
	assert_int_equal(hal_uregs_size(), sizeof(struct uregs));
	memset(&r, 0xa5, sizeof(r));
	hal_uregs_reset(&r);
	memset(&want, 0, sizeof(want));
#if defined(HOSTED_FORMAT_x86_64)
	want.rflags = 0x202;
	want.cs = X86_USER_CS;
	want.ss = X86_USER_SS;
	assert_int_equal(X86_USER_CS & 3, 3);
	assert_int_equal(X86_USER_SS & 3, 3);
	assert_int_equal(X86_USER_SS, (X86_STAR_SYSRET_BASE + 8) | 3);
	assert_int_equal(X86_USER_CS, (X86_STAR_SYSRET_BASE + 16) | 3);
#else
	want.spsr = 0; /* EL0t, DAIF clear */
	assert_int_equal(r.spsr & 0xf, 0);
	assert_int_equal(r.spsr & A64_SPSR_DAIF_MASK, 0);
#endif
	assert_memory_equal(&r, &want, sizeof(r));
	assert_int_equal(hal_uregs_syscall_nr(&r), 0);
}

/* Arguments come out in the Linux ABI order; the return value leaves the number. */
static void test_uregs_syscall(void **state)
{
	struct uregs r;
	unsigned i;

	UNUSED(state);
	hal_uregs_reset(&r);
	test_uregs_load_syscall(&r, 220, 1000);
	assert_int_equal(hal_uregs_syscall_nr(&r), 220);
	for (i = 0; i < 6; i++)
		assert_int_equal(hal_uregs_syscall_arg(&r, i), 1000 + i);
	assert_int_equal(hal_uregs_syscall_arg(&r, 6), 0);
	assert_int_equal(hal_uregs_syscall_arg(&r, ~0u), 0);
	hal_uregs_set_return(&r, -14);
	assert_int_equal(hal_uregs_syscall_nr(&r), 220);
#if defined(HOSTED_FORMAT_x86_64)
	assert_true(r.rax == (uint64_t)-14);
#else
	assert_true(r.x[0] == (uint64_t)-14);
	assert_int_equal(hal_uregs_syscall_arg(&r, 0), (unsigned long)-14);
#endif
	for (i = 1; i < 6; i++)
		assert_int_equal(hal_uregs_syscall_arg(&r, i), 1000 + i);
}

/* Stack, pc and thread pointer land in the architecture's registers. */
static void test_uregs_sp_pc_tls(void **state)
{
	struct uregs r;

	UNUSED(state);
	hal_uregs_reset(&r);
	hal_uregs_set_sp(&r, 0x7ffffff0);
	hal_uregs_set_pc(&r, 0x401000);
	hal_uregs_set_tls(&r, 0x12345000);
#if defined(HOSTED_FORMAT_x86_64)
	assert_true(r.rsp == 0x7ffffff0 && r.rip == 0x401000 && r.fs_base == 0x12345000);
	assert_true(r.rflags == 0x202 && r.cs == X86_USER_CS);
#else
	assert_true(r.sp == 0x7ffffff0 && r.pc == 0x401000 && r.tpidr == 0x12345000);
	assert_true(r.spsr == 0);
#endif
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_geometry),
		cmocka_unit_test(test_page_roundtrip),
		cmocka_unit_test(test_page_address_is_plain_field),
		cmocka_unit_test(test_page_protnone),
		cmocka_unit_test(test_page_bad_address_bits),
		cmocka_unit_test(test_table_entries),
		cmocka_unit_test(test_pte_none),
		cmocka_unit_test_setup_teardown(test_cross_permissions, setup_ram, teardown_ram),
		cmocka_unit_test_setup_teardown(test_cross_missing_levels, setup_ram, teardown_ram),
		cmocka_unit_test_setup_teardown(test_cross_address_range, setup_ram, teardown_ram),
		cmocka_unit_test_setup_teardown(test_cross_accessed_dirty, setup_ram, teardown_ram),
		cmocka_unit_test_setup_teardown(test_cross_cow, setup_ram, teardown_ram),
		MODEL_TESTS,
		cmocka_unit_test(test_uregs_reset),
		cmocka_unit_test(test_uregs_syscall),
		cmocka_unit_test(test_uregs_sp_pc_tls),
	};

	return cmocka_run_group_tests_name("pte", tests, NULL, NULL);
}
