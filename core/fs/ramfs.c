/* The in-memory filesystem: a tree of inodes rooted at a static root directory. */
#include "fs_internal.h"

#include "../lib/errno.h"
#include "../lib/kmem.h"
#include "../lib/kprintf.h"
#include "../lib/string.h"

static struct inode root;
static bool root_ready;
static uint64_t next_ino = 2; /* the root is inode 1 */
/* Removed directories: a process's cwd may still point at one (cwd holds no
 * reference), so they are only freed by vfs_reset(). */
static struct list graveyard = LIST_INIT(graveyard);

/* Make root an empty directory that is its own parent. */
static void root_init(void)
{
	memset(&root, 0, sizeof(root));
	root.mode = S_IFDIR | 0755;
	root.ino = 1;
	root.nlink = 1;
	root.parent = &root;
	list_init(&root.children);
	list_init(&root.sibling);
	root_ready = true;
}

struct inode *vfs_root(void)
{
	if (!root_ready)
		root_init();
	return &root;
}

struct inode *ramfs_child(struct inode *dir, const char *name, size_t len)
{
	struct inode *c;

	list_for_each(c, &dir->children, sibling)
		if (strlen(c->name) == len && memcmp(c->name, name, len) == 0)
			return c;
	return NULL;
}

int ramfs_new(struct inode *dir, const char *name, size_t len, unsigned mode,
	      struct inode **out)
{
	struct inode *ino;

	if (len > NAME_MAX)
		return -ENAMETOOLONG;
	if (dir->nlink == 0)
		return -ENOENT; /* a removed directory takes no new entries */
	ino = kmalloc(sizeof(*ino));
	if (!ino)
		return -ENOMEM;
	memcpy(ino->name, name, len);
	ino->mode = mode;
	ino->ino = next_ino++;
	ino->nlink = 1;
	ino->parent = dir;
	list_init(&ino->children);
	list_insert_before(&dir->children, &ino->sibling);
	*out = ino;
	return 0;
}

/* Free an inode that is unlinked and unreferenced. */
static void inode_free(struct inode *ino)
{
	KASSERT(ino != &root && ino->refs == 0 && ino->nlink == 0);
	kfree(ino->data);
	kfree(ino);
}

void ramfs_unlink(struct inode *ino)
{
	KASSERT(ino != &root && ino->nlink == 1);
	list_remove(&ino->sibling);
	ino->nlink = 0;
	if (S_ISDIR(ino->mode))
		list_insert_before(&graveyard, &ino->sibling);
	else if (ino->refs == 0)
		inode_free(ino);
}

void inode_get(struct inode *ino)
{
	ino->refs++;
}

void inode_put(struct inode *ino)
{
	KASSERT(ino->refs > 0);
	if (--ino->refs == 0 && ino->nlink == 0 && !S_ISDIR(ino->mode))
		inode_free(ino);
}

unsigned inode_nlink(struct inode *ino)
{
	struct inode *c;
	unsigned n = 2;

	if (!S_ISDIR(ino->mode))
		return ino->nlink;
	list_for_each(c, &ino->children, sibling)
		if (S_ISDIR(c->mode))
			n++;
	return ino->nlink ? n : 0;
}

int ramfs_reserve(struct inode *ino, size_t size)
{
	size_t cap;
	unsigned char *data;

	if (size > FS_FILE_MAX)
		return -EFBIG;
	if (size <= ino->capacity)
		return 0;
	cap = MAX(size, MIN(2 * ino->capacity, FS_FILE_MAX));
	data = kmalloc(cap);
	if (!data)
		return -ENOMEM;
	if (ino->size)
		memcpy(data, ino->data, ino->size);
	kfree(ino->data);
	ino->data = data;
	ino->capacity = cap;
	return 0;
}

void ramfs_truncate(struct inode *ino)
{
	kfree(ino->data);
	ino->data = NULL;
	ino->size = 0;
	ino->capacity = 0;
}

/* Unlink every inode below dir (post-order), freeing those no file holds. */
static void remove_subtree(struct inode *dir)
{
	struct inode *c, *tmp;

	list_for_each_safe(c, tmp, &dir->children, sibling) {
		if (S_ISDIR(c->mode))
			remove_subtree(c);
		list_remove(&c->sibling);
		c->nlink = 0;
		if (c->refs == 0)
			inode_free(c);
		else if (S_ISDIR(c->mode))
			list_insert_before(&graveyard, &c->sibling);
	}
}

void vfs_reset(void)
{
	struct inode *c, *tmp;

	remove_subtree(vfs_root());
	list_for_each_safe(c, tmp, &graveyard, sibling) {
		if (c->refs == 0) {
			list_remove(&c->sibling);
			inode_free(c);
		}
	}
	console_reset();
}

int vfs_permission(struct inode *ino, int mask)
{
	if (mask & ~7)
		return -EINVAL;
	if ((mask & 1) && !S_ISDIR(ino->mode) && !(ino->mode & 0111))
		return -EACCES;
	return 0;
}
