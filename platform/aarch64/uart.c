/* PL011 UART console (ARM PrimeCell UART technical reference manual, register map). */
#include "a64.h"

#include "../../core/fs/vfs.h"

#define UART_DR 0x00
#define UART_FR 0x18
#define UART_LCR_H 0x2c
#define UART_CR 0x30
#define UART_IMSC 0x38
#define UART_ICR 0x44

#define FR_RXFE (1u << 4) /* receive FIFO empty */
#define FR_TXFF (1u << 5) /* transmit FIFO full */
#define LCR_H_FEN (1u << 4)
#define LCR_H_WLEN8 (3u << 5)
#define CR_UARTEN (1u << 0)
#define CR_TXE (1u << 8)
#define CR_RXE (1u << 9)
#define IMSC_RXIM (1u << 4) /* receive (FIFO level) interrupt */
#define IMSC_RTIM (1u << 6) /* receive timeout interrupt (FIFO not empty, line idle) */
#define UART_IFLS 0x34

/* Until uart_init(), the virt board's well-known UART in the boot direct map. */
static volatile unsigned char *uart_base = (volatile unsigned char *)(DMAP_BASE + 0x09000000);

/* Pointer to the 32-bit register at byte offset off. */
static volatile uint32_t *uart_reg(unsigned off)
{
	return (volatile uint32_t *)(uart_base + off);
}

void uart_init(paddr_t pa)
{
	uart_base = hal_phys_to_virt(pa);
	*uart_reg(UART_CR) = 0;
	*uart_reg(UART_LCR_H) = LCR_H_WLEN8 | LCR_H_FEN;
	*uart_reg(UART_IMSC) = 0;
	*uart_reg(UART_ICR) = 0x7ff;
	*uart_reg(UART_CR) = CR_UARTEN | CR_TXE | CR_RXE;
}

/* Send one byte, waiting while the transmit FIFO is full. */
static void uart_putc(char c)
{
	while (*uart_reg(UART_FR) & FR_TXFF)
		;
	*uart_reg(UART_DR) = (unsigned char)c;
}

int uart_getc(void)
{
	if (*uart_reg(UART_FR) & FR_RXFE)
		return -1;
	return (int)(*uart_reg(UART_DR) & 0xff);
}

void hal_console_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			uart_putc('\r');
		uart_putc(s[i]);
	}
}

void uart_enable_rx_irq(void)
{
	if (!boot_info.uart_intid)
		return;
	*uart_reg(UART_IFLS) = 0; /* interrupt at 1/8 full; the timeout covers the rest */
	*uart_reg(UART_IMSC) = IMSC_RXIM | IMSC_RTIM;
	gic_enable_irq(boot_info.uart_intid);
}

void uart_irq(void)
{
	char buf[32];
	size_t n = 0;
	int c;

	while ((c = uart_getc()) >= 0) {
		buf[n++] = (char)c;
		if (n == sizeof(buf)) {
			console_input(buf, n);
			n = 0;
		}
	}
	*uart_reg(UART_ICR) = IMSC_RXIM | IMSC_RTIM;
	if (n)
		console_input(buf, n);
}
