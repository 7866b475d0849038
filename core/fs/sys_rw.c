/* read, write, readv, writev, lseek and ioctl. */
#include "fs_internal.h"
#include "fs_syscalls.h"

#include "../lib/errno.h"
#include "../mm/uaccess.h"

#define IOV_MAX 1024
#define SSIZE_MAX 0x7fffffffffffffffUL
#define LOFF_MAX 0x7fffffffffffffffLL
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

/* A user struct iovec (identical on x86_64 and aarch64). */
struct kiovec {
	uint64_t base;
	uint64_t len;
};

/* The file at fd if it may be read (write false) or written: -EBADF otherwise,
 * -EINVAL when it has no such operation. */
static int io_file(int fd, bool write, struct file **out)
{
	struct file *f = cur_file(fd);
	unsigned acc;

	if (!f)
		return -EBADF;
	acc = f->flags & O_ACCMODE;
	if (acc == 3 || acc == (write ? O_RDONLY : O_WRONLY))
		return -EBADF;
	if (!(write ? f->ops->write : f->ops->read))
		return -EINVAL;
	*out = f;
	return 0;
}

/* One transfer of up to n bytes. When may_block is false (a vector that already
 * moved data) the file is made non-blocking for this call only (no other code runs
 * meanwhile), and "would block" gives 0, so the caller returns its progress. */
static long io_once(struct file *f, vaddr_t buf, size_t n, bool write, bool may_block)
{
	unsigned saved = f->flags;
	long r;

	if (!user_range_ok(buf, n))
		return -EFAULT;
	n = MIN(n, (size_t)RW_MAX);
	if (!may_block)
		f->flags |= O_NONBLOCK;
	r = write ? f->ops->write(f, buf, n) : f->ops->read(f, buf, n);
	f->flags = saved;
	if (!may_block && r == -EAGAIN && !(saved & O_NONBLOCK))
		return 0;
	return r;
}

/* read(2) and write(2). */
static long do_rw(const struct syscall_args *a, bool write)
{
	struct file *f;
	int err = io_file((int)a->a[0], write, &f);

	if (err)
		return err;
	return io_once(f, a->a[1], a->a[2], write, true);
}

long sys_read(const struct syscall_args *a)
{
	return do_rw(a, false);
}

long sys_write(const struct syscall_args *a)
{
	return do_rw(a, true);
}

/* Entry i of the user iovec array at uiov: 0 or -EFAULT. */
static int iov_get(vaddr_t uiov, unsigned long i, struct kiovec *v)
{
	return copy_from_user(v, uiov + i * sizeof(*v), sizeof(*v));
}

/* Check cnt entries at uiov: 0, -EINVAL (count or total length too large) or
 * -EFAULT. */
static int iov_check(vaddr_t uiov, unsigned long cnt)
{
	struct kiovec v;
	uint64_t total = 0;

	if (cnt > IOV_MAX)
		return -EINVAL;
	for (unsigned long i = 0; i < cnt; i++) {
		if (iov_get(uiov, i, &v))
			return -EFAULT;
		if (v.len > SSIZE_MAX || total + v.len > SSIZE_MAX)
			return -EINVAL;
		total += v.len;
	}
	return 0;
}

/* readv(2) and writev(2): transfers stop at the first short one; only the first
 * may block; an error after progress returns the progress. */
static long do_rwv(const struct syscall_args *a, bool write)
{
	vaddr_t uiov = a->a[1];
	unsigned long cnt = a->a[2];
	struct file *f;
	long total = 0, r;
	struct kiovec v;
	int err = io_file((int)a->a[0], write, &f);

	if (!err)
		err = iov_check(uiov, cnt);
	if (err)
		return err;
	for (unsigned long i = 0; i < cnt; i++) {
		if (iov_get(uiov, i, &v))
			return total ? total : -EFAULT;
		if (v.len == 0)
			continue;
		r = io_once(f, v.base, v.len, write, total == 0);
		if (r < 0)
			return total ? total : r;
		total += r;
		if ((uint64_t)r < v.len)
			break;
	}
	return total;
}

long sys_readv(const struct syscall_args *a)
{
	return do_rwv(a, false);
}

long sys_writev(const struct syscall_args *a)
{
	return do_rwv(a, true);
}

/* The base offset whence refers to in f, or -EINVAL. */
static long long seek_base(struct file *f, int whence)
{
	bool dir = S_ISDIR(f->inode->mode);

	if (whence == SEEK_SET)
		return 0;
	if (whence == SEEK_CUR)
		return (long long)f->pos;
	if (whence == SEEK_END && !dir)
		return (long long)f->inode->size;
	return -EINVAL;
}

long sys_lseek(const struct syscall_args *a)
{
	struct file *f = cur_file((int)a->a[0]);
	long long off = (long long)a->a[1], base;

	if (!f)
		return -EBADF;
	if (!f->inode || !(S_ISREG(f->inode->mode) || S_ISDIR(f->inode->mode)))
		return f->inode && f->inode->rdev == DEV_NULL ? 0 : -ESPIPE;
	base = seek_base(f, (int)a->a[2]);
	if (base < 0)
		return base;
	if ((off > 0 && base > LOFF_MAX - off) || base + off < 0)
		return -EINVAL;
	f->pos = (uint64_t)(base + off);
	return (long)f->pos;
}

long sys_ioctl(const struct syscall_args *a)
{
	struct file *f = cur_file((int)a->a[0]);

	if (!f)
		return -EBADF;
	if (!f->ops->ioctl)
		return -ENOTTY;
	return f->ops->ioctl(f, (unsigned)a->a[1], a->a[2]);
}
