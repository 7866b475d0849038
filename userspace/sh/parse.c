/* parse.c: tokenizer and recursive-descent parser: command line -> AST.
 *
 * Grammar:
 *   line     := list EOF
 *   list     := and_or { (';' | '&') [and_or] }
 *   and_or   := pipeline { ('&&' | '||') pipeline }
 *   pipeline := command { '|' command }
 *   command  := { WORD | REDIR WORD }+
 * Words keep their quotes; expand.c removes them at run time. Newlines act as ';'.
 */
#include "sh.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct lexer {
	const char *s;       /* input */
	size_t pos;
	size_t start;        /* offset where the current token starts */
	struct token tok;    /* current token */
	int error;           /* set once an error was reported */
};

/* Report a syntax error near the current token (once per line). */
static void syntax_error(struct lexer *lx, const char *what)
{
	if (lx->error)
		return;
	lx->error = 1;
	if (what)
		fprintf(stderr, "sh: syntax error: %s\n", what);
	else if (lx->tok.type == T_EOF)
		fprintf(stderr, "sh: syntax error near end of line\n");
	else
		fprintf(stderr, "sh: syntax error near '%s'\n", lx->tok.text);
}

/* Return 1 if c ends an unquoted word. */
static int is_meta(char c)
{
	return c == '\0' || c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '&' ||
	       c == '|' || c == '<' || c == '>';
}

/* Scan a word starting at lx->pos; returns its raw text or NULL (error reported). */
static char *scan_word(struct lexer *lx)
{
	const char *s = lx->s;
	size_t start = lx->pos, i = start;
	char q;

	while (!is_meta(s[i])) {
		if (s[i] == '\\' && s[i + 1]) {
			i += 2;
		} else if (s[i] == '\'' || s[i] == '"') {
			q = s[i++];
			while (s[i] && s[i] != q)
				i += (q == '"' && s[i] == '\\' && s[i + 1]) ? 2 : 1;
			if (!s[i]) {
				syntax_error(lx, q == '"' ? "unterminated \"" : "unterminated '");
				return NULL;
			}
			i++;
		} else {
			i++;
		}
	}
	lx->pos = i;
	return strndup(s + start, i - start);
}

/* Scan a redirection operator at lx->pos with optional io number n (-1: none). */
static void scan_redir(struct lexer *lx, int n)
{
	const char *s = lx->s + lx->pos;
	struct token *t = &lx->tok;
	size_t len = 1;

	t->type = T_REDIR;
	t->rfd = n >= 0 ? n : (s[0] == '<' ? 0 : 1);
	if (s[0] == '<') {
		t->rkind = s[1] == '&' ? R_DUP : R_IN;
		len += s[1] == '&';
	} else if (s[1] == '>') {
		t->rkind = R_APPEND;
		len = 2;
	} else {
		t->rkind = s[1] == '&' ? R_DUP : R_OUT;
		len += s[1] == '&';
	}
	t->text = strndup(s, len);
	lx->pos += len;
}

/* Scan an operator (; & && | ||) at lx->pos into lx->tok. */
static void scan_op(struct lexer *lx)
{
	const char *s = lx->s + lx->pos;
	struct token *t = &lx->tok;
	size_t len = (s[0] == s[1] && (s[0] == '&' || s[0] == '|')) ? 2 : 1;

	if (s[0] == '&')
		t->type = len == 2 ? T_AND : T_AMP;
	else if (s[0] == '|')
		t->type = len == 2 ? T_OR : T_PIPE;
	else
		t->type = T_SEMI;
	t->text = strndup(s, len);
	lx->pos += len;
}

