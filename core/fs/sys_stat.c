/* fstat, newfstatat (both architectures' struct stat) and getdents64. */
#include "fs_internal.h"
#include "fs_syscalls.h"

#include "../lib/errno.h"
#include "../lib/kmem.h"
#include "../lib/string.h"
#include "../mm/uaccess.h"

#define FS_DEV 1      /* st_dev of ramfs inodes */
#define PIPE_DEV 2    /* st_dev of pipes */
#define DT_FIFO 1
#define DT_CHR 2
#define DT_DIR 4
#define DT_REG 8
#define DT_LNK 10
#define DIRENT_HDR 19 /* d_ino, d_off, d_reclen, d_type before d_name */



/* Architecture-neutral file metadata (times are all zero: ramfs keeps none). */
struct kstat {
	uint64_t dev, ino, nlink, rdev, size, blocks;
	unsigned mode;
};

/* Store the low n bytes of v at buf+off (both layouts are little-endian). */
static void put(void *buf, size_t off, uint64_t v, size_t n)
{
	memcpy((char *)buf + off, &v, n);
}

/*
 * x86_64 struct stat (144 bytes): st_dev 0 (8), st_ino 8 (8), st_nlink 16 (8),
 * st_mode 24 (4), st_uid 28 (4), st_gid 32 (4), pad 36, st_rdev 40 (8), st_size 48,
 * st_blksize 56, st_blocks 64, st_atime/nsec 72/80, st_mtime/nsec 88/96,
 * st_ctime/nsec 104/112, unused[3] 120..143.
 */
static int stat_encode_x86_64(const struct kstat *st, void *buf)
{
	memset(buf, 0, 144);
	put(buf, 0, st->dev, 8);
	put(buf, 8, st->ino, 8);
	put(buf, 16, st->nlink, 8);
	put(buf, 24, st->mode, 4);
	put(buf, 40, st->rdev, 8);
	put(buf, 48, st->size, 8);
	put(buf, 56, 4096, 8);
	put(buf, 64, st->blocks, 8);
	return 144;
}

/*
 * asm-generic struct stat, used by aarch64 (128 bytes): st_dev 0 (8), st_ino 8 (8),
 * st_mode 16 (4), st_nlink 20 (4), st_uid 24 (4), st_gid 28 (4), st_rdev 32 (8),
 * pad 40 (8), st_size 48 (8), st_blksize 56 (4), pad 60 (4), st_blocks 64 (8),
 * st_atime/nsec 72/80, st_mtime/nsec 88/96, st_ctime/nsec 104/112, unused 120..127.
 */
static int stat_encode_generic(const struct kstat *st, void *buf)
{
	memset(buf, 0, 128);
	put(buf, 0, st->dev, 8);
	put(buf, 8, st->ino, 8);
	put(buf, 16, st->mode, 4);
	put(buf, 20, st->nlink, 4);
	put(buf, 32, st->rdev, 8);
	put(buf, 48, st->size, 8);
	put(buf, 56, 4096, 4);
	put(buf, 64, st->blocks, 8);
	return 128;
}

/* Encode st in layout: the struct's size or -EINVAL. */
static int stat_encode(const struct kstat *st, int layout, void *kbuf)
{
	if (layout == FS_STAT_X86_64)
		return stat_encode_x86_64(st, kbuf);
	if (layout == FS_STAT_AARCH64)
		return stat_encode_generic(st, kbuf);
	return -EINVAL;
}

int fs_fill_stat(struct inode *ino, int arch_layout, void *kbuf)
{
	struct kstat st = {
		.dev = FS_DEV,
		.ino = ino->ino,
		.nlink = inode_nlink(ino),
		.rdev = S_ISCHR(ino->mode) ? ino->rdev : 0,
		.size = ino->size,
		.blocks = (ino->size + 511) / 512,
		.mode = ino->mode,
	};

	return stat_encode(&st, arch_layout, kbuf);
}

/* Encode the metadata of open file f (a pipe has no inode) into kbuf. */
static int stat_file(struct file *f, void *kbuf)
{
	struct kstat st = { .dev = PIPE_DEV, .nlink = 1, .mode = S_IFIFO | 0600 };

	if (f->inode)
		return fs_fill_stat(f->inode, fs_stat_layout, kbuf);
	pipe_file(f, &st.ino);
	return stat_encode(&st, fs_stat_layout, kbuf);
}

/* Copy an encoded stat (size n, or a negative error) to user ubuf. */
static long stat_out(vaddr_t ubuf, const void *kbuf, int n)
{
	if (n < 0)
		return n;
	return copy_to_user(ubuf, kbuf, (size_t)n) ? -EFAULT : 0;
}

