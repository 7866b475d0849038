/* Helpers shared by both architectures' syscall tables. */
#include "handlers.h"

#include "../fs/vfs.h"

long sys_clone_neutral(unsigned long flags, vaddr_t stack, vaddr_t ptid, vaddr_t ctid,
		       vaddr_t tls)
{
	struct clone_request rq = {
		.flags = flags,
		.stack = stack,
		.parent_tid = ptid,
		.child_tid = ctid,
		.tls = tls,
		.mode = proc_fork_mode,
	};

	return proc_clone(&rq);
}

unsigned open_flags_to_kernel(unsigned flags, unsigned arch_dir, unsigned arch_nofollow)
{
	unsigned out = flags & ~(arch_dir | arch_nofollow);

	if (flags & arch_dir)
		out |= O_KDIRECTORY;
	if (flags & arch_nofollow)
		out |= O_KNOFOLLOW;
	return out;
}
