/* Every architecture-neutral syscall handler, for the per-architecture tables. */
#ifndef CLEAVE_HANDLERS_H
#define CLEAVE_HANDLERS_H

#include "../fs/fs_syscalls.h"
#include "sys_mm.h"
#include "../proc/clone.h"
#include "../proc/futex.h"
#include "../proc/itimer.h"
#include "../proc/signal.h"
#include "../proc/sys_proc.h"
#include "syscall.h"

/* Linux's AT_* values shared by the tables' legacy-call wrappers. */
#define AT_FDCWD (-100)
#define AT_REMOVEDIR 0x200
#define AT_SYMLINK_NOFOLLOW 0x100

/* clone with arguments already in neutral order (flags, stack, ptid, ctid, tls). */
long sys_clone_neutral(unsigned long flags, vaddr_t stack, vaddr_t ptid, vaddr_t ctid,
		       vaddr_t tls);
/* Translate an architecture's open(2) flag bits for O_DIRECTORY and O_NOFOLLOW to
 * core's canonical ones. */
unsigned open_flags_to_kernel(unsigned flags, unsigned arch_dir, unsigned arch_nofollow);

#endif
