/*
 * The PVH boot information (struct hvm_start_info, Xen public header
 * arch-x86/hvm/start_info.h): command line, modules and the E820-style memory map.
 * pvh_parse() copies what the kernel needs before the boot identity map goes away;
 * pvh_build_ranges() then derives the usable RAM for the frame allocator.
 */
#include "x86.h"

#include "lib/kprintf.h"
#include "lib/string.h"

#define PVH_MAGIC 0x336ec578u
#define E820_RAM 1
#define BOOT_MAP_LIMIT (1ull << 30) /* boot.S maps physical [0, 1 GiB) */
#define LOW_MEMORY_END 0x100000ull  /* below 1 MiB: firmware data, left alone */
#define MAX_MEMMAP 128
#define MAX_RANGES 64
#define MAX_MODULES 8

struct pvh_start_info {
	uint32_t magic;
	uint32_t version;
	uint32_t flags;
	uint32_t nr_modules;
	uint64_t modlist_paddr;
	uint64_t cmdline_paddr;
	uint64_t rsdp_paddr;
	uint64_t memmap_paddr; /* version >= 1 */
	uint32_t memmap_entries;
	uint32_t reserved;
};

struct pvh_memmap_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
	uint32_t reserved;
};

struct pvh_module {
	uint64_t paddr;
	uint64_t size;
	uint64_t cmdline_paddr;
	uint64_t reserved;
};

extern char __kernel_phys_start[], __kernel_phys_end[];

static char cmdline[1024];
static struct pvh_memmap_entry memmap[MAX_MEMMAP];
static unsigned memmap_count;
static struct pvh_module modules[MAX_MODULES];
static unsigned module_count;
static struct hal_phys_range ranges[MAX_RANGES];
static size_t range_count;

/* Boot-time pointer to physical [pa, pa+len); panics outside the boot identity map. */
static const void *boot_ptr(uint64_t pa, size_t len)
{
	if (pa >= BOOT_MAP_LIMIT || len > BOOT_MAP_LIMIT - pa)
		panic("pvh: boot data at 0x%llx+%zu beyond the boot map",
		      (unsigned long long)pa, len);
	return (const void *)(uintptr_t)(X86_KERNEL_VMA + pa);
}

/* Copy the NUL-terminated command line at physical pa (0: none). */
static void copy_cmdline(uint64_t pa)
{
	const char *s;
	size_t i;

	if (!pa)
		return;
	s = boot_ptr(pa, 1);
	for (i = 0; i + 1 < sizeof(cmdline) && pa + i < BOOT_MAP_LIMIT && s[i]; i++)
		cmdline[i] = s[i];
	cmdline[i] = '\0';
}

void pvh_parse(uint32_t start_pa)
{
	const struct pvh_start_info *si = boot_ptr(start_pa, sizeof(*si));

	if (si->magic != PVH_MAGIC)
		panic("pvh: bad start info magic 0x%x at 0x%x", si->magic, start_pa);
	if (si->version < 1 || !si->memmap_paddr || !si->memmap_entries)
		panic("pvh: start info version %u has no memory map", si->version);
	copy_cmdline(si->cmdline_paddr);
	memmap_count = MIN(si->memmap_entries, (uint32_t)MAX_MEMMAP);
	memcpy(memmap, boot_ptr(si->memmap_paddr, memmap_count * sizeof(memmap[0])),
	       memmap_count * sizeof(memmap[0]));
	module_count = MIN(si->nr_modules, (uint32_t)MAX_MODULES);
	if (module_count)
		memcpy(modules, boot_ptr(si->modlist_paddr, module_count * sizeof(modules[0])),
		       module_count * sizeof(modules[0]));
}

const char *x86_cmdline(void)
{
	return cmdline;
}

/* Length of the token starting at s (up to a space or the end). */
static size_t token_len(const char *s)
{
	size_t n = 0;

	while (s[n] && s[n] != ' ')
		n++;
	return n;
}

