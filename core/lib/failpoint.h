/*
 * Fault injection: every frame and kernel-object allocation asks failpoint_hit()
 * first, so a test can make exactly the k-th allocation from now fail.
 */
#ifndef CLEAVE_FAILPOINT_H
#define CLEAVE_FAILPOINT_H

#include "types.h"

/* Make the k-th allocation from now (k >= 1) fail, once; k = 0 disarms. */
void failpoint_arm(unsigned long k);
/* Called by allocators: true when this allocation must fail. */
bool failpoint_hit(void);
/* True when an armed failure has been delivered since the last failpoint_arm(). */
bool failpoint_fired(void);
/* Number of allocations seen since the last failpoint_arm(). */
unsigned long failpoint_calls(void);

#endif
