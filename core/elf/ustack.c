/*
 * Initial user stack builder: see ustack.h for the layout and the limits. Sizes are
 * summed as "depth below stack_top" (bounded by the argument limit, so no overflow)
 * and turned into addresses only after checking that stack_top is high enough.
 */
#include "ustack.h"

#include "../lib/errno.h"
#include "../lib/string.h"
#include "elf.h"

#define WORD 8u
#define AUX_FIXED_PAIRS 18 /* AT_HWCAP .. AT_EXECFN (17 entries) + AT_NULL */
#define PLATFORM_MAX 63     /* platform strings are short constants; longer ones are cut */

/* Everything the layout depends on, gathered once by ustack_measure(). */
struct ustack_sizes {
	uint64_t execfn_len; /* with NUL */
	uint64_t env_bytes;  /* all envp strings with NULs */
	uint64_t arg_bytes;  /* all argv strings with NULs (1 for the "" of an empty argv) */
	uint64_t plat_len;   /* platform string with NUL, or 0 */
};

/* Reset aux to Linux's constants and the values elf_plan() computed. */
void ustack_aux_init(struct ustack_aux *aux, const struct elf_plan *plan)
{
	memset(aux, 0, sizeof(*aux));
	aux->pagesz = USTACK_PAGE_SIZE;
	aux->clktck = USTACK_CLKTCK;
	aux->phdr = plan->phdr_vaddr;
	aux->phent = plan->phentsize;
	aux->phnum = plan->phnum;
	aux->entry = plan->entry;
}

/* Linux's argument space for a stack rlimit: max(min(rlimit / 4, 6 MiB), ARG_MAX). */
static uint64_t arg_limit(uint64_t rlimit)
{
	uint64_t limit = USTACK_STK_LIM / 4 * 3;

	limit = MIN(limit, rlimit / 4);
	return MAX(limit, (uint64_t)USTACK_ARG_MAX);
}

/* Length of s with its NUL; 0 when s is longer than MAX_ARG_STRLEN allows. */
static uint64_t arg_len(const char *s)
{
	size_t n = strnlen(s, USTACK_MAX_ARG_STRLEN);

	return n < USTACK_MAX_ARG_STRLEN ? n + 1 : 0;
}

/* Add the sizes of n strings of v to *total, staying <= limit; 0, -E2BIG or -EFAULT. */
static int sum_strings(const char *const *v, size_t n, uint64_t limit, uint64_t *total)
{
	uint64_t len;

	if (n > 0 && v == NULL)
		return -EFAULT;
	for (size_t i = 0; i < n; i++) {
		if (v[i] == NULL)
			return -EFAULT;
		len = arg_len(v[i]);
		if (len == 0 || len > limit - *total)
			return -E2BIG;
		*total += len;
	}
	return 0;
}

/* Measure all strings against Linux's limits into sz; 0, -E2BIG or -EFAULT. */
static int measure_strings(const struct ustack_args *a, struct ustack_sizes *sz)
{
	uint64_t limit = arg_limit(a->stack_rlimit), used = 0, ptrs;
	int err;

	if (a->argc > USTACK_MAX_ARG_STRINGS || a->envc > USTACK_MAX_ARG_STRINGS)
		return -E2BIG;
	ptrs = ((uint64_t)MAX(a->argc, (size_t)1) + a->envc) * WORD; /* < 2^35 */
	if (limit <= ptrs)
		return -E2BIG;
	limit -= ptrs;
	if (a->execfn == NULL)
		return -EFAULT;
	err = sum_strings(&a->execfn, 1, limit, &used);
	if (!err)
		err = sum_strings(a->envp, a->envc, limit, &used);
	if (err)
		return err;
	sz->execfn_len = arg_len(a->execfn);
	sz->env_bytes = used - sz->execfn_len;
	err = sum_strings(a->argv, a->argc, limit, &used);
	if (!err && a->argc == 0) /* Linux >= 5.18: argv = { "" } */
		err = used < limit ? 0 : -E2BIG;
	if (err)
		return err;
	sz->arg_bytes = a->argc == 0 ? 1 : used - sz->execfn_len - sz->env_bytes;
	sz->plat_len = a->aux.platform ? strnlen(a->aux.platform, PLATFORM_MAX) + 1 : 0;
	return 0;
}

/* Number of auxv pairs (with AT_NULL) for a. */
static size_t aux_pairs(const struct ustack_args *a)
{
	return AUX_FIXED_PAIRS + (size_t)(a->aux.minsigstksz != 0) + (size_t)(a->aux.platform != NULL);
}

/* Place every part below stack_top given the string sizes; 0 or -EFAULT when too low. */
static int place(const struct ustack_args *a, const struct ustack_sizes *sz,
		 struct ustack_layout *l)
{
	uint64_t d = WORD + sz->execfn_len; /* depth below stack_top */
	uint64_t d_env = d + sz->env_bytes, d_arg = d_env + sz->arg_bytes;
	uint64_t d_plat, d_rand, d_sp, items = l->argc + a->envc + 3;

	d_plat = ALIGN_UP(d_arg, 16) + sz->plat_len;
	d_rand = d_plat + USTACK_RANDOM_SIZE;
	d_sp = ALIGN_UP(d_rand + (l->auxc * 2 + items) * WORD, 16);
	if (d_sp > a->stack_top)
		return -EFAULT;
	l->len = (size_t)d_sp;
	l->sp = a->stack_top - d_sp;
	l->argv = l->sp + WORD;
	l->envp = l->argv + (l->argc + 1) * WORD;
	l->auxv = l->envp + (a->envc + 1) * WORD;
	l->random = a->stack_top - d_rand;
	l->platform = sz->plat_len ? a->stack_top - d_plat : 0;
	l->arg_start = a->stack_top - d_arg;
	l->arg_end = l->env_start = a->stack_top - d_env;
	l->env_end = l->execfn = a->stack_top - d;
	return 0;
}

