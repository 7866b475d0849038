/* kmalloc on top of the platform heap: failpoints and live counting live here once. */
#include "kmem.h"

#include "../hal.h"
#include "failpoint.h"

static size_t live_objects;

void *kmalloc(size_t size)
{
	void *p;

	if (failpoint_hit())
		return NULL;
	p = hal_heap_alloc(size);
	if (p)
		live_objects++;
	return p;
}

void kfree(void *p)
{
	if (!p)
		return;
	live_objects--;
	hal_heap_free(p);
}

size_t kmem_live_objects(void)
{
	return live_objects;
}
