/* core/fs: path resolution, cpio, ramfs files, stat, directories and path syscalls. */
#include <stdio.h>
#include <string.h>

#include "fs_harness.h"

#define O_RW_CREAT (O_RDWR | O_CREAT)

/* ---- cpio archive builder ---- */

struct cpio_buf {
	unsigned char data[8192];
	size_t len;
};

/* Append one newc member to b, padded as the format requires. */
static void cpio_add(struct cpio_buf *b, const char *name, unsigned mode, const void *d,
		     size_t n)
{
	char hdr[111];

	snprintf(hdr, sizeof(hdr), "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		 1u, mode, 0u, 0u, 1u, 0u, (unsigned)n, 0u, 0u, 0u, 0u,
		 (unsigned)strlen(name) + 1, 0u);
	memcpy(b->data + b->len, hdr, 110);
	b->len += 110;
	memcpy(b->data + b->len, name, strlen(name) + 1);
	b->len += strlen(name) + 1;
	b->len = (b->len + 3) & ~(size_t)3;
	if (n)
		memcpy(b->data + b->len, d, n);
	b->len += n;
	b->len = (b->len + 3) & ~(size_t)3;
}

/* A small valid archive; *end_of_trailer gets the offset where its trailer's name
 * ends (shorter archives are all invalid, longer ones cut only padding). */
static void cpio_sample(struct cpio_buf *b, size_t *end_of_trailer)
{
	b->len = 0;
	cpio_add(b, ".", S_IFDIR | 0755, NULL, 0);
	cpio_add(b, "bin", S_IFDIR | 0755, NULL, 0);
	cpio_add(b, "bin/prog", S_IFREG | 0755, "\177ELF....", 8);
	cpio_add(b, "etc/motd", S_IFREG | 0644, "hello\n", 6); /* parent not listed */
	cpio_add(b, "sbin", S_IFLNK | 0777, "bin", 3);
	cpio_add(b, "odd", S_IFREG | 0600, "12345", 5); /* data needs padding */
	*end_of_trailer = b->len + 110 + 11;
	cpio_add(b, "TRAILER!!!", 0, NULL, 0);
}

/* ---- path resolution ---- */

/* vfs_lookup from cwd, returning the errno or 0; *out when found. */
static int look(struct inode *cwd, const char *path, struct inode **out)
{
	struct inode *dummy;

	return vfs_lookup(cwd, path, out ? out : &dummy);
}

static void test_path_resolution(void **state)
{
	struct inode *file, *b, *ino;
	char name[300], *longpath;

	(void)state;
	assert_int_equal(vfs_create_file("/a/b/file", 0644, "hi", 2), 0);
	assert_int_equal(look(NULL, "/a/b/file", &file), 0);
	assert_int_equal(file->size, 2);
	assert_memory_equal(file->data, "hi", 2);
	assert_int_equal(look(NULL, "//a///b/./file", &ino), 0);
	assert_ptr_equal(ino, file);
	assert_int_equal(look(NULL, "/a/b/../b/file", &ino), 0);
	assert_ptr_equal(ino, file);
	assert_int_equal(look(NULL, "/../..", &ino), 0);
	assert_ptr_equal(ino, vfs_root());
	assert_int_equal(look(NULL, "/a/b/", &b), 0);
	assert_int_equal(look(b, "file", &ino), 0); /* relative */
	assert_ptr_equal(ino, file);
	assert_int_equal(look(b, "../../a/b/file", &ino), 0);
	assert_int_equal(look(NULL, "/a/b/file/", NULL), -ENOTDIR);
	assert_int_equal(look(NULL, "/a/b/file/.", NULL), -ENOTDIR);
	assert_int_equal(look(NULL, "/a/b/file/x", NULL), -ENOTDIR);
	assert_int_equal(look(NULL, "/a/missing", NULL), -ENOENT);
	assert_int_equal(look(NULL, "/a/missing/x", NULL), -ENOENT);
	assert_int_equal(look(NULL, "", NULL), -ENOENT);
	memset(name, 'n', sizeof(name));
	name[0] = '/';
	name[256] = 0; /* 255-byte component: fine, just missing */
	assert_int_equal(look(NULL, name, NULL), -ENOENT);
	name[256] = 'n';
	name[257] = 0; /* 256 bytes: too long */
	assert_int_equal(look(NULL, name, NULL), -ENAMETOOLONG);
	longpath = test_malloc(PATH_MAX + 1);
	for (size_t i = 0; i < PATH_MAX; i++)
		longpath[i] = i % 2 ? '/' : '.';
	longpath[PATH_MAX] = 0;
	assert_int_equal(look(NULL, longpath, NULL), -ENAMETOOLONG);
	longpath[PATH_MAX - 1] = 0; /* 4095 bytes: fine */
	assert_int_equal(look(NULL, longpath, NULL), 0);
	test_free(longpath);
}

