/*
 * filter_int.h - internals of the filter compiler shared by its files:
 * tokens (filter_lex.c), the syntax tree and value parsers
 * (filter_parse.c, filter_value.c), the flat program (filter_gen.c),
 * its evaluator (filter_eval.c) and its printer (filter_dump.c).
 * Nothing outside common/filter*.c includes this header.
 */
#ifndef COMMON_FILTER_INT_H
#define COMMON_FILTER_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "record.h"

/* ---- tokens ---- */

enum flt_tok {
	TK_END,		/* end of expression */
	TK_WORD,	/* keyword, number, address, name */
	TK_LPAREN, TK_RPAREN,
	TK_NOT,		/* ! */
	TK_AND,		/* && */
	TK_OR,		/* || */
	TK_CMP,		/* > >= < <= == != = */
};

struct flt_token {
	uint8_t type;		/* enum flt_tok */
	uint32_t pos;		/* 0-based offset in the expression */
	uint32_t len;
};

#define FLT_MAX_EXPR 65536u	/* longest expression accepted, bytes */
#define FLT_MAX_DEPTH 200	/* deepest nesting of ( and not */

/* Split expr into tokens (last one TK_END).  *out is malloc'ed. */
bool flt_lex(const char *expr, struct flt_token **out, size_t *count, struct ra_err *err);

