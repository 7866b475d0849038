/* Kernel object allocation with fault injection and live-object accounting. */
#ifndef CLEAVE_KMEM_H
#define CLEAVE_KMEM_H

#include "types.h"

/* Allocate size zeroed bytes, or NULL (out of memory or an injected failure). */
void *kmalloc(size_t size);
/* Free an object from kmalloc(); NULL is ignored. */
void kfree(void *p);
/* Number of kmalloc() objects not yet freed (exact accounting for leak tests). */
size_t kmem_live_objects(void);

#endif
