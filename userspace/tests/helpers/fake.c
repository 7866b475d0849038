/* fake: a pretend test program for test_runner; FAKE_MODE selects its behaviour:
 *   pass    two passing cases          fail    one passing, one failing case, exit 1
 *   crash   one case, then SIGSEGV     hang    one case, then sleeps forever
 *   silent  no output, exit 0          bad     no cases, exit 3 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Entry point; usage and behaviour in the comment at the top of this file. */
int main(void)
{
	const char *m = getenv("FAKE_MODE");

	m = m ? m : "pass";
	setvbuf(stdout, NULL, _IONBF, 0);
	if (!strcmp(m, "silent"))
		return 0;
	if (!strcmp(m, "bad"))
		return 3;
	printf("TAP version 13\nok 1 - first\n");
	if (!strcmp(m, "crash")) {
		signal(SIGSEGV, SIG_DFL);
		close(2); /* qemu-user would report the signal on stderr */
		raise(SIGSEGV);
	}
	if (!strcmp(m, "hang"))
		for (;;)
			pause();
	printf("# a diagnostic\n%s 2 - second\n1..2\n", strcmp(m, "fail") ? "ok" : "not ok");
	return strcmp(m, "fail") ? 0 : 1;
}