/* Advance to the next token; on error the token is T_EOF and lx->error is set. */
static void next(struct lexer *lx)
{
	const char *s = lx->s;
	size_t i;

	free(lx->tok.text);
	memset(&lx->tok, 0, sizeof(lx->tok));
	while (s[lx->pos] == ' ' || s[lx->pos] == '\t')
		lx->pos++;
	if (s[lx->pos] == '#')
		lx->pos += strcspn(s + lx->pos, "\n");
	lx->start = lx->pos;
	if (!s[lx->pos] || lx->error) {
		lx->tok.type = T_EOF;
		return;
	}
	for (i = lx->pos; isdigit((unsigned char)s[i]); i++)
		;
	if (i > lx->pos && i - lx->pos < 4 && (s[i] == '<' || s[i] == '>')) {
		int n = atoi(s + lx->pos);
		lx->pos = i;
		scan_redir(lx, n);
	} else if (s[lx->pos] == '<' || s[lx->pos] == '>') {
		scan_redir(lx, -1);
	} else if (strchr(";&|\n", s[lx->pos])) {
		scan_op(lx);
	} else {
		lx->tok.type = T_WORD;
		lx->tok.text = scan_word(lx);
		if (!lx->tok.text)
			lx->tok.type = T_EOF;
	}
}

/* Allocate a zeroed node of the given type. */
static struct node *node_new(enum node_type type)
{
	struct node *n = calloc(1, sizeof(*n));

	if (n)
		n->type = type;
	return n;
}

/* Append redirection (kind, fd, word) to cmd's list; returns 0 or -1. */
static int add_redir(struct node *cmd, enum redir_kind kind, int fd, char *word)
{
	struct redir *r = calloc(1, sizeof(*r)), **tail = &cmd->redirs;

	if (!r)
		return -1;
	r->kind = kind;
	r->fd = fd;
	r->word = word;
	while (*tail)
		tail = &(*tail)->next;
	*tail = r;
	return 0;
}

/* Append word w to cmd's words; returns 0 or -1. */
static int add_word(struct node *cmd, char *w)
{
	char **grown = realloc(cmd->words, (size_t)(cmd->nwords + 2) * sizeof(char *));

	if (!grown)
		return -1;
	cmd->words = grown;
	cmd->words[cmd->nwords++] = w;
	cmd->words[cmd->nwords] = NULL;
	return 0;
}

/* Parse one redirection (current token is T_REDIR) into cmd; returns 0 or -1. */
static int parse_redir(struct lexer *lx, struct node *cmd)
{
	enum redir_kind kind = lx->tok.rkind;
	int fd = lx->tok.rfd;
	char *w;

	next(lx);
	if (lx->tok.type != T_WORD) {
		syntax_error(lx, NULL);
		return -1;
	}
	if (kind == R_DUP && lx->tok.text[strspn(lx->tok.text, "0123456789")] != '\0' &&
	    strcmp(lx->tok.text, "-")) {
		syntax_error(lx, NULL);
		return -1;
	}
	w = lx->tok.text;
	lx->tok.text = NULL;
	if (add_redir(cmd, kind, fd, w) < 0) {
		free(w);
		return -1;
	}
	next(lx);
	return 0;
}

/* command := { WORD | REDIR WORD }+ ; returns the N_CMD node or NULL. */
static struct node *parse_command(struct lexer *lx)
{
	struct node *cmd = node_new(N_CMD);

	if (!cmd)
		return NULL;
	while (lx->tok.type == T_WORD || lx->tok.type == T_REDIR) {
		if (lx->tok.type == T_REDIR) {
			if (parse_redir(lx, cmd) < 0)
				goto fail;
			continue;
		}
		if (add_word(cmd, lx->tok.text) < 0)
			goto fail;
		lx->tok.text = NULL;
		next(lx);
	}
	if (cmd->nwords == 0 && !cmd->redirs) {
		syntax_error(lx, NULL);
		goto fail;
	}
	return cmd;
fail:
	node_free(cmd);
	return NULL;
}

/* pipeline := command { '|' command } ; returns an N_CMD or N_PIPE node or NULL. */
static struct node *parse_pipeline(struct lexer *lx)
{
	struct node *first = parse_command(lx), *p, *c, **grown;

