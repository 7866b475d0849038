/* builtin.c: commands run inside the shell: cd, exit, export, unset, wait. */
#include "sh.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

/* cd [DIR]: change directory (default $HOME) and update PWD. */
static int bi_cd(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : getenv("HOME");
	char cwd[4096];

	if (!dir)
		dir = "/";
	if (chdir(dir) < 0) {
		fprintf(stderr, "sh: cd: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	if (getcwd(cwd, sizeof(cwd)))
		setenv("PWD", cwd, 1);
	return 0;
}

/* exit [N]: leave the shell with status N (default: the last status). */
static int bi_exit(int argc, char **argv)
{
	fflush(stdout);
	exit(argc > 1 ? atoi(argv[1]) & 0xff : sh.last_status);
}

/* export [NAME[=VALUE]...]: set environment variables; alone, print them. Every shell
 * variable already lives in the environment, so "export NAME" only checks the name. */
static int bi_export(int argc, char **argv)
{
	int i, r = 0;

	if (argc == 1) {
		for (char **e = environ; *e; e++)
			printf("export %s\n", *e);
		return 0;
	}
	for (i = 1; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		if (eq == argv[i] || (eq && !is_assignment(argv[i]))) {
			fprintf(stderr, "sh: export: '%s': not a valid name\n", argv[i]);
			r = 1;
			continue;
		}
		if (!eq)
			continue;
		*eq = '\0';
		setenv(argv[i], eq + 1, 1);
		*eq = '=';
	}
	return r;
}

/* unset NAME...: remove environment variables. */
static int bi_unset(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		unsetenv(argv[i]);
	return 0;
}

/* wait: wait for every background job, reporting each. */
static int bi_wait(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	jobs_reap(1);
	return 0;
}

static const struct { const char *name; builtin_fn fn; } builtins[] = {
	{ "cd", bi_cd }, { "exit", bi_exit }, { "export", bi_export },
	{ "unset", bi_unset }, { "wait", bi_wait },
};

/* Contract: see its declaration in sh.h. */
builtin_fn builtin_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		if (!strcmp(name, builtins[i].name))
			return builtins[i].fn;
	return NULL;
}
