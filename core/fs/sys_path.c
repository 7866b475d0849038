/* Syscalls that take paths: openat, mkdirat, unlinkat, faccessat, chdir, fchdir,
 * getcwd; and vfs_open, the kernel's open. */
#include "fs_internal.h"
#include "fs_syscalls.h"

#include "../lib/errno.h"
#include "../lib/kmem.h"
#include "../lib/string.h"
#include "../mm/uaccess.h"

#define FILE_FLAGS (O_ACCMODE | O_APPEND | O_NONBLOCK)

/* The target of an O_CREAT open of path, created as a regular file when missing
 * (*created set). 0 or -errno (-EISDIR for a trailing slash, -EEXIST with O_EXCL). */
static int open_create(struct inode *cwd, const char *path, unsigned flags, unsigned mode,
		       struct inode **out, bool *created)
{
	struct nameparent np;
	struct inode *ino;
	int err = namei_parent(cwd, path, &np);

	if (err)
		return err;
	if (np.trailing_slash || np.len == 0 || name_is_dot(np.name, np.len))
		return -EISDIR;
	ino = ramfs_child(np.dir, np.name, np.len);
	if (ino && (flags & O_EXCL))
		return -EEXIST;
	if (ino && S_ISLNK(ino->mode) && !(flags & O_KNOFOLLOW))
		return namei(np.dir, np.name, np.len, true, out);
	if (ino) {
		*out = ino;
		return 0;
	}
	err = ramfs_new(np.dir, np.name, np.len, S_IFREG | (mode & 07777 & ~FS_UMASK), out);
	*created = !err;
	return err;
}

/* May ino be opened with flags? 0 or -ELOOP/-ENOTDIR/-EISDIR/-ENXIO. */
static int open_check(struct inode *ino, unsigned flags)
{
	bool dir = S_ISDIR(ino->mode);

	if (S_ISLNK(ino->mode))
		return -ELOOP; /* only reached with O_NOFOLLOW */
	if ((flags & O_KDIRECTORY) && !dir)
		return -ENOTDIR;
	if (dir && ((flags & O_ACCMODE) != O_RDONLY || (flags & (O_CREAT | O_TRUNC))))
		return -EISDIR;
	if (S_ISCHR(ino->mode) && !ino->fops)
		return -ENXIO;
	return 0;
}

/* The operations of an open ino. */
static const struct file_ops *open_ops(struct inode *ino)
{
	if (S_ISDIR(ino->mode))
		return &ramfs_dir_ops;
	if (S_ISCHR(ino->mode))
		return ino->fops;
	return &ramfs_file_ops;
}

int vfs_open(struct inode *cwd, const char *path, unsigned flags, unsigned mode,
	     struct file **out)
{
	size_t len = strnlen(path, PATH_MAX);
	bool created = false;
	struct inode *ino;
	int err;

	if (len == 0)
		return -ENOENT;
	if (flags & O_CREAT)
		err = open_create(cwd, path, flags, mode, &ino, &created);
	else
		err = namei(cwd, path, len, !(flags & O_KNOFOLLOW), &ino);
	if (!err)
		err = open_check(ino, flags);
	if (err)
		goto fail;
	*out = file_create(open_ops(ino), ino, flags & FILE_FLAGS, NULL);
	if (!*out) {
		err = -ENOMEM;
		goto fail;
	}
	if ((flags & O_TRUNC) && S_ISREG(ino->mode))
		ramfs_truncate(ino);
	return 0;
fail:
	if (created)
		ramfs_unlink(ino);
	return err;
}

/* True when the current fd table has a free descriptor. */
static bool fd_available(void)
{
	for (int fd = 0; fd < FD_MAX; fd++)
		if (!cur_file(fd))
			return true;
	return false;
}

long sys_openat(const struct syscall_args *a)
{
	unsigned flags = (unsigned)a->a[2];
	struct inode *start;
	struct file *f;
	char *path;
	long r = path_from_user(a->a[1], false, &path);

	if (r)
		return r;
	r = dirfd_start((int)a->a[0], path, &start);
	if (!r && !fd_available())
		r = -EMFILE;
	if (!r)
		r = vfs_open(start, path, flags, (unsigned)a->a[3], &f);
	if (!r)
		r = fd_install(cur_files(), f, 0, flags & O_CLOEXEC);
	kfree(path);
	return r;
}

/* Copy the user path and resolve its parent directory from dirfd: 0 with *path
 * (kfree it) and *np set, or -errno (nothing to free). */
static int parent_from_user(int dirfd, vaddr_t upath, char **path, struct nameparent *np)
{
	struct inode *start;
	int err = path_from_user(upath, false, path);

	if (err)
		return err;
	err = dirfd_start(dirfd, *path, &start);
	if (!err)
		err = namei_parent(start, *path, np);
	if (err)
		kfree(*path);
	return err;
}

