/* close, dup, dup3, fcntl and pipe2. */
#include "fs_internal.h"
#include "fs_syscalls.h"

#include "../lib/errno.h"
#include "../mm/uaccess.h"

#define F_DUPFD 0
#define F_GETFD 1
#define F_SETFD 2
#define F_GETFL 3
#define F_SETFL 4
#define F_DUPFD_CLOEXEC 1030
#define FD_CLOEXEC 1
#define SETFL_MASK (O_APPEND | O_NONBLOCK)

long sys_close(const struct syscall_args *a)
{
	return fd_close(cur_files(), (int)a->a[0]);
}

/* Duplicate fd at the lowest free descriptor >= min_fd: the new fd, -EBADF,
 * -EINVAL (min_fd out of range) or -EMFILE. */
static long dup_from(int fd, long min_fd, bool cloexec)
{
	struct file *f = cur_file(fd);
	int r;

	if (!f)
		return -EBADF;
	if (min_fd < 0 || min_fd >= FD_MAX)
		return -EINVAL;
	file_get(f);
	r = fd_install(cur_files(), f, (int)min_fd, cloexec);
	if (r < 0)
		file_put(f);
	return r;
}

long sys_dup(const struct syscall_args *a)
{
	return dup_from((int)a->a[0], 0, false);
}

long sys_dup3(const struct syscall_args *a)
{
	int oldfd = (int)a->a[0], newfd = (int)a->a[1];
	unsigned long flags = a->a[2];
	struct file *f = cur_file(oldfd);

	if (flags & ~(unsigned long)O_CLOEXEC)
		return -EINVAL;
	if (oldfd == newfd)
		return -EINVAL;
	if (!f || newfd < 0 || newfd >= FD_MAX)
		return -EBADF;
	file_get(f);
	return fd_install_at(cur_files(), f, newfd, flags & O_CLOEXEC);
}

/* F_SETFL: only O_APPEND and O_NONBLOCK change; other bits are ignored. */
static long setfl(struct file *f, unsigned long arg)
{
	f->flags = (f->flags & ~(unsigned)SETFL_MASK) | ((unsigned)arg & SETFL_MASK);
	return 0;
}

long sys_fcntl(const struct syscall_args *a)
{
	int fd = (int)a->a[0];
	struct file *f = cur_file(fd);
	unsigned long arg = a->a[2];

	if (!f)
		return -EBADF;
	switch ((int)a->a[1]) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		return dup_from(fd, (long)(int)arg, (int)a->a[1] == F_DUPFD_CLOEXEC);
	case F_GETFD:
		return fd_get_cloexec(cur_files(), fd) ? FD_CLOEXEC : 0;
	case F_SETFD:
		return fd_set_cloexec(cur_files(), fd, arg & FD_CLOEXEC);
	case F_GETFL:
		return f->flags & (O_ACCMODE | SETFL_MASK);
	case F_SETFL:
		return setfl(f, arg);
	default:
		return -EINVAL;
	}
}

/* Install the two ends of a pipe: 0 with fds[] set, or -EMFILE with neither
 * installed (the references are then still the caller's). */
static int pipe_install(struct file *rd, struct file *wr, bool cloexec, int fds[2])
{
	struct fdtable *t = cur_files();

	fds[0] = fd_install(t, rd, 0, cloexec);
	if (fds[0] < 0)
		return fds[0];
	fds[1] = fd_install(t, wr, 0, cloexec);
	if (fds[1] < 0) {
		fd_set_cloexec(t, fds[0], false);
		t->fd[fds[0]] = NULL; /* hand rd back without closing it */
		return fds[1];
	}
	return 0;
}

long sys_pipe2(const struct syscall_args *a)
{
	unsigned long flags = a->a[1];
	struct file *rd, *wr;
	int fds[2], err;

	if (flags & ~(unsigned long)(O_CLOEXEC | O_NONBLOCK))
		return -EINVAL;
	err = pipe_create((unsigned)flags, &rd, &wr);
	if (err)
		return err;
	err = pipe_install(rd, wr, flags & O_CLOEXEC, fds);
	if (err)
		goto fail;
	if (copy_to_user(a->a[0], fds, sizeof(fds))) {
		fd_close(cur_files(), fds[0]);
		fd_close(cur_files(), fds[1]);
		return -EFAULT;
	}
	return 0;
fail:
	file_put(rd);
	file_put(wr);
	return err;
}
