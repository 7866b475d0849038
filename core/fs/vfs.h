/*
 * Files: an in-memory filesystem (ramfs, filled from the initramfs cpio), open file
 * descriptions shared by fork and dup, per-process fd tables, pipes and the console.
 * File operations move data between the kernel and user addresses of the current
 * address space (copy_to_user/copy_from_user), so a bad buffer gives -EFAULT.
 */
#ifndef CLEAVE_VFS_H
#define CLEAVE_VFS_H

#include "../lib/list.h"
#include "../lib/types.h"

#define NAME_MAX 255
#define PATH_MAX 4096
#define FD_MAX 256 /* per-process descriptors (RLIMIT_NOFILE) */

/* Linux st_mode bits. */
#define S_IFMT 0170000
#define S_IFDIR 0040000
#define S_IFCHR 0020000
#define S_IFREG 0100000
#define S_IFIFO 0010000
#define S_IFLNK 0120000

/* Linux open flags (x86_64 and aarch64 differ only in O_DIRECTORY/O_NOFOLLOW etc.:
 * the per-architecture syscall tables translate those). */
#define O_ACCMODE 03
#define O_RDONLY 00
#define O_WRONLY 01
#define O_RDWR 02
#define O_CREAT 0100
#define O_EXCL 0200
#define O_NOCTTY 0400
#define O_TRUNC 01000
#define O_APPEND 02000
#define O_NONBLOCK 04000
#define O_CLOEXEC 02000000
#define O_KDIRECTORY (1u << 30) /* canonical O_DIRECTORY after per-arch translation */
#define O_KNOFOLLOW (1u << 29)  /* canonical O_NOFOLLOW after per-arch translation */

struct file;
struct inode;

/* What an open file can do; a NULL member means the operation is not supported. */
struct file_ops {
	/* Read up to n bytes into user buffer ubuf at f->pos semantics of the file;
	 * returns bytes read, 0 at end of file, -EKBLOCK to wait, or -errno. */
	long (*read)(struct file *f, vaddr_t ubuf, size_t n);
	/* Write up to n bytes from user buffer ubuf; bytes written, -EKBLOCK or -errno. */
	long (*write)(struct file *f, vaddr_t ubuf, size_t n);
	/* Called when the last reference to the open file description goes away. */
	void (*release)(struct file *f);
	/* Device control (termios...): result >= 0 or -errno; NULL gives -ENOTTY. */
	long (*ioctl)(struct file *f, unsigned long cmd, vaddr_t arg);
};

/* An open file description (shared by fork, dup and SCM-less passing). */
struct file {
	unsigned refs;
	unsigned flags;       /* O_ACCMODE | O_APPEND | O_NONBLOCK */
	uint64_t pos;         /* shared offset */
	struct inode *inode;  /* NULL for pipes */
	const struct file_ops *ops;
	void *priv;           /* pipe end, directory cursor... */
};

/* One fd table, shared by CLONE_FILES. */
struct fdtable {
	unsigned refs;
	int end; /* every fd at or above end is closed (fd_install* raise it, nothing
		    lowers it): copy, close-on-exec and teardown stop there */
	struct file *fd[FD_MAX];
	uint64_t cloexec[FD_MAX / 64];
};

/* ---- fd tables (fdtable.c) ---- */

/* A new empty table with one reference, or NULL. */
struct fdtable *fdtable_create(void);
/* A copy of t for fork: same open files (references added), same close-on-exec
 * flags; NULL on -ENOMEM. */
struct fdtable *fdtable_copy(struct fdtable *t);
/* Add a reference to t (CLONE_FILES). */
void fdtable_get(struct fdtable *t);
/* Drop a reference; the last closes every descriptor. */
void fdtable_put(struct fdtable *t);
/* Install f at the lowest free descriptor >= min_fd (the table takes the caller's
 * reference); returns the fd or -EMFILE (-EINVAL when min_fd is out of range). */
