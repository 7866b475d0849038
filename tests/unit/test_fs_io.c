/* core/fs: descriptors (dup, fcntl, close-on-exec, fork copies), pipes, vectored
 * I/O and the console's line discipline. */
#include <string.h>

#include "fs_harness.h"

#define F_DUPFD 0
#define F_GETFD 1
#define F_SETFD 2
#define F_GETFL 3
#define F_SETFL 4
#define F_DUPFD_CLOEXEC 1030
#define CWD ((unsigned long)AT_FDCWD)
#define PIPEFDS (UBUF + UBUF_SIZE - 16) /* where pipe2 stores its fds */

/* pipe2 with flags, asserting success: fds[0] read end, fds[1] write end. */
static void mkpipe(int fds[2], unsigned flags)
{
	assert_int_equal(SC(sys_pipe2, PIPEFDS, flags), 0);
	uget(PIPEFDS, fds, 2 * sizeof(int));
}

/* ---- descriptors ---- */

static void test_dup_and_fcntl(void **state)
{
	char buf[16];
	long fd;

	(void)state;
	assert_int_equal(vfs_create_file("/f", 0644, "abcdef", 6), 0);
	fd = fs_open("/f", O_RDWR, 0);
	assert_int_equal(fd, 0);
	assert_int_equal(SC(sys_dup, fd), 1);
	assert_int_equal(rd(0, buf, 2), 2);
	assert_int_equal(rd(1, buf, 2), 2); /* shared offset */
	assert_string_equal(buf, "cd");
	assert_int_equal(SC(sys_dup, 42), -EBADF);
	/* dup3 */
	assert_int_equal(SC(sys_dup3, 0, 0, 0), -EINVAL);
	assert_int_equal(SC(sys_dup3, 0, 5, 1), -EINVAL);
	assert_int_equal(SC(sys_dup3, 9, 5, 0), -EBADF);
	assert_int_equal(SC(sys_dup3, 0, FD_MAX, 0), -EBADF);
	assert_int_equal(SC(sys_dup3, 0, 5, O_CLOEXEC), 5);
	assert_int_equal(SC(sys_fcntl, 5, F_GETFD, 0), 1);
	assert_int_equal(SC(sys_fcntl, 0, F_GETFD, 0), 0);
	assert_int_equal(SC(sys_dup3, 1, 5, 0), 5); /* replaces, clears cloexec */
	assert_int_equal(SC(sys_fcntl, 5, F_GETFD, 0), 0);
	/* fcntl */
	assert_int_equal(SC(sys_fcntl, 0, F_DUPFD, 3), 3);
	assert_int_equal(SC(sys_fcntl, 0, F_DUPFD, 3), 4);
	assert_int_equal(SC(sys_fcntl, 0, F_DUPFD_CLOEXEC, 3), 6);
	assert_int_equal(SC(sys_fcntl, 6, F_GETFD, 0), 1);
	assert_int_equal(SC(sys_fcntl, 0, F_DUPFD, FD_MAX), -EINVAL);
	assert_int_equal(SC(sys_fcntl, 0, F_DUPFD, -1), -EINVAL);
	assert_int_equal(SC(sys_fcntl, 6, F_SETFD, 0), 0);
	assert_int_equal(SC(sys_fcntl, 6, F_GETFD, 0), 0);
	assert_int_equal(SC(sys_fcntl, 6, F_SETFD, 1), 0);
	assert_int_equal(SC(sys_fcntl, 0, F_GETFL, 0), O_RDWR);
	assert_int_equal(SC(sys_fcntl, 0, F_SETFL, O_APPEND | O_NONBLOCK | O_WRONLY | O_TRUNC), 0);
	assert_int_equal(SC(sys_fcntl, 1, F_GETFL, 0), O_RDWR | O_APPEND | O_NONBLOCK);
	assert_int_equal(SC(sys_fcntl, 0, F_SETFL, 0), 0);
	assert_int_equal(SC(sys_fcntl, 0, F_GETFL, 0), O_RDWR);
	assert_int_equal(SC(sys_fcntl, 0, 999, 0), -EINVAL);
	assert_int_equal(SC(sys_fcntl, 77, F_GETFD, 0), -EBADF);
	/* Close-on-exec. */
	fdtable_close_on_exec(fs_proc->files);
	assert_null(fd_lookup(fs_proc->files, 6));
	assert_non_null(fd_lookup(fs_proc->files, 5));
	assert_int_equal(SC(sys_fcntl, 6, F_GETFD, 0), -EBADF);
}

