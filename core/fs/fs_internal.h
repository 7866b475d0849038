/* core/fs's internal interface between its files (not for other subsystems). */
#ifndef CLEAVE_FS_INTERNAL_H
#define CLEAVE_FS_INTERNAL_H

#include "vfs.h"

#define SYMLOOP_MAX 40        /* symlinks followed in one lookup before -ELOOP */
#define FS_UMASK 0022         /* Linux's default umask (there is no umask call yet) */
#define FS_FILE_MAX ((size_t)64 << 20) /* largest ramfs file: -EFBIG beyond */
#define PIPE_BUF 4096         /* writes up to this size are atomic */
#define RW_MAX 0x7ffff000UL   /* Linux's MAX_RW_COUNT: longer transfers are cut */

#define S_ISDIR(m) (((m) & S_IFMT) == S_IFDIR)
#define S_ISREG(m) (((m) & S_IFMT) == S_IFREG)
#define S_ISLNK(m) (((m) & S_IFMT) == S_IFLNK)
#define S_ISCHR(m) (((m) & S_IFMT) == S_IFCHR)

/* ---- ramfs.c: the inode tree ---- */

/* The child of directory dir called name[0..len), or NULL. */
struct inode *ramfs_child(struct inode *dir, const char *name, size_t len);
/* Create an inode (mode gives its type) called name[0..len) in dir, which must not
 * have such a child: 0 or -ENOMEM (-ENAMETOOLONG for a long name, -ENOENT when dir
 * was removed). */
int ramfs_new(struct inode *dir, const char *name, size_t len, unsigned mode,
	      struct inode **out);
/* Unlink ino from its directory; it is freed now or when its last open file closes
 * (removed directories are kept until vfs_reset: a cwd may still point at them). */
void ramfs_unlink(struct inode *ino);
/* Make a regular file's data hold at least size bytes (new bytes zero, size field
 * unchanged): 0, -ENOMEM or -EFBIG. */
int ramfs_reserve(struct inode *ino, size_t size);
/* Set a regular file's size to 0 and free its data. */
void ramfs_truncate(struct inode *ino);
/* Add an open-file reference to ino. */
void inode_get(struct inode *ino);
/* Drop an open-file reference; frees an unlinked inode on the last one. */
void inode_put(struct inode *ino);
/* Number of links: 2 + subdirectories for a directory, 1 otherwise. */
unsigned inode_nlink(struct inode *ino);

/* ---- populate.c ---- */

/* Create or replace the node at path (parents created): type and permissions from
 * mode, contents (file data or symlink target) data[0..size), device number rdev of
 * a character device. 0 or -errno. */
int fs_make_node(const char *path, unsigned mode, const void *data, size_t size,
		 unsigned rdev);

/* ---- namei.c: path resolution ---- */

/* Resolve path[0..len) from dir (NULL = root): follow a final symlink when
 * follow. 0 or -ENOENT/-ENOTDIR/-ENAMETOOLONG/-ELOOP. */
int namei(struct inode *dir, const char *path, size_t len, bool follow,
	  struct inode **out);
/* The last component of a path and the directory that holds it. */
struct nameparent {
	struct inode *dir;
	const char *name;    /* points into the path; "" for "/" */
	size_t len;
	bool trailing_slash; /* the path ended in '/' */
};
/* Resolve everything but the last component of path (NUL-terminated) from dir:
 * 0 or -errno; np->dir is a directory. */
int namei_parent(struct inode *dir, const char *path, struct nameparent *np);
/* True when the component is "." or "..". */
bool name_is_dot(const char *name, size_t len);

/* ---- file.c: generic regular-file and directory operations ---- */

extern const struct file_ops ramfs_file_ops;
extern const struct file_ops ramfs_dir_ops;

/* ---- pipe.c ---- */

/* A new pipe: *rd and *wr get its read and write ends (flags: O_NONBLOCK). 0 or
 * -ENOMEM, nothing allocated on failure. */
int pipe_create(unsigned flags, struct file **rd, struct file **wr);
/* True when f is an end of a pipe; *id gets a number unique to the pipe. */
bool pipe_file(const struct file *f, uint64_t *id);

/* ---- sys_common.c: helpers of the syscall handlers ---- */

/* The current process's fd table. */
struct fdtable *cur_files(void);
/* The open file at fd in the current table, or NULL. */
struct file *cur_file(int fd);
/* Copy a user path into a new PATH_MAX buffer (*out, kfree it): 0, -EFAULT,
 * -ENAMETOOLONG, -ENOMEM; an empty path gives -ENOENT unless allow_empty. */
int path_from_user(vaddr_t upath, bool allow_empty, char **out);
/* The directory relative paths start from for dirfd (AT_FDCWD: the cwd): 0,
 * -EBADF or -ENOTDIR (only checked when path is relative). */
int dirfd_start(int dirfd, const char *path, struct inode **out);
/* Resolve the kernel copy of a non-empty path from dirfd (following a final symlink
 * when follow): 0 or -errno. */
int lookup_at(int dirfd, const char *path, bool follow, struct inode **out);

/* ---- console.c ---- */

#define DEV_NULL ((1u << 8) | 3)
#define DEV_TTY ((5u << 8) | 0)
#define DEV_CONSOLE ((5u << 8) | 1)

/* Operations of the character device rdev, or NULL when there is none. */
const struct file_ops *dev_lookup(unsigned rdev);

#endif
