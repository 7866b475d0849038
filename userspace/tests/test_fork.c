/* test_fork: fork return values, address-space isolation (data, bss, stack, heap,
 * large mmap), MAP_SHARED sharing, fd table and offset sharing, signal state. */
#include "t.h"

#include <sys/mman.h>

static int data_var = 1234;
static int bss_var;
static volatile sig_atomic_t usr1_hits;

/* SIGUSR1 handler used to see that handlers are inherited. */
static void on_usr1(int sig)
{
	(void)sig;
	usr1_hits++;
}

/* fork returns 0 in the child, the child's pid in the parent; getppid matches. */
static int fork_return_values(void)
{
	int p[2], kid_ppid = 0;
	pid_t parent = getpid(), pid;

	CHECK(pipe(p) == 0);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		pid_t me = getpid(), pp = getppid();
		if (write(p[1], &me, sizeof(me)) < 0 || write(p[1], &pp, sizeof(pp)) < 0)
			_exit(2);
		_exit(0);
	}
	close(p[1]);
	pid_t kid_pid = 0;
	CHECK(read(p[0], &kid_pid, sizeof(kid_pid)) == sizeof(kid_pid));
	CHECK(read(p[0], &kid_ppid, sizeof(kid_ppid)) == sizeof(kid_ppid));
	close(p[0]);
	CHECK(pid > 0 && pid != parent);
	CHECK_EQ(kid_pid, pid);
	CHECK_EQ(kid_ppid, parent);
	CHECK_EQ(getpid(), parent);
	CHECK_EQ(t_wait_code(pid), 0);
	return 0;
}

/* Child writes *v (expecting old), parent then writes; each must see only its own. */
static int isolate(volatile int *v, int old)
{
	int p[2];
	char go = 0;
	pid_t pid;

	CHECK(pipe(p) == 0);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		if (*v != old)
			_exit(3);
		*v = old + 1;
		if (read(p[0], &go, 1) != 1)
			_exit(4);
		_exit(*v == old + 1 ? 0 : 5); /* parent's write must not leak in */
	}
	*v = old + 2;
	CHECK(write(p[1], &go, 1) == 1);
	close(p[0]);
	close(p[1]);
	CHECK_EQ(t_wait_code(pid), 0);
	CHECK_EQ(*v, old + 2); /* child's write must not leak out */
	*v = old;
	return 0;
}

/* Initialized data is copied, not shared. */
static int fork_isolates_data(void) { return isolate(&data_var, 1234); }

/* Zero-initialized bss is copied, not shared. */
static int fork_isolates_bss(void) { return isolate(&bss_var, 0); }

/* The stack is copied, not shared. */
static int fork_isolates_stack(void)
{
	volatile int local = 77;

	return isolate((volatile int *)&local, 77);
}

/* Heap memory from malloc is copied, not shared. */
static int fork_isolates_heap(void)
{
	int *h = malloc(4096 * sizeof(int)), r;

	CHECK(h != NULL);
	h[4000] = 9;
	r = isolate(&h[4000], 9);
	free(h);
	return r;
}

/* A large private anonymous mapping: every page written by the child stays private. */
static int fork_isolates_large_mmap(void)
{
	size_t len = 64u << 20, pg = (size_t)sysconf(_SC_PAGESIZE), i;
	unsigned char *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pid_t pid;

	CHECK(m != MAP_FAILED);
	for (i = 0; i < len; i += pg * 7)
		m[i] = 0x5a;
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		for (i = 0; i < len; i += pg)
			if (m[i] != ((i % (pg * 7)) == 0 ? 0x5a : 0))
				_exit(3);
		for (i = 0; i < len; i += pg)
			m[i] = 0xa5;
		_exit(0);
	}
	CHECK_EQ(t_wait_code(pid), 0);
	for (i = 0; i < len; i += pg)
		CHECK_EQ(m[i], (i % (pg * 7)) == 0 ? 0x5a : 0);
	CHECK(munmap(m, len) == 0);
	return 0;
}