static void test_fdtable_copy_shares_offsets(void **state)
{
	struct fdtable *parent = fs_proc->files, *child;
	char buf[16];
	long fd;

	(void)state;
	assert_int_equal(vfs_create_file("/f", 0644, "0123456789", 10), 0);
	fd = fs_open("/f", O_RDONLY | O_CLOEXEC, 0);
	assert_int_equal(SC(sys_dup, fd), 1);
	child = fdtable_copy(parent);
	assert_non_null(child);
	assert_ptr_equal(fd_lookup(child, 0), fd_lookup(parent, 0));
	assert_int_equal(fd_get_cloexec(child, 0), 1);
	assert_int_equal(fd_get_cloexec(child, 1), 0);
	assert_int_equal(fd_lookup(parent, 0)->refs, 4); /* 2 fds x 2 tables */
	/* The child reads: the parent's offset moves too. */
	fs_proc->files = child;
	assert_int_equal(rd(0, buf, 4), 4);
	assert_int_equal(SC(sys_close, 0), 0); /* closing in the child only */
	fs_proc->files = parent;
	assert_int_equal(rd(0, buf, 3), 3);
	assert_string_equal(buf, "456");
	/* CLONE_FILES sharing: a reference, not a copy. */
	fdtable_get(child);
	assert_int_equal(child->refs, 2);
	fdtable_put(child);
	fdtable_put(child);
	assert_int_equal(fd_lookup(parent, 0)->refs, 2);
	assert_int_equal(fd_install(parent, NULL, -1, false), -EINVAL);
	assert_int_equal(fd_install(parent, NULL, FD_MAX, false), -EINVAL);
}

/* The highest descriptor bounds copy, close-on-exec and teardown (fdtable.end):
 * descriptors dup'd high up still reach the child, close on exec and close at the end. */
static void test_fdtable_high_fds(void **state)
{
	struct fdtable *parent = fs_proc->files, *child;
	struct file *f;

	(void)state;
	assert_int_equal(vfs_create_file("/f", 0644, NULL, 0), 0);
	assert_int_equal(fs_open("/f", O_RDONLY, 0), 0);
	f = fd_lookup(parent, 0);
	assert_int_equal(SC(sys_dup3, 0, FD_MAX - 1, O_CLOEXEC), FD_MAX - 1);
	assert_int_equal(SC(sys_dup3, 0, 200, 0), 200);
	assert_int_equal(SC(sys_close, 200), 0); /* the bound stays; the slot is empty */
	child = fdtable_copy(parent);
	assert_non_null(child);
	assert_ptr_equal(fd_lookup(child, FD_MAX - 1), f);
	assert_null(fd_lookup(child, 200));
	assert_int_equal(f->refs, 4);
	fdtable_close_on_exec(child);
	assert_null(fd_lookup(child, FD_MAX - 1));
	assert_int_equal(f->refs, 3);
	fdtable_put(child);
	assert_int_equal(f->refs, 2);
}

static void test_fdtable_copy_fault_injection(void **state)
{
	struct fdtable *child;
	size_t live;

	(void)state;
	assert_int_equal(vfs_create_file("/f", 0644, NULL, 0), 0);
	assert_int_equal(fs_open("/f", O_RDONLY, 0), 0);
	live = kmem_live_objects();
	failpoint_arm(1);
	child = fdtable_copy(fs_proc->files);
	failpoint_arm(0);
	assert_null(child);
	assert_int_equal(kmem_live_objects(), live);
	assert_int_equal(fd_lookup(fs_proc->files, 0)->refs, 1);
}

