/* Bringing up userspace: the initramfs, /dev, and pid 1. */
#ifndef CLEAVE_INIT_H
#define CLEAVE_INIT_H

#include "../lib/types.h"

/* Create pid 1 with the console on fds 0-2 and execve path with argv and envp
 * (kernel strings) through the same path as user programs. On success init is
 * runnable and current; on failure nothing is left behind. 0 or -errno. */
int proc_start_init(const char *path, const char *const argv[], const char *const envp[]);

/* Boot-time bring-up: unpack the cpio initramfs (if any) into the root, create /dev,
 * and start init_path as pid 1 with envp. 0 or -errno (the platform panics). */
int kernel_start_userspace(const void *initrd, size_t size, const char *init_path,
			   const char *const envp[]);

#endif
