/* The initramfs: cpio "newc" archives (magic 070701). The whole archive is checked
 * before anything is created, so a bad one changes nothing. */
#include "fs_internal.h"

#include "../lib/errno.h"
#include "../lib/string.h"

#define CPIO_HDR_SIZE 110
#define CPIO_FIELDS 13
#define CPIO_TRAILER "TRAILER!!!"

/* Header fields in archive order. */
enum { F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_FILESIZE, F_DEVMAJOR,
       F_DEVMINOR, F_RDEVMAJOR, F_RDEVMINOR, F_NAMESIZE, F_CHECK };

/* One parsed archive member; name and data point into the archive. */
struct cpio_entry {
	uint32_t field[CPIO_FIELDS];
	const char *name; /* NUL-terminated (checked) */
	const unsigned char *data;
	size_t size;
};

/* Parse 8 hex digits at p into *v: true when all are hex digits. */
static bool parse_hex8(const char *p, uint32_t *v)
{
	uint32_t r = 0;

	for (int i = 0; i < 8; i++) {
		char c = p[i];
		unsigned d;

		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			return false;
		r = r << 4 | d;
	}
	*v = r;
	return true;
}

/* Offset off rounded up to 4, but at most size (off <= size holds): a member cut
 * inside its padding then ends the archive, which must have ended with a trailer. */
static size_t pad4(size_t off, size_t size)
{
	return MIN(ALIGN_UP(off, (size_t)4), size);
}

/* Parse the member at *off of a[0..size) into e and advance *off past it:
 * 0 or -EINVAL when any part lies outside the archive or is malformed. */
static int cpio_next(const unsigned char *a, size_t size, size_t *off,
		     struct cpio_entry *e)
{
	size_t p = *off, namesz;

	if (size - p < CPIO_HDR_SIZE || memcmp(a + p, "070701", 6) != 0)
		return -EINVAL;
	for (int i = 0; i < CPIO_FIELDS; i++)
		if (!parse_hex8((const char *)a + p + 6 + 8 * i, &e->field[i]))
			return -EINVAL;
	namesz = e->field[F_NAMESIZE];
	p += CPIO_HDR_SIZE;
	if (namesz == 0 || namesz > PATH_MAX || size - p < namesz || a[p + namesz - 1])
		return -EINVAL;
	e->name = (const char *)a + p;
	p = pad4(p + namesz, size);
	if (strlen(e->name) != namesz - 1)
		return -EINVAL;
	e->size = e->field[F_FILESIZE];
	if (size - p < e->size)
		return -EINVAL;
	e->data = a + p;
	*off = pad4(p + e->size, size);
	return 0;
}

/* True when entry e is the end-of-archive marker. */
static bool cpio_is_trailer(const struct cpio_entry *e)
{
	return strcmp(e->name, CPIO_TRAILER) == 0;
}

/* True when every component of name is at most NAME_MAX bytes long. */
static bool cpio_name_ok(const char *name)
{
	size_t n = 0;

	for (; *name; name++) {
		n = *name == '/' ? 0 : n + 1;
		if (n > NAME_MAX)
			return false;
	}
	return true;
}

/* Check that e describes something we can create: 0 or -EINVAL. */
static int cpio_check(const struct cpio_entry *e)
{
	unsigned type = e->field[F_MODE] & S_IFMT;

	if (!cpio_name_ok(e->name))
		return -EINVAL;
	if (type == S_IFDIR && e->size != 0)
		return -EINVAL;
	if (type == S_IFLNK && (e->size == 0 || e->size >= PATH_MAX))
		return -EINVAL;
	if (type == S_IFREG && e->size > FS_FILE_MAX)
		return -EINVAL;
	return 0;
}

/* Create the node e describes (other types, e.g. FIFOs, are skipped): 0 or -errno. */
static int cpio_apply(const struct cpio_entry *e)
{
	unsigned mode = e->field[F_MODE], type = mode & S_IFMT;
	unsigned rdev = e->field[F_RDEVMAJOR] << 8 | (e->field[F_RDEVMINOR] & 0xff);

	if (type != S_IFDIR && type != S_IFREG && type != S_IFLNK && type != S_IFCHR)
		return 0;
	return fs_make_node(e->name, mode & (S_IFMT | 07777), e->data, e->size, rdev);
}

/* True when a[off..size) holds only zero bytes (padding after a trailer). */
static bool only_zeroes(const unsigned char *a, size_t off, size_t size)
{
	while (off < size)
		if (a[off++])
			return false;
	return true;
}

/* Walk every member of every concatenated archive in a[0..size); with apply false
 * only check them. 0, -EINVAL or (applying) the creation error. */
static int cpio_walk(const unsigned char *a, size_t size, bool apply)
{
	size_t off = 0;
	struct cpio_entry e;
	int err;

	do {
		err = cpio_next(a, size, &off, &e);
		if (!err && !cpio_is_trailer(&e))
			err = apply ? cpio_apply(&e) : cpio_check(&e);
		if (err)
			return err;
		if (cpio_is_trailer(&e) && only_zeroes(a, off, size))
			return 0;
	} while (off < size);
	return -EINVAL; /* no trailer */
}

int cpio_load(const void *archive, size_t size)
{
	int err;

	if (!archive)
		return -EINVAL;
	err = cpio_walk(archive, size, false);
	if (!err)
		err = cpio_walk(archive, size, true);
	return err == -ENOMEM || err == 0 ? err : -EINVAL;
}
