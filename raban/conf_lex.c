/*
 * conf_lex.c - the tokenizer of raban.conf (conf_lex.h).
 *
 * A word is a run of letters, digits and the characters _ - . : / + (names,
 * numbers with k/m/g, addresses, prefixes, agent.ifindex); a string is
 * "..." with \" and \\ escapes and no line break.  Tokens longer than
 * CONF_MAX_TOKEN bytes are reported and cut, so a 10 MB string costs one
 * scan and one error.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "conf_lex.h"

void lex_init(struct lex *lx, const char *path, const char *text, size_t len, conf_report report,
	      void *ctx)
{
	memset(lx, 0, sizeof(*lx));
	lx->path = path;
	lx->p = text;
	lx->end = text + len;
	lx->line = 1;
	lx->col = 1;
	lx->report = report;
	lx->ctx = ctx;
	lex_next(lx);
}

void lex_error_at(struct lex *lx, struct conf_pos pos, const char *fmt, ...)
{
	char msg[600], line[900];
	va_list ap;

	lx->errors++;
	if (lx->gave_up)
		return;
	if (lx->errors > CONF_MAX_ERRORS) {
		lx->gave_up = true;
		snprintf(line, sizeof(line), "%s: too many errors, giving up", lx->path);
		lx->report(lx->ctx, line);
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(line, sizeof(line), "%s:%u:%u: %s", lx->path, pos.line, pos.col, msg);
	lx->report(lx->ctx, line);
}

static bool word_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-' || c == '.' || c == ':' || c == '/' || c == '+' || c == '*';
}

static void advance(struct lex *lx)
{
	if (*lx->p == '\n') {
		lx->line++;
		lx->col = 1;
	} else {
		lx->col++;
	}
	lx->p++;
}

static void put(struct tok *t, char c)
{
	if (t->len < CONF_MAX_TOKEN)
		t->text[t->len] = c;
	t->len++;
}

static void finish(struct lex *lx, struct tok *t, const char *what)
{
	if (t->len > CONF_MAX_TOKEN) {
		lex_error_at(lx, t->pos, "%s longer than %u bytes", what, CONF_MAX_TOKEN);
		t->len = CONF_MAX_TOKEN;
	}
	t->text[t->len] = '\0';
}

static void lex_string(struct lex *lx, struct tok *t)
{
	t->type = T_STRING;
	advance(lx);
	for (;;) {
		if (lx->p >= lx->end || *lx->p == '\n') {
			lex_error_at(lx, t->pos, "string not closed by '\"' before the end of the line");
			break;
		}
		if (*lx->p == '"') {
			advance(lx);
			break;
		}
		if (*lx->p == '\\' && lx->p + 1 < lx->end && (lx->p[1] == '"' || lx->p[1] == '\\'))
			advance(lx);
		if (*lx->p == '\0') {
			struct conf_pos at = { lx->line, lx->col };
			lex_error_at(lx, at, "NUL byte in a string");
			advance(lx);
			continue;
		}
		put(t, *lx->p);
		advance(lx);
	}
	finish(lx, t, "string");
}

void lex_next(struct lex *lx)
{
	struct tok *t = &lx->cur;

again:
	for (;;) {
		while (lx->p < lx->end && (*lx->p == ' ' || *lx->p == '\t' || *lx->p == '\n' ||
					   *lx->p == '\r'))
			advance(lx);
		if (lx->p < lx->end && *lx->p == '#') {
			while (lx->p < lx->end && *lx->p != '\n')
				advance(lx);
			continue;
		}
		break;
	}
	t->len = 0;
	t->text[0] = '\0';
	t->pos.line = lx->line;
	t->pos.col = lx->col;
	if (lx->p >= lx->end) {
		t->type = T_EOF;
		return;
	}
	switch (*lx->p) {
	case '{': t->type = T_LBRACE; break;
	case '}': t->type = T_RBRACE; break;
	case '[': t->type = T_LBRACK; break;
	case ']': t->type = T_RBRACK; break;
	case ';': t->type = T_SEMI; break;
	case '=': t->type = T_EQ; break;
	case '"':
		lex_string(lx, t);
		return;
	default:
		if (!word_char((unsigned char)*lx->p)) {
			unsigned char c = (unsigned char)*lx->p;
			if (c >= 0x20 && c < 0x7f)
				lex_error_at(lx, t->pos, "unexpected character '%c'", c);
			else
				lex_error_at(lx, t->pos, "unexpected byte 0x%02x", c);
			advance(lx);
			goto again;
		}
		t->type = T_WORD;
		while (lx->p < lx->end && word_char((unsigned char)*lx->p)) {
			put(t, *lx->p);
			advance(lx);
		}
		finish(lx, t, "word");
		return;
	}
	t->text[0] = *lx->p;
	t->text[1] = '\0';
	t->len = 1;
	advance(lx);
}

const char *lex_describe(const struct tok *t, char *buf, size_t cap)
{
	switch (t->type) {
	case T_EOF:
		snprintf(buf, cap, "end of file");
		break;
	case T_STRING:
		snprintf(buf, cap, "string \"%.40s%s\"", t->text, t->len > 40 ? "..." : "");
		break;
	case T_WORD:
		snprintf(buf, cap, "'%.40s%s'", t->text, t->len > 40 ? "..." : "");
		break;
	default:
		snprintf(buf, cap, "'%s'", t->text);
		break;
	}
	return buf;
}
