/* Shared core/mm tests: the same bodies run hosted (CMocka) and in both kernels. */
#include "ktest.h"

#include "lib/errno.h"
#include "lib/failpoint.h"
#include "lib/kmem.h"
#include "lib/kprintf.h"
#include "lib/string.h"
#include "mm/aspace.h"
#include "mm/frame.h"

#define KT_BASE ((vaddr_t)0x40000000)
#define KT_LEN ((size_t)16 << 12)
#define KT_RW (VM_READ | VM_WRITE)
#define KT_PRIV (LINUX_MAP_PRIVATE | LINUX_MAP_ANONYMOUS | LINUX_MAP_FIXED)
#define KT_SHARED (LINUX_MAP_SHARED | LINUX_MAP_ANONYMOUS | LINUX_MAP_FIXED)

void ktest_fail(const char *file, int line, const char *expr)
{
	kprintf("# %s:%d: check failed: %s\n", file, line, expr);
}

/* Fill every page of [va, va+len) in as with words derived from seed. */
static bool fill(struct aspace *as, vaddr_t va, size_t len, uint64_t seed)
{
	for (vaddr_t p = va; p < va + len; p += PAGE_SIZE) {
		uint64_t w = p ^ seed;

		if (aspace_write(as, p + 8, &w, sizeof(w)))
			return false;
	}
	return true;
}

/* True when every page of [va, va+len) in as holds seed's words. */
static bool holds(struct aspace *as, vaddr_t va, size_t len, uint64_t seed)
{
	for (vaddr_t p = va; p < va + len; p += PAGE_SIZE) {
		uint64_t w = 0;

		if (aspace_read(as, p + 8, &w, sizeof(w)) || w != (p ^ seed))
			return false;
	}
	return true;
}

/* A space with one private and one shared region, both filled. */
static struct aspace *make_parent(void)
{
	struct aspace *as = aspace_create();

	if (!as)
		return NULL;
	if (aspace_mmap(as, KT_BASE, KT_LEN, KT_RW, KT_PRIV) < 0 ||
	    aspace_mmap(as, KT_BASE + 2 * KT_LEN, KT_LEN, KT_RW, KT_SHARED) < 0 ||
	    !fill(as, KT_BASE, KT_LEN, 1) || !fill(as, KT_BASE + 2 * KT_LEN, KT_LEN, 2)) {
		aspace_put(as);
		return NULL;
	}
	return as;
}

/* Fork in mode: private writes stay private both ways, shared ones are shared. */
static bool check_fork(enum fork_mode mode)
{
	size_t frames = frames_free_count(), objects = kmem_live_objects();
	struct aspace *parent = make_parent(), *child = NULL;
	bool ok;

	KT_CHECK(parent != NULL);
	KT_CHECK(aspace_fork(parent, mode, &child) == 0);
	ok = holds(child, KT_BASE, KT_LEN, 1) && fill(child, KT_BASE, KT_LEN, 3) &&
	     holds(parent, KT_BASE, KT_LEN, 1) && fill(parent, KT_BASE, KT_LEN, 4) &&
	     holds(child, KT_BASE, KT_LEN, 3) && fill(child, KT_BASE + 2 * KT_LEN, KT_LEN, 5) &&
	     holds(parent, KT_BASE + 2 * KT_LEN, KT_LEN, 5);
	aspace_put(child);
	aspace_put(parent);
	KT_CHECK(ok);
	KT_CHECK(frames_free_count() == frames && kmem_live_objects() == objects);
	return true;
}

/* COW fork: isolation of private memory, sharing of MAP_SHARED, no leak. */
static bool kt_fork_cow(void)
{
	return check_fork(FORK_COW);
}

/* Eager fork: the same semantics with copies made up front. */
static bool kt_fork_eager(void)
{
	return check_fork(FORK_EAGER);
}

/* Every allocation of a fork failed in turn: -ENOMEM, parent intact, nothing leaked. */
static bool kt_fork_fault_injection(void)
{
	size_t frames, objects;
	struct aspace *parent = make_parent(), *child = NULL;
	unsigned long k;
	int rc;

	KT_CHECK(parent != NULL);
	frames = frames_free_count();
	objects = kmem_live_objects();
	for (k = 1;; k++) {
		failpoint_arm(k);
		rc = aspace_fork(parent, FORK_COW, &child);
		if (!failpoint_fired())
			break;
		failpoint_arm(0);
		KT_CHECK(rc == -ENOMEM && frames_free_count() == frames);
		KT_CHECK(kmem_live_objects() == objects && holds(parent, KT_BASE, KT_LEN, 1));
	}
	failpoint_arm(0);
	KT_CHECK(rc == 0 && k > 3);
	aspace_put(child);
	aspace_put(parent);
	return true;
}

/* munmap and mprotect in the middle of a region split it into three VMAs. */
static bool kt_split_middle(void)
{
	struct aspace *as = make_parent();
	uint64_t w;
	bool ok;

	KT_CHECK(as != NULL);
	ok = aspace_mprotect(as, KT_BASE + 4 * PAGE_SIZE, 2 * PAGE_SIZE, VM_READ) == 0 &&
	     aspace_vma_count(as) == 4 &&
	     aspace_munmap(as, KT_BASE + 10 * PAGE_SIZE, PAGE_SIZE) == 0 &&
	     aspace_vma_count(as) == 5 && holds(as, KT_BASE, 10 * PAGE_SIZE, 1) &&
	     holds(as, KT_BASE + 11 * PAGE_SIZE, KT_LEN - 11 * PAGE_SIZE, 1) &&
	     aspace_read(as, KT_BASE + 10 * PAGE_SIZE, &w, sizeof(w)) == -EFAULT;
	aspace_put(as);
	KT_CHECK(ok);
	return true;
}

/* Bad arguments get Linux's errno and change nothing. */
static bool kt_bad_ranges(void)
{
	struct aspace *as = aspace_create();
	vaddr_t top = hal_pt_geometry()->user_top;
	bool ok;

	KT_CHECK(as != NULL);
	ok = aspace_mmap(as, KT_BASE + 1, PAGE_SIZE, KT_RW, KT_PRIV) == -EINVAL &&
	     aspace_mmap(as, top, PAGE_SIZE, KT_RW, KT_PRIV) == -ENOMEM &&
	     aspace_munmap(as, KT_BASE, 0) == -EINVAL &&
	     aspace_mprotect(as, KT_BASE, PAGE_SIZE, VM_READ) == -ENOMEM &&
	     aspace_vma_count(as) == 0;
	aspace_put(as);
	KT_CHECK(ok);
	return true;
}

const struct ktest ktests_core[] = {
	{ "core: COW fork isolates private and shares MAP_SHARED memory", kt_fork_cow },
	{ "core: eager fork has the same semantics", kt_fork_eager },
	{ "core: fork fault injection leaves the parent intact", kt_fork_fault_injection },
	{ "core: mprotect/munmap in the middle split the VMA", kt_split_middle },
	{ "core: bad ranges get Linux's errno", kt_bad_ranges },
};

const size_t ktests_core_count = ARRAY_SIZE(ktests_core);
