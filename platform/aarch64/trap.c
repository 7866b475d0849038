/* Exception dispatch and the register dump for exceptions nobody handles. */
#include "a64.h"
#include "sysreg.h"

#include "../../core/lib/kprintf.h"

static bool brk_expected;
static bool dumping; /* an unhandled exception is being reported */
static unsigned brk_count;

static const char *const slot_names[16] = {
	"synchronous, EL1t", "IRQ, EL1t", "FIQ, EL1t", "SError, EL1t",
	"synchronous, EL1h", "IRQ, EL1h", "FIQ, EL1h", "SError, EL1h",
	"synchronous, EL0 (AArch64)", "IRQ, EL0 (AArch64)", "FIQ, EL0 (AArch64)",
	"SError, EL0 (AArch64)", "synchronous, EL0 (AArch32)", "IRQ, EL0 (AArch32)",
	"FIQ, EL0 (AArch32)", "SError, EL0 (AArch32)",
};

/* Human-readable name of exception class ec (ESR_ELx.EC). */
static const char *esr_class_name(unsigned ec)
{
	switch (ec) {
	case 0x00: return "unknown reason (undefined instruction)";
	case 0x01: return "trapped WFI/WFE";
	case 0x07: return "SVE/SIMD/FP access trap";
	case 0x0e: return "illegal execution state";
	case 0x15: return "SVC from AArch64";
	case 0x16: return "HVC from AArch64";
	case 0x17: return "SMC from AArch64";
	case 0x18: return "trapped MSR/MRS/system instruction";
	case 0x20: return "instruction abort from a lower EL";
	case 0x21: return "instruction abort at the same EL";
	case 0x22: return "PC alignment fault";
	case 0x24: return "data abort from a lower EL";
	case 0x25: return "data abort at the same EL";
	case 0x26: return "SP alignment fault";
	case 0x2c: return "floating-point exception";
	case 0x2f: return "SError";
	case 0x30: case 0x31: return "breakpoint";
	case 0x32: case 0x33: return "software step";
	case 0x34: case 0x35: return "watchpoint";
	case 0x3c: return "BRK instruction";
	default: return "other";
	}
}

/* Name of an abort's fault status code (DFSC/IFSC, ISS bits 5:0). */
static const char *abort_status_name(unsigned fsc)
{
	switch (fsc & 0x3c) {
	case 0x00: return "address size fault";
	case 0x04: return "translation fault";
	case 0x08: return "access flag fault";
	case 0x0c: return "permission fault";
	default: break;
	}
	if (fsc == 0x10)
		return "synchronous external abort";
	if (fsc == 0x21)
		return "alignment fault";
	return "other fault";
}

/* Print the decoded ESR line (class, and for aborts the fault kind and level). */
static void dump_esr(uint64_t esr)
{
	unsigned ec = ESR_EC(esr), iss = ESR_ISS(esr);

	kprintf("ESR  0x%08lx  EC 0x%02x: %s, ISS 0x%07x\n", (unsigned long)esr, ec,
		esr_class_name(ec), iss);
	if (ec == ESR_EC_DABT_CUR || ec == ESR_EC_DABT_LOW || ec == ESR_EC_IABT_CUR ||
	    ec == ESR_EC_IABT_LOW)
		kprintf("     %s%s, level %u\n",
			(ec & ~1u) == ESR_EC_DABT_LOW ? (iss & (1u << 6) ? "write: " : "read: ")
						      : "fetch: ",
			abort_status_name(iss & 0x3f), iss & 3);
}

void trap_dump(const struct trap_frame *tf, unsigned kind)
{
	kprintf("\n*** unhandled exception: %s\n", slot_names[kind & 15]);
	dump_esr(tf->esr);
	kprintf("FAR  0x%016lx\n", (unsigned long)tf->far);
	kprintf("ELR  0x%016lx  SPSR 0x%08lx  SP 0x%016lx\n", (unsigned long)tf->elr,
		(unsigned long)tf->spsr, (unsigned long)tf->sp);
	for (unsigned i = 0; i < 31; i++)
		kprintf("x%-2u 0x%016lx%s", i, (unsigned long)tf->x[i],
			i % 4 == 3 || i == 30 ? "\n" : "  ");
}

void trap_expect_brk(void)
{
	brk_expected = true;
}

unsigned trap_brk_count(void)
{
	return brk_count;
}

/* Synchronous exceptions the kernel knows how to resume from; true when handled. */
static bool trap_sync(struct trap_frame *tf)
{
	unsigned ec = ESR_EC(tf->esr);

	if (ec == ESR_EC_UNKNOWN && halt_semihost_trap(tf))
		return true;
	if (ec == ESR_EC_DABT_CUR && uaccess_fault(tf))
		return true;
	if (ec == ESR_EC_BRK64 && brk_expected) {
		brk_expected = false;
		brk_count++;
		tf->elr += 4;
		return true;
	}
	return false;
}

bool irq_handle(void)
{
	bool ticked = false;

	for (;;) {
		unsigned intid = gic_ack();

		if (intid >= 1020)
			return ticked;
		if (intid == boot_info.timer_intid) {
			timer_irq();
			ticked = true;
		} else if (intid == boot_info.uart_intid) {
			uart_irq();
		}
		gic_eoi(intid);
	}
}

void trap_dispatch(struct trap_frame *tf, unsigned kind)
{
	unsigned type = kind & 3;

	if (kind >= 8 && kind < 12) {
		a64_el0_trap(tf, kind);
		return;
	}
	if (type == 0 && trap_sync(tf))
		return;
	if (type == 1) {
		irq_handle();
		return;
	}
	if (dumping) /* faulted while reporting a fault: stop without more output */
		hal_halt(HAL_HALT_PANIC);
	dumping = true;
	trap_dump(tf, kind);
	panic("unhandled exception (%s)", slot_names[kind & 15]);
}
