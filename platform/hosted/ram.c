/* Hosted physical memory: one mmap'd arena; physical address = base + offset. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "hosted.h"
#include "mm/frame.h"

static unsigned char *arena;
static size_t arena_size;
static struct hal_phys_range arena_range;

void hosted_ram_init(size_t size)
{
	if (arena)
		hosted_ram_fini();
	arena = mmap(NULL, size, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (arena == MAP_FAILED) {
		perror("hosted_ram_init: mmap");
		abort();
	}
	arena_size = size;
	frame_verify_zeroed = true; /* tests check every promise the allocator relies on */
	arena_range.base = HOSTED_RAM_BASE;
	arena_range.size = size;
}

void hosted_ram_fini(void)
{
	if (arena)
		munmap(arena, arena_size);
	arena = NULL;
	arena_size = 0;
	arena_range.size = 0;
}

bool hosted_ram_contains(paddr_t pa, size_t len)
{
	return arena && pa >= HOSTED_RAM_BASE && len <= arena_size &&
	       pa - HOSTED_RAM_BASE <= arena_size - len;
}

size_t hal_ram_ranges(const struct hal_phys_range **ranges)
{
	*ranges = &arena_range;
	return arena ? 1 : 0;
}

void *hal_phys_to_virt(paddr_t pa)
{
	if (!hosted_ram_contains(pa, 1)) {
		fprintf(stderr, "hal_phys_to_virt: 0x%llx outside RAM\n", (unsigned long long)pa);
		abort();
	}
	return arena + (pa - HOSTED_RAM_BASE);
}

paddr_t hal_virt_to_phys(const void *va)
{
	const unsigned char *p = va;

	if (!arena || p < arena || p >= arena + arena_size) {
		fprintf(stderr, "hal_virt_to_phys: %p outside RAM\n", va);
		abort();
	}
	return HOSTED_RAM_BASE + (paddr_t)(p - arena);
}