static void test_symlinks(void **state)
{
	struct inode *ino, *file;
	char a[16], b[16];

	(void)state;
	assert_int_equal(vfs_create_file("/a/b/file", 0644, "hi", 2), 0);
	assert_int_equal(look(NULL, "/a/b/file", &file), 0);
	assert_int_equal(fs_make_node("/l", S_IFLNK | 0777, "a/b", 3, 0), 0);
	assert_int_equal(fs_make_node("/a/abs", S_IFLNK | 0777, "/a/b/file", 9, 0), 0);
	assert_int_equal(fs_make_node("/a/up", S_IFLNK | 0777, "../l", 4, 0), 0);
	assert_int_equal(fs_make_node("/dangling", S_IFLNK | 0777, "nowhere", 7, 0), 0);
	assert_int_equal(fs_make_node("/x", S_IFLNK | 0777, "y", 1, 0), 0);
	assert_int_equal(fs_make_node("/y", S_IFLNK | 0777, "x", 1, 0), 0);
	assert_int_equal(look(NULL, "/l/file", &ino), 0);
	assert_ptr_equal(ino, file);
	assert_int_equal(look(NULL, "/a/abs", &ino), 0);
	assert_ptr_equal(ino, file);
	assert_int_equal(look(NULL, "/a/up/file", &ino), 0);
	assert_ptr_equal(ino, file);
	assert_int_equal(look(NULL, "/a/abs/", NULL), -ENOTDIR);
	assert_int_equal(look(NULL, "/dangling", NULL), -ENOENT);
	assert_int_equal(look(NULL, "/x", NULL), -ELOOP);
	/* A chain s0 -> s1 -> ... -> s40 -> file: 40 links are followed, 41 are not. */
	for (int i = 0; i <= 40; i++) {
		snprintf(a, sizeof(a), "/s%d", i);
		snprintf(b, sizeof(b), "s%d", i + 1);
		if (i == 40)
			assert_int_equal(fs_make_node(a, S_IFLNK | 0777, "a/b/file", 8, 0), 0);
		else
			assert_int_equal(fs_make_node(a, S_IFLNK | 0777, b, strlen(b), 0), 0);
	}
	assert_int_equal(look(NULL, "/s1", &ino), 0);
	assert_ptr_equal(ino, file);
	assert_int_equal(look(NULL, "/s0", NULL), -ELOOP);
}

static void test_permission(void **state)
{
	struct inode *ino;

	(void)state;
	assert_int_equal(vfs_create_file("/f", 0644, NULL, 0), 0);
	assert_int_equal(vfs_create_file("/g", 0100, NULL, 0), 0);
	assert_int_equal(look(NULL, "/f", &ino), 0);
	assert_int_equal(vfs_permission(ino, 4), 0);
	assert_int_equal(vfs_permission(ino, 2), 0);
	assert_int_equal(vfs_permission(ino, 1), -EACCES);
	assert_int_equal(look(NULL, "/g", &ino), 0);
	assert_int_equal(vfs_permission(ino, 7), 0); /* root: any x bit, r/w always */
	assert_int_equal(vfs_permission(vfs_root(), 1), 0);
	assert_int_equal(vfs_create_file("/f", 0700, "new", 3), 0); /* replaces */
	assert_int_equal(look(NULL, "/f", &ino), 0);
	assert_int_equal(ino->mode, S_IFREG | 0700);
	assert_int_equal(ino->size, 3);
}

/* ---- cpio ---- */

static void test_cpio_valid(void **state)
{
	struct cpio_buf *b = test_malloc(sizeof(*b));
	struct inode *ino;
	size_t end;

	(void)state;
	cpio_sample(b, &end);
	assert_int_equal(cpio_load(b->data, b->len), 0);
	assert_int_equal(look(NULL, "/bin/prog", &ino), 0);
	assert_int_equal(ino->mode, S_IFREG | 0755);
	assert_int_equal(ino->size, 8);
	assert_memory_equal(ino->data, "\177ELF....", 8);
	assert_int_equal(look(NULL, "/etc/motd", &ino), 0);
	assert_memory_equal(ino->data, "hello\n", 6);
	assert_int_equal(look(NULL, "/sbin/prog", &ino), 0); /* through the symlink */
	assert_int_equal(look(NULL, "/odd", &ino), 0);
	assert_memory_equal(ino->data, "12345", 5);
	/* Loading twice replaces; trailing zero padding and a second archive are fine. */
	memset(b->data + b->len, 0, 512);
	assert_int_equal(cpio_load(b->data, b->len + 512), 0);
	test_free(b);
}

