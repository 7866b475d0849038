/*
 * A model of one architecture's MMU table walk (hw_x86_64.c or hw_aarch64.c, chosen
 * at build time), written from the architecture manuals and independent of core's
 * page-table code and of the platform PTE codecs: it reads raw entry bits itself.
 */
#ifndef CLEAVE_HOSTED_HW_H
#define CLEAVE_HOSTED_HW_H

#include "hal.h"

enum hw_access { HW_READ, HW_WRITE, HW_EXEC };

enum hw_result {
	HW_OK = 0,
	HW_FAULT_NOT_PRESENT, /* a table or page entry on the walk is invalid */
	HW_FAULT_PROTECTION,  /* a valid mapping forbids this access in this mode */
	HW_FAULT_ADDRESS,     /* address outside what this table root can translate
				 (x86_64 non-canonical, aarch64 not a TTBR0 address) */
};

/* The outcome of a successful walk, as a TLB would cache it. */
struct hw_translation {
	paddr_t page_pa; /* physical address of the 4 KiB page holding va */
	bool user;       /* user mode may access the page */
	bool write;      /* writes are permitted (in the mode walked) */
	bool exec;       /* instruction fetch is permitted (in the mode walked) */
};

/* Walk the 4-level tables rooted at root_pa for an access acc to va from user mode
 * (user) or kernel mode, with the architecture's permission rules, as the MMU does
 * (setting accessed/dirty bits where that hardware would). On HW_OK fills *out. */
enum hw_result hw_translate(paddr_t root_pa, vaddr_t va, enum hw_access acc, bool user,
			    struct hw_translation *out);

/* Name of the modelled architecture ("x86_64" or "aarch64"). */
const char *hw_name(void);

#endif
