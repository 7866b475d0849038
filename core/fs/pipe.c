/* Pipes: a one-page ring buffer with a read end and a write end. Handlers block
 * (sched_block) before changing anything, so a re-run after a wake starts clean. */
#include "fs_internal.h"

#include "../lib/errno.h"
#include "../lib/kmem.h"
#include "../lib/kprintf.h"
#include "../mm/frame.h"
#include "../mm/uaccess.h"
#include "../proc/sched.h"
#include "../proc/signal.h"

struct pipe {
	paddr_t frame;       /* the ring's page */
	unsigned char *buf;  /* its kernel address */
	size_t head;         /* index of the oldest byte */
	size_t count;        /* bytes in the ring */
	unsigned readers;    /* open read ends */
	unsigned writers;    /* open write ends */
	uint64_t id;
	char rd_chan;        /* readers wait on &rd_chan, writers on &wr_chan */
	char wr_chan;
};

static uint64_t next_pipe_id = 1;

/* Copy up to n buffered bytes to user ubuf without consuming them: bytes copied
 * (min(n, count)) or -EFAULT. */
static long pipe_peek(struct pipe *p, vaddr_t ubuf, size_t n)
{
	size_t total = MIN(n, p->count);
	size_t first = MIN(total, PAGE_SIZE - p->head);

	if (copy_to_user(ubuf, p->buf + p->head, first))
		return -EFAULT;
	if (total > first && copy_to_user(ubuf + first, p->buf, total - first))
		return -EFAULT;
	return (long)total;
}

/* read(2) on the read end: bytes read, 0 at EOF (no writers), -EAGAIN or -EKBLOCK
 * when empty, -EFAULT (nothing consumed). */
static long pipe_read(struct file *f, vaddr_t ubuf, size_t n)
{
	struct pipe *p = f->priv;
	long got;

	if (n == 0)
		return 0;
	if (p->count == 0) {
		if (p->writers == 0)
			return 0;
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		return sched_block(&p->rd_chan);
	}
	got = pipe_peek(p, ubuf, n);
	if (got < 0)
		return got;
	p->head = (p->head + (size_t)got) % PAGE_SIZE;
	p->count -= (size_t)got;
	sched_wake(&p->wr_chan);
	return got;
}

/* Copy n bytes from user ubuf into the ring's free space (n <= free space):
 * 0 or -EFAULT (the ring's count unchanged). */
static int pipe_fill(struct pipe *p, vaddr_t ubuf, size_t n)
{
	size_t tail = (p->head + p->count) % PAGE_SIZE;
	size_t first = MIN(n, PAGE_SIZE - tail);

	if (copy_from_user(p->buf + tail, ubuf, first))
		return -EFAULT;
	if (n > first && copy_from_user(p->buf, ubuf + first, n - first))
		return -EFAULT;
	return 0;
}

/* write(2) on the write end: bytes written (all of a write up to PIPE_BUF, else as
 * much as fits), -EPIPE plus SIGPIPE without readers, -EAGAIN or -EKBLOCK when full. */
static long pipe_write(struct file *f, vaddr_t ubuf, size_t n)
{
	struct pipe *p = f->priv;
	size_t space = PAGE_SIZE - p->count;
	int err;

	if (p->readers == 0) {
		signal_send_proc(task_current()->proc, SIGPIPE);
		return -EPIPE;
	}
	if (n == 0)
		return 0;
	if (space == 0 || (n <= PIPE_BUF && space < n)) {
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		return sched_block(&p->wr_chan);
	}
	n = MIN(n, space);
	err = pipe_fill(p, ubuf, n);
	if (err)
		return err;
	p->count += n;
	sched_wake(&p->rd_chan);
	return (long)n;
}

/* Free p once neither end is open. */
static void pipe_maybe_free(struct pipe *p)
{
	if (p->readers || p->writers)
		return;
	frame_put(p->frame);
	kfree(p);
}

/* Last close of a read end: writers waiting get EPIPE when they re-run. */
static void pipe_release_read(struct file *f)
{
	struct pipe *p = f->priv;

	KASSERT(p->readers > 0);
	p->readers--;
	sched_wake(&p->wr_chan);
	pipe_maybe_free(p);
}

/* Last close of a write end: readers waiting see EOF when they re-run. */
static void pipe_release_write(struct file *f)
{
	struct pipe *p = f->priv;

	KASSERT(p->writers > 0);
	p->writers--;
	sched_wake(&p->rd_chan);
	pipe_maybe_free(p);
}

static const struct file_ops pipe_read_ops = {
	.read = pipe_read,
	.release = pipe_release_read,
};

static const struct file_ops pipe_write_ops = {
	.write = pipe_write,
	.release = pipe_release_write,
};

bool pipe_file(const struct file *f, uint64_t *id)
{
	if (f->ops != &pipe_read_ops && f->ops != &pipe_write_ops)
		return false;
	*id = ((struct pipe *)f->priv)->id;
	return true;
}

/* A new pipe with its page and no ends open yet, or NULL. */
static struct pipe *pipe_alloc(void)
{
	struct pipe *p = kmalloc(sizeof(*p));

	if (!p)
		return NULL;
	p->frame = frame_alloc();
	if (!p->frame) {
		kfree(p);
		return NULL;
	}
	p->buf = hal_phys_to_virt(p->frame);
	p->id = next_pipe_id++;
	return p;
}

int pipe_create(unsigned flags, struct file **rd, struct file **wr)
{
	struct pipe *p = pipe_alloc();

	*rd = *wr = NULL;
	if (!p)
		goto fail;
	*rd = file_create(&pipe_read_ops, NULL, O_RDONLY | (flags & O_NONBLOCK), p);
	if (!*rd)
		goto fail;
	p->readers = 1;
	*wr = file_create(&pipe_write_ops, NULL, O_WRONLY | (flags & O_NONBLOCK), p);
	if (!*wr)
		goto fail;
	p->writers = 1;
	return 0;
fail:
	if (*rd)
		file_put(*rd); /* frees p: no writer was counted */
	else if (p)
		pipe_maybe_free(p);
	*rd = NULL;
	return -ENOMEM;
}
