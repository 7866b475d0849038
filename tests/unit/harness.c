/* Hosted machine setup shared by the suites. */
#include "harness.h"

static size_t boot_free_frames;
static size_t boot_live_objects;

void machine_boot(size_t ram)
{
	hosted_ram_init(ram);
	hosted_tlb_reset();
	assert_int_equal(frames_init(), 0);
	failpoint_arm(0);
	aspace_activate(NULL);
	boot_free_frames = frames_free_count();
	boot_live_objects = kmem_live_objects();
}

void machine_check_and_halt(void)
{
	aspace_activate(NULL);
	assert_int_equal(frames_free_count(), boot_free_frames);
	assert_int_equal(kmem_live_objects(), boot_live_objects);
	frames_fini();
	hosted_ram_fini();
}

int machine_setup(void **state)
{
	(void)state;
	machine_boot(TEST_RAM_SIZE);
	return 0;
}

int machine_teardown(void **state)
{
	(void)state;
	machine_check_and_halt();
	return 0;
}

vaddr_t test_map(struct aspace *as, vaddr_t addr, size_t len, unsigned prot, unsigned flags)
{
	long r = aspace_mmap(as, addr, len, prot, flags);

	assert_true(r > 0);
	return (vaddr_t)r;
}

void test_poke(vaddr_t va, uint64_t value)
{
	assert_int_equal(hosted_user_write(va, &value, sizeof(value)), FAULT_HANDLED);
}

uint64_t test_peek(vaddr_t va)
{
	uint64_t value = 0;

	assert_int_equal(hosted_user_read(va, &value, sizeof(value)), FAULT_HANDLED);
	return value;
}

/* The pattern word stored at the start of the page at va for seed. */
static uint64_t pattern_word(vaddr_t va, uint64_t seed)
{
	return (va * 0x9e3779b97f4a7c15ULL) ^ seed;
}

void test_fill(vaddr_t va, size_t len, uint64_t seed)
{
	for (vaddr_t p = va; p < va + len; p += PAGE_SIZE) {
		test_poke(p, pattern_word(p, seed));
		test_poke(p + PAGE_SIZE - 8, ~pattern_word(p, seed));
	}
}

void test_check(vaddr_t va, size_t len, uint64_t seed)
{
	for (vaddr_t p = va; p < va + len; p += PAGE_SIZE) {
		assert_true(test_peek(p) == pattern_word(p, seed));
		assert_true(test_peek(p + PAGE_SIZE - 8) == ~pattern_word(p, seed));
	}
}

paddr_t test_frame_at(struct aspace *as, vaddr_t va)
{
	pte_t *ptep = pt_lookup(as->root, va);

	return ptep && hal_pte_is_valid(*ptep) ? hal_pte_addr(*ptep) : 0;
}
