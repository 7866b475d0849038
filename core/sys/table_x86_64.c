/* x86_64 Linux syscall numbers, and the wrappers for calls only this ABI has. */
#include "handlers.h"

#include "../fs/vfs.h"
#include "../hal.h"
#include "../lib/errno.h"
#include "../mm/uaccess.h"

#define X86_O_DIRECTORY 0200000
#define X86_O_NOFOLLOW 0400000

/* Re-pack arguments and call handler fn with them. */
static long call6(syscall_fn fn, unsigned long a0, unsigned long a1, unsigned long a2,
		  unsigned long a3, unsigned long a4, unsigned long a5)
{
	struct syscall_args b = { { a0, a1, a2, a3, a4, a5 } };

	return fn(&b);
}

/* clone(flags, stack, parent_tid, child_tid, tls): x86_64's order. */
static long x86_clone(const struct syscall_args *a)
{
	return sys_clone_neutral(a->a[0], a->a[1], a->a[2], a->a[3], a->a[4]);
}

static long x86_openat(const struct syscall_args *a)
{
	unsigned flags = open_flags_to_kernel((unsigned)a->a[2], X86_O_DIRECTORY, X86_O_NOFOLLOW);

	return call6(sys_openat, a->a[0], a->a[1], flags, a->a[3], 0, 0);
}

static long x86_open(const struct syscall_args *a)
{
	unsigned flags = open_flags_to_kernel((unsigned)a->a[1], X86_O_DIRECTORY, X86_O_NOFOLLOW);

	return call6(sys_openat, (unsigned long)AT_FDCWD, a->a[0], flags, a->a[2], 0, 0);
}

static long x86_creat(const struct syscall_args *a)
{
	return call6(sys_openat, (unsigned long)AT_FDCWD, a->a[0],
		     O_CREAT | O_WRONLY | O_TRUNC, a->a[1], 0, 0);
}

static long x86_stat(const struct syscall_args *a)
{
	return call6(sys_newfstatat, (unsigned long)AT_FDCWD, a->a[0], a->a[1], 0, 0, 0);
}

static long x86_lstat(const struct syscall_args *a)
{
	return call6(sys_newfstatat, (unsigned long)AT_FDCWD, a->a[0], a->a[1],
		     AT_SYMLINK_NOFOLLOW, 0, 0);
}

static long x86_access(const struct syscall_args *a)
{
	return call6(sys_faccessat, (unsigned long)AT_FDCWD, a->a[0], a->a[1], 0, 0, 0);
}

static long x86_pipe(const struct syscall_args *a)
{
	return call6(sys_pipe2, a->a[0], 0, 0, 0, 0, 0);
}

/* dup2: dup3 without flags, except that oldfd == newfd returns newfd if it is open. */
static long x86_dup2(const struct syscall_args *a)
{
	if (a->a[0] == a->a[1])
		return call6(sys_fcntl, a->a[0], 1 /* F_GETFD */, 0, 0, 0, 0) < 0 ? -EBADF
										    : (long)(int)a->a[1];
	return call6(sys_dup3, a->a[0], a->a[1], 0, 0, 0, 0);
}

static long x86_mkdir(const struct syscall_args *a)
{
	return call6(sys_mkdirat, (unsigned long)AT_FDCWD, a->a[0], a->a[1], 0, 0, 0);
}

static long x86_unlink(const struct syscall_args *a)
{
	return call6(sys_unlinkat, (unsigned long)AT_FDCWD, a->a[0], 0, 0, 0, 0);
}

static long x86_rmdir(const struct syscall_args *a)
{
	return call6(sys_unlinkat, (unsigned long)AT_FDCWD, a->a[0], AT_REMOVEDIR, 0, 0, 0);
}

