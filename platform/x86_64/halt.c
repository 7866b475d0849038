/* Stopping the machine: QEMU isa-debug-exit status codes (mapping in x86.h). */
#include "x86.h"

#define DEBUG_EXIT_PORT 0xf4

_Noreturn void x86_exit(enum x86_exit_code code)
{
	cli();
	outl(DEBUG_EXIT_PORT, (uint32_t)code);
	for (;;)
		__asm__ volatile("hlt");
}

_Noreturn void hal_halt(enum hal_halt_reason why)
{
	x86_exit(why == HAL_HALT_POWEROFF ? X86_EXIT_PASS : X86_EXIT_PANIC);
}
