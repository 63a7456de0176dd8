/*
 * conf_lex.h - the tokenizer of raban.conf: words, quoted strings and the
 * punctuation { } [ ] ; =, with '#' comments; every token knows its line and
 * column.  Shared by the parser (conf_parse.c) only.
 */
#ifndef RABAN_CONF_LEX_H
#define RABAN_CONF_LEX_H

#include <stdbool.h>
#include <stddef.h>

#include "conf.h"

enum tok_type { T_EOF, T_WORD, T_STRING, T_LBRACE, T_RBRACE, T_LBRACK, T_RBRACK, T_SEMI, T_EQ };

struct tok {
	enum tok_type type;
	struct conf_pos pos;
	size_t len;			/* of text; longer input is cut and reported */
	char text[CONF_MAX_TOKEN + 1];
};

struct lex {
	const char *path;
	const char *p, *end;
	unsigned line, col;
	struct tok cur;
	unsigned errors;
	bool gave_up;			/* CONF_MAX_ERRORS reached */
	bool oom;
	conf_report report;
	void *ctx;
};

void lex_init(struct lex *lx, const char *path, const char *text, size_t len, conf_report report,
	      void *ctx);
/* Move to the next token (in lx->cur). */
void lex_next(struct lex *lx);
/* Report "path:line:col: message" (counted; silent after CONF_MAX_ERRORS). */
void lex_error_at(struct lex *lx, struct conf_pos pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The current token for a message: "'{'", "'word'", "end of file" ... */
const char *lex_describe(const struct tok *t, char *buf, size_t cap);

#endif