/* Column-tagged error: "column N: ..." with err->offset = N (1-based). */
void flt_error(struct ra_err *err, size_t pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ---- the program ---- */

/* Leaf operations.  Every leaf is a test; a program node is a leaf plus
 * where to go when it is true and when it is false. */
enum flt_op {
	OP_RANGE8,	/* lo <= u8 at off <= hi */
	OP_RANGE16,
	OP_RANGE32,
	OP_RANGE64,
	OP_SUM32,	/* lo <= u32 at off + u32 at off2 <= hi */
	OP_SUM64,	/* lo <= u64 at off + u64 at off2 <= hi */
	OP_DUR,		/* lo <= ltime - stime (us, 0 if negative) <= hi */
	OP_ANY8,	/* u8 at off & bits != 0 */
	OP_ALL8,	/* u8 at off & bits == bits */
	OP_ANY32,	/* u32 at off & bits != 0 */
	OP_FAMILY,	/* (1 << family) & bits */
	OP_IPPROTO,	/* proto == lo and (1 << family) & bits */
	OP_PORT,	/* port proto (tcp, udp, sctp) and lo <= u16 at off <= hi */
	OP_NET4,	/* u8 family at off2 is INET or ARP, (u32 at off & mask) == net */
	OP_NET6,	/* u8 family at off2 is INET6, masked 16 bytes at off == net */
	OP_MAC,		/* L2 block present, 6 bytes at off == mac */
	OP_MACBIT,	/* L2 block present, byte 0 of the 6 at off has bits */
	OP_ICMP,	/* ICMP(v6) and (type at sport in the set or state in the set) */
	OP_ETYPE,	/* family ETHER and etype == lo */
	OP_FIELD,	/* lo <= fld_uint(field) <= hi */
	OP_FIELDD,	/* fld_double(field) cmp d */
	OP_COUNT
};

/* Comparison operators as parsed. */
enum flt_cmp { CMP_EQ, CMP_NE, CMP_LT, CMP_LE, CMP_GT, CMP_GE };

/* ICMP word: types for ICMP and ICMPv6 (in sport) and states that match. */
struct flt_icmp_set {
	uint8_t n4, n6, nst;
	uint8_t t4[4], t6[4], st[12];
};

struct flt_leaf {
	uint8_t op;		/* enum flt_op */
	uint8_t cmp;		/* OP_FIELDD: enum flt_cmp */
	uint8_t field;		/* OP_FIELD(D): enum fld_id */
	uint16_t off, off2;	/* byte offsets into struct ra_flow */
	uint32_t bits;		/* masks for ANY/ALL/FAMILY/IPPROTO/MACBIT */
	uint64_t lo, hi;	/* inclusive range */
	double d;
	union {
		struct { uint32_t net, mask; } v4;
		struct { uint64_t net[2], mask[2]; } v6;
		uint8_t mac[6];
		struct flt_icmp_set icmp;
	} u;
	const char *what;	/* field name for flt_dump */
	/* A pair test (OP_RANGEn, OP_PORT, OP_NET4): the same test also at
	 * offset offb, joined by "or" (pair 1: "host x" is saddr or daddr) or
	 * "and" (pair 2: "src and dst ..."), in one node. */
	uint8_t pair;
	uint16_t offb;
	const char *whatb;
};

struct flt_node {
	struct flt_leaf leaf;
	uint32_t jt, jf;	/* next node index; n = accept, n + 1 = reject */
};

/* Programs of at most FLT_TABLE_MAX tests that are not a plain conjunction
 * are also given a truth table: flt_match computes every test (in a fixed
 * order, so the CPU predicts every dispatch) and looks the outcome up,
 * instead of following jumps that depend on the data.  The table is
 * computed from the jump program, so both always agree. */
#define FLT_TABLE_MAX 10

struct ra_filter {
	struct flt_node *nodes;
	uint32_t n;
	bool table;			/* truth[] is valid */
	uint64_t truth[(1u << FLT_TABLE_MAX) / 64];
	char *expr;		/* the source text, for flt_dump */
};

/* One test of a leaf (filter_eval.c). */
bool flt_leaf_test(const struct flt_leaf *l, const struct ra_flow *f);

/* ---- syntax tree (compile time only) ---- */

enum flt_ast_kind { AST_LEAF, AST_AND, AST_OR, AST_NOT };

struct flt_ast {
	uint8_t kind;
	uint32_t a, b;		/* children (indices) */
	struct flt_leaf leaf;
};

struct flt_tree {
	struct flt_ast *v;
	size_t n, cap;
	bool nomem;
};

/* Append a node; returns its index (or 0 with t->nomem set). */
uint32_t flt_ast_add(struct flt_tree *t, const struct flt_ast *node);
uint32_t flt_ast_leaf(struct flt_tree *t, const struct flt_leaf *leaf);
uint32_t flt_ast_bin(struct flt_tree *t, int kind, uint32_t a, uint32_t b);
uint32_t flt_ast_not(struct flt_tree *t, uint32_t a);

/* Parse tokens into a tree; returns the root index or false on error. */
bool flt_parse(const char *expr, const struct flt_token *tok, size_t ntok,
	       struct flt_tree *tree, uint32_t *root, struct ra_err *err);

/* Direction qualifiers. */
enum flt_dirq { DIR_NONE, DIR_SRC, DIR_DST, DIR_OR, DIR_AND,
	DIR_SRCID };	/* not a qualifier: flt_addr_prim on the srcid field */

/* Type qualifiers a bare value may inherit (tcpdump's rule). */
enum flt_typeq { TY_NONE, TY_HOST, TY_NET, TY_PORT, TY_PROTO, TY_EHOST, TY_CMP };

struct flt_qual {
	int pq;			/* protocol qualifier (index in the table), -1 none */
	int dir;		/* enum flt_dirq */
	int type;		/* enum flt_typeq */
	int word;		/* TY_CMP: which comparison word */
	bool ether;		/* TY_EHOST */
};

#define FLT_BAD UINT32_MAX	/* "no node": an error was reported */

struct flt_parser {
	const char *expr;
	const struct flt_token *tok;
	size_t ntok, i;
	struct flt_tree *tree;
	struct ra_err *err;
	int depth;
	bool have_last;		/* a bare value after and/or reuses 'last' */
	struct flt_qual last;
};

static inline const struct flt_token *flt_peek(const struct flt_parser *p, size_t k)
{
	size_t j = p->i + k;
	return &p->tok[j < p->ntok ? j : p->ntok - 1];
}

/* "'word'" or "the end of the expression", for messages. */
const char *flt_found(const struct flt_parser *p, const struct flt_token *t, char *buf, size_t cap);
/* Report an error at token t. */
void flt_err_at(struct flt_parser *p, const struct flt_token *t, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
uint32_t flt_leaf_node(struct flt_parser *p, const struct flt_leaf *leaf, bool negate);
/* Join src and dst tests as the direction qualifier says (NONE: dflt). */
uint32_t flt_by_dir(struct flt_parser *p, int dir, int dflt, uint32_t s, uint32_t d);

/* filter_words.c: primitives once their qualifiers are known.  Each
 * consumes its value tokens and returns a tree node or FLT_BAD. */
uint32_t flt_pq_node(struct flt_parser *p, int pq);
uint32_t flt_addr_prim(struct flt_parser *p, int dir, int type, int pq, size_t kw);
uint32_t flt_port_prim(struct flt_parser *p, int dir, int pq, size_t kw);
uint32_t flt_proto_prim(struct flt_parser *p, int pq, size_t kw);
uint32_t flt_ether_prim(struct flt_parser *p, int dir, size_t kw);
uint32_t flt_cmp_prim(struct flt_parser *p, int dir, int word, size_t kw);
int flt_cmp_word(const char *expr, const struct flt_token *t);
uint32_t flt_cast_pq(struct flt_parser *p, int pq, uint32_t node);
const char *flt_pq_name(int pq);
int flt_pq_lookup(const char *expr, const struct flt_token *t);
uint32_t flt_mcast_prim(struct flt_parser *p, int dir, int pq, bool ether, bool bcast, size_t kw);

/* Turn the tree into the flat program. */
bool flt_generate(const struct flt_tree *tree, uint32_t root, struct ra_filter *flt);

/* ---- value parsers (filter_value.c) ---- */

/* A token's text, copied NUL-terminated into buf (cap bytes); false if too long. */
bool flt_text(const char *expr, const struct flt_token *t, char *buf, size_t cap);
bool flt_word_is(const char *expr, const struct flt_token *t, const char *word);
/* "gt" "gte" "ge" "lt" "lte" "le" "eq" "ne" or a TK_CMP: the operator, or -1. */
int flt_cmp_of(const char *expr, const struct flt_token *t);
/* Unsigned integer, decimal or 0x hex, whole string. */
bool flt_parse_uint(const char *s, uint64_t *v);
/* Decimal number, possibly with a fraction. */
bool flt_parse_double(const char *s, double *v);
/* An integer comparison "cmp v" as an inclusive range plus negation. */
void flt_range(int cmp, uint64_t v, uint64_t max, uint64_t *lo, uint64_t *hi, bool *negate);
/* A real threshold t compared with an integer field scaled by 'scale':
 * the inclusive integer range of field values for which "field cmp t*scale". */
void flt_range_real(int cmp, double t, double scale, uint64_t max,
		    uint64_t *lo, uint64_t *hi, bool *negate);
/* Port by number or /etc/services name for tcp or udp: the port numbers
 * for tcp and for udp (-1 where the name is unknown for that protocol). */
bool flt_port_lookup(const char *s, int *tcp, int *udp);
/* Protocol by number or name (tcp, udp, gre, ... or /etc/protocols). */
int flt_proto_lookup(const char *s);
/* Ethertype by name (ip, ip6, arp, rarp, vlan, ...) or number; -1 if unknown. */
long flt_etype_lookup(const char *s);

#endif