static void test_dup_fault_injection(void **state)
{
	long r;

	(void)state;
	mkpipe((int[2]){ 0 }, 0);
	/* dup allocates nothing: it never fails with ENOMEM. */
	failpoint_arm(1);
	r = SC(sys_dup, 0);
	assert_false(failpoint_fired());
	failpoint_arm(0);
	assert_int_equal(r, 2);
	/* Full table: EMFILE, references unchanged. */
	for (int i = 3; i < FD_MAX; i++)
		assert_int_equal(SC(sys_dup, 0), i);
	assert_int_equal(SC(sys_dup, 0), -EMFILE);
	assert_int_equal(SC(sys_fcntl, 0, F_DUPFD, 0), -EMFILE);
	assert_int_equal(fd_lookup(fs_proc->files, 0)->refs, FD_MAX - 1);
	assert_int_equal(SC(sys_pipe2, PIPEFDS, 0), -EMFILE);
	assert_int_equal(SC(sys_close, 5), 0);
	assert_int_equal(SC(sys_pipe2, PIPEFDS, 0), -EMFILE); /* only one free fd */
}

/* ---- pipes ---- */

static void test_pipe_flow_and_wrap(void **state)
{
	static char out[4096], in[4096];
	int fds[2];
	uint64_t frames;

	(void)state;
	uput(PIPEFDS, "\0\0\0\0\0\0\0\0", 8); /* fault the user page in first */
	frames = frames_free_count();
	mkpipe(fds, 0);
	assert_int_equal(frames_free_count(), frames - 1); /* the ring's page */
	assert_int_equal(fds[0], 0);
	assert_int_equal(fds[1], 1);
	for (size_t i = 0; i < sizeof(out); i++)
		out[i] = (char)(i * 13 + 1);
	uput(UBUF, out, 3000);
	assert_int_equal(SC(sys_write, fds[1], UBUF, 3000), 3000);
	assert_int_equal(SC(sys_read, fds[0], UBUF + 8192, 2000), 2000);
	uget(UBUF + 8192, in, 2000);
	assert_memory_equal(in, out, 2000);
	uput(UBUF, out + 3000, 1096);
	uput(UBUF + 1096, out, 2000);
	assert_int_equal(SC(sys_write, fds[1], UBUF, 3096), 3096); /* wraps */
	assert_int_equal(SC(sys_read, fds[0], UBUF + 8192, 4096), 4096);
	uget(UBUF + 8192, in, 4096);
	assert_memory_equal(in, out + 2000, 2096);
	assert_memory_equal(in + 2096, out, 2000);
	assert_int_equal(SC(sys_write, fds[0], UBUF, 1), -EBADF);
	assert_int_equal(SC(sys_read, fds[1], UBUF, 1), -EBADF);
	assert_int_equal(SC(sys_lseek, fds[0], 0, 0), -ESPIPE);
	assert_int_equal(SC(sys_fstat, fds[0], UBUF), 0);
	assert_int_equal(test_peek(UBUF + 24) & 0xffffffff, S_IFIFO | 0600);
	frames = frames_free_count();
	assert_int_equal(SC(sys_close, fds[0]), 0);
	assert_int_equal(frames_free_count(), frames);
	assert_int_equal(SC(sys_close, fds[1]), 0);
	assert_int_equal(frames_free_count(), frames + 1);
}

static void test_pipe_eof_and_epipe(void **state)
{
	char buf[16];
	int fds[2];

	(void)state;
	mkpipe(fds, 0);
	assert_int_equal(wr(fds[1], "bye"), 3);
	assert_int_equal(SC(sys_close, fds[1]), 0);
	assert_int_equal(rd(fds[0], buf, 16), 3); /* data first */
	assert_int_equal(rd(fds[0], buf, 16), 0); /* then EOF */
	assert_int_equal(SC(sys_close, fds[0]), 0);
	mkpipe(fds, 0);
	assert_int_equal(SC(sys_close, fds[0]), 0);
	assert_false(fs_proc->shared_pending & SIGBIT(SIGPIPE));
	assert_int_equal(wr(fds[1], "x"), -EPIPE);
	assert_true(fs_proc->shared_pending & SIGBIT(SIGPIPE));
}

