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
