/* Kernel-side creation of files, directories, symlinks and device nodes by path
 * (initramfs, devices, tests): missing parent directories are created. */
#include "fs_internal.h"

#include "../lib/errno.h"
#include "../lib/kmem.h"
#include "../lib/string.h"

/* The directory named by the first len bytes of path, created (mode 0755) with its
 * missing ancestors: 0 or -errno. */
static int make_dirs(const char *path, size_t len, struct inode **out)
{
	struct inode *cur = vfs_root(), *next;
	size_t i = 0;
	int err;

	while (i < len) {
		size_t n = 0;

		while (i < len && path[i] == '/')
			i++;
		while (i + n < len && path[i + n] != '/')
			n++;
		if (n == 0)
			break;
		err = namei(cur, path + i, n, true, &next);
		if (err == -ENOENT)
			err = ramfs_new(cur, path + i, n, S_IFDIR | 0755, &next);
		if (err)
			return err;
		if (!S_ISDIR(next->mode))
			return -ENOTDIR;
		cur = next;
		i += n;
	}
	*out = cur;
	return 0;
}

/* Store a copy of data[0..size) as ino's contents: 0 or -ENOMEM/-EFBIG. */
static int set_contents(struct inode *ino, const void *data, size_t size)
{
	unsigned char *copy = NULL;

	if (size > FS_FILE_MAX)
		return -EFBIG;
	if (size && !(copy = kmalloc(size)))
		return -ENOMEM;
	if (size)
		memcpy(copy, data, size);
	kfree(ino->data);
	ino->data = copy;
	ino->size = size;
	ino->capacity = size;
	return 0;
}

/* Make room for a new entry name[0..len) of type mode in dir: an existing entry of
 * the same non-directory type is reused (*reuse), a directory stays, anything else
 * is removed. 0 or -EEXIST (a non-empty directory is in the way). */
static int clear_name(struct inode *dir, const char *name, size_t len, unsigned mode,
		      struct inode **reuse)
{
	struct inode *old = ramfs_child(dir, name, len);

	*reuse = NULL;
	if (!old)
		return 0;
	if ((old->mode & S_IFMT) == (mode & S_IFMT)) {
		*reuse = old;
		return 0;
	}
	if (S_ISDIR(old->mode) && !list_empty(&old->children))
		return -EEXIST;
	ramfs_unlink(old);
	return 0;
}

/* Create or replace the node at path: type and permissions from mode, contents
 * (file data or symlink target) data[0..size), device number rdev. 0 or -errno. */
int fs_make_node(const char *path, unsigned mode, const void *data, size_t size,
		 unsigned rdev)
{
	size_t len = strnlen(path, PATH_MAX), end = len, start;
	struct inode *dir, *ino;
	int err;

	while (end > 0 && path[end - 1] == '/')
		end--;
	start = end;
	while (start > 0 && path[start - 1] != '/')
		start--;
	if (len >= PATH_MAX || end - start > NAME_MAX)
		return -ENAMETOOLONG;
	if (end == start || name_is_dot(path + start, end - start))
		return S_ISDIR(mode) ? 0 : -EINVAL; /* "/", "." and ".." already exist */
	err = make_dirs(path, start, &dir);
	if (!err)
		err = clear_name(dir, path + start, end - start, mode, &ino);
	if (!err && !ino)
		err = ramfs_new(dir, path + start, end - start, mode, &ino);
	if (err)
		return err;
	ino->mode = mode;
	ino->rdev = rdev;
	ino->fops = S_ISCHR(mode) ? dev_lookup(rdev) : NULL;
	return S_ISDIR(mode) ? 0 : set_contents(ino, data, size);
}

int vfs_create_file(const char *path, unsigned mode, const void *data, size_t size)
{
	return fs_make_node(path, S_IFREG | (mode & 07777), data, size, 0);
}