static void test_pipe_blocking(void **state)
{
	char buf[16];
	int fds[2];
	struct file *w;

	(void)state;
	mkpipe(fds, 0);
	w = fd_lookup(fs_proc->files, fds[1]);
	/* Empty: the reader blocks without side effects. */
	assert_int_equal(SC(sys_read, fds[0], UBUF, 16), -EKBLOCK);
	assert_int_equal(fs_task->state, TASK_BLOCKED);
	/* A write (by "another process") wakes it; the re-run reads the data. */
	uput(UBUF + 100, "wake", 4);
	assert_int_equal(w->ops->write(w, UBUF + 100, 4), 4);
	assert_int_equal(fs_task->state, TASK_RUNNABLE);
	assert_int_equal(rd(fds[0], buf, 16), 4);
	assert_string_equal(buf, "wake");
	/* Closing the last writer wakes a blocked reader into EOF. */
	assert_int_equal(SC(sys_read, fds[0], UBUF, 16), -EKBLOCK);
	fs_proc->files->fd[fds[1]] = NULL;
	file_put(w);
	assert_int_equal(fs_task->state, TASK_RUNNABLE);
	assert_int_equal(rd(fds[0], buf, 16), 0);
	assert_int_equal(SC(sys_close, fds[0]), 0);
}

static void test_pipe_full_and_partial(void **state)
{
	int fds[2];
	struct file *r;
	char buf[16];

	(void)state;
	mkpipe(fds, 0);
	r = fd_lookup(fs_proc->files, fds[0]);
	assert_int_equal(SC(sys_write, fds[1], UBUF, 4090), 4090);
	/* A small write that does not fit whole blocks (PIPE_BUF atomicity) ... */
	assert_int_equal(SC(sys_write, fds[1], UBUF, 100), -EKBLOCK);
	assert_int_equal(fs_task->state, TASK_BLOCKED);
	fs_unblock();
	/* ... a large one takes what fits. */
	assert_int_equal(SC(sys_write, fds[1], UBUF, 8192), 6);
	assert_int_equal(SC(sys_write, fds[1], UBUF, 1), -EKBLOCK);
	/* A reader makes room and wakes the writer. */
	assert_int_equal(r->ops->read(r, UBUF + 20000, 10), 10);
	assert_int_equal(fs_task->state, TASK_RUNNABLE);
	assert_int_equal(SC(sys_write, fds[1], UBUF, 10), 10);
	/* Closing the read end wakes a blocked writer into EPIPE. */
	assert_int_equal(SC(sys_write, fds[1], UBUF, 1), -EKBLOCK);
	fs_proc->files->fd[fds[0]] = NULL;
	file_put(r);
	assert_int_equal(fs_task->state, TASK_RUNNABLE);
	assert_int_equal(SC(sys_write, fds[1], UBUF, 1), -EPIPE);
	(void)buf;
}

static void test_pipe_nonblock(void **state)
{
	int fds[2];

	(void)state;
	mkpipe(fds, O_NONBLOCK | O_CLOEXEC);
	assert_int_equal(SC(sys_fcntl, fds[0], F_GETFD, 0), 1);
	assert_int_equal(SC(sys_fcntl, fds[0], F_GETFL, 0), O_RDONLY | O_NONBLOCK);
	assert_int_equal(SC(sys_read, fds[0], UBUF, 16), -EAGAIN);
	assert_int_equal(SC(sys_write, fds[1], UBUF, 4096), 4096);
	assert_int_equal(SC(sys_write, fds[1], UBUF, 1), -EAGAIN);
	assert_int_equal(fs_task->state, TASK_RUNNABLE);
	assert_int_equal(SC(sys_fcntl, fds[1], F_SETFL, 0), 0);
	assert_int_equal(SC(sys_write, fds[1], UBUF, 1), -EKBLOCK);
	fs_unblock();
}

static void test_pipe2_errors(void **state)
{
	size_t live = kmem_live_objects(), frames = frames_free_count();

	(void)state;
	assert_int_equal(SC(sys_pipe2, PIPEFDS, O_APPEND), -EINVAL);
	assert_int_equal(SC(sys_pipe2, URO, 0), -EFAULT);
	assert_int_equal(SC(sys_pipe2, UBAD, 0), -EFAULT);
	assert_null(fd_lookup(fs_proc->files, 0)); /* both closed again */
	assert_null(fd_lookup(fs_proc->files, 1));
	assert_int_equal(kmem_live_objects(), live);
	assert_int_equal(frames_free_count(), frames);
}

