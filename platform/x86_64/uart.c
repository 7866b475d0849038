/* 16550 UART on COM1 (I/O port 0x3f8): polled output for the kernel console. */
#include "x86.h"

#define COM1 0x3f8
#define UART_THR 0 /* transmit holding register (DLAB=0) */
#define UART_IER 1 /* interrupt enable (DLAB=0); divisor high byte (DLAB=1) */
#define UART_DLL 0 /* divisor low byte (DLAB=1) */
#define UART_FCR 2 /* FIFO control */
#define UART_LCR 3 /* line control */
#define UART_MCR 4 /* modem control */
#define UART_LSR 5 /* line status */
#define LCR_8N1 0x03
#define LCR_DLAB 0x80
#define LSR_THRE 0x20 /* transmit holding register empty */

static bool uart_ready;

void uart_init(void)
{
	outb(COM1 + UART_IER, 0x00);
	outb(COM1 + UART_LCR, LCR_DLAB);
	outb(COM1 + UART_DLL, 1); /* 115200 baud */
	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, LCR_8N1);
	outb(COM1 + UART_FCR, 0xc7); /* enable and clear FIFOs, 14-byte threshold */
	outb(COM1 + UART_MCR, 0x03); /* DTR + RTS */
	uart_ready = true;
}

/* Send one byte, waiting (bounded) for the transmitter to accept it. */
static void uart_putc(char c)
{
	unsigned spins = 100000;

	while (!(inb(COM1 + UART_LSR) & LSR_THRE) && --spins)
		;
	outb(COM1 + UART_THR, (uint8_t)c);
}

void hal_console_write(const char *s, size_t n)
{
	if (!uart_ready)
		uart_init();
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			uart_putc('\r');
		uart_putc(s[i]);
	}
}
