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