	if (!first || lx->tok.type != T_PIPE)
		return first;
	p = node_new(N_PIPE);
	if (!p)
		goto fail;
	p->cmds = malloc(sizeof(*p->cmds));
	if (!p->cmds)
		goto fail;
	p->cmds[p->ncmds++] = first;
	first = NULL;
	while (lx->tok.type == T_PIPE) {
		next(lx);
		c = parse_command(lx);
		grown = c ? realloc(p->cmds, (size_t)(p->ncmds + 1) * sizeof(*grown)) : NULL;
		if (!grown) {
			node_free(c);
			goto fail;
		}
		p->cmds = grown;
		p->cmds[p->ncmds++] = c;
	}
	return p;
fail:
	node_free(first);
	node_free(p);
	return NULL;
}

/* Make a binary node of type t over l and r; frees both on ENOMEM. */
static struct node *binary(enum node_type t, struct node *l, struct node *r)
{
	struct node *n = node_new(t);

	if (!n) {
		node_free(l);
		node_free(r);
		return NULL;
	}
	n->left = l;
	n->right = r;
	return n;
}

/* and_or := pipeline { ('&&' | '||') pipeline } ; left-associative. */
static struct node *parse_and_or(struct lexer *lx)
{
	struct node *left = parse_pipeline(lx), *right;
	enum node_type t;

	while (left && (lx->tok.type == T_AND || lx->tok.type == T_OR)) {
		t = lx->tok.type == T_AND ? N_AND : N_OR;
		next(lx);
		while (lx->tok.type == T_SEMI && lx->tok.text[0] == '\n')
			next(lx); /* "a &&\n b" continues */
		right = parse_pipeline(lx);
		if (!right) {
			node_free(left);
			return NULL;
		}
		left = binary(t, left, right);
	}
	return left;
}

/* Return 1 if the current token can start a command. */
static int starts_command(const struct lexer *lx)
{
	return lx->tok.type == T_WORD || lx->tok.type == T_REDIR;
}

/* list := and_or { (';' | '&') [and_or] } ; builds SEQ/BG nodes leaning right.
 * Returns the tree, NULL for an empty list or on error (lx->error set). */
static struct node *parse_list(struct lexer *lx)
{
	struct node *item, *rest, *n;
	size_t start, end;
	int bg;

	while (lx->tok.type == T_SEMI && lx->tok.text[0] == '\n')
		next(lx); /* empty lines, but not a stray ';' */
	if (!starts_command(lx)) {
		if (lx->tok.type != T_EOF)
			syntax_error(lx, NULL);
		return NULL;
	}
	start = lx->start;
	item = parse_and_or(lx);
	if (!item)
		return NULL;
	end = lx->start;
	bg = lx->tok.type == T_AMP;
	if (!bg && lx->tok.type != T_SEMI && lx->tok.type != T_EOF) {
		syntax_error(lx, NULL);
		goto fail;
	}
	if (lx->tok.type != T_EOF)
		next(lx);
	rest = parse_list(lx);
	if (lx->error)
		goto fail;
	if (!bg && !rest)
		return item;
	n = binary(bg ? N_BG : N_SEQ, item, rest);
	if (n && bg)
		n->text = strndup(lx->s + start, end - start);
	return n;
fail:
	node_free(item);
	return NULL;
}

/* Contract: see its declaration in sh.h. */
int parse_line(const char *line, struct node **out)
{
	struct lexer lx = { .s = line };

	next(&lx);
	*out = parse_list(&lx);
	free(lx.tok.text);
	return lx.error ? -1 : 0;
}

/* Contract: see its declaration in sh.h. */
void node_free(struct node *n)
{
	struct redir *r, *rn;
	int i;

	if (!n)
		return;
	node_free(n->left);
	node_free(n->right);
	for (i = 0; i < n->nwords; i++)
		free(n->words[i]);
	free(n->words);
	for (r = n->redirs; r; r = rn) {
		rn = r->next;
		free(r->word);
		free(r);
	}
	for (i = 0; i < n->ncmds; i++)
		node_free(n->cmds[i]);
	free(n->cmds);
	free(n->text);
	free(n);
}
