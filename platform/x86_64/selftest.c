/*
 * Boot self tests (cleave.test=1): platform and core-library checks that need the
 * real machine. Prints KTAP-style TAP on the console and ends with "N passed, N failed".
 */
#include "../../tests/ktest/ktest.h"
#include "x86.h"

#include "lib/failpoint.h"
#include "lib/kmem.h"
#include "lib/kprintf.h"
#include "lib/string.h"
#include "mm/frame.h"
#include "mm/pt.h"

/* Probes in probe.S: return 0 when the access worked, 1 after an expected #PF. */
int x86_probe_write(void *p, uint64_t v);
int x86_probe_read(const void *p);
int x86_probe_exec(const void *code);
void x86_probe_fault(void);
void x86_probe_exec_fault(void);

static const uint64_t rodata_word = 0x1234;

/* kprintf's formatter renders flags, widths and sizes as C does. */
static bool test_kprintf_format(void)
{
	char buf[96];

	ksnprintf(buf, sizeof(buf), "%d|%5u|%-4x|%08llx|%s|%c|%zu|%%", -42, 7u, 0xabu,
		  0xdeadbeefull, "ok", 'z', (size_t)12);
	return !strcmp(buf, "-42|    7|ab  |deadbeef|ok|z|12|%");
}

/* The command line switch that started this run parses back. */
static bool test_cmdline(void)
{
	char v[8];

	return x86_cmdline_get("cleave.test", v, sizeof(v)) && !strcmp(v, "1") &&
	       !x86_cmdline_get("cleave.nosuchkey", v, sizeof(v));
}

/* frame_alloc/frame_put move the free count by one each way; refcounts work. */
static bool test_frames_count(void)
{
	size_t before = frames_free_count();
	paddr_t pa = frame_alloc();
	bool ok = pa && IS_ALIGNED(pa, PAGE_SIZE) && frames_free_count() == before - 1;

	if (pa) {
		frame_get(pa);
		ok = ok && frame_refcount(pa) == 2;
		frame_put(pa);
		frame_put(pa);
	}
	return ok && frames_free_count() == before;
}

/* A zeroed frame reads as zero through the direct map, which round-trips. */
static bool test_direct_map(void)
{
	paddr_t pa = frame_alloc_zeroed();
	uint64_t *p;
	bool ok = true;

	if (!pa)
		return false;
	p = hal_phys_to_virt(pa);
	for (size_t i = 0; i < PAGE_SIZE / 8; i++)
		ok = ok && p[i] == 0;
	p[7] = 0x5a5a;
	ok = ok && hal_virt_to_phys(p) == pa && hal_virt_to_phys(&p[7]) == pa + 56;
	frame_put(pa);
	return ok;
}

/* Small kmalloc objects of every class are zeroed, distinct and fully returned. */
static bool test_heap_small(void)
{
	size_t before = frames_free_count();
	void *objs[64];
	bool ok = true;

	for (size_t i = 0; i < ARRAY_SIZE(objs); i++) {
		size_t size = 1 + i * 31;
		unsigned char *p = kmalloc(size);

		objs[i] = p;
		ok = ok && p && IS_ALIGNED((uintptr_t)p, 16) && p[size - 1] == 0;
		if (p)
			memset(p, 0xa5, size);
	}
	for (size_t i = 0; i < ARRAY_SIZE(objs); i++)
		kfree(objs[i]);
	return ok && kmem_live_objects() == 0 && frames_free_count() == before;
}

/* A large (multi-page) object is zeroed, writable and its frames come back (after a
 * warm-up: the vmap page tables made by the first large object stay). */
static bool test_heap_large(void)
{
	size_t size = 65536 + 100, before;
	unsigned char *p, *q;
	bool ok;

	kfree(kmalloc(size));
	before = frames_free_count();
	p = kmalloc(size);
	ok = p != NULL;

	for (size_t i = 0; ok && i < size; i++)
		ok = p[i] == 0;
	if (p)
		memset(p, 0x3c, size);
	kfree(p);
	q = kmalloc(size);
	ok = ok && q == p && q[size - 1] == 0;
	kfree(q);
	return ok && frames_free_count() == before;
}

/* An armed failpoint makes exactly the next kmalloc fail. */
static bool test_kmalloc_failpoint(void)
{
	void *p;
	bool ok;

	failpoint_arm(1);
	p = kmalloc(32);
	ok = p == NULL && failpoint_fired();
	failpoint_arm(0);
	p = kmalloc(32);
	ok = ok && p != NULL;
	kfree(p);
	return ok;
}

/* int3 reaches the IDT and the kernel resumes after it. */
static bool test_breakpoint(void)
{
	trap_expect(3, 0);
	__asm__ volatile("int3");
	return trap_expected_hits() == 1;
}

/* With CR0.WP a kernel write to read-only data faults. */
static bool test_write_protect(void)
{
	trap_expect(14, (vaddr_t)x86_probe_fault);
	return x86_probe_write((void *)&rodata_word, 1) == 1 && trap_expected_hits() == 1 &&
	       rodata_word == 0x1234;
}

/* Data pages are not executable (NX). */
static bool test_nx(void)
{
	static uint8_t ret_insn[16] = { 0xc3 };

	trap_expect(14, (vaddr_t)x86_probe_exec_fault);
	return x86_probe_exec(ret_insn) == 1 && trap_expected_hits() == 1;
}

