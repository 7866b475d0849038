/*
 * Interrupt controller: GICv2 (distributor + memory-mapped CPU interface) or GICv3
 * (distributor + redistributor + system-register CPU interface), as the device tree
 * says. Only what a single CPU needs: enable PPIs/SPIs, acknowledge, end of interrupt.
 * Register offsets from the GIC architecture specification (IHI 0048, IHI 0069).
 */
#include "a64.h"
#include "sysreg.h"

#include "../../core/lib/errno.h"

#define GICD_CTLR 0x000
#define GICD_ISENABLER 0x100
#define GICD_IGROUPR 0x080
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR 0x800
#define GICD_IROUTER 0x6000
#define GICC_CTLR 0x00
#define GICC_PMR 0x04
#define GICC_BPR 0x08
#define GICC_IAR 0x0c
#define GICC_EOIR 0x10
#define GICR_WAKER 0x14
#define GICR_SGI_BASE 0x10000
#define GICR_IGROUPR0 0x080
#define GICR_ISENABLER0 0x100
#define GICR_IPRIORITYR 0x400
#define GICD_CTLR_ARE (1u << 4)
#define WAKER_PROCESSOR_SLEEP (1u << 1)
#define WAKER_CHILDREN_ASLEEP (1u << 2)
#define IRQ_PRIORITY 0xa0

static volatile unsigned char *gicd, *gicc, *gicr;

/* The 32-bit register at byte offset off of the block at base. */
static volatile uint32_t *reg32(volatile unsigned char *base, unsigned off)
{
	return (volatile uint32_t *)(base + off);
}

/* GICv2: enable the distributor and this CPU's interface, accept all priorities. */
static void gic2_init(void)
{
	gicc = hal_phys_to_virt(boot_info.gic_cpu_pa);
	*reg32(gicd, GICD_CTLR) = 3;
	*reg32(gicc, GICC_PMR) = 0xff;
	*reg32(gicc, GICC_BPR) = 0;
	*reg32(gicc, GICC_CTLR) = 3;
}

/* GICv3: affinity routing on, wake this CPU's redistributor, enable group 1 via ICC. */
static void gic3_init(void)
{
	gicr = hal_phys_to_virt(boot_info.gic_cpu_pa);
	*reg32(gicd, GICD_CTLR) = GICD_CTLR_ARE | 3;
	*reg32(gicr, GICR_WAKER) &= ~WAKER_PROCESSOR_SLEEP;
	while (*reg32(gicr, GICR_WAKER) & WAKER_CHILDREN_ASLEEP)
		;
	sysreg_write(icc_sre_el1, sysreg_read(icc_sre_el1) | 1);
	isb();
	sysreg_write(icc_pmr_el1, 0xff);
	sysreg_write(icc_bpr1_el1, 0);
	sysreg_write(icc_igrpen1_el1, 1);
	isb();
}

int gic_init(void)
{
	if (boot_info.gic_version != 2 && boot_info.gic_version != 3)
		return -ENODEV;
	/* The GIC must sit in the first GiB, which the direct map maps as device memory. */
	if (boot_info.gic_dist_pa >= (1ull << 30) || boot_info.gic_cpu_pa >= (1ull << 30))
		return -ENODEV;
	gicd = hal_phys_to_virt(boot_info.gic_dist_pa);
	if (boot_info.gic_version == 2)
		gic2_init();
	else
		gic3_init();
	return 0;
}

/* Deliver SPI intid to this CPU: GICv2 target CPU interface 0; GICv3 group 1 (the
 * group the CPU interface takes as IRQ) and affinity 0.0.0.0 (the boot CPU). */
static void route_spi(unsigned intid)
{
	if (boot_info.gic_version == 2) {
		gicd[GICD_ITARGETSR + intid] = 1;
		return;
	}
	*reg32(gicd, GICD_IGROUPR + 4 * (intid / 32)) |= 1u << (intid % 32);
	*reg32(gicd, GICD_IROUTER + 8 * intid) = 0;
	*reg32(gicd, GICD_IROUTER + 8 * intid + 4) = 0;
}

void gic_enable_irq(unsigned intid)
{
	volatile unsigned char *base = gicd;
	unsigned enable = GICD_ISENABLER, prio = GICD_IPRIORITYR;

	if (boot_info.gic_version == 3 && intid < 32) {
		base = gicr + GICR_SGI_BASE;
		enable = GICR_ISENABLER0;
		prio = GICR_IPRIORITYR;
		*reg32(base, GICR_IGROUPR0) |= 1u << intid;
	} else if (intid >= 32) {
		route_spi(intid);
	}
	base[prio + intid] = IRQ_PRIORITY;
	*reg32(base, enable + 4 * (intid / 32)) = 1u << (intid % 32);
}

unsigned gic_ack(void)
{
	if (boot_info.gic_version == 3)
		return (unsigned)sysreg_read(icc_iar1_el1) & 0xffffff;
	if (!gicc)
		return 1023;
	return *reg32(gicc, GICC_IAR) & 0x3ff;
}

void gic_eoi(unsigned intid)
{
	if (boot_info.gic_version == 3) {
		sysreg_write(icc_eoir1_el1, intid);
		isb();
		return;
	}
	*reg32(gicc, GICC_EOIR) = intid;
}
