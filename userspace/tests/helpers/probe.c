/* probe: multi-purpose exec target for the conformance suite. Modes (argv[1]):
 *   exit N     exit with status N
 *   ids        print "pid=P ppid=Q"
 *   fd N       exit 0 if fd N is open, 1 if it is closed
 *   sig N      print "handler=dfl|ign|other blocked=0|1 pending=0|1" for signal N
 *   auxv       check the auxiliary vector against this image; print "execfn=PATH"
 *   echo TEXT  print TEXT and a newline
 *   sleep MS   sleep MS milliseconds, then exit 0 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <time.h>
#include <unistd.h>

extern const Elf64_Ehdr __ehdr_start;

/* Print the state of signal n; returns 0. */
static int probe_sig(int n)
{
	struct sigaction sa;
	sigset_t mask, pend;
	const char *h;

	sigaction(n, NULL, &sa);
	sigprocmask(SIG_BLOCK, NULL, &mask);
	sigpending(&pend);
	h = sa.sa_handler == SIG_DFL ? "dfl" : sa.sa_handler == SIG_IGN ? "ign" : "other";
	printf("handler=%s blocked=%d pending=%d\n", h, sigismember(&mask, n),
	       sigismember(&pend, n));
	return 0;
}

/* Report one failed auxv expectation; returns 1. */
static int auxv_bad(const char *what, unsigned long got, unsigned long want)
{
	printf("auxv %s: got %#lx want %#lx\n", what, got, want);
	return 1;
}

/* Check AT_* values against the loaded image; returns 0 if all hold. */
static int probe_auxv(void)
{
	const Elf64_Ehdr *eh = &__ehdr_start;
	unsigned long phdr = (unsigned long)eh + eh->e_phoff;
	const unsigned char *rnd = (const unsigned char *)getauxval(AT_RANDOM);
	const char *fn = (const char *)getauxval(AT_EXECFN);
	int bad = 0, i, nz = 0;

	if (getauxval(AT_PAGESZ) != (unsigned long)sysconf(_SC_PAGESIZE) || getauxval(AT_PAGESZ) < 4096)
		bad |= auxv_bad("AT_PAGESZ", getauxval(AT_PAGESZ), 4096);
	if (getauxval(AT_PHDR) != phdr)
		bad |= auxv_bad("AT_PHDR", getauxval(AT_PHDR), phdr);
	if (getauxval(AT_PHENT) != sizeof(Elf64_Phdr))
		bad |= auxv_bad("AT_PHENT", getauxval(AT_PHENT), sizeof(Elf64_Phdr));
	if (getauxval(AT_PHNUM) != eh->e_phnum)
		bad |= auxv_bad("AT_PHNUM", getauxval(AT_PHNUM), eh->e_phnum);
	if (getauxval(AT_ENTRY) != eh->e_entry)
		bad |= auxv_bad("AT_ENTRY", getauxval(AT_ENTRY), eh->e_entry);
	if (getauxval(AT_UID) != getuid() || getauxval(AT_EUID) != geteuid())
		bad |= auxv_bad("AT_UID", getauxval(AT_UID), getuid());
	if (getauxval(AT_GID) != getgid() || getauxval(AT_EGID) != getegid())
		bad |= auxv_bad("AT_GID", getauxval(AT_GID), getgid());
	if (getauxval(AT_SECURE) != 0)
		bad |= auxv_bad("AT_SECURE", getauxval(AT_SECURE), 0);
	if (!rnd)
		bad |= auxv_bad("AT_RANDOM", 0, 1);
	for (i = 0; rnd && i < 16; i++)
		nz |= rnd[i];
	if (rnd && !nz)
		bad |= auxv_bad("AT_RANDOM bytes", 0, 1);
	if (!fn)
		bad |= auxv_bad("AT_EXECFN", 0, 1);
	printf("execfn=%s\n", fn ? fn : "(null)");
	return bad;
}

/* Sleep ms milliseconds. */
static int probe_sleep(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
	return 0;
}

/* Entry point; usage and behaviour in the comment at the top of this file. */
int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";
	const char *a = argc > 2 ? argv[2] : "0";
	int r = 2;

	if (!strcmp(m, "exit"))
		r = atoi(a);
	else if (!strcmp(m, "ids"))
		r = printf("pid=%d ppid=%d\n", getpid(), getppid()) < 0;
	else if (!strcmp(m, "fd"))
		r = fcntl(atoi(a), F_GETFD) < 0 ? 1 : 0;
	else if (!strcmp(m, "sig"))
		r = probe_sig(atoi(a));
	else if (!strcmp(m, "auxv"))
		r = probe_auxv();
	else if (!strcmp(m, "echo"))
		r = printf("%s\n", a) < 0;
	else if (!strcmp(m, "sleep"))
		r = probe_sleep(atol(a));
	else
		fprintf(stderr, "probe: unknown mode '%s'\n", m);
	fflush(stdout);
	return r;
}