const char *x86_cmdline_get(const char *key, char *buf, size_t size)
{
	size_t klen = strlen(key);

	for (const char *p = cmdline; *p;) {
		size_t n = token_len(p);

		if (n >= klen && !strncmp(p, key, klen) && (n == klen || p[klen] == '=')) {
			size_t vlen = n > klen ? n - klen - 1 : 0;

			if (!size || vlen >= size)
				return NULL;
			memcpy(buf, p + klen + (n > klen), vlen);
			buf[vlen] = '\0';
			return buf;
		}
		p += n;
		while (*p == ' ')
			p++;
	}
	return NULL;
}

paddr_t pvh_ram_end(void)
{
	paddr_t end = 0;

	for (unsigned i = 0; i < memmap_count; i++)
		if (memmap[i].type == E820_RAM)
			end = MAX(end, memmap[i].addr + memmap[i].size);
	return end;
}

/* Append [base, end) to the usable ranges if it is non-empty. */
static void range_add(paddr_t base, paddr_t end)
{
	if (end <= base)
		return;
	if (range_count == MAX_RANGES)
		panic("pvh: more than %d RAM ranges", MAX_RANGES);
	ranges[range_count].base = base;
	ranges[range_count].size = end - base;
	range_count++;
}

/* Remove [base, end) from every usable range, splitting ranges it falls inside. */
static void range_carve(paddr_t base, paddr_t end)
{
	base = ALIGN_DOWN(base, X86_PAGE_SIZE);
	end = ALIGN_UP(end, X86_PAGE_SIZE);
	for (size_t i = 0; i < range_count; i++) {
		paddr_t rb = ranges[i].base, re = rb + ranges[i].size;

		if (end <= rb || base >= re)
			continue;
		ranges[i].size = 0;
		range_add(rb, MIN(base, re));
		range_add(MAX(end, rb), re);
	}
}

/* Drop empty ranges left by range_carve() and sort the rest by address. */
static void range_compact(void)
{
	size_t n = 0;

	for (size_t i = 0; i < range_count; i++)
		if (ranges[i].size)
			ranges[n++] = ranges[i];
	range_count = n;
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && ranges[j - 1].base > ranges[j].base; j--) {
			struct hal_phys_range t = ranges[j];

			ranges[j] = ranges[j - 1];
			ranges[j - 1] = t;
		}
}

void pvh_build_ranges(paddr_t limit)
{
	range_count = 0;
	for (unsigned i = 0; i < memmap_count; i++) {
		paddr_t b = ALIGN_UP(memmap[i].addr, X86_PAGE_SIZE);
		paddr_t e = ALIGN_DOWN(memmap[i].addr + memmap[i].size, X86_PAGE_SIZE);

		if (memmap[i].type == E820_RAM)
			range_add(MAX(b, LOW_MEMORY_END), MIN(e, limit));
	}
	range_carve((uintptr_t)__kernel_phys_start, (uintptr_t)__kernel_phys_end);
	for (unsigned i = 0; i < module_count; i++)
		range_carve(modules[i].paddr, modules[i].paddr + modules[i].size);
	range_compact();
}

size_t hal_ram_ranges(const struct hal_phys_range **out)
{
	*out = ranges;
	return range_count;
}

bool pvh_module(unsigned i, paddr_t *pa, size_t *size)
{
	if (i >= module_count)
		return false;
	*pa = modules[i].paddr;
	*size = modules[i].size;
	return true;
}

void pvh_print_memmap(void)
{
	size_t total = 0;

	for (unsigned i = 0; i < memmap_count; i++)
		kprintf("  e820 %016llx-%016llx type %u\n", (unsigned long long)memmap[i].addr,
			(unsigned long long)(memmap[i].addr + memmap[i].size), memmap[i].type);
	for (size_t i = 0; i < range_count; i++) {
		kprintf("  usable %016llx-%016llx\n", (unsigned long long)ranges[i].base,
			(unsigned long long)(ranges[i].base + ranges[i].size));
		total += ranges[i].size;
	}
	kprintf("  %zu KiB usable in %zu ranges\n", total / 1024, range_count);
}
