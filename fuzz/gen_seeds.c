/*
 * Seed generator: writes every tests/unit/elf_build.h variant (each validation rule
 * broken once, plus the accepted bends) as ET_EXEC and as static PIE for both
 * machines into the directory named by argv[1], as <machine>-<exec|pie>-<variant>,
 * and two accepted images whose data segment lies in the stack's region (so the
 * applier's "segment in the way of the stack" path is reached). Each image is first
 * checked to give elf_plan() the result expected for it, so the seeds are known to
 * reach the rule they break. Exit status 0, or 1 on any error.
 */
#include <stdio.h>
#include <stdlib.h>

#include "elf_build.h"

/* Serialize im, check elf_plan() for machine gives expect, write it as
 * dir/machine-kind-name; 0 or 1. */
static int write_image(const char *dir, uint16_t machine, const char *kind, const char *name,
		       const struct eb_image *im, int expect)
{
	struct elf_target t = eb_target(machine);
	struct elf_plan plan;
	uint8_t *buf = eb_alloc_write(im);
	char path[512];
	FILE *f = NULL;
	int status = 1, err;

	if (buf == NULL)
		goto out;
	err = elf_plan(buf, im->size, &t, &plan);
	if (err != expect) {
		fprintf(stderr, "gen_seeds: %s-%s: elf_plan gave %d, not %d\n", kind, name, err,
			expect);
		goto out;
	}
	snprintf(path, sizeof(path), "%s/%s-%s-%s", dir,
		 machine == ELF_MACHINE_AARCH64 ? "aarch64" : "x86_64", kind, name);
	f = fopen(path, "wb");
	if (f != NULL && fwrite(buf, 1, im->size, f) == im->size)
		status = 0;
out:
	if (f != NULL && fclose(f) != 0)
		status = 1;
	free(buf);
	return status;
}

/* Write variant v of the ET_EXEC (pie false) or static PIE image for machine; 0 or 1. */
static int write_variant(const char *dir, uint16_t machine, bool pie, enum eb_variant v)
{
	const struct eb_variant_info *info = eb_variant_info(v);
	struct eb_image im;

	if (pie)
		eb_static_pie(&im, machine);
	else
		eb_static_exec(&im, machine);
	eb_apply(&im, v);
	return write_image(dir, machine, pie ? "pie" : "exec", info->name, &im,
			   pie ? info->expect_dyn : info->expect_exec);
}

/* Write the valid ET_EXEC with its data segment moved to end exactly at user_top
 * (name "data_at_top") and into the middle of the stack's region ("data_in_stack"). */
static int write_stack_seeds(const char *dir, uint16_t machine)
{
	struct elf_target t = eb_target(machine);
	struct eb_image im;
	struct elf_phdr *data = &im.ph[EB_PH_DATA];
	int status;

	eb_static_exec(&im, machine);
	data->vaddr = data->paddr = t.user_top - EB_DATA_MEMSZ;
	data->memsz = EB_DATA_MEMSZ - (EB_DATA_VADDR % ELF_PAGE_SIZE);
	data->vaddr += EB_DATA_VADDR % ELF_PAGE_SIZE;
	status = write_image(dir, machine, "exec", "data_at_top", &im, 0);
	data->vaddr -= (uint64_t)64 << 10;
	data->paddr = data->vaddr;
	return status | write_image(dir, machine, "exec", "data_in_stack", &im, 0);
}

/* Write every seed into argv[1]; 0, 1 on an error, 2 on bad usage. */
int main(int argc, char **argv)
{
	static const uint16_t machines[] = { ELF_MACHINE_X86_64, ELF_MACHINE_AARCH64 };
	int status = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: gen_seeds DIR\n");
		return 2;
	}
	for (unsigned m = 0; m < 2; m++) {
		for (int v = 0; v < EB_VARIANT_COUNT; v++) {
			status |= write_variant(argv[1], machines[m], false, (enum eb_variant)v);
			status |= write_variant(argv[1], machines[m], true, (enum eb_variant)v);
		}
		status |= write_stack_seeds(argv[1], machines[m]);
	}
	return status;
}
