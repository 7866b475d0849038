/* test_thread: pthreads (clone with CLONE_VM|CLONE_THREAD|CLONE_SETTLS...): create/join,
 * shared memory, same pid with distinct tids, thread-local storage, fork from a thread. */
#include "t.h"

#include <pthread.h>
#include <sys/syscall.h>

static _Thread_local int tls_var = 11;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

/* Thread body: return arg + 1. */
static void *add_one(void *arg)
{
	return (void *)((long)arg + 1);
}

/* create + join passes the argument in and the return value out. */
static int thread_create_join(void)
{
	pthread_t t;
	void *ret = NULL;

	CHECK_EQ(pthread_create(&t, NULL, add_one, (void *)41L), 0);
	CHECK_EQ(pthread_join(t, &ret), 0);
	CHECK_EQ((long)ret, 42);
	return 0;
}

/* Thread body: add 1 to counter 20000 times under the mutex. */
static void *bump(void *arg)
{
	int i;

	for (i = 0; i < 20000; i++) {
		pthread_mutex_lock(&lock);
		counter++;
		pthread_mutex_unlock(&lock);
	}
	return arg;
}

/* Four threads update one counter: memory is shared, futex-based mutex works. */
static int thread_shared_memory(void)
{
	pthread_t t[4];
	int i;

	counter = 0;
	for (i = 0; i < 4; i++)
		CHECK_EQ(pthread_create(&t[i], NULL, bump, NULL), 0);
	for (i = 0; i < 4; i++)
		CHECK_EQ(pthread_join(t[i], NULL), 0);
	CHECK_EQ(counter, 80000);
	return 0;
}

struct ids { pid_t pid, tid, ppid; };

/* Thread body: record getpid, gettid and getppid. */
static void *get_ids(void *arg)
{
	struct ids *id = arg;

	id->pid = getpid();
	id->tid = (pid_t)syscall(SYS_gettid);
	id->ppid = getppid();
	return NULL;
}

/* A thread has the process's pid and ppid but its own tid; the main tid is the pid. */
static int thread_same_pid(void)
{
	struct ids id = { 0, 0, 0 };
	pthread_t t;

	CHECK_EQ(pthread_create(&t, NULL, get_ids, &id), 0);
	CHECK_EQ(pthread_join(t, NULL), 0);
	CHECK_EQ(id.pid, getpid());
	CHECK_EQ(id.ppid, getppid());
	CHECK(id.tid > 0 && id.tid != getpid());
	CHECK_EQ(syscall(SYS_gettid), getpid());
	return 0;
}

/* Thread body: check the initial TLS value, change it, return the new one. */
static void *tls_body(void *arg)
{
	if (tls_var != 11)
		return (void *)-1L;
	tls_var = (int)(long)arg;
	return (void *)(long)tls_var;
}

/* Each thread gets its own copy of a _Thread_local variable (TLS register set up). */
static int thread_local_storage(void)
{
	pthread_t t[3];
	void *r;
	int i;

	tls_var = 99;
	for (i = 0; i < 3; i++)
		CHECK_EQ(pthread_create(&t[i], NULL, tls_body, (void *)(long)(100 + i)), 0);
	for (i = 0; i < 3; i++) {
		CHECK_EQ(pthread_join(t[i], &r), 0);
		CHECK_EQ((long)r, 100 + i);
	}
	CHECK_EQ(tls_var, 99);
	tls_var = 11;
	return 0;
}

/* Thread body: leave through pthread_exit with a value. */
static void *exit_body(void *arg)
{
	pthread_exit((void *)((long)arg * 2));
	return NULL;
}

/* pthread_exit delivers its value to join; 64 threads one after another. */
static int thread_exit_many(void)
{
	pthread_t t;
	void *r;
	long i;

	for (i = 0; i < 64; i++) {
		CHECK_EQ(pthread_create(&t, NULL, exit_body, (void *)i), 0);
		CHECK_EQ(pthread_join(t, &r), 0);
		CHECK_EQ((long)r, i * 2);
	}
	return 0;
}

/* Thread body: fork; the child (one thread) exits 7; return the child's status. */
static void *fork_body(void *arg)
{
	pid_t pid = fork();

	(void)arg;
	if (pid == 0)
		_exit(tls_var == 11 ? 7 : 3);
	if (pid < 0)
		return (void *)-1L;
	return (void *)(long)t_wait_code(pid);
}

/* fork from a non-main thread works and the child runs with that thread's TLS. */
static int thread_fork_from_thread(void)
{
	pthread_t t;
	void *r;

	CHECK_EQ(pthread_create(&t, NULL, fork_body, NULL), 0);
	CHECK_EQ(pthread_join(t, &r), 0);
	CHECK_EQ((long)r, 7);
	return 0;
}

static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int flag;
/* Thread body: wait on cond until flag is set. */
static void *cond_body(void *arg)
{
	pthread_mutex_lock(&lock);
	while (!flag)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	return arg;
}

/* A thread blocked in a condition wait (futex) wakes on signal. */
static int thread_condvar_wakeup(void)
{
	pthread_t t;

	flag = 0;
	CHECK_EQ(pthread_create(&t, NULL, cond_body, NULL), 0);
	t_sleep_ms(50);
	pthread_mutex_lock(&lock);
	flag = 1;
	pthread_cond_signal(&cond);
	pthread_mutex_unlock(&lock);
	CHECK_EQ(pthread_join(t, NULL), 0);
	return 0;
}

/* Run every case of this file; exit status 0 iff all passed. */
int main(int argc, char **argv)
{
	t_init(argc, argv);
	T_RUN(thread_create_join);
	T_RUN(thread_shared_memory);
	T_RUN(thread_same_pid);
	T_RUN(thread_local_storage);
	T_RUN(thread_exit_many);
	T_RUN(thread_fork_from_thread);
	T_RUN(thread_condvar_wakeup);
	return t_done();
}
