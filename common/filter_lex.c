/*
 * filter_lex.c - splits a filter expression into tokens.
 *
 * A word is any run of characters other than blanks, parentheses and the
 * operator characters ! & | < > =, so addresses (10.0.0.0/8, fe80::1,
 * 0:1:2:3:4:5), port ranges (53-215) and service names (ftp-data) are one
 * word each.  Operators: ( ) ! && || > >= < <= == != =.
 */
#include "filter_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void flt_error(struct ra_err *err, size_t pos, const char *fmt, ...)
{
	char what[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	ra_err_set(err, RA_ERR_USAGE, "column %zu: %s", pos + 1, what);
	err->offset = pos + 1;
	err->has_offset = 0;
}

static bool is_blank(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

static bool is_word_char(unsigned char c)
{
	if (c <= ' ' || c >= 0x7f)
		return false;
	switch (c) {
	case '(': case ')': case '!': case '&': case '|': case '<': case '>': case '=':
		return false;
	default:
		return true;
	}
}

bool flt_lex(const char *expr, struct flt_token **out, size_t *count, struct ra_err *err)
{
	size_t len = 0, cap = 16, n = 0;
	struct flt_token *v;

	while (expr[len] && len <= FLT_MAX_EXPR)
		len++;
	if (len > FLT_MAX_EXPR) {
		flt_error(err, FLT_MAX_EXPR, "the expression is longer than %u bytes", FLT_MAX_EXPR);
		return false;
	}
	v = malloc(cap * sizeof(*v));
	if (!v) {
		ra_err_set(err, RA_ERR_NOMEM, "out of memory compiling the filter");
		return false;
	}
	for (size_t i = 0;;) {
		struct flt_token t = { TK_END, (uint32_t)i, 0 };
		unsigned char c;

		while (is_blank((unsigned char)expr[i]))
			i++;
		t.pos = (uint32_t)i;
		c = (unsigned char)expr[i];
		if (c == 0) {
			t.type = TK_END;
		} else if (c == '(' || c == ')') {
			t.type = c == '(' ? TK_LPAREN : TK_RPAREN;
			t.len = 1;
		} else if (c == '&' || c == '|') {
			if (expr[i + 1] != (char)c) {
				flt_error(err, i, "'%c' alone is not an operator (use '%c%c' or '%s')",
					  c, c, c, c == '&' ? "and" : "or");
				free(v);
				return false;
			}
			t.type = c == '&' ? TK_AND : TK_OR;
			t.len = 2;
		} else if (c == '!') {
			t.type = expr[i + 1] == '=' ? TK_CMP : TK_NOT;
			t.len = expr[i + 1] == '=' ? 2 : 1;
		} else if (c == '<' || c == '>' || c == '=') {
			t.type = TK_CMP;
			t.len = expr[i + 1] == '=' ? 2 : 1;
		} else if (is_word_char(c)) {
			t.type = TK_WORD;
			while (is_word_char((unsigned char)expr[i + t.len]))
				t.len++;
		} else {
			if (c >= 0x20 && c < 0x7f)
				flt_error(err, i, "unexpected character '%c'", c);
			else
				flt_error(err, i, "unexpected byte 0x%02x", c);
			free(v);
			return false;
		}
		if (n == cap) {
			struct flt_token *nv;
			cap *= 2;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				free(v);
				ra_err_set(err, RA_ERR_NOMEM, "out of memory compiling the filter");
				return false;
			}
			v = nv;
		}
		v[n++] = t;
		if (t.type == TK_END)
			break;
		i += t.len;
	}
	*out = v;
	*count = n;
	return true;
}
