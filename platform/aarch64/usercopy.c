/*
 * User-memory copies. Not available yet: they need the fault fixup (an abort inside
 * the copy resumes at a recovery point and returns the bytes left), which arrives with
 * processes. Until then any use stops the kernel loudly instead of pretending.
 */
#include "a64.h"

#include "../../core/lib/kprintf.h"

size_t hal_copy_from_user(void *dst, vaddr_t src, size_t n)
{
	UNUSED(dst);
	panic("hal_copy_from_user: unavailable on aarch64 yet (0x%lx, %zu)", (unsigned long)src, n);
}

size_t hal_copy_to_user(vaddr_t dst, const void *src, size_t n)
{
	UNUSED(src);
	panic("hal_copy_to_user: unavailable on aarch64 yet (0x%lx, %zu)", (unsigned long)dst, n);
}
