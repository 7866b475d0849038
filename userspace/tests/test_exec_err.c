/* test_exec_err: execve failures return the right errno and leave the caller's image
 * untouched: ENOENT, ENOTDIR, EACCES, ENOEXEC (text, bad ELF headers), EFAULT, E2BIG. */
#include "t.h"

#include <elf.h>
#include <sys/mman.h>
#include <sys/syscall.h>

static int canary = 0x1234567;
static char *argv_ok[] = { "x", NULL };
static char *envp_ok[] = { NULL };

/* Call the raw execve syscall (no libc checks in between). */
static long sys_execve(const void *path, const void *argv, const void *envp)
{
	return syscall(SYS_execve, path, argv, envp);
}

/* A missing file, a missing directory component and an empty path give ENOENT. */
static int exec_enoent(void)
{
	CHECK_ERR(sys_execve("/nonexistent-cleave-file", argv_ok, envp_ok), ENOENT);
	CHECK_ERR(sys_execve("/nonexistent-dir/file", argv_ok, envp_ok), ENOENT);
	CHECK_ERR(sys_execve("", argv_ok, envp_ok), ENOENT);
	CHECK_EQ(canary, 0x1234567);
	return 0;
}

/* A regular file used as a directory component gives ENOTDIR. */
static int exec_enotdir(void)
{
	char path[700];

	snprintf(path, sizeof(path), "%s/sub", t_helper("probe"));
	CHECK_ERR(sys_execve(path, argv_ok, envp_ok), ENOTDIR);
	return 0;
}

/* A file without any execute bit and a directory give EACCES (even for root). */
static int exec_eacces(void)
{
	CHECK_ERR(sys_execve(t_helper("noexec"), argv_ok, envp_ok), EACCES);
	CHECK_ERR(sys_execve(t_st.dir, argv_ok, envp_ok), EACCES);
	return 0;
}

/* An executable text file without "#!" gives ENOEXEC. */
static int exec_enoexec_text(void)
{
	CHECK_ERR(sys_execve(t_helper("garbage"), argv_ok, envp_ok), ENOEXEC);
	return 0;
}

/* A "#!" script whose interpreter does not exist gives ENOENT. */
static int exec_bad_interpreter(void)
{
	CHECK_ERR(sys_execve(t_helper("badinterp"), argv_ok, envp_ok), ENOENT);
	return 0;
}

/* Exec path in a child; returns the errno of its failed execve, 0 if it ran. */
static int exec_in_child(const char *path)
{
	int p[2], err = 0;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -4;
	pid = fork();
	if (pid == 0) {
		close(2);
		sys_execve(path, argv_ok, envp_ok);
		err = errno;
		if (write(p[1], &err, sizeof(err)) < 0)
			_exit(2);
		_exit(1);
	}
	close(p[1]);
	if (pid < 0 || read(p[0], &err, sizeof(err)) != sizeof(err))
		err = 0;
	close(p[0]);
	t_wait(pid);
	return err;
}

/* Copy helpers/probe to a scratch file, let patch() change its ELF header, exec it;
 * returns the errno of the failed execve, 0 if it ran, -1 if no scratch dir. */
static int exec_patched(void (*patch)(Elf64_Ehdr *eh, size_t len), size_t cut)
{
	static char img[4 << 20];
	char path[128];
	int in, fd, err;
	ssize_t n;

	if (!t_tmpdir())
		return -1;
	in = open(t_helper("probe"), O_RDONLY);
	n = in >= 0 ? t_read_all(in, img, sizeof(img)) : -1;
	if (in >= 0)
		close(in);
	if (n < (ssize_t)sizeof(Elf64_Ehdr))
		return -2;
	patch((Elf64_Ehdr *)img, (size_t)n);
	snprintf(path, sizeof(path), "%s/patched", t_tmpdir());
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	if (fd < 0 || write(fd, img, cut ? cut : (size_t)n) < 0)
		return -3;
	close(fd);
	err = exec_in_child(path);
	unlink(path);
	return err;
}

/* Patches for exec_patched: each makes the ELF invalid before any mapping. */
static void patch_none(Elf64_Ehdr *eh, size_t len) { (void)eh; (void)len; }
static void patch_phentsize(Elf64_Ehdr *eh, size_t len) { (void)len; eh->e_phentsize = 7; }
static void patch_machine(Elf64_Ehdr *eh, size_t len) { (void)len; eh->e_machine = 0x7777; }
static void patch_type(Elf64_Ehdr *eh, size_t len) { (void)len; eh->e_type = ET_REL; }