/* MAP_SHARED anonymous memory is shared in both directions. */
static int fork_map_shared_is_shared(void)
{
	volatile int *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t pid;

	CHECK(m != MAP_FAILED);
	m[0] = 1;
	m[1500] = 0;
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		m[1500] = 42;
		while (m[0] != 2)
			;
		_exit(0);
	}
	while (m[1500] != 42)
		;
	m[0] = 2;
	CHECK_EQ(t_wait_code(pid), 0);
	CHECK(munmap((void *)m, 8192) == 0);
	return 0;
}

/* Parent and child share the open file description: the child's read moves the offset. */
static int fork_shares_file_offset(void)
{
	int fd = open(t_helper("argdump"), O_RDONLY);
	pid_t pid;
	char buf[10];

	CHECK(fd >= 0);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0)
		_exit(read(fd, buf, sizeof(buf)) == sizeof(buf) ? 0 : 3);
	CHECK_EQ(t_wait_code(pid), 0);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 10);
	CHECK(read(fd, buf, 2) == 2);
	close(fd);
	return 0;
}

/* The fd table is copied: closing in the child leaves the parent's fd open. */
static int fork_copies_fd_table(void)
{
	int p[2];
	pid_t pid;

	CHECK(pipe(p) == 0);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		close(p[0]);
		_exit(write(p[1], "x", 1) == 1 ? 0 : 3);
	}
	CHECK_EQ(t_wait_code(pid), 0);
	CHECK(fcntl(p[0], F_GETFD) >= 0);
	char c = 0;
	CHECK(read(p[0], &c, 1) == 1 && c == 'x');
	close(p[0]);
	close(p[1]);
	return 0;
}

/* A pipe created before fork carries data from child to parent, and EOF after exit. */
static int fork_pipe_eof_after_exit(void)
{
	int p[2];
	char buf[32];
	pid_t pid;

	CHECK(pipe(p) == 0);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		close(p[0]);
		_exit(write(p[1], "hello", 5) == 5 ? 0 : 3);
	}
	close(p[1]);
	CHECK_EQ(t_read_all(p[0], buf, sizeof(buf)), 5);
	CHECK(strcmp(buf, "hello") == 0);
	close(p[0]);
	CHECK_EQ(t_wait_code(pid), 0);
	return 0;
}

/* A caught handler is inherited and runs in the child. */
static int fork_inherits_handler(void)
{
	struct sigaction sa = { .sa_handler = on_usr1 }, old;
	pid_t pid;

	CHECK(sigaction(SIGUSR1, &sa, &old) == 0);
	usr1_hits = 0;
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		raise(SIGUSR1);
		_exit(usr1_hits == 1 ? 0 : 3);
	}
	CHECK_EQ(t_wait_code(pid), 0);
	CHECK_EQ(usr1_hits, 0);
	CHECK(sigaction(SIGUSR1, &old, NULL) == 0);
	return 0;
}

/* SIG_IGN dispositions and the blocked mask are inherited. */
static int fork_inherits_ignore_and_mask(void)
{
	sigset_t set, old;
	pid_t pid;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	CHECK(sigprocmask(SIG_BLOCK, &set, &old) == 0);
	signal(SIGHUP, SIG_IGN);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		sigset_t cur;
		struct sigaction sa;
		sigprocmask(SIG_BLOCK, NULL, &cur);
		sigaction(SIGHUP, NULL, &sa);
		raise(SIGHUP); /* ignored: must not kill us */
		_exit(sigismember(&cur, SIGUSR2) == 1 && sa.sa_handler == SIG_IGN ? 0 : 3);
	}
	CHECK_EQ(t_wait_code(pid), 0);
	signal(SIGHUP, SIG_DFL);
	CHECK(sigprocmask(SIG_SETMASK, &old, NULL) == 0);
	return 0;
}