/* Assert the tree is empty (a failed load created nothing). */
static void assert_tree_empty(void)
{
	assert_true(list_empty(&vfs_root()->children));
}

static void test_cpio_truncated(void **state)
{
	struct cpio_buf *b = test_malloc(sizeof(*b));
	size_t end;

	(void)state;
	cpio_sample(b, &end);
	for (size_t len = 0; len < end; len++) {
		assert_int_equal(cpio_load(b->data, len), -EINVAL);
		assert_tree_empty();
	}
	for (size_t len = end; len <= b->len; len++) {
		assert_int_equal(cpio_load(b->data, len), 0);
		vfs_reset();
	}
	assert_int_equal(cpio_load(NULL, 0), -EINVAL);
	test_free(b);
}

/* Load a copy of b with byte off replaced by c: the result. */
static int cpio_corrupt(const struct cpio_buf *b, size_t off, char c)
{
	struct cpio_buf *x = test_malloc(sizeof(*x));
	int r;

	memcpy(x, b, sizeof(*x));
	x->data[off] = (unsigned char)c;
	r = cpio_load(x->data, x->len);
	test_free(x);
	vfs_reset();
	return r;
}

static void test_cpio_corrupt(void **state)
{
	struct cpio_buf *b = test_malloc(sizeof(*b));
	size_t end;

	(void)state;
	cpio_sample(b, &end);
	assert_int_equal(cpio_corrupt(b, 5, '2'), -EINVAL);        /* magic 070702 */
	assert_int_equal(cpio_corrupt(b, 6 + 3, 'g'), -EINVAL);    /* non-hex ino */
	assert_int_equal(cpio_corrupt(b, 6 + 8 * 11, 'F'), -EINVAL); /* namesize huge */
	assert_int_equal(cpio_corrupt(b, 6 + 8 * 6, 'F'), -EINVAL);  /* filesize huge */
	assert_int_equal(cpio_corrupt(b, 110 + 1, 'x'), -EINVAL);  /* name NUL missing */
	assert_int_equal(cpio_corrupt(b, end - 1, 'X'), -EINVAL);  /* no trailer */
	/* Single malformed members. */
	b->len = 0;
	cpio_add(b, "d", S_IFDIR | 0755, "data", 4); /* a directory with data */
	cpio_add(b, "TRAILER!!!", 0, NULL, 0);
	assert_int_equal(cpio_load(b->data, b->len), -EINVAL);
	b->len = 0;
	cpio_add(b, "l", S_IFLNK | 0777, NULL, 0); /* an empty symlink */
	cpio_add(b, "TRAILER!!!", 0, NULL, 0);
	assert_int_equal(cpio_load(b->data, b->len), -EINVAL);
	b->len = 0;
	cpio_add(b, "", S_IFREG | 0644, NULL, 0); /* namesize 1, empty name */
	cpio_add(b, "TRAILER!!!", 0, NULL, 0);
	assert_int_equal(cpio_load(b->data, b->len), -EINVAL);
	b->len = 0;
	cpio_add(b, "f", S_IFREG | 0644, "x", 1);
	memcpy(b->data + 6 + 8 * 11, "00000000", 8); /* namesize 0 */
	cpio_add(b, "TRAILER!!!", 0, NULL, 0);
	assert_int_equal(cpio_load(b->data, b->len), -EINVAL);
	assert_tree_empty();
	test_free(b);
}

static void test_cpio_fault_injection(void **state)
{
	struct cpio_buf *b = test_malloc(sizeof(*b));
	size_t end, live = kmem_live_objects();
	int r;

	(void)state;
	cpio_sample(b, &end);
	for (unsigned long k = 1;; k++) {
		failpoint_arm(k);
		r = cpio_load(b->data, b->len);
		failpoint_arm(0);
		vfs_reset();
		assert_int_equal(kmem_live_objects(), live);
		if (r == 0)
			break;
		assert_int_equal(r, -ENOMEM);
	}
	test_free(b);
}

/* ---- files through the syscalls ---- */

