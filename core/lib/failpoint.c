/* One global countdown shared by every allocator (single CPU, no locking needed yet). */
#include "failpoint.h"

static unsigned long fail_at;   /* 0 = disarmed, else the call number that fails */
static unsigned long calls;     /* allocations since failpoint_arm() */
static bool fired;

void failpoint_arm(unsigned long k)
{
	fail_at = k;
	calls = 0;
	fired = false;
}

bool failpoint_hit(void)
{
	if (!fail_at)
		return false;
	if (++calls != fail_at)
		return false;
	fired = true;
	return true;
}

bool failpoint_fired(void)
{
	return fired;
}

unsigned long failpoint_calls(void)
{
	return calls;
}