int fd_install(struct fdtable *t, struct file *f, int min_fd, bool cloexec);
/* The file at fd (borrowed reference), or NULL when fd is not open. */
struct file *fd_lookup(struct fdtable *t, int fd);
/* Close fd: 0 or -EBADF. */
int fd_close(struct fdtable *t, int fd);
/* Close every descriptor marked close-on-exec. */
void fdtable_close_on_exec(struct fdtable *t);
/* Install f at exactly fd (0 <= fd < FD_MAX), closing what was there (dup2/dup3);
 * the table takes the caller's reference. Returns fd or -EBADF. */
int fd_install_at(struct fdtable *t, struct file *f, int fd, bool cloexec);
/* Close-on-exec flag of fd: 1 or 0, or -EBADF. */
int fd_get_cloexec(struct fdtable *t, int fd);
/* Set or clear the close-on-exec flag of fd: 0 or -EBADF. */
int fd_set_cloexec(struct fdtable *t, int fd, bool cloexec);

/* ---- open file descriptions (file.c) ---- */

/* A new open file with one reference, or NULL. */
struct file *file_create(const struct file_ops *ops, struct inode *inode, unsigned flags,
			 void *priv);
/* Add a reference. */
void file_get(struct file *f);
/* Drop a reference; the last calls ops->release and frees f. */
void file_put(struct file *f);

/* ---- the in-memory filesystem (ramfs.c, cpio.c) ---- */

struct inode {
	unsigned mode;          /* S_IF* | permission bits */
	uint64_t ino;
	size_t size;
	unsigned char *data;    /* regular file bytes (kmalloc'd, size bytes) */
	const struct file_ops *fops; /* device files (console) */
	unsigned rdev;          /* device number (major << 8 | minor) of S_IFCHR inodes */
	unsigned refs;          /* open files holding the inode (file_create/file_put) */
	unsigned nlink;         /* 1 while linked in the tree, 0 once removed */
	size_t capacity;        /* bytes allocated at data (>= size) */
	struct inode *parent;   /* directories: ".."; the root is its own parent */
	struct list children;   /* directories: struct inode by sibling */
	struct list sibling;
	char name[NAME_MAX + 1];
};

/* The root directory (created empty on first use). */
struct inode *vfs_root(void);
/* Resolve path (absolute, or relative to cwd; NULL cwd = root) to an inode:
 * 0 or -ENOENT, -ENOTDIR, -ENAMETOOLONG, -ELOOP. Symlinks are followed. */
int vfs_lookup(struct inode *cwd, const char *path, struct inode **out);
/* Check access for uid 0 as Linux does (mask: 4 read, 2 write, 1 exec): execute needs
 * at least one x bit on non-directories. 0 or -EACCES. */
int vfs_permission(struct inode *ino, int mask);
/* Create (or replace) a regular file at path with the given mode and contents,
 * creating missing parent directories: 0 or -errno. */
int vfs_create_file(const char *path, unsigned mode, const void *data, size_t size);
/* Populate the filesystem from a cpio "newc" archive: 0 or -EINVAL/-ENOMEM. */
int cpio_load(const void *archive, size_t size);
/* Remove every inode (hosted tests start from an empty tree); inodes still held by
 * open files are freed when their last file closes. Also resets the console. */
void vfs_reset(void);
/* Open path (relative to cwd; NULL = root) as open(2) would with flags (O_* with the
 * canonical O_KDIRECTORY/O_KNOFOLLOW) and mode for O_CREAT: *out gets a file with
 * one reference. 0 or -errno. For the kernel (init's console) and sys_openat. */
int vfs_open(struct inode *cwd, const char *path, unsigned flags, unsigned mode,
	     struct file **out);
/* Create /dev with console, tty (both the console) and null: 0 or -errno. */
int vfs_register_devices(void);

/* ---- the console (console.c) ---- */

/* Queue n bytes typed on the console through the line discipline (echo, editing,
 * Ctrl-C...). Called by the platform from interrupt context: only queues and wakes. */
void console_input(const char *s, size_t n);
/* Set the console's foreground process group (the lead sets init's at boot). */
void console_set_foreground(int pgid);
/* Restore the console's default termios and empty its queues (tests, boot). */
void console_reset(void);

#endif
