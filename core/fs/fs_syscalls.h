/*
 * File syscalls, architecture-neutral, acting for task_current() (its process's fd
 * table and cwd) with Linux semantics and errno values. Arguments a->a[0..5] are in
 * the Linux order of each call; open/at flags use the canonical bits of vfs.h
 * (O_KDIRECTORY, O_KNOFOLLOW: the per-architecture tables translate).
 */
#ifndef CLEAVE_FS_SYSCALLS_H
#define CLEAVE_FS_SYSCALLS_H

#include "../sys/syscall.h"
#include "vfs.h"

#define AT_FDCWD (-100)
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_REMOVEDIR 0x200
#define AT_NO_AUTOMOUNT 0x800
#define AT_EMPTY_PATH 0x1000

/* struct stat layouts (fs_fill_stat's arch_layout and fs_stat_layout). */
#define FS_STAT_X86_64 0  /* x86_64 struct stat, 144 bytes */
#define FS_STAT_AARCH64 1 /* asm-generic struct stat (aarch64), 128 bytes */
#define FS_STAT_SIZE_MAX 144

/* The layout fstat/newfstatat write; the architecture's table file sets it. */
extern int fs_stat_layout; /* defined by the linked syscall table */

/* Encode ino's metadata as arch_layout's struct stat into kbuf (FS_STAT_SIZE_MAX
 * bytes): returns the struct's size, or -EINVAL for an unknown layout. */
int fs_fill_stat(struct inode *ino, int arch_layout, void *kbuf);

long sys_read(const struct syscall_args *a);      /* fd, buf, count */
long sys_write(const struct syscall_args *a);     /* fd, buf, count */
long sys_readv(const struct syscall_args *a);     /* fd, iov, iovcnt */
long sys_writev(const struct syscall_args *a);    /* fd, iov, iovcnt */
long sys_lseek(const struct syscall_args *a);     /* fd, offset, whence */
long sys_ioctl(const struct syscall_args *a);     /* fd, cmd, arg */
long sys_openat(const struct syscall_args *a);    /* dirfd, path, flags, mode */
long sys_close(const struct syscall_args *a);     /* fd */
long sys_dup(const struct syscall_args *a);       /* oldfd */
long sys_dup3(const struct syscall_args *a);      /* oldfd, newfd, flags */
long sys_fcntl(const struct syscall_args *a);     /* fd, cmd, arg */
long sys_pipe2(const struct syscall_args *a);     /* int fds[2], flags */
long sys_getdents64(const struct syscall_args *a);/* fd, dirp, count */
long sys_fstat(const struct syscall_args *a);     /* fd, statbuf */
long sys_newfstatat(const struct syscall_args *a);/* dirfd, path, statbuf, flags */
long sys_faccessat(const struct syscall_args *a); /* dirfd, path, mode */
long sys_chdir(const struct syscall_args *a);     /* path */
long sys_fchdir(const struct syscall_args *a);    /* fd */
long sys_getcwd(const struct syscall_args *a);    /* buf, size */
long sys_mkdirat(const struct syscall_args *a);   /* dirfd, path, mode */
long sys_unlinkat(const struct syscall_args *a);  /* dirfd, path, flags */

#endif
