/*
 * A main() for the AFL++ build of the libFuzzer harness (afl-clang-fast): with file
 * arguments it runs each file once (replay); otherwise it fuzzes in AFL++'s
 * persistent mode, taking inputs from shared memory, or reads one input from stdin
 * when built without afl-clang-fast.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_INPUT ((size_t)1 << 20)

#ifdef __AFL_FUZZ_TESTCASE_LEN
__AFL_FUZZ_INIT();
#endif

/* Run the harness on a private copy of exactly size bytes (so ASan sees the end). */
static void run_copy(const uint8_t *src, size_t size)
{
	uint8_t *copy = malloc(size ? size : 1);

	if (copy == NULL)
		abort();
	memcpy(copy, src, size);
	LLVMFuzzerTestOneInput(copy, size);
	free(copy);
}

/* Read up to MAX_INPUT bytes of f into buf; returns the count. */
static size_t read_all(FILE *f, uint8_t *buf)
{
	size_t n = 0, got;

	while (n < MAX_INPUT && (got = fread(buf + n, 1, MAX_INPUT - n, f)) > 0)
		n += got;
	return n;
}

/* Run every file named on the command line once; 0, or 1 when one cannot be read. */
static int replay(int argc, char **argv, uint8_t *buf)
{
	int status = 0;

	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");

		if (f == NULL) {
			perror(argv[i]);
			status = 1;
			continue;
		}
		run_copy(buf, read_all(f, buf));
		fclose(f);
	}
	return status;
}

/* Fuzz under afl-fuzz (persistent mode), or run stdin once without AFL++. */
static int fuzz(uint8_t *buf)
{
#ifdef __AFL_FUZZ_TESTCASE_LEN
	(void)buf;
	__AFL_INIT();
	while (__AFL_LOOP(10000))
		run_copy(__AFL_FUZZ_TESTCASE_BUF, (size_t)__AFL_FUZZ_TESTCASE_LEN);
#else
	run_copy(buf, read_all(stdin, buf));
#endif
	return 0;
}

/* Boot the harness, then replay the named files or fuzz; the exit status. */
int main(int argc, char **argv)
{
	static uint8_t buf[MAX_INPUT];

	LLVMFuzzerInitialize(&argc, &argv);
	return argc > 1 ? replay(argc, argv, buf) : fuzz(buf);
}