long sys_fstat(const struct syscall_args *a)
{
	struct file *f = cur_file((int)a->a[0]);
	uint64_t buf[FS_STAT_SIZE_MAX / 8];

	if (!f)
		return -EBADF;
	return stat_out(a->a[1], buf, stat_file(f, buf));
}

/* newfstatat with an empty path (AT_EMPTY_PATH): the file at dirfd, or the cwd. */
static long stat_empty(int dirfd, vaddr_t ubuf)
{
	uint64_t buf[FS_STAT_SIZE_MAX / 8];
	struct file *f;

	if (dirfd == AT_FDCWD)
		return stat_out(ubuf, buf,
				fs_fill_stat(task_current()->proc->fs->cwd, fs_stat_layout, buf));
	f = cur_file(dirfd);
	if (!f)
		return -EBADF;
	return stat_out(ubuf, buf, stat_file(f, buf));
}

long sys_newfstatat(const struct syscall_args *a)
{
	unsigned long flags = a->a[3];
	uint64_t buf[FS_STAT_SIZE_MAX / 8];
	struct inode *ino;
	char *path;
	long r;

	if (flags & ~(unsigned long)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT))
		return -EINVAL;
	r = path_from_user(a->a[1], flags & AT_EMPTY_PATH, &path);
	if (r)
		return r;
	if (!path[0])
		r = stat_empty((int)a->a[0], a->a[2]);
	else if (!(r = lookup_at((int)a->a[0], path, !(flags & AT_SYMLINK_NOFOLLOW), &ino)))
		r = stat_out(a->a[2], buf, fs_fill_stat(ino, fs_stat_layout, buf));
	kfree(path);
	return r;
}

/* d_type of ino. */
static unsigned char dirent_type(const struct inode *ino)
{
	switch (ino->mode & S_IFMT) {
	case S_IFDIR:
		return DT_DIR;
	case S_IFLNK:
		return DT_LNK;
	case S_IFCHR:
		return DT_CHR;
	case S_IFIFO:
		return DT_FIFO;
	default:
		return DT_REG;
	}
}

/* Entry pos of directory dir (0 ".", 1 "..", then the children in order): the
 * inode and *name, or NULL past the end. */
static struct inode *dir_entry(struct inode *dir, uint64_t pos, const char **name)
{
	struct inode *c;

	if (pos < 2) {
		*name = pos ? ".." : ".";
		return pos ? dir->parent : dir;
	}
	pos -= 2;
	list_for_each(c, &dir->children, sibling) {
		if (pos-- == 0) {
			*name = c->name;
			return c;
		}
	}
	return NULL;
}

/* Build the linux_dirent64 record of ino called name at position pos in rec
 * (room for DIRENT_HDR + NAME_MAX + 1 rounded to 8): returns its d_reclen. */
static size_t dirent_build(char *rec, struct inode *ino, const char *name, uint64_t pos)
{
	size_t namelen = strlen(name);
	size_t reclen = ALIGN_UP(DIRENT_HDR + namelen + 1, (size_t)8);

	memset(rec, 0, reclen);
	put(rec, 0, ino->ino, 8);
	put(rec, 8, pos + 1, 8); /* d_off: the position of the next entry */
	put(rec, 16, reclen, 2);
	rec[18] = (char)dirent_type(ino);
	memcpy(rec + DIRENT_HDR, name, namelen);
	return reclen;
}

/* Copy records of f's directory from f->pos into user buf[0..count): bytes
 * written (f->pos advanced past them), -EINVAL when the first does not fit, or
 * -EFAULT (f->pos unchanged). rec is a kernel scratch record. */
static long dirents_copy(struct file *f, vaddr_t ubuf, size_t count, char *rec)
{
	uint64_t pos = f->pos;
	size_t done = 0, n;
	const char *name;
	struct inode *ino;

	while ((ino = dir_entry(f->inode, pos, &name))) {
		n = dirent_build(rec, ino, name, pos);
		if (n > count - done)
			break;
		if (copy_to_user(ubuf + done, rec, n))
			return -EFAULT;
		done += n;
		pos++;
	}
	if (done == 0 && ino)
		return -EINVAL;
	f->pos = pos;
	return (long)done;
}

long sys_getdents64(const struct syscall_args *a)
{
	struct file *f = cur_file((int)a->a[0]);
	char *rec;
	long r;

	if (!f)
		return -EBADF;
	if (!f->inode || !S_ISDIR(f->inode->mode))
		return -ENOTDIR;
	if (f->inode->nlink == 0)
		return -ENOENT;
	rec = kmalloc(ALIGN_UP(DIRENT_HDR + NAME_MAX + 1, 8));
	if (!rec)
		return -ENOMEM;
	r = dirents_copy(f, a->a[1], MIN(a->a[2], (size_t)RW_MAX), rec);
	kfree(rec);
	return r;
}