static void test_open_read_write(void **state)
{
	char buf[64];
	long fd, fd2;
	struct inode *ino;

	(void)state;
	fd = fs_open("/f", O_RW_CREAT, 0666);
	assert_int_equal(fd, 0);
	assert_int_equal(wr(fd, "hello"), 5);
	assert_int_equal(SC(sys_lseek, fd, 0, 0), 0);
	assert_int_equal(rd(fd, buf, 64), 5);
	assert_string_equal(buf, "hello");
	assert_int_equal(rd(fd, buf, 64), 0); /* end of file */
	assert_int_equal(SC(sys_lseek, fd, 10, 0), 10);
	assert_int_equal(wr(fd, "X"), 1); /* grows with a zero gap */
	assert_int_equal(look(NULL, "/f", &ino), 0);
	assert_int_equal(ino->size, 11);
	assert_memory_equal(ino->data, "hello\0\0\0\0\0X", 11);
	assert_int_equal(ino->mode, S_IFREG | 0644); /* umask 022 */
	assert_int_equal(SC(sys_lseek, fd, -1, 2), 10);
	assert_int_equal(SC(sys_lseek, fd, -2, 1), 8);
	assert_int_equal(SC(sys_lseek, fd, -9, 1), -EINVAL);
	assert_int_equal(SC(sys_lseek, fd, 0, 3), -EINVAL);
	assert_int_equal(SC(sys_lseek, fd, 0x7fffffffffffffffL, 2), -EINVAL);
	assert_int_equal(SC(sys_lseek, 99, 0, 0), -EBADF);
	/* Many writes grow the file past its capacity. */
	for (int i = 0; i < 100; i++)
		assert_int_equal(wr(fd, "0123456789"), 10);
	assert_int_equal(ino->size, 8 + 1000);
	/* O_APPEND, O_TRUNC, O_EXCL. */
	fd2 = fs_open("/f", O_WRONLY | O_APPEND, 0);
	assert_int_equal(fd2, 1);
	assert_int_equal(wr(fd2, "END"), 3);
	assert_int_equal(ino->size, 1011);
	assert_memory_equal(ino->data + 1008, "END", 3);
	assert_int_equal(SC(sys_read, fd2, UBUF, 1), -EBADF); /* write-only */
	assert_int_equal(fs_open("/f", O_RW_CREAT | O_EXCL, 0644), -EEXIST);
	fd2 = fs_open("/f", O_RDONLY | O_TRUNC, 0);
	assert_int_equal(fd2, 2);
	assert_int_equal(ino->size, 0);
	assert_int_equal(SC(sys_write, fd2, UBUF, 1), -EBADF); /* read-only */
	assert_int_equal(SC(sys_close, fd2), 0);
	assert_int_equal(SC(sys_close, fd2), -EBADF);
	assert_int_equal(SC(sys_close, fd), 0);
	assert_int_equal(SC(sys_close, 1), 0);
}

static void test_open_errors(void **state)
{
	(void)state;
	assert_int_equal(vfs_create_file("/d/f", 0644, "x", 1), 0);
	assert_int_equal(fs_make_node("/lnk", S_IFLNK | 0777, "d/f", 3, 0), 0);
	assert_int_equal(fs_open("/nope", O_RDONLY, 0), -ENOENT);
	assert_int_equal(fs_open("/nope/x", O_RW_CREAT, 0644), -ENOENT);
	assert_int_equal(fs_open("/d/f/x", O_RW_CREAT, 0644), -ENOTDIR);
	assert_int_equal(fs_open("", O_RDONLY, 0), -ENOENT);
	assert_int_equal(fs_open("/d", O_WRONLY, 0), -EISDIR);
	assert_int_equal(fs_open("/d", O_RDONLY | O_CREAT, 0), -EISDIR);
	assert_int_equal(fs_open("/new/", O_RW_CREAT, 0644), -EISDIR);
	assert_int_equal(fs_open("/d/f", O_RDONLY | O_KDIRECTORY, 0), -ENOTDIR);
	assert_int_equal(fs_open("/d/f/", O_RDONLY, 0), -ENOTDIR);
	assert_int_equal(fs_open("/lnk", O_RDONLY | O_KNOFOLLOW, 0), -ELOOP);
	assert_int_equal(fs_open("/lnk", O_RDONLY | O_CREAT | O_KNOFOLLOW, 0), -ELOOP);
	assert_int_equal(fs_open("/lnk", O_RDONLY | O_CREAT | O_EXCL, 0), -EEXIST);
	assert_int_equal(fs_open("/lnk", O_RDONLY, 0), 0);
	assert_int_equal(fs_open("/lnk", O_RDWR | O_CREAT, 0), 1); /* follows */
	assert_int_equal(fs_open("/d", O_RDONLY | O_KDIRECTORY, 0), 2);
	assert_int_equal(SC(sys_read, 2, UBUF, 10), -EISDIR);
	assert_int_equal(SC(sys_openat, 0, ustr("f"), O_RDONLY, 0), -ENOTDIR); /* fd 0: file */
	assert_int_equal(SC(sys_openat, 2, ustr("f"), O_RDONLY, 0), 3);       /* fd 2: /d */
	assert_int_equal(SC(sys_openat, 77, ustr("f"), O_RDONLY, 0), -EBADF);
	assert_int_equal(SC(sys_openat, 77, ustr("/d/f"), O_RDONLY, 0), 4); /* absolute */
	assert_int_equal(SC(sys_openat, (unsigned long)AT_FDCWD, UBAD, O_RDONLY, 0), -EFAULT);
}

