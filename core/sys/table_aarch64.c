/* aarch64 (asm-generic) Linux syscall numbers. There is no fork, vfork, open or
 * pipe here: libc uses clone, openat and pipe2. */
#include "handlers.h"

#include "../fs/vfs.h"

#define A64_O_DIRECTORY 040000
#define A64_O_NOFOLLOW 0100000

/* clone(flags, stack, parent_tid, tls, child_tid): aarch64's order. */
static long a64_clone(const struct syscall_args *a)
{
	return sys_clone_neutral(a->a[0], a->a[1], a->a[2], a->a[4], a->a[3]);
}

static long a64_openat(const struct syscall_args *a)
{
	struct syscall_args b = *a;

	b.a[2] = open_flags_to_kernel((unsigned)a->a[2], A64_O_DIRECTORY, A64_O_NOFOLLOW);
	return sys_openat(&b);
}

/* This ABI's struct stat. */
int fs_stat_layout = FS_STAT_AARCH64;

#define SYS(nr, fn) [nr] = { fn, #fn }

const struct syscall_entry syscall_table[] = {
	SYS(17, sys_getcwd),
	SYS(23, sys_dup),
	SYS(24, sys_dup3),
	SYS(25, sys_fcntl),
	SYS(29, sys_ioctl),
	SYS(34, sys_mkdirat),
	SYS(35, sys_unlinkat),
	SYS(48, sys_faccessat),
	SYS(49, sys_chdir),
	SYS(50, sys_fchdir),
	SYS(56, a64_openat),
	SYS(57, sys_close),
	SYS(59, sys_pipe2),
	SYS(61, sys_getdents64),
	SYS(62, sys_lseek),
	SYS(63, sys_read),
	SYS(64, sys_write),
	SYS(65, sys_readv),
	SYS(66, sys_writev),
	SYS(79, sys_newfstatat),
	SYS(80, sys_fstat),
	SYS(93, sys_exit),
	SYS(94, sys_exit_group),
	SYS(96, sys_set_tid_address),
	SYS(98, sys_futex),
	SYS(99, sys_set_robust_list),
	SYS(101, sys_nanosleep),
	SYS(102, sys_getitimer),
	SYS(103, sys_setitimer),
	SYS(113, sys_clock_gettime),
	SYS(115, sys_clock_nanosleep),
	SYS(124, sys_sched_yield),
	SYS(129, sys_kill),
	SYS(130, sys_tkill),
	SYS(131, sys_tgkill),
	SYS(134, sys_rt_sigaction),
	SYS(135, sys_rt_sigprocmask),
	SYS(136, sys_rt_sigpending),
	SYS(139, sys_rt_sigreturn),
	SYS(142, sys_reboot),
	SYS(154, sys_setpgid),
	SYS(155, sys_getpgid),
	SYS(156, sys_getsid),
	SYS(157, sys_setsid),
	SYS(160, sys_uname),
	SYS(163, sys_getrlimit),
	SYS(166, sys_umask),
	SYS(169, sys_gettimeofday),
	SYS(172, sys_getpid),
	SYS(173, sys_getppid),
	SYS(174, sys_getuid),
	SYS(175, sys_getuid), /* geteuid */
	SYS(176, sys_getuid), /* getgid */
	SYS(177, sys_getuid), /* getegid */
	SYS(178, sys_gettid),
	SYS(179, sys_sysinfo),
	SYS(214, sys_brk),
	SYS(215, sys_munmap),
	SYS(220, a64_clone),
	SYS(221, sys_execve),
	SYS(222, sys_mmap),
	SYS(226, sys_mprotect),
	SYS(233, sys_madvise),
	SYS(260, sys_wait4),
	SYS(261, sys_prlimit64),
};

const unsigned syscall_table_size = ARRAY_SIZE(syscall_table);