/* Signals pending in the parent are not pending in the child. */
static int fork_clears_pending(void)
{
	sigset_t set, old, pend;
	pid_t pid;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	CHECK(sigprocmask(SIG_BLOCK, &set, &old) == 0);
	CHECK(raise(SIGUSR1) == 0);
	sigpending(&pend);
	CHECK(sigismember(&pend, SIGUSR1) == 1);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		sigpending(&pend);
		_exit(sigismember(&pend, SIGUSR1) == 0 ? 0 : 3);
	}
	CHECK_EQ(t_wait_code(pid), 0);
	sigpending(&pend);
	CHECK(sigismember(&pend, SIGUSR1) == 1); /* still pending in the parent */
	signal(SIGUSR1, SIG_IGN);                /* discard it */
	CHECK(sigprocmask(SIG_SETMASK, &old, NULL) == 0);
	signal(SIGUSR1, SIG_DFL);
	return 0;
}

/* The current directory is inherited; a chdir in the child does not affect the parent. */
static int fork_cwd(void)
{
	char before[512], after[512];
	pid_t pid;

	CHECK(getcwd(before, sizeof(before)) != NULL);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		char here[512];
		if (!getcwd(here, sizeof(here)) || strcmp(here, before))
			_exit(3);
		_exit(chdir("/") == 0 ? 0 : 4);
	}
	CHECK_EQ(t_wait_code(pid), 0);
	CHECK(getcwd(after, sizeof(after)) != NULL);
	CHECK(strcmp(before, after) == 0);
	return 0;
}

/* A child can fork again; the grandchild's parent is the child. */
static int fork_nested(void)
{
	pid_t pid = fork();

	CHECK(pid >= 0);
	if (pid == 0) {
		pid_t me = getpid(), g = fork();
		if (g < 0)
			_exit(3);
		if (g == 0)
			_exit(getppid() == me ? 7 : 4);
		_exit(t_wait_code(g) == 7 ? 0 : 5);
	}
	CHECK_EQ(t_wait_code(pid), 0);
	return 0;
}

/* 200 sequential forks give distinct live pids and all are reaped. */
static int fork_many_sequential(void)
{
	int i;

	for (i = 0; i < 200; i++) {
		pid_t pid = fork();
		CHECK(pid >= 0);
		if (pid == 0)
			_exit(i & 0xff);
		CHECK_EQ(t_wait_code(pid), i & 0xff);
	}
	CHECK_ERR(wait4(-1, NULL, WNOHANG, NULL), ECHILD);
	return 0;
}

/* Memory written in the child after the parent exits is still the child's own. */
static int fork_child_writes_after_cow_break(void)
{
	static char buf[3 * 4096];
	pid_t pid;

	memset(buf, 'p', sizeof(buf));
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		size_t i;
		memset(buf + 100, 'c', sizeof(buf) - 200);
		for (i = 0; i < sizeof(buf); i++)
			if (buf[i] != ((i < 100 || i >= sizeof(buf) - 100) ? 'p' : 'c'))
				_exit(3);
		_exit(0);
	}
	CHECK_EQ(t_wait_code(pid), 0);
	for (size_t i = 0; i < sizeof(buf); i++)
		CHECK_EQ(buf[i], 'p');
	return 0;
}

/* Run every case of this file; exit status 0 iff all passed. */
int main(int argc, char **argv)
{
	t_init(argc, argv);
	T_RUN(fork_return_values);
	T_RUN(fork_isolates_data);
	T_RUN(fork_isolates_bss);
	T_RUN(fork_isolates_stack);
	T_RUN(fork_isolates_heap);
	T_RUN(fork_isolates_large_mmap);
	T_RUN(fork_map_shared_is_shared);
	T_RUN(fork_shares_file_offset);
	T_RUN(fork_copies_fd_table);
	T_RUN(fork_pipe_eof_after_exit);
	T_RUN(fork_inherits_handler);
	T_RUN(fork_inherits_ignore_and_mask);
	T_RUN(fork_clears_pending);
	T_RUN(fork_cwd);
	T_RUN(fork_nested);
	T_RUN(fork_many_sequential);
	T_RUN(fork_child_writes_after_cow_break);
	return t_done();
}