static void test_open_emfile_and_lowest_fd(void **state)
{
	(void)state;
	assert_int_equal(vfs_create_file("/f", 0644, NULL, 0), 0);
	for (int i = 0; i < FD_MAX; i++)
		assert_int_equal(fs_open("/f", O_RDONLY, 0), i);
	assert_int_equal(fs_open("/f", O_RDONLY, 0), -EMFILE);
	assert_int_equal(fs_open("/g", O_RW_CREAT, 0644), -EMFILE);
	assert_int_equal(look(NULL, "/g", NULL), -ENOENT); /* nothing created */
	assert_int_equal(SC(sys_close, 7), 0);
	assert_int_equal(SC(sys_close, 3), 0);
	assert_int_equal(fs_open("/f", O_RDONLY, 0), 3);
	assert_int_equal(fs_open("/f", O_RDONLY, 0), 7);
}

static void test_open_fault_injection(void **state)
{
	vaddr_t path = ustr("/d/new");
	size_t live;
	long r;

	(void)state;
	assert_int_equal(vfs_create_file("/d/f", 0644, "x", 1), 0);
	live = kmem_live_objects();
	for (unsigned long k = 1;; k++) {
		failpoint_arm(k);
		r = SC(sys_openat, (unsigned long)AT_FDCWD, path, O_RW_CREAT | O_EXCL, 0644);
		failpoint_arm(0);
		if (r >= 0)
			break;
		assert_int_equal(r, -ENOMEM);
		assert_int_equal(look(NULL, "/d/new", NULL), -ENOENT);
		assert_int_equal(kmem_live_objects(), live);
	}
	assert_int_equal(r, 0);
	assert_int_equal(SC(sys_close, 0), 0);
}

/* ---- stat ---- */

/* Field of a stat buffer at off, n bytes. */
static uint64_t field(const unsigned char *b, size_t off, size_t n)
{
	uint64_t v = 0;

	memcpy(&v, b + off, n);
	return v;
}

static void test_stat_layouts(void **state)
{
	unsigned char st[144];
	struct inode *ino;
	long fd;

	(void)state;
	assert_int_equal(vfs_create_file("/d/f", 0640, "12345", 5), 0);
	assert_int_equal(fs_make_node("/lnk", S_IFLNK | 0777, "d/f", 3, 0), 0);
	assert_int_equal(look(NULL, "/d/f", &ino), 0);
	fd = fs_open("/d/f", O_RDONLY, 0);
	assert_int_equal(SC(sys_fstat, fd, UBUF), 0);
	uget(UBUF, st, 144);
	assert_int_equal(field(st, 8, 8), ino->ino);
	assert_int_equal(field(st, 16, 8), 1);            /* nlink */
	assert_int_equal(field(st, 24, 4), S_IFREG | 0640);
	assert_int_equal(field(st, 48, 8), 5);            /* size */
	assert_int_equal(field(st, 56, 8), 4096);         /* blksize */
	assert_int_equal(field(st, 64, 8), 1);            /* blocks */
	fs_stat_layout = FS_STAT_AARCH64;
	memset(st, 0xee, sizeof(st));
	uput(UBUF, st, sizeof(st));
	assert_int_equal(SC(sys_newfstatat, (unsigned long)AT_FDCWD, ustr("/lnk"), UBUF, 0), 0);
	uget(UBUF, st, 144);
	assert_int_equal(field(st, 8, 8), ino->ino);
	assert_int_equal(field(st, 16, 4), S_IFREG | 0640);
	assert_int_equal(field(st, 20, 4), 1);
	assert_int_equal(field(st, 48, 8), 5);
	assert_int_equal(field(st, 56, 4), 4096);
	assert_int_equal(field(st, 128, 8), 0xeeeeeeeeeeeeeeeeULL); /* 128 bytes only */
	assert_int_equal(SC(sys_newfstatat, (unsigned long)AT_FDCWD, ustr("/lnk"), UBUF,
			    AT_SYMLINK_NOFOLLOW), 0);
	uget(UBUF, st, 128);
	assert_int_equal(field(st, 16, 4), S_IFLNK | 0777);
	assert_int_equal(field(st, 48, 8), 3);
	assert_int_equal(SC(sys_newfstatat, (unsigned long)AT_FDCWD, ustr("/d"), UBUF, 0), 0);
	uget(UBUF, st, 128);
	assert_int_equal(field(st, 16, 4), S_IFDIR | 0755);
	assert_int_equal(field(st, 20, 4), 2);
	assert_int_equal(SC(sys_newfstatat, (unsigned long)AT_FDCWD, ustr("/"), UBUF, 0), 0);
	uget(UBUF, st, 128);
	assert_int_equal(field(st, 20, 4), 3); /* 2 + "/d" */
	/* AT_EMPTY_PATH on an fd and on the cwd; an empty path without it. */
	assert_int_equal(SC(sys_newfstatat, fd, ustr(""), UBUF, AT_EMPTY_PATH), 0);
	uget(UBUF, st, 128);
	assert_int_equal(field(st, 8, 8), ino->ino);
	assert_int_equal(SC(sys_newfstatat, (unsigned long)AT_FDCWD, ustr(""), UBUF,
			    AT_EMPTY_PATH), 0);
	assert_int_equal(SC(sys_newfstatat, fd, ustr(""), UBUF, 0), -ENOENT);
	assert_int_equal(SC(sys_newfstatat, 99, ustr(""), UBUF, AT_EMPTY_PATH), -EBADF);
	assert_int_equal(SC(sys_newfstatat, fd, ustr("/d"), UBUF, 0x4), -EINVAL);
	assert_int_equal(SC(sys_newfstatat, fd, ustr("/d"), URO, 0), -EFAULT);
	assert_int_equal(SC(sys_newfstatat, fd, UBAD, UBUF, 0), -EFAULT);
	assert_int_equal(SC(sys_fstat, fd, UHOLE), -EFAULT);
	assert_int_equal(SC(sys_fstat, 42, UBUF), -EBADF);
	assert_int_equal(fs_fill_stat(ino, 7, st), -EINVAL);
	assert_int_equal(SC(sys_close, fd), 0);
}