long sys_mkdirat(const struct syscall_args *a)
{
	unsigned mode = S_IFDIR | ((unsigned)a->a[2] & 01777 & ~FS_UMASK);
	struct nameparent np;
	struct inode *ino;
	char *path;
	long r = parent_from_user((int)a->a[0], a->a[1], &path, &np);

	if (r)
		return r;
	if (np.len == 0 || name_is_dot(np.name, np.len) || ramfs_child(np.dir, np.name, np.len))
		r = -EEXIST;
	else
		r = ramfs_new(np.dir, np.name, np.len, mode, &ino);
	kfree(path);
	return r;
}

/* rmdir of np's entry: 0 or -EBUSY/-EINVAL/-ENOTEMPTY/-ENOENT/-ENOTDIR. */
static int remove_dir(const struct nameparent *np)
{
	struct inode *ino;

	if (np->len == 0)
		return -EBUSY;
	if (np->len == 1 && np->name[0] == '.')
		return -EINVAL;
	if (name_is_dot(np->name, np->len))
		return -ENOTEMPTY;
	ino = ramfs_child(np->dir, np->name, np->len);
	if (!ino)
		return -ENOENT;
	if (!S_ISDIR(ino->mode))
		return -ENOTDIR;
	if (!list_empty(&ino->children))
		return -ENOTEMPTY;
	ramfs_unlink(ino);
	return 0;
}

/* unlink of np's entry (not followed if a symlink): 0 or -EISDIR/-ENOENT/-ENOTDIR. */
static int remove_file(const struct nameparent *np)
{
	struct inode *ino;

	if (np->len == 0 || name_is_dot(np->name, np->len))
		return -EISDIR;
	ino = ramfs_child(np->dir, np->name, np->len);
	if (!ino)
		return -ENOENT;
	if (S_ISDIR(ino->mode))
		return -EISDIR;
	if (np->trailing_slash)
		return -ENOTDIR;
	ramfs_unlink(ino);
	return 0;
}

long sys_unlinkat(const struct syscall_args *a)
{
	unsigned long flags = a->a[2];
	struct nameparent np;
	char *path;
	long r;

	if (flags & ~(unsigned long)AT_REMOVEDIR)
		return -EINVAL;
	r = parent_from_user((int)a->a[0], a->a[1], &path, &np);
	if (r)
		return r;
	r = (flags & AT_REMOVEDIR) ? remove_dir(&np) : remove_file(&np);
	kfree(path);
	return r;
}

/* Resolve a user path from dirfd, following a final symlink when follow: 0 or
 * -errno. */
static int lookup_from_user(int dirfd, vaddr_t upath, bool follow, struct inode **out)
{
	char *path;
	int err = path_from_user(upath, false, &path);

	if (err)
		return err;
	err = lookup_at(dirfd, path, follow, out);
	kfree(path);
	return err;
}

long sys_faccessat(const struct syscall_args *a)
{
	unsigned long mode = a->a[2];
	struct inode *ino;
	int err;

	if (mode & ~7UL)
		return -EINVAL;
	err = lookup_from_user((int)a->a[0], a->a[1], true, &ino);
	return err ? err : vfs_permission(ino, (int)mode);
}

long sys_chdir(const struct syscall_args *a)
{
	struct inode *ino;
	int err = lookup_from_user(AT_FDCWD, a->a[0], true, &ino);

	if (err)
		return err;
	if (!S_ISDIR(ino->mode))
		return -ENOTDIR;
	task_current()->proc->fs->cwd = ino;
	return 0;
}

long sys_fchdir(const struct syscall_args *a)
{
	struct file *f = cur_file((int)a->a[0]);

	if (!f)
		return -EBADF;
	if (!f->inode || !S_ISDIR(f->inode->mode))
		return -ENOTDIR;
	task_current()->proc->fs->cwd = f->inode;
	return 0;
}

/* Write the absolute path of directory dir, NUL-terminated, ending at buf[PATH_MAX-1]:
 * returns its start in buf, or NULL when longer than PATH_MAX. */
static char *dir_path(struct inode *dir, char *buf)
{
	char *p = buf + PATH_MAX - 1;

	*p = 0;
	if (dir == vfs_root())
		*--p = '/';
	for (; dir != vfs_root(); dir = dir->parent) {
		size_t n = strlen(dir->name);

		if ((size_t)(p - buf) < n + 1)
			return NULL;
		p -= n;
		memcpy(p, dir->name, n);
		*--p = '/';
	}
	return p;
}

long sys_getcwd(const struct syscall_args *a)
{
	struct inode *cwd = task_current()->proc->fs->cwd;
	size_t size = a->a[1], len;
	char *buf, *p;
	long r;

	if (cwd->nlink == 0)
		return -ENOENT;
	buf = kmalloc(PATH_MAX);
	if (!buf)
		return -ENOMEM;
	p = dir_path(cwd, buf);
	len = p ? strlen(p) + 1 : 0;
	if (!p)
		r = -ENAMETOOLONG;
	else if (size < len)
		r = -ERANGE;
	else
		r = copy_to_user(a->a[0], p, len) ? -EFAULT : (long)len;
	kfree(buf);
	return r;
}
