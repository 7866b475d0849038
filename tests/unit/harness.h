/* Shared setup for the hosted unit suites: a fresh machine per test. */
#ifndef CLEAVE_TEST_HARNESS_H
#define CLEAVE_TEST_HARNESS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "hosted.h"
#include "lib/failpoint.h"
#include "lib/kmem.h"
#include "mm/frame.h"

/* Hosted RAM size used by most suites. */
#define TEST_RAM_SIZE ((size_t)16 << 20)

/* Boot a fresh hosted machine with ram bytes of RAM and an initialised frame pool. */
void machine_boot(size_t ram);
/* Check nothing leaked (frames and kernel objects back to their boot values), then
 * tear the machine down. */
void machine_check_and_halt(void);
/* CMocka setup/teardown wrappers around machine_boot/machine_check_and_halt. */
int machine_setup(void **state);
int machine_teardown(void **state);

#endif

#include "mm/aspace.h"
#include "mm/pt.h"
#include "lib/errno.h"

/* mmap flags used by most tests. */
#define PRIV_ANON (LINUX_MAP_PRIVATE | LINUX_MAP_ANONYMOUS)
#define SHARED_ANON (LINUX_MAP_SHARED | LINUX_MAP_ANONYMOUS)
#define RW (VM_READ | VM_WRITE)

/* Map anonymous memory in as, asserting success; returns the address. */
vaddr_t test_map(struct aspace *as, vaddr_t addr, size_t len, unsigned prot, unsigned flags);
/* Store a 64-bit value at va as user code would, asserting it succeeds. */
void test_poke(vaddr_t va, uint64_t value);
/* Load a 64-bit value at va as user code would, asserting it succeeds. */
uint64_t test_peek(vaddr_t va);
/* Write a recognisable pattern (seeded) into every page of [va, va+len). */
void test_fill(vaddr_t va, size_t len, uint64_t seed);
/* Assert every page of [va, va+len) holds the pattern written with seed. */
void test_check(vaddr_t va, size_t len, uint64_t seed);
/* Physical frame mapped at va in as, or 0 when none. */
paddr_t test_frame_at(struct aspace *as, vaddr_t va);