/* ---- directories ---- */

/* Parse linux_dirent64 records in b[0..n) into "name:type," pairs in out. */
static void dirents_text(const unsigned char *b, long n, char *out, size_t size)
{
	out[0] = 0;
	for (long off = 0; off < n;) {
		unsigned reclen = (unsigned)field(b, off + 16, 2);
		char item[300];

		assert_true(reclen % 8 == 0 && reclen >= 24);
		snprintf(item, sizeof(item), "%s:%u,", (const char *)b + off + 19, b[off + 18]);
		strncat(out, item, size - strlen(out) - 1);
		off += reclen;
	}
}

static void test_getdents64(void **state)
{
	unsigned char b[512];
	char text[512];
	long fd, n;

	(void)state;
	assert_int_equal(vfs_create_file("/d/file", 0644, NULL, 0), 0);
	assert_int_equal(fs_make_node("/d/sub", S_IFDIR | 0755, NULL, 0, 0), 0);
	assert_int_equal(fs_make_node("/d/lnk", S_IFLNK | 0777, "file", 4, 0), 0);
	fd = fs_open("/d", O_RDONLY | O_KDIRECTORY, 0);
	n = SC(sys_getdents64, fd, UBUF, sizeof(b));
	assert_true(n > 0);
	uget(UBUF, b, (size_t)n);
	dirents_text(b, n, text, sizeof(text));
	assert_string_equal(text, ".:4,..:4,file:8,sub:4,lnk:10,");
	assert_int_equal(SC(sys_getdents64, fd, UBUF, sizeof(b)), 0); /* at the end */
	/* Rewind; a buffer too small for one record; two records at a time. */
	assert_int_equal(SC(sys_lseek, fd, 0, 0), 0);
	assert_int_equal(SC(sys_getdents64, fd, UBUF, 10), -EINVAL);
	n = SC(sys_getdents64, fd, UBUF, 48);
	assert_int_equal(n, 48);
	uget(UBUF, b, 48);
	dirents_text(b, n, text, sizeof(text));
	assert_string_equal(text, ".:4,..:4,");
	n = SC(sys_getdents64, fd, UBUF, 64);
	uget(UBUF, b, (size_t)n);
	dirents_text(b, n, text, sizeof(text));
	assert_string_equal(text, "file:8,sub:4,");
	assert_int_equal(SC(sys_getdents64, fd, UHOLE, 64), -EFAULT);
	n = SC(sys_getdents64, fd, UBUF, 64); /* the fault consumed nothing */
	uget(UBUF, b, (size_t)n);
	dirents_text(b, n, text, sizeof(text));
	assert_string_equal(text, "lnk:10,");
	assert_int_equal(SC(sys_lseek, fd, 0, 2), -EINVAL); /* no SEEK_END on dirs */
	assert_int_equal(SC(sys_getdents64, fs_open("/d/file", O_RDONLY, 0), UBUF, 64),
			 -ENOTDIR);
	assert_int_equal(SC(sys_getdents64, 50, UBUF, 64), -EBADF);
}

