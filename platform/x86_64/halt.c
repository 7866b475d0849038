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

bool x86_selftest_failed;

/* Power-off reports a failed boot self test through the exit status (test mode). */
_Noreturn void hal_halt(enum hal_halt_reason why)
{
	if (why == HAL_HALT_PANIC)
		x86_exit(X86_EXIT_PANIC);
	x86_exit(x86_selftest_failed ? X86_EXIT_FAIL : X86_EXIT_PASS);
}
