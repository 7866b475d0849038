/*
 * Boot-time self tests (cleave.test=1): each check prints one TAP line; the run ends
 * with "N passed, N failed". These cover the platform and the core pieces it relies on
 * (frames, kprintf, heap, MMU, user copies); core's shared test bodies can join later.
 */
#include "../../tests/ktest/ktest.h"
#include "a64.h"
#include "sysreg.h"

#include "../../core/lib/errno.h"
#include "../../core/lib/kmem.h"
#include "../../core/lib/kprintf.h"
#include "../../core/lib/string.h"
#include "../../core/mm/frame.h"
#include "../../core/mm/aspace.h"
#include "../../core/mm/pt.h"
#include "../../core/mm/uaccess.h"
#include "../../core/mm/vma.h"

#define TEST_UVA 0x400000ul /* a user-range address for the page-table checks */

/* Report a failed expectation as a TAP diagnostic; returns false. */
static bool check_failed(const char *what, long got, long want)
{
	kprintf("# %s: got %ld, want %ld\n", what, got, want);
	return false;
}

#define EXPECT_EQ(got, want)                                               \
	do {                                                               \
		long g_ = (long)(got), w_ = (long)(want);                  \
		if (g_ != w_)                                              \
			return check_failed(#got, g_, w_);                 \
	} while (0)

/* RAM was found and every usable range is page aligned and non-empty. */
static bool test_ram_ranges(void)
{
	const struct hal_phys_range *r;
	size_t n = hal_ram_ranges(&r);

	EXPECT_EQ(n > 0, 1);
	for (size_t i = 0; i < n; i++) {
		EXPECT_EQ(IS_ALIGNED(r[i].base | r[i].size, PAGE_SIZE), 1);
		EXPECT_EQ(r[i].size > 0, 1);
		EXPECT_EQ(hal_virt_to_phys(__kernel_start) - r[i].base < r[i].size, 0);
	}
	return true;
}

/* Allocating and freeing frames moves the free count by exactly one each time. */
static bool test_frames_count(void)
{
	size_t base = frames_free_count();
	paddr_t pa[16];

	for (unsigned i = 0; i < 16; i++) {
		pa[i] = frame_alloc();
		EXPECT_EQ(pa[i] != 0 && IS_ALIGNED(pa[i], PAGE_SIZE), 1);
	}
	EXPECT_EQ(frames_free_count(), base - 16);
	for (unsigned i = 0; i < 16; i++)
		frame_put(pa[i]);
	EXPECT_EQ(frames_free_count(), base);
	return true;
}

/* frame_alloc_zeroed() returns a zero page, reachable through the direct map. */
static bool test_frames_zeroed(void)
{
	paddr_t pa = frame_alloc();
	unsigned char *p;

	EXPECT_EQ(pa != 0, 1);
	memset(hal_phys_to_virt(pa), 0xa5, PAGE_SIZE);
	frame_put(pa);
	pa = frame_alloc_zeroed();
	p = hal_phys_to_virt(pa);
	for (size_t i = 0; i < PAGE_SIZE; i++)
		EXPECT_EQ(p[i], 0);
	EXPECT_EQ(hal_virt_to_phys(p), pa);
	frame_put(pa);
	return true;
}

/* ksnprintf renders one format; false (with a diagnostic) when it differs. */
static bool fmt_is(const char *want, const char *got)
{
	if (strcmp(want, got) == 0)
		return true;
	kprintf("# got \"%s\", want \"%s\"\n", got, want);
	return false;
}

/* kprintf's formatter: signs, widths, padding, lengths, pointers, truncation. */
static bool test_kprintf_format(void)
{
	char b[64];
	bool ok = true;

	ksnprintf(b, sizeof(b), "%d|%5u|%-4s|%08x", -42, 7u, "ab", 0xbeefu);
	ok &= fmt_is("-42|    7|ab  |0000beef", b);
	ksnprintf(b, sizeof(b), "%lx %zu %llu", 0xffff000040080000ul, (size_t)4096,
		  18446744073709551615ull);
	ok &= fmt_is("ffff000040080000 4096 18446744073709551615", b);
	ksnprintf(b, sizeof(b), "%p %c%%", (void *)0x1000, 'z');
	ok &= fmt_is("0x1000 z%", b);
	EXPECT_EQ(ksnprintf(b, 4, "%s", "abcdef"), 6);
	ok &= fmt_is("abc", b);
	return ok;
}

/* Heap objects of every size come back zeroed and their frames return when freed. */
static bool test_heap(void)
{
	static const size_t sizes[] = { 1, 16, 17, 100, 512, 1024, 1025, 4000, 4096,
					4097, 9000, 70000 };
	size_t base = frames_free_count(), live = kmem_live_objects();
	void *p[ARRAY_SIZE(sizes)][8];

	for (size_t s = 0; s < ARRAY_SIZE(sizes); s++)
		for (unsigned k = 0; k < 8; k++) {
			unsigned char *q = kmalloc(sizes[s]);

			EXPECT_EQ(q != NULL && q[0] == 0 && q[sizes[s] - 1] == 0, 1);
			memset(q, 0x5a, sizes[s]);
			p[s][k] = q;
		}
	EXPECT_EQ(kmalloc(VMAP_SIZE) == NULL, 1);
	for (size_t s = 0; s < ARRAY_SIZE(sizes); s++)
		for (unsigned k = 0; k < 8; k++)
			kfree(p[s][k]);
	EXPECT_EQ(kmem_live_objects(), live);
	EXPECT_EQ(heap_frames_in_use(), 0);
	EXPECT_EQ(frames_free_count(), base);
	return true;
}

/* A BRK at EL1 goes through the vectors and returns past the instruction. */
static bool test_exception_return(void)
{
	unsigned before = trap_brk_count();

	trap_expect_brk();
	__asm__ volatile("brk #0x42" ::: "memory");
	EXPECT_EQ(trap_brk_count(), before + 1);
	return true;
}

/* A user root in TTBR0 with its own ASID can be activated and flushed. */
static bool test_mmu_user_root(void)
{
	paddr_t root = frame_alloc_zeroed(), leaf = frame_alloc_zeroed();
	uint64_t ttbr;

	EXPECT_EQ(root && leaf, 1);
	hal_mmu_activate(root);
	ttbr = sysreg_read(ttbr0_el1);
	EXPECT_EQ(ttbr & 0xfffffffff000ull, root);
	EXPECT_EQ(ttbr >> 48 != 0, 1);
	hal_tlb_flush_range(root, 0x400000, 0x408000);
	hal_tlb_flush_space(root);
	sysreg_write(ttbr0_el1, hal_virt_to_phys(boot_l0_empty));
	isb();
	frame_put(root);
	frame_put(leaf);
	return true;
}

/* Physical address the MMU gives va for an EL1 read (AT S1E1R, or AT S1E1RP which
 * also applies PAN when honour_pan is set), or 1 on a fault. */
static paddr_t mmu_translate2(vaddr_t va, bool honour_pan)
{
	uint64_t par;

	if (honour_pan)
		__asm__ volatile("sys #0, c7, c9, #0, %0" : : "r"(va) : "memory");
	else
		__asm__ volatile("at s1e1r, %0" : : "r"(va) : "memory");
	isb();
	par = sysreg_read(par_el1);
	return par & 1 ? 1 : (par & 0xfffffffff000ull) | (va & 0xfff);
}

/* As mmu_translate2, ignoring PAN. */
static paddr_t mmu_translate(vaddr_t va)
{
	return mmu_translate2(va, false);
}

/* core's walker + the PTE codec build tables the hardware walks: a kernel page at a
 * user-range address reads back, and a remap is visible after hal_tlb_flush_range. */
static bool test_mmu_codec_walk(void)
{
	size_t base = frames_free_count();
	paddr_t root = pt_create(), a = frame_alloc_zeroed(), b = frame_alloc_zeroed();
	pte_t *ptep = root ? pt_lookup_alloc(root, TEST_UVA) : NULL;
	volatile uint64_t *uva = (volatile uint64_t *)TEST_UVA;

	EXPECT_EQ(ptep && a && b, 1);
	*(uint64_t *)hal_phys_to_virt(a) = 0xaaaa;
	*(uint64_t *)hal_phys_to_virt(b) = 0xbbbb;
	*ptep = hal_pte_make_page(a, PTE_WRITE);
	hal_mmu_activate(root);
	EXPECT_EQ(mmu_translate(TEST_UVA), a);
	EXPECT_EQ(mmu_translate(TEST_UVA + 0x1000), 1);
	EXPECT_EQ(*uva, 0xaaaa);
	*uva = 0x1234;
	EXPECT_EQ(*(uint64_t *)hal_phys_to_virt(a), 0x1234);
	*ptep = hal_pte_make_page(b, PTE_WRITE);
	hal_tlb_flush_range(root, TEST_UVA, TEST_UVA + 0x1000);
	EXPECT_EQ(*uva, 0xbbbb);
	*ptep = hal_pte_make_page(a, PTE_USER | PTE_WRITE);
	hal_tlb_flush_space(root);
	EXPECT_EQ(mmu_translate(TEST_UVA), a);
	if (ID_MMFR1_PAN(sysreg_read(id_aa64mmfr1_el1)) >= 2) /* AT S1E1RP exists */
		EXPECT_EQ(mmu_translate2(TEST_UVA, true), mmu_pan_enabled() ? 1 : a);
	sysreg_write(ttbr0_el1, hal_virt_to_phys(boot_l0_empty));
	isb();
	frame_put(b);
	pt_unmap_range(root, TEST_UVA, TEST_UVA + 0x1000);
	hal_tlb_flush_space(root);
	pt_destroy(root);
	EXPECT_EQ(frames_free_count(), base);
	return true;
}

/* PAN is on whenever the CPU implements it. */
static bool test_pan(void)
{
	unsigned level = ID_MMFR1_PAN(sysreg_read(id_aa64mmfr1_el1));
	bool has = level != 0;

	kprintf("# ID_AA64MMFR1_EL1.PAN = %u\n", level);
	EXPECT_EQ(mmu_pan_enabled(), has);
	if (has)
		EXPECT_EQ(pan_read(), 1);
	return true;
}

/* The tick interrupt fires and the monotonic clock tracks it. */
static bool test_timer(void)
{
	uint64_t t0 = timer_ns(), k0 = timer_ticks();

	if (boot_info.gic_version == 0) {
		kprintf("# no GIC found\n");
		return false;
	}
	while (timer_ns() - t0 < 50000000ull)
		cpu_wfi();
	EXPECT_EQ(timer_ticks() - k0 >= 3, 1);
	EXPECT_EQ(timer_ns() > t0, 1);
	return true;
}

/* User copies through the fault fixup: a copy into an untouched anonymous page is
 * resolved by mm_fault (demand zero) and completes; a copy that runs into an unmapped
 * page stops there with -EFAULT instead of stopping the kernel; frames come back. */
static bool test_usercopy_fixup(void)
{
	static const char msg[] = "copied through LDTR/STTR";
	size_t base = frames_free_count();
	struct aspace *as = aspace_create();
	char back[sizeof(msg)] = { 0 }, big[64];
	long r;

	EXPECT_EQ(as != NULL, 1);
	r = aspace_mmap(as, TEST_UVA, PAGE_SIZE, VM_READ | VM_WRITE,
			LINUX_MAP_PRIVATE | LINUX_MAP_ANONYMOUS | LINUX_MAP_FIXED);
	EXPECT_EQ(r, TEST_UVA);
	aspace_activate(as);
	EXPECT_EQ(copy_to_user(TEST_UVA + 8, msg, sizeof(msg)), 0);
	EXPECT_EQ(copy_from_user(back, TEST_UVA + 8, sizeof(msg)), 0);
	EXPECT_EQ(memcmp(back, msg, sizeof(msg)), 0);
	EXPECT_EQ(copy_from_user(big, TEST_UVA + PAGE_SIZE - 16, sizeof(big)), -EFAULT);
	EXPECT_EQ(copy_to_user(TEST_UVA + 2 * PAGE_SIZE, msg, 3), -EFAULT);
	EXPECT_EQ(hal_copy_from_user(big, TEST_UVA + PAGE_SIZE - 16, sizeof(big)), 48);
	aspace_activate(NULL);
	aspace_put(as);
	EXPECT_EQ(frames_free_count(), base);
	return true;
}

static const struct ktest tests[] = {
	{ "device tree: RAM ranges usable and page aligned", test_ram_ranges },
	{ "frames: alloc/free keeps exact free count", test_frames_count },
	{ "frames: zeroed frame through the direct map", test_frames_zeroed },
	{ "kprintf: formatting", test_kprintf_format },
	{ "heap: size classes, large objects, zeroing, frames back to baseline", test_heap },
	{ "exceptions: BRK taken and returned", test_exception_return },
	{ "mmu: TTBR0 root with ASID, TLB flushes", test_mmu_user_root },
	{ "mmu: core walker + PTE codec tables walked by the MMU", test_mmu_codec_walk },
	{ "mmu: PAN enabled when implemented", test_pan },
	{ "timer: tick interrupts and monotonic ns clock", test_timer },
	{ "usercopy: fault fixup resolves demand faults, -EFAULT past the mapping",
	  test_usercopy_fixup },
};

unsigned selftest_run(void)
{
	return ktest_run_all(tests, ARRAY_SIZE(tests));
}