/* getcwd into UBUF with size; the result, and the string in out when it succeeds. */
static long getcwd_str(size_t size, char *out)
{
	long r = SC(sys_getcwd, UBUF, size);

	out[0] = 0;
	if (r > 0)
		uget(UBUF, out, (size_t)r);
	return r;
}

static void test_cwd(void **state)
{
	char buf[64];
	long fd;

	(void)state;
	assert_int_equal(vfs_create_file("/a/b/f", 0644, NULL, 0), 0);
	assert_int_equal(getcwd_str(64, buf), 2);
	assert_string_equal(buf, "/");
	assert_int_equal(SC(sys_chdir, ustr("/a//b/")), 0);
	assert_int_equal(getcwd_str(64, buf), 5);
	assert_string_equal(buf, "/a/b");
	assert_int_equal(getcwd_str(5, buf), 5);
	assert_int_equal(getcwd_str(4, buf), -ERANGE);
	assert_int_equal(getcwd_str(0, buf), -ERANGE);
	assert_int_equal(SC(sys_getcwd, URO, 64), -EFAULT);
	assert_int_equal(fs_open("f", O_RDONLY, 0), 0); /* relative to the new cwd */
	assert_int_equal(SC(sys_chdir, ustr("f")), -ENOTDIR);
	assert_int_equal(SC(sys_chdir, ustr("nope")), -ENOENT);
	assert_int_equal(SC(sys_chdir, UBAD), -EFAULT);
	assert_int_equal(SC(sys_chdir, ustr("..")), 0);
	assert_int_equal(getcwd_str(64, buf), 3);
	assert_string_equal(buf, "/a");
	fd = fs_open("/a/b", O_RDONLY, 0);
	assert_int_equal(SC(sys_fchdir, fd), 0);
	assert_int_equal(getcwd_str(64, buf), 5);
	assert_int_equal(SC(sys_fchdir, 0), -ENOTDIR);
	assert_int_equal(SC(sys_fchdir, 99), -EBADF);
	/* A removed cwd. */
	assert_int_equal(SC(sys_unlinkat, (unsigned long)AT_FDCWD, ustr("f"), 0), 0);
	assert_int_equal(SC(sys_unlinkat, (unsigned long)AT_FDCWD, ustr("/a/b"), AT_REMOVEDIR),
			 0);
	assert_int_equal(getcwd_str(64, buf), -ENOENT);
	assert_int_equal(fs_open("x", O_RW_CREAT, 0644), -ENOENT);
	assert_int_equal(SC(sys_getdents64, fd, UBUF, 64), -ENOENT);
	assert_int_equal(SC(sys_chdir, ustr("/")), 0);
	assert_int_equal(SC(sys_close, fd), 0);
	assert_int_equal(SC(sys_close, 0), 0); /* the unlinked file is freed now */
}

static void test_mkdir_unlink(void **state)
{
	struct inode *ino;
	char buf[8];
	long fd;
	const unsigned long cwd = (unsigned long)AT_FDCWD;

	(void)state;
	assert_int_equal(SC(sys_mkdirat, cwd, ustr("/d"), 0777), 0);
	assert_int_equal(look(NULL, "/d", &ino), 0);
	assert_int_equal(ino->mode, S_IFDIR | 0755);
	assert_int_equal(SC(sys_mkdirat, cwd, ustr("/d/e/"), 0700), 0);
	assert_int_equal(SC(sys_mkdirat, cwd, ustr("/d"), 0777), -EEXIST);
	assert_int_equal(SC(sys_mkdirat, cwd, ustr("/"), 0777), -EEXIST);
	assert_int_equal(SC(sys_mkdirat, cwd, ustr("/x/y"), 0777), -ENOENT);
	assert_int_equal(SC(sys_mkdirat, cwd, UBAD, 0777), -EFAULT);
	fd = fs_open("/d/f", O_RW_CREAT, 0644);
	assert_int_equal(wr(fd, "data"), 4);
	assert_int_equal(SC(sys_mkdirat, cwd, ustr("/d/f/g"), 0777), -ENOTDIR);
	assert_int_equal(SC(sys_unlinkat, cwd, ustr("/d"), 0), -EISDIR);
	assert_int_equal(SC(sys_unlinkat, cwd, ustr("/d"), AT_REMOVEDIR), -ENOTEMPTY);
	assert_int_equal(SC(sys_unlinkat, cwd, ustr("/d/f"), AT_REMOVEDIR), -ENOTDIR);
	assert_int_equal(SC(sys_unlinkat, cwd, ustr("/d/f/"), 0), -ENOTDIR);
	assert_int_equal(SC(sys_unlinkat, cwd, ustr("/d/."), AT_REMOVEDIR), -EINVAL);
	assert_int_equal(SC(sys_unlinkat, cwd, ustr("/d/.."), AT_REMOVEDIR), -ENOTEMPTY);
	assert_int_equal(SC(sys_unlinkat, cwd, ustr("/"), AT_REMOVEDIR), -EBUSY);
	assert_int_equal(SC(sys_unlinkat, cwd, ustr("/d/nope"), 0), -ENOENT);
	assert_int_equal(SC(sys_unlinkat, cwd, ustr("/d/f"), 1), -EINVAL);
	assert_int_equal(SC(sys_unlinkat, cwd, UBAD, 0), -EFAULT);
	/* An unlinked open file stays readable until closed. */
	assert_int_equal(SC(sys_unlinkat, cwd, ustr("/d/f"), 0), 0);
	assert_int_equal(look(NULL, "/d/f", NULL), -ENOENT);
	assert_int_equal(SC(sys_lseek, fd, 0, 0), 0);
	assert_int_equal(rd(fd, buf, 8), 4);
	assert_string_equal(buf, "data");
	assert_int_equal(SC(sys_close, fd), 0);
	assert_int_equal(SC(sys_unlinkat, cwd, ustr("/d/e/"), AT_REMOVEDIR), 0);
	assert_int_equal(SC(sys_unlinkat, cwd, ustr("/d"), AT_REMOVEDIR), 0);
	assert_tree_empty();
}

