/* Path resolution: components, ".", "..", repeated slashes and symlinks. */
#include "fs_internal.h"

#include "../lib/errno.h"
#include "../lib/string.h"

/* State of one resolution: symlinks followed so far (shared by nested walks). */
struct walk {
	unsigned links;
};

static int walk_path(struct walk *w, struct inode *dir, const char *p, size_t len,
		     bool follow, struct inode **out);

bool name_is_dot(const char *name, size_t len)
{
	return (len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.');
}

/* Length of the component starting at p (up to the next '/' or end). */
static size_t component_len(const char *p, size_t len)
{
	size_t n = 0;

	while (n < len && p[n] != '/')
		n++;
	return n;
}

/* Follow symlink link found in dir: *out gets its target. 0 or -errno. */
static int walk_link(struct walk *w, struct inode *dir, struct inode *link,
		     struct inode **out)
{
	if (++w->links > SYMLOOP_MAX)
		return -ELOOP;
	return walk_path(w, dir, (const char *)link->data, link->size, true, out);
}

/* Step from directory dir over component name[0..len): *out gets the result (a
 * symlink is followed when follow). 0 or -errno. */
static int walk_step(struct walk *w, struct inode *dir, const char *name, size_t len,
		     bool follow, struct inode **out)
{
	struct inode *c;

	if (!S_ISDIR(dir->mode))
		return -ENOTDIR;
	if (len > NAME_MAX)
		return -ENAMETOOLONG;
	if (len == 1 && name[0] == '.')
		c = dir;
	else if (len == 2 && name[0] == '.' && name[1] == '.')
		c = dir->parent;
	else if (!(c = ramfs_child(dir, name, len)))
		return -ENOENT;
	if (S_ISLNK(c->mode) && follow)
		return walk_link(w, dir, c, out);
	*out = c;
	return 0;
}

/* Resolve p[0..len) from dir (absolute when it starts with '/'). */
static int walk_path(struct walk *w, struct inode *dir, const char *p, size_t len,
		     bool follow, struct inode **out)
{
	struct inode *cur = dir ? dir : vfs_root();
	size_t i = 0;
	int err;

	if (len == 0)
		return -ENOENT;
	if (p[0] == '/')
		cur = vfs_root();
	while (i < len) {
		size_t n, next;

		while (i < len && p[i] == '/')
			i++;
		if (i == len)
			break;
		n = component_len(p + i, len - i);
		next = i + n;
		/* Intermediate components and those before a trailing slash are
		 * always followed. */
		err = walk_step(w, cur, p + i, n, follow || next < len, &cur);
		if (err)
			return err;
		i = next;
	}
	if (p[len - 1] == '/' && !S_ISDIR(cur->mode))
		return -ENOTDIR;
	*out = cur;
	return 0;
}

int namei(struct inode *dir, const char *path, size_t len, bool follow,
	  struct inode **out)
{
	struct walk w = { 0 };

	if (len >= PATH_MAX)
		return -ENAMETOOLONG;
	return walk_path(&w, dir, path, len, follow, out);
}

int namei_parent(struct inode *dir, const char *path, struct nameparent *np)
{
	size_t len = strnlen(path, PATH_MAX), end = len, start;
	int err;

	if (len == 0)
		return -ENOENT;
	if (len >= PATH_MAX)
		return -ENAMETOOLONG;
	while (end > 0 && path[end - 1] == '/')
		end--;
	np->trailing_slash = end < len;
	start = end;
	while (start > 0 && path[start - 1] != '/')
		start--;
	np->name = path + start;
	np->len = end - start;
	if (np->len > NAME_MAX)
		return -ENAMETOOLONG;
	if (start == 0) { /* no directory part: dir itself (or "/" for an all-slash path) */
		np->dir = end == 0 ? vfs_root() : (dir ? dir : vfs_root());
		return S_ISDIR(np->dir->mode) ? 0 : -ENOTDIR;
	}
	err = namei(dir, path, start, true, &np->dir);
	if (err)
		return err;
	return S_ISDIR(np->dir->mode) ? 0 : -ENOTDIR;
}

int vfs_lookup(struct inode *cwd, const char *path, struct inode **out)
{
	return namei(cwd, path, strnlen(path, PATH_MAX), true, out);
}
