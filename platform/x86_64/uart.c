/* 16550 UART on COM1 (I/O port 0x3f8): polled output for the console, input through
 * the receive interrupt (IRQ 4) into core's line discipline. */
#include "x86.h"

#include "fs/vfs.h"

#define COM1 0x3f8
#define UART_THR 0 /* transmit holding register (DLAB=0) */
#define UART_RBR 0 /* receive buffer register (DLAB=0) */
#define UART_IER 1 /* interrupt enable (DLAB=0); divisor high byte (DLAB=1) */
#define UART_DLL 0 /* divisor low byte (DLAB=1) */
#define UART_FCR 2 /* FIFO control */
#define UART_LCR 3 /* line control */
#define UART_MCR 4 /* modem control */
#define UART_LSR 5 /* line status */
#define LCR_8N1 0x03
#define LCR_DLAB 0x80
#define LSR_THRE 0x20 /* transmit holding register empty */
#define LSR_DR 0x01   /* data ready */
#define IER_RX 0x01   /* interrupt on received data */
#define MCR_DTR_RTS_OUT2 0x0b /* OUT2 gates the interrupt line on PC hardware */
#define VEC_COM1 (32 + 4)
#define RX_BATCH 64

static bool uart_ready;
static char last_out; /* last byte sent, to add \r only where none precedes \n */

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

/* Write n bytes. User output already went through the console's ONLCR (core/fs/
 * console.c turns \n into \r\n), kernel messages (kprintf) did not: a \r is added
 * before a \n only when the byte before it was not \r. */
void hal_console_write(const char *s, size_t n)
{
	if (!uart_ready)
		uart_init();
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n' && last_out != '\r')
			uart_putc('\r');
		uart_putc(s[i]);
		last_out = s[i];
	}
}

/* IRQ 4: drain the receive FIFO into the console's line discipline. */
static void uart_rx_irq(struct trap_frame *tf)
{
	char buf[RX_BATCH];
	size_t n = 0;

	UNUSED(tf);
	while (n < sizeof(buf) && (inb(COM1 + UART_LSR) & LSR_DR))
		buf[n++] = (char)inb(COM1 + UART_RBR);
	if (n)
		console_input(buf, n);
}

void uart_enable_rx_irq(void)
{
	trap_set_irq_handler(VEC_COM1, uart_rx_irq);
	outb(COM1 + UART_MCR, MCR_DTR_RTS_OUT2);
	outb(COM1 + UART_IER, IER_RX);
	while (inb(COM1 + UART_LSR) & LSR_DR) /* drop what arrived before */
		inb(COM1 + UART_RBR);
}
