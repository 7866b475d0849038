/* Per-process descriptor tables: lowest-free allocation and close-on-exec bits. */
#include "vfs.h"

#include "../lib/errno.h"
#include "../lib/kmem.h"
#include "../lib/kprintf.h"

/* True when fd is a valid index into a table. */
static bool fd_in_range(int fd)
{
	return fd >= 0 && fd < FD_MAX;
}

/* Note that fd (in range) is about to be opened in t. */
static void fd_extend(struct fdtable *t, int fd)
{
	if (fd >= t->end)
		t->end = fd + 1;
}

/* Set or clear fd's close-on-exec bit (fd in range). */
static void cloexec_assign(struct fdtable *t, int fd, bool on)
{
	uint64_t bit = 1ULL << (fd % 64);

	if (on)
		t->cloexec[fd / 64] |= bit;
	else
		t->cloexec[fd / 64] &= ~bit;
}

struct fdtable *fdtable_create(void)
{
	struct fdtable *t = kmalloc(sizeof(*t));

	if (t)
		t->refs = 1;
	return t;
}

struct fdtable *fdtable_copy(struct fdtable *t)
{
	struct fdtable *c = fdtable_create();

	if (!c)
		return NULL;
	c->end = t->end;
	for (int fd = 0; fd < t->end; fd++) {
		c->fd[fd] = t->fd[fd];
		if (c->fd[fd])
			file_get(c->fd[fd]);
	}
	for (size_t i = 0; i < ARRAY_SIZE(t->cloexec); i++)
		c->cloexec[i] = t->cloexec[i];
	return c;
}

void fdtable_get(struct fdtable *t)
{
	KASSERT(t->refs > 0);
	t->refs++;
}

void fdtable_put(struct fdtable *t)
{
	if (!t)
		return;
	KASSERT(t->refs > 0);
	if (--t->refs > 0)
		return;
	for (int fd = 0; fd < t->end; fd++)
		fd_close(t, fd);
	kfree(t);
}

int fd_install(struct fdtable *t, struct file *f, int min_fd, bool cloexec)
{
	if (!fd_in_range(min_fd))
		return -EINVAL;
	for (int fd = min_fd; fd < FD_MAX; fd++) {
		if (!t->fd[fd]) {
			fd_extend(t, fd);
			t->fd[fd] = f;
			cloexec_assign(t, fd, cloexec);
			return fd;
		}
	}
	return -EMFILE;
}

int fd_install_at(struct fdtable *t, struct file *f, int fd, bool cloexec)
{
	struct file *old;

	if (!fd_in_range(fd))
		return -EBADF;
	old = t->fd[fd];
	fd_extend(t, fd);
	t->fd[fd] = f;
	cloexec_assign(t, fd, cloexec);
	if (old)
		file_put(old);
	return fd;
}

struct file *fd_lookup(struct fdtable *t, int fd)
{
	return fd_in_range(fd) ? t->fd[fd] : NULL;
}

int fd_close(struct fdtable *t, int fd)
{
	struct file *f = fd_lookup(t, fd);

	if (!f)
		return -EBADF;
	t->fd[fd] = NULL;
	cloexec_assign(t, fd, false);
	file_put(f);
	return 0;
}

int fd_get_cloexec(struct fdtable *t, int fd)
{
	if (!fd_lookup(t, fd))
		return -EBADF;
	return (t->cloexec[fd / 64] >> (fd % 64)) & 1;
}

int fd_set_cloexec(struct fdtable *t, int fd, bool cloexec)
{
	if (!fd_lookup(t, fd))
		return -EBADF;
	cloexec_assign(t, fd, cloexec);
	return 0;
}

void fdtable_close_on_exec(struct fdtable *t)
{
	for (int fd = 0; fd < t->end; fd++)
		if (fd_get_cloexec(t, fd) == 1)
			fd_close(t, fd);
}
