/*
 * The hosted CPU: a TLB tagged by (table root, mode) in front of the hardware walk
 * model (hw_<arch>.c). A TLB hit is trusted exactly as real hardware trusts it, so
 * a missing TLB flush in core shows up as a wrong result in the tests. A fault
 * drops the entry and is offered to core's mm_fault(), then the access retries.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hosted.h"
#include "hw.h"

#define TLB_ENTRIES 64
#define FAULT_RETRIES 4

struct tlb_entry {
	bool valid;
	bool user;
	paddr_t root;
	vaddr_t vpn;
	struct hw_translation t;
};

static struct tlb_entry tlb[TLB_ENTRIES];
static paddr_t active_root;
static unsigned long tlb_hits, tlb_misses;
static vaddr_t last_fault;

void hal_pt_root_init(paddr_t root_pa)
{
	(void)root_pa; /* the hosted kernel has no mappings of its own */
}

void hal_mmu_activate(paddr_t root_pa)
{
	active_root = root_pa; /* tagged TLB: nothing to flush on a switch */
}

void hal_tlb_flush_range(paddr_t root_pa, vaddr_t start, vaddr_t end)
{
	for (unsigned i = 0; i < TLB_ENTRIES; i++)
		if (tlb[i].root == root_pa && tlb[i].vpn >= start >> 12 &&
		    tlb[i].vpn < (end + 4095) >> 12)
			tlb[i].valid = false;
}

void hal_tlb_flush_space(paddr_t root_pa)
{
	for (unsigned i = 0; i < TLB_ENTRIES; i++)
		if (tlb[i].root == root_pa)
			tlb[i].valid = false;
}

void hosted_tlb_reset(void)
{
	memset(tlb, 0, sizeof(tlb));
	tlb_hits = tlb_misses = 0;
	active_root = 0;
}

void hosted_tlb_stats(unsigned long *hits, unsigned long *misses)
{
	*hits = tlb_hits;
	*misses = tlb_misses;
}

vaddr_t hosted_last_fault_addr(void)
{
	return last_fault;
}

/* True when a cached translation allows this access. */
static bool tlb_permits(const struct hw_translation *t, enum hw_access acc, bool user)
{
	if (user && !t->user)
		return false;
	if (acc == HW_WRITE)
		return t->write;
	if (acc == HW_EXEC)
		return t->exec;
	return true;
}

/* Translate va through the TLB or a table walk; fills *pa on HW_OK. */
static enum hw_result cpu_translate(vaddr_t va, enum hw_access acc, bool user, paddr_t *pa)
{
	struct tlb_entry *e = &tlb[(va >> 12) % TLB_ENTRIES];
	struct hw_translation t;
	enum hw_result r;

	if (!active_root)
		return HW_FAULT_NOT_PRESENT;
	if (e->valid && e->root == active_root && e->vpn == va >> 12 && e->user == user) {
		tlb_hits++;
		if (!tlb_permits(&e->t, acc, user)) {
			e->valid = false; /* a fault drops the entry, as on hardware */
			return HW_FAULT_PROTECTION;
		}
		*pa = e->t.page_pa + (va & 4095);
		return HW_OK;
	}
	tlb_misses++;
	r = hw_translate(active_root, va, acc, user, &t);
	if (r != HW_OK)
		return r;
	*e = (struct tlb_entry){ true, user, active_root, va >> 12, t };
	*pa = t.page_pa + (va & 4095);
	return HW_OK;
}

/* Core's name for an access kind. */
static enum fault_access fault_kind(enum hw_access acc)
{
	return acc == HW_WRITE ? FAULT_WRITE : acc == HW_EXEC ? FAULT_EXEC : FAULT_READ;
}

/* Access up to the end of one page at va, faulting into core as needed. */
static enum fault_result access_in_page(vaddr_t va, void *buf, size_t n, enum hw_access acc)
{
	enum fault_result fr;
	enum hw_result r;
	paddr_t pa;

	for (int tries = 0; tries < FAULT_RETRIES; tries++) {
		r = cpu_translate(va, acc, true, &pa);
		if (r == HW_OK) {
			if (acc == HW_WRITE)
				memcpy(hal_phys_to_virt(pa), buf, n);
			else if (buf)
				memcpy(buf, hal_phys_to_virt(pa), n);
			return FAULT_HANDLED;
		}
		last_fault = va;
		if (r == HW_FAULT_ADDRESS)
			return FAULT_SIGSEGV;
		fr = mm_fault(aspace_current(), va, fault_kind(acc));
		if (fr != FAULT_HANDLED)
			return fr;
	}
	fprintf(stderr, "hosted cpu: fault at 0x%llx keeps recurring after mm_fault\n",
		(unsigned long long)va);
	abort();
}

/* Access n bytes from va page by page; stops at the first unresolved fault. */
static enum fault_result user_access(vaddr_t va, void *buf, size_t n, enum hw_access acc,
				     size_t *done)
{
	enum fault_result fr = FAULT_HANDLED;

	*done = 0;
	while (*done < n) {
		size_t chunk = n - *done;

		if (chunk > 4096 - (va & 4095))
			chunk = 4096 - (va & 4095);
		fr = access_in_page(va, buf ? (char *)buf + *done : NULL, chunk, acc);
		if (fr != FAULT_HANDLED)
			break;
		*done += chunk;
		va += chunk;
	}
	return fr;
}

enum fault_result hosted_user_read(vaddr_t va, void *dst, size_t n)
{
	size_t done;

	return user_access(va, dst, n, HW_READ, &done);
}

enum fault_result hosted_user_write(vaddr_t va, const void *src, size_t n)
{
	size_t done;

	return user_access(va, (void *)src, n, HW_WRITE, &done);
}

enum fault_result hosted_user_fetch(vaddr_t va)
{
	size_t done;

	return user_access(va, NULL, 1, HW_EXEC, &done);
}

size_t hal_copy_from_user(void *dst, vaddr_t src, size_t n)
{
	size_t done;

	user_access(src, dst, n, HW_READ, &done);
	return n - done;
}

size_t hal_copy_to_user(vaddr_t dst, const void *src, size_t n)
{
	size_t done;

	user_access(dst, (void *)src, n, HW_WRITE, &done);
	return n - done;
}