static void test_pipe_fault_injection(void **state)
{
	size_t live = kmem_live_objects(), frames;
	long r;

	(void)state;
	uput(PIPEFDS, "\0\0\0\0\0\0\0\0", 8); /* touch the page first */
	frames = frames_free_count();
	for (unsigned long k = 1;; k++) {
		failpoint_arm(k);
		r = SC(sys_pipe2, PIPEFDS, 0);
		failpoint_arm(0);
		if (r == 0)
			break;
		assert_int_equal(r, -ENOMEM);
		assert_int_equal(kmem_live_objects(), live);
		assert_int_equal(frames_free_count(), frames);
		assert_null(fd_lookup(fs_proc->files, 0));
	}
	assert_int_equal(SC(sys_close, 0), 0);
	assert_int_equal(SC(sys_close, 1), 0);
}

/* ---- vectored I/O ---- */

/* Store iovec i {base, len} in the user array at UBUF + 4096. */
static void put_iov(int i, vaddr_t base, uint64_t len)
{
	uint64_t v[2] = { base, len };

	uput(UBUF + 4096 + 16 * (vaddr_t)i, v, sizeof(v));
}

static void test_readv_writev(void **state)
{
	const vaddr_t iov = UBUF + 4096;
	char buf[32];
	long fd;
	int fds[2];

	(void)state;
	fd = fs_open("/f", O_RDWR | O_CREAT, 0644);
	uput(UBUF, "hello world!", 12);
	put_iov(0, UBUF, 5);
	put_iov(1, UBUF + 5, 0);
	put_iov(2, UBUF + 5, 7);
	assert_int_equal(SC(sys_writev, fd, iov, 3), 12);
	assert_int_equal(SC(sys_lseek, fd, 0, 0), 0);
	put_iov(0, UBUF + 100, 3);
	put_iov(1, UBUF + 200, 20);
	assert_int_equal(SC(sys_readv, fd, iov, 2), 12);
	uget(UBUF + 100, buf, 3);
	assert_memory_equal(buf, "hel", 3);
	uget(UBUF + 200, buf, 9);
	assert_memory_equal(buf, "lo world!", 9);
	assert_int_equal(SC(sys_readv, fd, iov, 0), 0);
	assert_int_equal(SC(sys_readv, fd, iov, 1025), -EINVAL);
	assert_int_equal(SC(sys_readv, fd, iov, (unsigned long)-1), -EINVAL);
	put_iov(0, UBUF, 0x8000000000000000ULL);
	assert_int_equal(SC(sys_writev, fd, iov, 2), -EINVAL);
	put_iov(0, UBUF, 0x7fffffffffffffffULL);
	put_iov(1, UBUF, 1);
	assert_int_equal(SC(sys_writev, fd, iov, 2), -EINVAL); /* total overflows */
	/* A bad second buffer: the first transfer counts. */
	assert_int_equal(SC(sys_lseek, fd, 0, 0), 0);
	put_iov(0, UBUF, 4);
	put_iov(1, UBAD, 4);
	assert_int_equal(SC(sys_writev, fd, iov, 2), 4);
	put_iov(0, UBAD, 4);
	assert_int_equal(SC(sys_writev, fd, iov, 2), -EFAULT);
	assert_int_equal(SC(sys_writev, fd, UHOLE - 8, 2), -EFAULT);
	/* Pipes: only the first transfer may block; later ones stop short. */
	mkpipe(fds, 0);
	put_iov(0, UBUF + 100, 8);
	put_iov(1, UBUF + 200, 8);
	assert_int_equal(SC(sys_readv, fds[0], iov, 2), -EKBLOCK);
	fs_unblock();
	assert_int_equal(wr(fds[1], "12345678ab"), 10);
	assert_int_equal(SC(sys_readv, fds[0], iov, 2), 10);
	assert_int_equal(SC(sys_readv, fds[0], iov, 2), -EKBLOCK);
	fs_unblock();
	assert_int_equal(wr(fds[1], "abcdefgh"), 8);
	put_iov(1, UBUF + 200, 8);
	assert_int_equal(SC(sys_readv, fds[0], iov, 2), 8); /* second iovec would block */
	assert_int_equal(fs_task->state, TASK_RUNNABLE);
	assert_int_equal(SC(sys_fcntl, fds[0], F_GETFL, 0), O_RDONLY); /* restored */
}

/* ---- console ---- */

