/*
 * conf_int.h - the parser's helpers, shared by conf_parse.c (the sections
 * but triggers) and conf_trigger.c (triggers and their filters).
 */
#ifndef RABAN_CONF_INT_H
#define RABAN_CONF_INT_H

#include <string.h>

#include "conf.h"
#include "conf_lex.h"

struct parser {
	struct lex lx;
	struct conf *c;
	unsigned depth;
};

bool cp_is(struct parser *ps, enum tok_type t);
bool cp_is_word(struct parser *ps, const char *w);
/* "expected WHAT, found TOKEN" at the current token. */
void cp_expected(struct parser *ps, const char *what);
void cp_skip_statement(struct parser *ps);
bool cp_accept(struct parser *ps, enum tok_type t);
bool cp_expect(struct parser *ps, enum tok_type t, const char *what);
char *cp_dup_tok(struct parser *ps);
void *cp_grow(struct parser *ps, void *v, unsigned n, size_t size);
char *cp_name(struct parser *ps, const char *what, struct conf_pos *pos);
bool cp_number(struct parser *ps, bool units, uint64_t *out);
bool cp_end_statement(struct parser *ps);
typedef bool (*item_fn)(struct parser *ps, void *arg);
bool cp_list(struct parser *ps, item_fn item, void *arg);

/* Append a zeroed element to arr (count n); NULL when memory ran out. */
#define PUSH(ps, arr, n) ((arr) = cp_grow((ps), (arr), (n), sizeof(*(arr))), \
	!(ps)->lx.oom ? (struct_zero(&(arr)[(n)], sizeof(*(arr))), &(arr)[(n)++]) : NULL)
static inline void struct_zero(void *p, size_t n) { memset(p, 0, n); }

void conf_parse_triggers(struct parser *ps);
/* The health { } block of trigger t; the current token is the word health. */
void conf_parse_health(struct parser *ps, struct conf_trigger *t);

#endif
