/* User copies on top of the platform's fault-recovering raw copy routines. */
#include "uaccess.h"

#include "../hal.h"
#include "../lib/errno.h"
#include "../lib/string.h"
#include "frame.h"

bool user_range_ok(vaddr_t addr, size_t n)
{
	vaddr_t top = hal_pt_geometry()->user_top;

	return addr <= top && n <= top - addr;
}

int copy_to_user(vaddr_t dst, const void *src, size_t n)
{
	if (!user_range_ok(dst, n))
		return -EFAULT;
	return hal_copy_to_user(dst, src, n) ? -EFAULT : 0;
}

int copy_from_user(void *dst, vaddr_t src, size_t n)
{
	if (!user_range_ok(src, n))
		return -EFAULT;
	return hal_copy_from_user(dst, src, n) ? -EFAULT : 0;
}

/* Bytes strncpy_from_user copies before it looks for the NUL: strings are mostly
 * short (paths, argv), and copying to the end of the page first cost ~1 k
 * instructions per string in execve. */
#define STRNCPY_CHUNK 128u

long strncpy_from_user(char *dst, vaddr_t src, size_t max)
{
	size_t done = 0;

	while (done < max) {
		/* Never read past the page holding the string's next byte. */
		size_t chunk = MIN(MIN(max - done, STRNCPY_CHUNK),
				   PAGE_SIZE - ((src + done) & (PAGE_SIZE - 1)));
		size_t len;

		if (copy_from_user(dst + done, src + done, chunk))
			return -EFAULT;
		len = strnlen(dst + done, chunk);
		if (len < chunk)
			return (long)(done + len);
		done += chunk;
	}
	return (long)max;
}
