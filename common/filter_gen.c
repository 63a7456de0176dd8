/*
 * filter_gen.c - flt_compile(): lex, parse, then flatten the syntax tree
 * into a program of test nodes with true/false jumps (the BPF idea).
 *
 * gen(node, T, F) emits the code of a subtree whose true exit goes to T
 * and false exit to F: "a and b" is a with true -> b, false -> F; "a or
 * b" is a with true -> T, false -> b; "not a" swaps T and F.  Nodes are
 * emitted last-first, so after reversing the array every jump goes
 * forward and the evaluator ends in at most n steps.
 */
#include "filter.h"
#include "filter_int.h"

#include <stdlib.h>
#include <string.h>

#define L_ACCEPT UINT32_MAX
#define L_REJECT (UINT32_MAX - 1)

uint32_t flt_ast_add(struct flt_tree *t, const struct flt_ast *node)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 32;
		struct flt_ast *v = realloc(t->v, cap * sizeof(*v));
		if (!v) {
			t->nomem = true;
			return 0;
		}
		t->v = v;
		t->cap = cap;
	}
	t->v[t->n] = *node;
	return (uint32_t)t->n++;
}

uint32_t flt_ast_leaf(struct flt_tree *t, const struct flt_leaf *leaf)
{
	struct flt_ast a = { .kind = AST_LEAF, .leaf = *leaf };
	return flt_ast_add(t, &a);
}

uint32_t flt_ast_bin(struct flt_tree *t, int kind, uint32_t a, uint32_t b)
{
	struct flt_ast n = { .kind = (uint8_t)kind, .a = a, .b = b };
	if (a == FLT_BAD || b == FLT_BAD)
		return FLT_BAD;
	return flt_ast_add(t, &n);
}

uint32_t flt_ast_not(struct flt_tree *t, uint32_t a)
{
	struct flt_ast n = { .kind = AST_NOT, .a = a };
	if (a == FLT_BAD)
		return FLT_BAD;
	return flt_ast_add(t, &n);
}

struct gen {
	const struct flt_tree *tree;
	struct flt_node *out;
	uint32_t n, cap;
};

static uint32_t gen(struct gen *g, uint32_t node, uint32_t t, uint32_t f)
{
	const struct flt_ast *a = &g->tree->v[node];
	uint32_t e;

	switch (a->kind) {
	case AST_NOT:
		return gen(g, a->a, f, t);
	case AST_AND:
		e = gen(g, a->b, t, f);
		return gen(g, a->a, e, f);
	case AST_OR:
		e = gen(g, a->b, t, f);
		return gen(g, a->a, t, e);
	default:
		if (g->n == g->cap)
			return L_REJECT;	/* cannot happen: cap = number of tree nodes */
		g->out[g->n].leaf = a->leaf;
		g->out[g->n].jt = t;
		g->out[g->n].jf = f;
		return g->n++;
	}
}

static uint32_t relabel(uint32_t label, uint32_t n)
{
	if (label == L_ACCEPT)
		return n;
	if (label == L_REJECT)
		return n + 1;
	return n - 1 - label;
}

bool flt_generate(const struct flt_tree *tree, uint32_t root, struct ra_filter *flt)
{
	struct gen g = { tree, NULL, 0, (uint32_t)tree->n };

	g.out = calloc(tree->n ? tree->n : 1, sizeof(*g.out));
	if (!g.out)
		return false;
	gen(&g, root, L_ACCEPT, L_REJECT);
	/* reverse: the entry (emitted last) becomes node 0 */
	for (uint32_t i = 0, j = g.n ? g.n - 1 : 0; i < j; i++, j--) {
		struct flt_node tmp = g.out[i];
		g.out[i] = g.out[j];
		g.out[j] = tmp;
	}
	for (uint32_t i = 0; i < g.n; i++) {
		g.out[i].jt = relabel(g.out[i].jt, g.n);
		g.out[i].jf = relabel(g.out[i].jf, g.n);
	}
	flt->nodes = g.out;
	flt->n = g.n;
	/* A plain conjunction ("tcp and dst port 80 and src net ...") is left to
	 * the jumps: most records fail its first test or two and stop there,
	 * which costs less than running every test (measured with bench/). */
	bool conjunction = true;
	for (uint32_t i = 0; i < g.n; i++)
		if (g.out[i].jf != g.n + 1 || g.out[i].jt != i + 1)
			conjunction = false;
	if (g.n <= FLT_TABLE_MAX && !conjunction) {
		/* outcome of the program for every combination of test results */
		for (uint32_t bits = 0; bits < 1u << g.n; bits++) {
			uint32_t pc = 0;
			while (pc < g.n)
				pc = (bits >> pc & 1u) ? g.out[pc].jt : g.out[pc].jf;
			if (pc == g.n)
				flt->truth[bits / 64] |= 1ull << (bits % 64);
		}
		flt->table = true;
	}
	return true;
}

struct ra_filter *flt_compile(const char *expr, struct ra_err *err)
{
	struct flt_token *tok = NULL;
	struct flt_tree tree = { 0 };
	struct ra_filter *flt;
	size_t ntok = 0, len;
	uint32_t root = FLT_BAD;

	if (!expr)
		expr = "";
	if (!flt_lex(expr, &tok, &ntok, err))
		return NULL;
	flt = calloc(1, sizeof(*flt));
	len = strlen(expr);
	if (!flt || !(flt->expr = malloc(len + 1))) {
		free(flt);
		free(tok);
		ra_err_set(err, RA_ERR_NOMEM, "out of memory compiling the filter");
		return NULL;
	}
	memcpy(flt->expr, expr, len + 1);
	if (ntok == 1) {	/* blank: match everything, no nodes */
		free(tok);
		return flt;
	}
	if (!flt_parse(expr, tok, ntok, &tree, &root, err)) {
		free(tree.v);
		free(tok);
		flt_free(flt);
		return NULL;
	}
	if (!flt_generate(&tree, root, flt)) {
		ra_err_set(err, RA_ERR_NOMEM, "out of memory compiling the filter");
		free(tree.v);
		free(tok);
		flt_free(flt);
		return NULL;
	}
	free(tree.v);
	free(tok);
	return flt;
}

void flt_free(struct ra_filter *flt)
{
	if (!flt)
		return;
	free(flt->nodes);
	free(flt->expr);
	free(flt);
}