/* arch_prctl(ARCH_SET_FS / ARCH_GET_FS): the TLS base lives in the registers. */
static long x86_arch_prctl(const struct syscall_args *a)
{
	struct task *t = task_current();
	uint64_t base;

	switch (a->a[0]) {
	case 0x1002: /* ARCH_SET_FS */
		if (a->a[1] >= hal_pt_geometry()->user_top)
			return -EPERM;
		hal_uregs_set_tls(t->regs, a->a[1]);
		return 0;
	case 0x1003: /* ARCH_GET_FS */
		base = hal_uregs_tls(t->regs);
		return copy_to_user(a->a[1], &base, sizeof(base)) ? -EFAULT : 0;
	default:
		return -EINVAL;
	}
}

/* This ABI's struct stat. */
int fs_stat_layout = FS_STAT_X86_64;

#define SYS(nr, fn) [nr] = { fn, #fn }

const struct syscall_entry syscall_table[] = {
	SYS(0, sys_read),
	SYS(1, sys_write),
	SYS(2, x86_open),
	SYS(3, sys_close),
	SYS(4, x86_stat),
	SYS(5, sys_fstat),
	SYS(6, x86_lstat),
	SYS(8, sys_lseek),
	SYS(9, sys_mmap),
	SYS(10, sys_mprotect),
	SYS(11, sys_munmap),
	SYS(12, sys_brk),
	SYS(13, sys_rt_sigaction),
	SYS(14, sys_rt_sigprocmask),
	SYS(15, sys_rt_sigreturn),
	SYS(16, sys_ioctl),
	SYS(19, sys_readv),
	SYS(20, sys_writev),
	SYS(21, x86_access),
	SYS(22, x86_pipe),
	SYS(24, sys_sched_yield),
	SYS(28, sys_madvise),
	SYS(32, sys_dup),
	SYS(33, x86_dup2),
	SYS(35, sys_nanosleep),
	SYS(36, sys_getitimer),
	SYS(37, sys_alarm),
	SYS(38, sys_setitimer),
	SYS(39, sys_getpid),
	SYS(56, x86_clone),
	SYS(57, sys_fork),
	SYS(58, sys_vfork),
	SYS(59, sys_execve),
	SYS(60, sys_exit),
	SYS(61, sys_wait4),
	SYS(62, sys_kill),
	SYS(63, sys_uname),
	SYS(72, sys_fcntl),
	SYS(79, sys_getcwd),
	SYS(80, sys_chdir),
	SYS(81, sys_fchdir),
	SYS(83, x86_mkdir),
	SYS(84, x86_rmdir),
	SYS(85, x86_creat),
	SYS(87, x86_unlink),
	SYS(95, sys_umask),
	SYS(96, sys_gettimeofday),
	SYS(97, sys_getrlimit),
	SYS(99, sys_sysinfo),
	SYS(102, sys_getuid),
	SYS(104, sys_getuid), /* getgid */
	SYS(107, sys_getuid), /* geteuid */
	SYS(108, sys_getuid), /* getegid */
	SYS(109, sys_setpgid),
	SYS(110, sys_getppid),
	SYS(111, sys_getpgrp),
	SYS(112, sys_setsid),
	SYS(121, sys_getpgid),
	SYS(124, sys_getsid),
	SYS(127, sys_rt_sigpending),
	SYS(158, x86_arch_prctl),
	SYS(169, sys_reboot),
	SYS(186, sys_gettid),
	SYS(200, sys_tkill),
	SYS(202, sys_futex),
	SYS(217, sys_getdents64),
	SYS(218, sys_set_tid_address),
	SYS(228, sys_clock_gettime),
	SYS(230, sys_clock_nanosleep),
	SYS(231, sys_exit_group),
	SYS(234, sys_tgkill),
	SYS(257, x86_openat),
	SYS(258, sys_mkdirat),
	SYS(262, sys_newfstatat),
	SYS(263, sys_unlinkat),
	SYS(269, sys_faccessat),
	SYS(273, sys_set_robust_list),
	SYS(292, sys_dup3),
	SYS(293, sys_pipe2),
	SYS(302, sys_prlimit64),
};

const unsigned syscall_table_size = ARRAY_SIZE(syscall_table);
