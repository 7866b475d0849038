/*
 * Physical page frames: allocation with per-frame reference counts and exact
 * accounting. Frames come from the platform's RAM ranges (hal_ram_ranges()).
 */
#ifndef CLEAVE_FRAME_H
#define CLEAVE_FRAME_H

#include "../hal.h"

/* Page size shared by both architectures' 4 KiB granule. */
#define PAGE_SHIFT 12
#define PAGE_SIZE ((size_t)1 << PAGE_SHIFT)

/* Take over every RAM range the platform reports; frames used for bookkeeping and
 * ranges listed in hal_reserved are excluded. Returns 0 or -ENOMEM. */
int frames_init(void);
/* Forget all frames (hosted tests re-initialise between cases). */
void frames_fini(void);
/* Allocate one frame with reference count 1 (contents undefined); 0 on failure. */
paddr_t frame_alloc(void);
/* As frame_alloc(), but without asking failpoint_hit(): only for the kernel heaps,
 * whose kmalloc() already asked once for the object the frame backs. */
paddr_t frame_alloc_for_heap(void);
/* As frame_alloc(), with the frame filled with zeroes. */
paddr_t frame_alloc_zeroed(void);
/* Add a reference to an allocated frame. */
void frame_get(paddr_t pa);
/* Drop a reference; the frame is freed when the count reaches zero. */
void frame_put(paddr_t pa);
/* Current reference count of an allocated frame. */
unsigned frame_refcount(paddr_t pa);
/* Number of free frames right now. */
size_t frames_free_count(void);
/* Number of frames managed in total (free + allocated). */
size_t frames_total_count(void);

#endif
