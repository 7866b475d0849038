/* Open file descriptions and the ramfs regular-file and directory operations. */
#include "fs_internal.h"

#include "../lib/errno.h"
#include "../lib/kmem.h"
#include "../lib/kprintf.h"
#include "../lib/string.h"
#include "../mm/uaccess.h"

#define WRITE_CHUNK 512 /* a faulting write keeps the whole chunks before the fault */

struct file *file_create(const struct file_ops *ops, struct inode *inode, unsigned flags,
			 void *priv)
{
	struct file *f = kmalloc(sizeof(*f));

	if (!f)
		return NULL;
	f->refs = 1;
	f->ops = ops;
	f->inode = inode;
	f->flags = flags;
	f->priv = priv;
	if (inode)
		inode_get(inode);
	return f;
}

void file_get(struct file *f)
{
	KASSERT(f->refs > 0);
	f->refs++;
}

void file_put(struct file *f)
{
	KASSERT(f->refs > 0);
	if (--f->refs > 0)
		return;
	if (f->ops && f->ops->release)
		f->ops->release(f);
	if (f->inode)
		inode_put(f->inode);
	kfree(f);
}

/* Read from a regular file at f->pos, advancing it: bytes read or -EFAULT. */
static long ramfs_read(struct file *f, vaddr_t ubuf, size_t n)
{
	struct inode *ino = f->inode;
	size_t avail;

	if (f->pos >= ino->size)
		return 0;
	avail = MIN(n, ino->size - (size_t)f->pos);
	if (copy_to_user(ubuf, ino->data + f->pos, avail))
		return -EFAULT;
	f->pos += avail;
	return (long)avail;
}

/* Write to a regular file at f->pos (at the end with O_APPEND), growing it and
 * zero-filling a gap: bytes written, or -EFAULT/-ENOMEM/-EFBIG. */
static long ramfs_write(struct file *f, vaddr_t ubuf, size_t n)
{
	struct inode *ino = f->inode;
	size_t done = 0;
	int err;

	if (f->flags & O_APPEND)
		f->pos = ino->size;
	if (f->pos > FS_FILE_MAX || n > FS_FILE_MAX - f->pos)
		return -EFBIG;
	err = ramfs_reserve(ino, (size_t)f->pos + n);
	if (err)
		return err;
	while (done < n) {
		size_t k = MIN(n - done, (size_t)WRITE_CHUNK);

		if (copy_from_user(ino->data + f->pos, ubuf + done, k))
			break;
		done += k;
		f->pos += k;
		ino->size = MAX(ino->size, (size_t)f->pos);
	}
	return done ? (long)done : -EFAULT;
}

/* read(2) on a directory. */
static long ramfs_dir_read(struct file *f, vaddr_t ubuf, size_t n)
{
	UNUSED(f);
	UNUSED(ubuf);
	UNUSED(n);
	return -EISDIR;
}

const struct file_ops ramfs_file_ops = {
	.read = ramfs_read,
	.write = ramfs_write,
};

const struct file_ops ramfs_dir_ops = {
	.read = ramfs_dir_read,
};