/* Compute the layout without writing anything; 0 or a negative errno (see ustack.h). */
int ustack_measure(const struct ustack_args *a, struct ustack_layout *out)
{
	struct ustack_sizes sz;
	int err;

	memset(out, 0, sizeof(*out));
	err = -EINVAL;
	if (!IS_ALIGNED(a->stack_top, 16))
		goto out;
	err = measure_strings(a, &sz);
	if (err)
		goto out;
	out->argc = a->argc ? a->argc : 1;
	out->auxc = aux_pairs(a);
	err = place(a, &sz, out);
out:
	return err;
}

/* Store x little-endian at user address addr, i.e. buf[addr - l->sp]: one store on a
 * little-endian machine when the place is word aligned (every word of the layout is,
 * in an aligned buf), else byte by byte. */
static void put_word(uint8_t *buf, const struct ustack_layout *l, vaddr_t addr, uint64_t x)
{
	uint8_t *p = buf + (addr - l->sp);

	if (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && ((uintptr_t)p & (WORD - 1)) == 0) {
		*(uint64_t *)(void *)p = x;
		return;
	}
	for (unsigned i = 0; i < WORD; i++)
		p[i] = (uint8_t)(x >> (8 * i));
}

/* Copy n strings to user address *at upward, storing each address in ptrs[]; *at advances. */
static void put_strings(uint8_t *buf, const struct ustack_layout *l, const char *const *v,
			size_t n, vaddr_t *at, vaddr_t ptrs)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t len = arg_len(v[i]);

		memcpy(buf + (*at - l->sp), v[i], (size_t)len);
		put_word(buf, l, ptrs + i * WORD, *at);
		*at += len;
	}
}

/* Append the pair (type, val) to the auxv being written at *at. */
static void put_aux(uint8_t *buf, const struct ustack_layout *l, vaddr_t *at, uint64_t type,
		    uint64_t val)
{
	put_word(buf, l, *at, type);
	put_word(buf, l, *at + WORD, val);
	*at += 2 * WORD;
}

/* Write the whole auxv in Linux's order (AT_NULL is already zero). */
static void put_auxv(uint8_t *buf, const struct ustack_layout *l, const struct ustack_aux *x)
{
	vaddr_t at = l->auxv;

	if (x->minsigstksz)
		put_aux(buf, l, &at, AT_MINSIGSTKSZ, x->minsigstksz);
	put_aux(buf, l, &at, AT_HWCAP, x->hwcap);
	put_aux(buf, l, &at, AT_PAGESZ, x->pagesz);
	put_aux(buf, l, &at, AT_CLKTCK, x->clktck);
	put_aux(buf, l, &at, AT_PHDR, x->phdr);
	put_aux(buf, l, &at, AT_PHENT, x->phent);
	put_aux(buf, l, &at, AT_PHNUM, x->phnum);
	put_aux(buf, l, &at, AT_BASE, x->base);
	put_aux(buf, l, &at, AT_FLAGS, x->flags);
	put_aux(buf, l, &at, AT_ENTRY, x->entry);
	put_aux(buf, l, &at, AT_UID, x->uid);
	put_aux(buf, l, &at, AT_EUID, x->euid);
	put_aux(buf, l, &at, AT_GID, x->gid);
	put_aux(buf, l, &at, AT_EGID, x->egid);
	put_aux(buf, l, &at, AT_SECURE, x->secure);
	put_aux(buf, l, &at, AT_RANDOM, l->random);
	put_aux(buf, l, &at, AT_HWCAP2, x->hwcap2);
	put_aux(buf, l, &at, AT_EXECFN, l->execfn);
	if (l->platform)
		put_aux(buf, l, &at, AT_PLATFORM, l->platform);
}

/* Write the measured stack l for a into buf[0, l->len). */
static void write_stack(const struct ustack_args *a, const struct ustack_layout *l, uint8_t *buf)
{
	static const char *const empty_argv[1] = { "" };
	const char *const *argv = a->argc ? a->argv : empty_argv;
	vaddr_t at = l->arg_start;

	memset(buf, 0, l->len);
	put_word(buf, l, l->sp, l->argc);
	put_strings(buf, l, argv, l->argc, &at, l->argv);
	put_strings(buf, l, a->envp, a->envc, &at, l->envp);
	memcpy(buf + (l->execfn - l->sp), a->execfn, (size_t)arg_len(a->execfn));
	if (l->platform)
		memcpy(buf + (l->platform - l->sp), a->aux.platform,
		       strnlen(a->aux.platform, PLATFORM_MAX)); /* the NUL is already there */
	memcpy(buf + (l->random - l->sp), a->random, USTACK_RANDOM_SIZE);
	put_auxv(buf, l, &a->aux);
}

/* Build the stack into buf[0, cap); 0 or a negative errno (see ustack.h). */
int ustack_build(const struct ustack_args *a, void *buf, size_t cap, struct ustack_layout *out)
{
	int err = ustack_measure(a, out);

	if (err)
		goto out;
	err = -ENOMEM;
	if (buf == NULL || cap < out->len)
		goto out;
	write_stack(a, out, buf);
	err = 0;
out:
	return err;
}