#define TCGETS 0x5401
#define TCSETS 0x5402
#define TCSETSF 0x5404
#define TIOCGPGRP 0x540F
#define TIOCSPGRP 0x5410
#define TIOCGWINSZ 0x5413
#define FIONREAD 0x541B
#define ICANON 2
#define ECHO 010

/* Open /dev/console read-write (fd returned). */
static long open_console(void)
{
	long fd;

	assert_int_equal(vfs_register_devices(), 0);
	fd = fs_open("/dev/console", O_RDWR, 0);
	assert_true(fd >= 0);
	return fd;
}

static void test_console_output_and_ioctls(void **state)
{
	unsigned char tio[36];
	uint16_t ws[4];
	char out[64];
	int v;
	long fd;

	(void)state;
	fd = open_console();
	console_capture_start();
	assert_int_equal(wr(fd, "a\nb"), 3);
	console_capture_stop(out, sizeof(out));
	assert_string_equal(out, "a\r\nb");
	assert_int_equal(SC(sys_ioctl, fd, TIOCGWINSZ, UBUF), 0);
	uget(UBUF, ws, sizeof(ws));
	assert_int_equal(ws[0], 24);
	assert_int_equal(ws[1], 80);
	assert_int_equal(SC(sys_ioctl, fd, TCGETS, UBUF), 0);
	uget(UBUF, tio, sizeof(tio));
	assert_true(tio[12] & ICANON); /* c_lflag */
	assert_int_equal(tio[17 + 0], 3); /* VINTR = ^C */
	assert_int_equal(SC(sys_ioctl, fd, TCGETS, URO), -EFAULT);
	assert_int_equal(SC(sys_ioctl, fd, TCSETS, UBAD), -EFAULT);
	assert_int_equal(SC(sys_ioctl, fd, 0x1234, UBUF), -ENOTTY);
	v = 42;
	uput(UBUF, &v, 4);
	assert_int_equal(SC(sys_ioctl, fd, TIOCSPGRP, UBUF), 0);
	assert_int_equal(SC(sys_ioctl, fd, TIOCGPGRP, UBUF + 8), 0);
	uget(UBUF + 8, &v, 4);
	assert_int_equal(v, 42);
	assert_int_equal(SC(sys_lseek, fd, 0, 0), -ESPIPE);
	assert_int_equal(SC(sys_write, fd, UBAD, 4), -EFAULT);
	/* /dev/null */
	assert_int_equal(fs_open("/dev/null", O_RDWR, 0), fd + 1);
	assert_int_equal(wr(fd + 1, "gone"), 4);
	assert_int_equal(SC(sys_read, fd + 1, UBUF, 4), 0);
	assert_int_equal(SC(sys_ioctl, fd + 1, TCGETS, UBUF), -ENOTTY);
}

static void test_console_canonical(void **state)
{
	char buf[64], echo[64];
	long fd;
	int n;

	(void)state;
	fd = open_console();
	assert_int_equal(SC(sys_read, fd, UBUF, 64), -EKBLOCK);
	assert_int_equal(fs_task->state, TASK_BLOCKED);
	console_capture_start();
	console_input("ab", 2);
	assert_int_equal(fs_task->state, TASK_BLOCKED); /* no line yet */
	console_input("x\177c\r", 4);                    /* erase x, Enter via ICRNL */
	console_capture_stop(echo, sizeof(echo));
	assert_string_equal(echo, "abx\b \bc\r\n");
	assert_int_equal(fs_task->state, TASK_RUNNABLE);
	assert_int_equal(SC(sys_ioctl, fd, FIONREAD, UBUF), 0);
	uget(UBUF, &n, 4);
	assert_int_equal(n, 4);
	assert_int_equal(rd(fd, buf, 2), 2); /* a short read leaves the rest */
	assert_string_equal(buf, "ab");
	assert_int_equal(rd(fd, buf, 64), 2);
	assert_string_equal(buf, "c\n");
	/* Ctrl-U kills the line; two lines are read one at a time; Ctrl-D. */
	console_capture_start();
	console_input("junk\025ok\nsecond\n", 15);
	console_input("tail\004", 5);
	console_input("\004", 1);
	console_capture_stop(echo, sizeof(echo));
	assert_int_equal(rd(fd, buf, 64), 3);
	assert_string_equal(buf, "ok\n");
	assert_int_equal(rd(fd, buf, 64), 7);
	assert_string_equal(buf, "second\n");
	assert_int_equal(rd(fd, buf, 64), 4); /* Ctrl-D ends a line without a newline */
	assert_string_equal(buf, "tail");
	assert_int_equal(rd(fd, buf, 64), 0); /* Ctrl-D on an empty line: EOF */
	/* A faulting read consumes nothing. */
	console_capture_start();
	console_input("keep\n", 5);
	console_capture_stop(echo, sizeof(echo));
	assert_int_equal(SC(sys_read, fd, URO, 64), -EFAULT);
	assert_int_equal(rd(fd, buf, 64), 5);
	/* O_NONBLOCK */
	assert_int_equal(SC(sys_fcntl, fd, F_SETFL, O_NONBLOCK), 0);
	assert_int_equal(SC(sys_read, fd, UBUF, 64), -EAGAIN);
}