/* The boot identity map is gone: address 0 is unmapped. */
static bool test_null_unmapped(void)
{
	trap_expect(14, (vaddr_t)x86_probe_fault);
	return x86_probe_read((const void *)0) == 1 && trap_expected_hits() == 1;
}

/* SMEP and SMAP are on when the CPU has them (-cpu max does). */
static bool test_smep_smap(void)
{
	uint32_t r[4];

	cpuid(7, 0, r);
	return mmu_has_smep() == ((r[1] >> 7) & 1) && mmu_has_smap() == ((r[1] >> 20) & 1) &&
	       (read_cr0() & (1u << 16));
}

/* The timer ticks, and the TSC clock agrees with it within a wide margin. */
static bool test_timer_clock(void)
{
	uint64_t t0 = timer_ticks(), ns0 = clock_monotonic_ns(), ns;

	while (timer_ticks() < t0 + 6)
		__asm__ volatile("hlt");
	ns = clock_monotonic_ns() - ns0;
	kprintf("# 5-6 ticks at 100 Hz took %llu us of TSC time\n",
		(unsigned long long)(ns / 1000));
	return ns >= 40000000ull && ns <= 80000000ull;
}

#define USER_VA 0x400000ull

/* Map one fresh user page at USER_VA in a new root from core's pt_create(); returns
 * the root (0 on failure) and leaves the page's kernel view in *kva. */
static paddr_t user_space_with_page(unsigned attrs, uint8_t **kva)
{
	paddr_t root = pt_create(), frame;
	pte_t *pte;

	if (!root)
		return 0;
	pte = pt_lookup_alloc(root, USER_VA);
	frame = pte ? frame_alloc_zeroed() : 0;
	if (!frame) {
		pt_destroy(root);
		return 0;
	}
	*pte = hal_pte_make_page(frame, attrs);
	*kva = hal_phys_to_virt(frame);
	return root;
}

/* Leave the user space rooted at root and free it with core's pt_destroy(). */
static void user_space_drop(paddr_t root)
{
	hal_mmu_activate(mmu_kernel_root());
	pt_destroy(root);
}

/* hal_copy_{to,from}_user work on a mapped user page and stop at unmapped ones. */
static bool test_user_copy(void)
{
	size_t before = frames_free_count();
	uint8_t *kva;
	char buf[8] = { 0 };
	paddr_t root = user_space_with_page(PTE_USER | PTE_WRITE, &kva);
	bool ok;

	if (!root)
		return false;
	hal_mmu_activate(root);
	ok = hal_copy_to_user(USER_VA + 4090, "hello!", 6) == 0 && !memcmp(kva + 4090, "hello!", 6);
	ok = ok && hal_copy_from_user(buf, USER_VA + 4090, 6) == 0 && !memcmp(buf, "hello!", 6);
	ok = ok && hal_copy_to_user(USER_VA + 4090, "0123456789", 10) == 4;
	ok = ok && hal_copy_from_user(buf, USER_VA + 0x100000, 8) == 8;
	ok = ok && hal_copy_from_user(buf, X86_KERNEL_VMA, 8) == 8;
	user_space_drop(root);
	return ok && frames_free_count() == before;
}

/* SMAP: a plain kernel read of a user page faults; SMEP: so does executing one. */
static bool test_smap_smep_enforced(void)
{
	uint8_t *kva;
	paddr_t root = user_space_with_page(PTE_USER | PTE_EXEC, &kva);
	bool ok = true;

	if (!root)
		return false;
	kva[0] = 0xc3; /* ret */
	hal_mmu_activate(root);
	if (mmu_has_smap()) {
		trap_expect(14, (vaddr_t)x86_probe_fault);
		ok = x86_probe_read((const void *)USER_VA) == 1;
	}
	if (mmu_has_smep()) {
		trap_expect(14, (vaddr_t)x86_probe_exec_fault);
		ok = ok && x86_probe_exec((const void *)USER_VA) == 1;
	}
	user_space_drop(root);
	return ok;
}

static const struct ktest tests[] = {
	{ "kprintf formats flags, widths and sizes", test_kprintf_format },
	{ "command line cleave.test=1 parses", test_cmdline },
	{ "frame alloc/put keeps the free count exact", test_frames_count },
	{ "direct map round-trips and frames come zeroed", test_direct_map },
	{ "kmalloc small objects: zeroed, aligned, frames returned", test_heap_small },
	{ "kmalloc large object: zeroed, frames and range reused", test_heap_large },
	{ "failpoint fails exactly the armed kmalloc", test_kmalloc_failpoint },
	{ "int3 is delivered and resumed", test_breakpoint },
	{ "CR0.WP: kernel write to rodata faults", test_write_protect },
	{ "NX: executing a data page faults", test_nx },
	{ "page 0 is unmapped after boot", test_null_unmapped },
	{ "SMEP/SMAP match CPUID, WP on", test_smep_smap },
	{ "user copy through core page tables, stops at a fault", test_user_copy },
	{ "SMAP and SMEP stop kernel access to user pages", test_smap_smep_enforced },
	{ "timer ticks and TSC clock agree", test_timer_clock },
};

unsigned selftest_run(void)
{
	return ktest_run_all(tests, ARRAY_SIZE(tests));
}
