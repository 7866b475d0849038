/* sh.h: the Cleave shell's shared types: tokens, the AST, and the interfaces between
 * lexer/parser (parse.c), word expansion (expand.c), execution (exec.c), builtins
 * (builtin.c) and line input (lineedit.c). */
#ifndef CLEAVE_SH_H
#define CLEAVE_SH_H

#include <stddef.h>
#include <sys/types.h>

/* ---- lexer (parse.c) ---- */
enum tok_type {
	T_WORD,   /* a word, raw text with its quotes (expanded later) */
	T_SEMI,   /* ; or newline */
	T_AMP,    /* & */
	T_AND,    /* && */
	T_OR,     /* || */
	T_PIPE,   /* | */
	T_REDIR,  /* [n]< [n]> [n]>> [n]>& [n]<& */
	T_EOF,
};

enum redir_kind { R_IN, R_OUT, R_APPEND, R_DUP };

struct token {
	enum tok_type type;
	char *text;            /* T_WORD: raw word; others: operator text */
	enum redir_kind rkind; /* T_REDIR */
	int rfd;               /* T_REDIR: fd it applies to */
};

/* ---- AST (parse.c) ---- */
struct redir {
	enum redir_kind kind;
	int fd;                /* descriptor being redirected */
	char *word;            /* file name (raw word), or the fd number for R_DUP */
	struct redir *next;
};

enum node_type { N_CMD, N_PIPE, N_AND, N_OR, N_SEQ, N_BG };

struct node {
	enum node_type type;
	struct node *left, *right; /* N_AND N_OR N_SEQ N_BG (right may be NULL) */
	char **words;              /* N_CMD: raw words, NULL-terminated */
	int nwords;
	struct redir *redirs;      /* N_CMD: in source order */
	struct node **cmds;        /* N_PIPE: the commands */
	int ncmds;
	char *text;                /* N_BG: source text of the job, for messages */
};

/* Parse a command line into an AST. Returns 0 and *out (NULL for an empty line) on
 * success; on a syntax error prints "sh: syntax error ..." and returns -1. */
int parse_line(const char *line, struct node **out);
/* Free an AST made by parse_line. */
void node_free(struct node *n);

/* ---- expansion (expand.c) ---- */
/* Expand one raw word: quotes removed, $NAME ${NAME} $? $$ $! $# $0-$9 and a leading ~
 * expanded (not inside single quotes). Returns a malloc'd string, NULL on ENOMEM. */
char *expand_word(const char *raw);
/* Return 1 if raw is an assignment NAME=VALUE (NAME unquoted). */
int is_assignment(const char *raw);

/* ---- shell state (main.c) ---- */
struct shell {
	int last_status;   /* $? */
	int interactive;   /* prompts, job messages, SIGINT ignored */
	int in_background; /* this process is a background job's subshell */
	pid_t last_bg;     /* $!: pid of the last background job */
	int argc;          /* positional parameters $0..: argv[0] is $0 */
	char **argv;
};
extern struct shell sh;

/* ---- execution (exec.c) ---- */
/* Run an AST; returns its exit status (also stored in sh.last_status). */
int run_node(struct node *n);
/* Parse and run one command line; returns its status. */
int run_line(const char *line);
/* Reap finished background jobs, printing "[pid] Done" lines when interactive. */
void jobs_reap(int block);
/* Convert a wait status to a shell status (exit code or 128+signal). */
int status_of(int wstatus);

/* ---- builtins (builtin.c) ---- */
/* Return the builtin function for name, or NULL. A builtin returns its status. */
typedef int (*builtin_fn)(int argc, char **argv);
builtin_fn builtin_find(const char *name);

/* ---- input (lineedit.c) ---- */
/* Read one line from fd (no trailing newline) into a malloc'd string; NULL at EOF.
 * On a terminal with termios: raw-mode editing (backspace, Ctrl-U, Ctrl-C cancels the
 * line, Ctrl-D on an empty line is EOF); otherwise plain byte-wise read(). */
char *le_readline(int fd, const char *prompt);

#endif
