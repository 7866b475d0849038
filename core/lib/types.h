/* Basic freestanding types shared by all of core/ and the platform boundary. */
#ifndef CLEAVE_TYPES_H
#define CLEAVE_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t vaddr_t; /* a virtual address (user or kernel) */
typedef uint64_t paddr_t; /* a physical address */
typedef uint64_t pte_t;   /* one page-table entry in the platform's format */

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define ALIGN_UP(x, a) ALIGN_DOWN((x) + (a) - 1, (a))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define container_of(p, type, member) \
	((type *)(void *)((char *)(p) - offsetof(type, member)))
#define UNUSED(x) ((void)(x))

#endif