static void test_faccessat(void **state)
{
	const unsigned long cwd = (unsigned long)AT_FDCWD;

	(void)state;
	assert_int_equal(vfs_create_file("/f", 0644, NULL, 0), 0);
	assert_int_equal(vfs_create_file("/x", 0755, NULL, 0), 0);
	assert_int_equal(SC(sys_faccessat, cwd, ustr("/f"), 0), 0);
	assert_int_equal(SC(sys_faccessat, cwd, ustr("/f"), 6), 0);
	assert_int_equal(SC(sys_faccessat, cwd, ustr("/f"), 1), -EACCES);
	assert_int_equal(SC(sys_faccessat, cwd, ustr("/x"), 1), 0);
	assert_int_equal(SC(sys_faccessat, cwd, ustr("/nope"), 0), -ENOENT);
	assert_int_equal(SC(sys_faccessat, cwd, ustr("/f"), 8), -EINVAL);
	assert_int_equal(SC(sys_faccessat, cwd, UBAD, 0), -EFAULT);
}

/* Bad buffers for read/write/readv/writev on a regular file. */
static void test_rw_efault(void **state)
{
	long fd;

	(void)state;
	fd = fs_open("/f", O_RW_CREAT, 0644);
	assert_int_equal(wr(fd, "abc"), 3);
	assert_int_equal(SC(sys_write, fd, UBAD, 3), -EFAULT);
	assert_int_equal(SC(sys_write, fd, (vaddr_t)-16, 3), -EFAULT);
	assert_int_equal(SC(sys_lseek, fd, 0, 0), 0);
	assert_int_equal(SC(sys_read, fd, URO, 3), -EFAULT);
	assert_int_equal(SC(sys_read, fd, UHOLE, 3), -EFAULT);
	assert_int_equal(SC(sys_lseek, fd, 0, 1), 0); /* nothing consumed */
	assert_int_equal(SC(sys_readv, fd, UBAD, 1), -EFAULT);
	assert_int_equal(SC(sys_writev, fd, UBAD, 1), -EFAULT);
	assert_int_equal(SC(sys_ioctl, fd, 0x5401, UBUF), -ENOTTY);
	assert_int_equal(SC(sys_ioctl, 99, 0x5401, UBUF), -EBADF);
	assert_int_equal(SC(sys_close, fd), 0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, fs_setup, fs_teardown)
	const struct CMUnitTest tests[] = {
		T(test_path_resolution),
		T(test_symlinks),
		T(test_permission),
		T(test_cpio_valid),
		T(test_cpio_truncated),
		T(test_cpio_corrupt),
		T(test_cpio_fault_injection),
		T(test_open_read_write),
		T(test_open_errors),
		T(test_open_emfile_and_lowest_fd),
		T(test_open_fault_injection),
		T(test_stat_layouts),
		T(test_getdents64),
		T(test_cwd),
		T(test_mkdir_unlink),
		T(test_faccessat),
		T(test_rw_efault),
	};

	return cmocka_run_group_tests_name("fs", tests, NULL, NULL);
}