/* Bad ELF headers (type, machine, phentsize) and a file cut
 * inside its header give ENOEXEC. */
static int exec_enoexec_bad_elf(void)
{
	int r;

	r = exec_patched(patch_type, 0);
	SKIP_IF(r == -1, "no writable scratch directory");
	CHECK_EQ(r, ENOEXEC);
	CHECK_EQ(exec_patched(patch_machine, 0), ENOEXEC);
	CHECK_EQ(exec_patched(patch_none, 0), 0); /* the unpatched copy runs */
	SKIP_IF(t_qemu_user(), "qemu-user rejects a bad ELF only after the exec");
	CHECK_EQ(exec_patched(patch_none, 40), ENOEXEC);
	CHECK_EQ(exec_patched(patch_phentsize, 0), ENOEXEC);
	CHECK_EQ(canary, 0x1234567);
	return 0;
}

/* Return a pointer to an unmapped page (mapped then unmapped). */
static void *bad_ptr(void)
{
	void *p = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	munmap(p, 4096);
	return p;
}

/* Bad user pointers for path, argv, an argv string, envp, an envp string: EFAULT. */
static int exec_efault(void)
{
	void *bad = bad_ptr();
	char *argv_bad[] = { "x", bad, NULL };
	char *envp_bad[] = { "A=1", bad, NULL };
	const char *probe = t_helper("probe");

	CHECK_ERR(sys_execve(bad, argv_ok, envp_ok), EFAULT);
	CHECK_ERR(sys_execve((void *)1, argv_ok, envp_ok), EFAULT);
	CHECK_ERR(sys_execve(probe, bad, envp_ok), EFAULT);
	CHECK_ERR(sys_execve(probe, argv_bad, envp_ok), EFAULT);
	CHECK_ERR(sys_execve(probe, argv_ok, bad), EFAULT);
	CHECK_ERR(sys_execve(probe, argv_ok, envp_bad), EFAULT);
	CHECK_EQ(canary, 0x1234567);
	return 0;
}

/* One string longer than 128 KiB (MAX_ARG_STRLEN) gives E2BIG. */
static int exec_e2big_one_string(void)
{
	static char big[(128 << 10) + 2];
	char *argv[] = { "x", big, NULL };

	memset(big, 'b', sizeof(big) - 1);
	CHECK_ERR(sys_execve(t_helper("probe"), argv, envp_ok), E2BIG);
	return 0;
}

/* 64 MiB of arguments in total gives E2BIG. */
static int exec_e2big_total(void)
{
	static char chunk[(120 << 10)];
	static char *argv[560];
	int i;

	memset(chunk, 'c', sizeof(chunk) - 1);
	argv[0] = "x";
	for (i = 1; i < 559; i++)
		argv[i] = chunk;
	argv[559] = NULL;
	CHECK_ERR(sys_execve(t_helper("probe"), argv, envp_ok), E2BIG);
	CHECK_EQ(canary, 0x1234567);
	return 0;
}

/* After all the failures the process still works: fork and exec succeed. */
static int exec_image_intact(void)
{
	char *argv[] = { "probe", "exit", "3", NULL };
	pid_t pid = fork();

	CHECK(pid >= 0);
	if (pid == 0) {
		sys_execve("/nonexistent", argv_ok, envp_ok);
		sys_execve(t_helper("garbage"), argv_ok, envp_ok);
		execve(t_helper("probe"), argv, envp_ok);
		_exit(127);
	}
	CHECK_EQ(t_wait_code(pid), 3);
	return 0;
}

/* Run every case of this file; exit status 0 iff all passed. */
int main(int argc, char **argv)
{
	t_init(argc, argv);
	T_RUN(exec_enoent);
	T_RUN(exec_enotdir);
	T_RUN(exec_eacces);
	T_RUN(exec_enoexec_text);
	T_RUN(exec_bad_interpreter);
	T_RUN(exec_enoexec_bad_elf);
	T_RUN(exec_efault);
	T_RUN(exec_e2big_one_string);
	T_RUN(exec_e2big_total);
	T_RUN(exec_image_intact);
	return t_done();
}
