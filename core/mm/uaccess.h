/*
 * Kernel access to the current user address space. A bad pointer (outside the
 * user range, unmapped, or without the needed permission) gives -EFAULT, never a
 * crash: the platform's copy routines recover from faults the handler cannot fix.
 */
#ifndef CLEAVE_UACCESS_H
#define CLEAVE_UACCESS_H

#include "../lib/types.h"

/* True when [addr, addr+n) lies inside the user range without wrapping. */
bool user_range_ok(vaddr_t addr, size_t n);
/* Copy n bytes to user address dst: 0 or -EFAULT (a prefix may have been written). */
int copy_to_user(vaddr_t dst, const void *src, size_t n);
/* Copy n bytes from user address src: 0 or -EFAULT. */
int copy_from_user(void *dst, vaddr_t src, size_t n);
/* Copy a NUL-terminated string of at most max bytes (NUL included) from user src:
 * returns its length without the NUL, max when no NUL was found within max bytes
 * (dst is then not terminated), or -EFAULT. */
long strncpy_from_user(char *dst, vaddr_t src, size_t max);

#endif
