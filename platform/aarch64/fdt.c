/*
 * A small reader for flattened device trees (Devicetree Specification, chapter 5):
 * header check, node iteration, property lookup. Never writes to the blob; every
 * offset is bounds-checked so a malformed tree ends the walk instead of faulting.
 */
#include "a64.h"

#include "../../core/lib/errno.h"
#include "../../core/lib/string.h"

#define FDT_MAGIC 0xd00dfeed
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE 2
#define FDT_PROP 3
#define FDT_NOP 4
#define FDT_END 9

/* Big-endian 32-bit value at p (any alignment). */
static uint32_t be32(const void *p)
{
	const unsigned char *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* n rounded up to a multiple of 4 (the structure block's token alignment). */
static unsigned pad4(unsigned n)
{
	return (n + 3) & ~3u;
}

int fdt_open(struct fdt *f, const void *blob)
{
	const unsigned char *h = blob;
	unsigned off_struct, off_strings;

	if (be32(h) != FDT_MAGIC || be32(h + 20) < 16)
		return -EINVAL;
	f->blob = h;
	f->total_size = be32(h + 4);
	off_struct = be32(h + 8);
	off_strings = be32(h + 12);
	f->strings_size = be32(h + 32);
	f->struct_size = be32(h + 36);
	if (off_struct > f->total_size || f->struct_size > f->total_size - off_struct ||
	    off_strings > f->total_size || f->strings_size > f->total_size - off_strings)
		return -EINVAL;
	f->structs = h + off_struct;
	f->strings = (const char *)h + off_strings;
	return 0;
}

/* Offset just past the token at off, with its tag in *tag; -1 when malformed. */
static int fdt_skip(const struct fdt *f, int off, uint32_t *tag)
{
	unsigned o = (unsigned)off, left, len;

	if (off < 0 || o + 4 > f->struct_size)
		return -1;
	*tag = be32(f->structs + o);
	o += 4;
	left = f->struct_size - o;
	if (*tag == FDT_BEGIN_NODE) {
		len = (unsigned)strnlen((const char *)f->structs + o, left);
		return len == left ? -1 : (int)(o + pad4(len + 1));
	}
	if (*tag == FDT_PROP) {
		if (left < 8)
			return -1;
		len = be32(f->structs + o);
		if (len > left - 8)
			return -1;
		return (int)(o + 8 + pad4(len));
	}
	if (*tag == FDT_END_NODE || *tag == FDT_NOP || *tag == FDT_END)
		return (int)o;
	return -1;
}

int fdt_next_node(const struct fdt *f, int node, int *depth)
{
	int level = node < 0 ? -1 : *depth;
	int off = 0;
	uint32_t tag;

	if (node >= 0)
		off = fdt_skip(f, node, &tag);
	while (off >= 0 && (unsigned)off + 4 <= f->struct_size) {
		tag = be32(f->structs + off);
		if (tag == FDT_BEGIN_NODE) {
			*depth = level + 1;
			return off;
		}
		if (tag == FDT_END || (tag == FDT_END_NODE && --level < 0))
			return -1;
		off = fdt_skip(f, off, &tag);
	}
	return -1;
}

const char *fdt_node_name(const struct fdt *f, int node)
{
	return (const char *)f->structs + node + 4;
}

const void *fdt_prop(const struct fdt *f, int node, const char *name, unsigned *len)
{
	uint32_t tag;
	int off = fdt_skip(f, node, &tag);

	while (off >= 0 && (unsigned)off + 4 <= f->struct_size) {
		const unsigned char *p = f->structs + off;
		int next = fdt_skip(f, off, &tag);
		unsigned nameoff;

		if (tag != FDT_PROP && tag != FDT_NOP)
			break;
		nameoff = tag == FDT_PROP ? be32(p + 8) : 0;
		if (tag == FDT_PROP && nameoff < f->strings_size &&
		    strncmp(f->strings + nameoff, name, f->strings_size - nameoff) == 0) {
			*len = be32(p + 4);
			return p + 12;
		}
		off = next;
	}
	return NULL;
}

/* True when the NUL-separated string list val (len bytes) contains s. */
static bool strlist_contains(const char *val, unsigned len, const char *s)
{
	unsigned i = 0;

	while (i < len) {
		size_t n = strnlen(val + i, len - i);

		if (strncmp(val + i, s, n) == 0 && s[n] == '\0')
			return true;
		i += (unsigned)n + 1;
	}
	return false;
}

int fdt_find_compatible(const struct fdt *f, const char *compat)
{
	int depth = 0, node;

	for (node = fdt_next_node(f, -1, &depth); node >= 0;
	     node = fdt_next_node(f, node, &depth)) {
		unsigned len;
		const char *val = fdt_prop(f, node, "compatible", &len);

		if (val && strlist_contains(val, len, compat))
			return node;
	}
	return -1;
}

int fdt_find_top(const struct fdt *f, const char *name)
{
	size_t n = strlen(name);
	int depth = 0, node;

	for (node = fdt_next_node(f, -1, &depth); node >= 0;
	     node = fdt_next_node(f, node, &depth)) {
		const char *nn = fdt_node_name(f, node);

		if (depth == 1 && strncmp(nn, name, n) == 0 && (nn[n] == '\0' || nn[n] == '@'))
			return node;
	}
	return -1;
}

uint32_t fdt_cell(const void *val, unsigned i)
{
	return be32((const unsigned char *)val + 4 * i);
}

uint64_t fdt_read_num(const void *val, unsigned *i, unsigned cells)
{
	uint64_t v = 0;

	while (cells--)
		v = v << 32 | fdt_cell(val, (*i)++);
	return v;
}

void fdt_root_cells(const struct fdt *f, unsigned *acells, unsigned *scells)
{
	int depth = 0, root = fdt_next_node(f, -1, &depth);
	const void *v;
	unsigned len;

	*acells = 2;
	*scells = 1;
	if (root < 0)
		return;
	v = fdt_prop(f, root, "#address-cells", &len);
	if (v && len == 4)
		*acells = fdt_cell(v, 0);
	v = fdt_prop(f, root, "#size-cells", &len);
	if (v && len == 4)
		*scells = fdt_cell(v, 0);
}

int fdt_reg(const struct fdt *f, int node, uint64_t *base, uint64_t *size)
{
	unsigned ac, sc, len, i = 0;
	const void *reg;

	fdt_root_cells(f, &ac, &sc);
	reg = fdt_prop(f, node, "reg", &len);
	if (!reg || ac > 2 || sc > 2 || len < 4 * (ac + sc))
		return -ENOENT;
	*base = fdt_read_num(reg, &i, ac);
	*size = fdt_read_num(reg, &i, sc);
	return 0;
}

int fdt_mem_rsv(const struct fdt *f, unsigned i, uint64_t *base, uint64_t *size)
{
	unsigned off = be32(f->blob + 16) + 16 * i;
	unsigned j = 0;

	if (off + 16 > f->total_size)
		return -ENOENT;
	*base = fdt_read_num(f->blob + off, &j, 2);
	*size = fdt_read_num(f->blob + off, &j, 2);
	return *size ? 0 : -ENOENT;
}
