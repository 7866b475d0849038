/* Helpers shared by the file syscall handlers: the current tables and user paths. */
#include "fs_internal.h"
#include "fs_syscalls.h"

#include "../lib/errno.h"
#include "../lib/kmem.h"
#include "../lib/string.h"
#include "../mm/uaccess.h"

struct fdtable *cur_files(void)
{
	return task_current()->proc->files;
}

struct file *cur_file(int fd)
{
	return fd_lookup(cur_files(), fd);
}

int path_from_user(vaddr_t upath, bool allow_empty, char **out)
{
	char *buf = kmalloc(PATH_MAX);
	long len;

	if (!buf)
		return -ENOMEM;
	len = strncpy_from_user(buf, upath, PATH_MAX);
	if (len < 0 || len >= PATH_MAX || (len == 0 && !allow_empty)) {
		kfree(buf);
		return len < 0 ? (int)len : len == 0 ? -ENOENT : -ENAMETOOLONG;
	}
	*out = buf;
	return 0;
}

int dirfd_start(int dirfd, const char *path, struct inode **out)
{
	struct file *f;

	if (path[0] == '/' || dirfd == AT_FDCWD) {
		*out = task_current()->proc->fs->cwd;
		return 0;
	}
	f = cur_file(dirfd);
	if (!f)
		return -EBADF;
	if (!f->inode || !S_ISDIR(f->inode->mode))
		return -ENOTDIR;
	*out = f->inode;
	return 0;
}

int lookup_at(int dirfd, const char *path, bool follow, struct inode **out)
{
	struct inode *start;
	int err = dirfd_start(dirfd, path, &start);

	return err ? err : namei(start, path, strlen(path), follow, out);
}