static void test_console_raw_mode(void **state)
{
	unsigned char tio[36];
	char buf[64];
	long fd;

	(void)state;
	fd = open_console();
	console_input("pend", 4); /* an unfinished line */
	assert_int_equal(SC(sys_ioctl, fd, TCGETS, UBUF), 0);
	uget(UBUF, tio, sizeof(tio));
	tio[12] &= (unsigned char)~(ICANON | ECHO);
	uput(UBUF, tio, sizeof(tio));
	console_capture_start();
	assert_int_equal(SC(sys_ioctl, fd, TCSETS, UBUF), 0);
	console_input("\177z", 2); /* no editing, no echo */
	console_capture_stop(buf, sizeof(buf));
	assert_string_equal(buf, "");
	assert_int_equal(rd(fd, buf, 3), 3);
	assert_string_equal(buf, "pen");
	assert_int_equal(rd(fd, buf, 64), 3);
	assert_string_equal(buf, "d\177z");
	assert_int_equal(SC(sys_read, fd, UBUF, 64), -EKBLOCK); /* VMIN 1 */
	fs_unblock();
	tio[17 + 6] = 0; /* VMIN 0: a poll */
	uput(UBUF, tio, sizeof(tio));
	console_input("zz", 2);
	assert_int_equal(SC(sys_ioctl, fd, TCSETSF, UBUF), 0); /* flushes input */
	assert_int_equal(SC(sys_read, fd, UBUF, 64), 0);
}

static void test_console_ctrl_c(void **state)
{
	char buf[64];
	long fd;

	(void)state;
	fd = open_console();
	console_set_foreground(fs_proc->pgid);
	console_capture_start();
	console_input("abc\003", 4);
	console_capture_stop(buf, sizeof(buf));
	assert_string_equal(buf, "abc^C");
	assert_true(fs_proc->shared_pending & SIGBIT(SIGINT));
	console_capture_start();
	console_input("\034", 1);
	console_capture_stop(buf, sizeof(buf));
	assert_string_equal(buf, "^\\");
	assert_true(fs_proc->shared_pending & SIGBIT(SIGQUIT));
	console_capture_start();
	console_input("x\n", 2); /* the interrupted line was discarded */
	console_capture_stop(buf, sizeof(buf));
	assert_int_equal(rd(fd, buf, 64), 2);
	assert_string_equal(buf, "x\n");
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, fs_setup, fs_teardown)
	const struct CMUnitTest tests[] = {
		T(test_dup_and_fcntl),
		T(test_fdtable_copy_shares_offsets),
		T(test_fdtable_high_fds),
		T(test_fdtable_copy_fault_injection),
		T(test_dup_fault_injection),
		T(test_pipe_flow_and_wrap),
		T(test_pipe_eof_and_epipe),
		T(test_pipe_blocking),
		T(test_pipe_full_and_partial),
		T(test_pipe_nonblock),
		T(test_pipe2_errors),
		T(test_pipe_fault_injection),
		T(test_readv_writev),
		T(test_console_output_and_ioctls),
		T(test_console_canonical),
		T(test_console_raw_mode),
		T(test_console_ctrl_c),
	};

	return cmocka_run_group_tests_name("fs_io", tests, NULL, NULL);
}
