/*
 * filter_parse.c - the filter grammar (ra-filter(7)), tcpdump's:
 *
 *   expr  := unary { ("and" | "&&" | "or" | "||") unary }    equal precedence, left to right
 *   unary := ("not" | "!") unary | "(" expr ")" | primitive
 *   primitive := [proto] [src | dst | src or dst | src and dst] [type] value
 *              | a flow word (syn, reset, frag, CON, echo, ...) | a comparison
 *
 * A bare value after "and"/"or" takes the qualifiers of the last typed
 * primitive ("tcp dst port ftp or domain").  The result is a syntax tree
 * (filter_gen.c turns it into the flat program); the primitives that take
 * values are built in filter_words.c and filter_cmp.c.
 */
#include "config.h"

#include "filter_int.h"

#include <string.h>

#define OFF(m) ((uint16_t)offsetof(struct ra_flow, m))

static uint32_t parse_expr(struct flt_parser *p);

/* ---- words that need no value ---- */

static uint32_t leaf_any32(struct flt_parser *p, uint32_t bits)
{
	struct flt_leaf l = { 0 };
	l.op = OP_ANY32;
	l.off = OFF(flgs);
	l.bits = bits;
	l.what = "flgs";
	return flt_leaf_node(p, &l, false);
}

static uint32_t leaf_flags(struct flt_parser *p, bool dst, bool all, uint32_t bits)
{
	struct flt_leaf l = { 0 };
	l.op = all ? OP_ALL8 : OP_ANY8;
	l.off = dst ? OFF(dtcpflags) : OFF(stcpflags);
	l.bits = bits;
	l.what = dst ? "dtcpflags" : "stcpflags";
	return flt_leaf_node(p, &l, false);
}

static uint32_t leaf_range(struct flt_parser *p, int op, uint16_t off, uint64_t lo, uint64_t hi,
			   const char *what)
{
	struct flt_leaf l = { 0 };
	l.op = (uint8_t)op;
	l.off = off;
	l.lo = lo;
	l.hi = hi;
	l.what = what;
	return flt_leaf_node(p, &l, false);
}

static uint32_t leaf_state(struct flt_parser *p, int st)
{
	return leaf_range(p, OP_RANGE8, OFF(state), (uint64_t)st, (uint64_t)st, "state");
}

static uint32_t leaf_icmp(struct flt_parser *p, const char *name)
{
	struct flt_leaf l = { 0 };
	l.op = OP_ICMP;
	l.what = name;
	if (strcmp(name, "echo") == 0) {
		l.u.icmp = (struct flt_icmp_set){ 2, 2, 2, { 8, 0 }, { 128, 129 }, { RA_ST_ECO, RA_ST_ECR } };
	} else if (strcmp(name, "unreach") == 0) {
		l.u.icmp = (struct flt_icmp_set){ 1, 1, 10, { 3 }, { 1 },
			{ RA_ST_URN, RA_ST_URH, RA_ST_URP, RA_ST_URPR, RA_ST_URF, RA_ST_URS,
			  RA_ST_URNU, RA_ST_URHU, RA_ST_URAD, RA_ST_UR } };
	} else if (strcmp(name, "redirect") == 0) {
		l.u.icmp = (struct flt_icmp_set){ 1, 1, 2, { 5 }, { 137 }, { RA_ST_RED, RA_ST_RDR } };
	} else {
		l.u.icmp = (struct flt_icmp_set){ 1, 1, 1, { 11 }, { 3 }, { RA_ST_TXD } };
	}
	return flt_leaf_node(p, &l, false);
}

static const char *const tcp_words[] = { "syn", "synack", "fin", "finack", "reset",
	"retrans", "outoforder", "winshut", NULL };
static const char *const plain_words[] = { "frag", "fragonly", "icmpmap", "multipath", "ecn",
	"con", "est", "echo", "unreach", "redirect", "timexed", "vlan", "mpls", "encaps",
	"srcid", "state", "rtp", "rtcp", NULL };
static const char *const grammar_words[] = { "and", "or", "not", "src", "dst", "host", "net",
	"port", "proto", "ether", "broadcast", "multicast", "mask", NULL };

static int in_list(const char *expr, const struct flt_token *t, const char *const *list)
{
	for (int i = 0; list[i]; i++)
		if (flt_word_is(expr, t, list[i]))
			return i;
	return -1;
}

static int upper_state(const char *expr, const struct flt_token *t)
{
	char text[8];

	if (t->type != TK_WORD || !flt_text(expr, t, text, sizeof(text)))
		return -1;
	for (const char *s = text; *s; s++)
		if (*s < 'A' || *s > 'Z')
			return -1;
	return ra_state_lookup(text);
}

static bool is_keyword(const struct flt_parser *p, const struct flt_token *t)
{
	const char *e = p->expr;
	return t->type != TK_WORD || in_list(e, t, tcp_words) >= 0 || in_list(e, t, plain_words) >= 0 ||
	       in_list(e, t, grammar_words) >= 0 || flt_pq_lookup(e, t) >= 0 ||
	       flt_cmp_word(e, t) >= 0 || flt_cmp_of(e, t) >= 0 || upper_state(e, t) >= 0;
}

/* syn synack fin finack reset retrans outoforder winshut, with a direction. */
static uint32_t tcp_word(struct flt_parser *p, int dir, int which, size_t kw)
{
	static const uint16_t cnt[][2] = { { OFF(sretrans), OFF(dretrans) }, { OFF(sooo), OFF(dooo) },
					   { OFF(swinshut), OFF(dwinshut) } };
	static const char *const cnt_names[][2] = { { "sretrans", "dretrans" }, { "sooo", "dooo" },
						    { "swinshut", "dwinshut" } };
	const struct flt_token *t = &p->tok[kw];

	if (flt_cmp_of(p->expr, flt_peek(p, 0)) >= 0 && which != 0 && which != 2 && which != 3 &&
	    which != 4) {
		int w = flt_cmp_word(p->expr, t);	/* synack/retrans/... compared as numbers */
		return flt_cmp_prim(p, dir, w, kw);
	}
	switch (which) {
	case 0:	/* syn: SYN from the source */
		return flt_by_dir(p, dir, DIR_SRC, leaf_flags(p, false, false, RA_TCP_SYN),
				  leaf_flags(p, true, false, RA_TCP_SYN));
	case 1:	/* synack: SYN+ACK from the destination */
		return flt_by_dir(p, dir, DIR_DST, leaf_flags(p, false, true, RA_TCP_SYN | RA_TCP_ACK),
				  leaf_flags(p, true, true, RA_TCP_SYN | RA_TCP_ACK));
	case 2:
		return flt_by_dir(p, dir, DIR_OR, leaf_flags(p, false, false, RA_TCP_FIN),
				  leaf_flags(p, true, false, RA_TCP_FIN));
	case 3:	/* finack: a FIN and an ACK from the other side */
		return flt_by_dir(p, dir, DIR_OR,
			flt_ast_bin(p->tree, AST_AND, leaf_flags(p, false, false, RA_TCP_FIN),
				    leaf_flags(p, true, false, RA_TCP_ACK)),
			flt_ast_bin(p->tree, AST_AND, leaf_flags(p, true, false, RA_TCP_FIN),
				    leaf_flags(p, false, false, RA_TCP_ACK)));
	case 4:
		return flt_by_dir(p, dir, DIR_OR, leaf_flags(p, false, false, RA_TCP_RST),
				  leaf_flags(p, true, false, RA_TCP_RST));
	default: {
		int k = which - 5;
		struct flt_leaf l = { 0 };
		if (dir == DIR_NONE) {
			l.op = OP_SUM32;
			l.off = cnt[k][0];
			l.off2 = cnt[k][1];
			l.lo = 1;
			l.hi = UINT32_MAX;
			l.what = tcp_words[which];
			return flt_leaf_node(p, &l, false);
		}
		return flt_by_dir(p, dir, DIR_OR,
				  leaf_range(p, OP_RANGE32, cnt[k][0], 1, UINT32_MAX, cnt_names[k][0]),
				  leaf_range(p, OP_RANGE32, cnt[k][1], 1, UINT32_MAX, cnt_names[k][1]));
	}
	}
}

/* vlan [N], mpls [N]: a tag at all, or this id on either side. */
static uint32_t tag_word(struct flt_parser *p, bool mpls)
{
	const struct flt_token *t = flt_peek(p, 0);
	char text[32];
	uint64_t v;

	if (t->type != TK_WORD || !flt_text(p->expr, t, text, sizeof(text)) || !flt_parse_uint(text, &v))
		return leaf_any32(p, mpls ? RA_FL_MPLS : RA_FL_8021Q);
	if (v > (mpls ? 0xfffffu : 4095u)) {
		flt_err_at(p, t, "%s %s is out of range (0-%u)", mpls ? "MPLS label" : "VLAN id", text,
			   mpls ? 0xfffffu : 4095u);
		return FLT_BAD;
	}
	p->i++;
	if (mpls)
		return flt_ast_bin(p->tree, AST_OR, leaf_range(p, OP_RANGE32, OFF(smpls), v, v, "smpls"),
				   leaf_range(p, OP_RANGE32, OFF(dmpls), v, v, "dmpls"));
	return flt_ast_bin(p->tree, AST_OR, leaf_range(p, OP_RANGE16, OFF(svlan), v, v, "svlan"),
			   leaf_range(p, OP_RANGE16, OFF(dvlan), v, v, "dvlan"));
}

static uint32_t encaps_word(struct flt_parser *p)
{
	static const struct { const char *name; uint32_t bit; } encaps[] = {
		{ "eth", RA_FL_ETHER }, { "ether", RA_FL_ETHER }, { "802q", RA_FL_8021Q },
		{ "vlan", RA_FL_8021Q }, { "mpls", RA_FL_MPLS }, { "ppp", RA_FL_PPP },
		{ "pppoe", RA_FL_PPP }, { "sll", RA_FL_SLL }, { "tunnel", RA_FL_TUNNEL },
		{ "gre", RA_FL_TUNNEL }, { "ipnip", RA_FL_TUNNEL }, { "ipnip6", RA_FL_TUNNEL },
		{ "teredo", RA_FL_TUNNEL }, { "vxlan", RA_FL_TUNNEL },
	};
	const struct flt_token *t = flt_peek(p, 0);
	char found[96];

	for (size_t i = 0; i < sizeof(encaps) / sizeof(encaps[0]); i++)
		if (flt_word_is(p->expr, t, encaps[i].name)) {
			p->i++;
			return leaf_any32(p, encaps[i].bit);
		}
	flt_err_at(p, t, "expected an encapsulation (eth 802q mpls ppp pppoe sll tunnel gre ipnip "
		   "ipnip6 teredo vxlan) after 'encaps', found %s", flt_found(p, t, found, sizeof(found)));
	return FLT_BAD;
}

static uint32_t plain_word(struct flt_parser *p, int which, size_t kw)
{
	const char *name = plain_words[which];
	char text[16], found[96];
	int st;

	switch (which) {
	case 0: return leaf_any32(p, RA_FL_FRAG | RA_FL_FRAG_PART | RA_FL_FRAG_OVER);
	case 1: return leaf_any32(p, RA_FL_FRAG_PART);
	case 2: return leaf_any32(p, RA_FL_ICMP_MAP);
	case 3: return leaf_any32(p, RA_FL_MULTIMAC);
	case 4: return leaf_any32(p, RA_FL_ECN);
	case 5: case 6:	/* con, est: connected: CON, or a SYN+ACK came back (as Argus) */
		return flt_ast_bin(p->tree, AST_OR, leaf_state(p, RA_ST_CON),
				   leaf_flags(p, true, true, RA_TCP_SYN | RA_TCP_ACK));
	case 7: case 8: case 9: case 10:
		return leaf_icmp(p, name);
	case 11: return tag_word(p, false);
	case 12: return tag_word(p, true);
	case 13: return encaps_word(p);
	case 14: return flt_addr_prim(p, DIR_SRCID, TY_NET, -1, kw);
	case 16: return leaf_any32(p, RA_FL_RTP);	/* UDP flows Argus's heuristic calls RTP */
	case 17: return leaf_any32(p, RA_FL_RTCP);
	default: {	/* state NAME */
		const struct flt_token *t = flt_peek(p, 0);
		if (t->type != TK_WORD || !flt_text(p->expr, t, text, sizeof(text)) ||
		    (st = ra_state_lookup(text)) < 0) {
			flt_err_at(p, t, "expected a state name (REQ ACC CON CLO FIN RST INT ECO ...) "
				   "after 'state', found %s", flt_found(p, t, found, sizeof(found)));
			return FLT_BAD;
		}
		p->i++;
		return leaf_state(p, st);
	}
	}
}

/* ---- primitives ---- */

static void remember(struct flt_parser *p, int pq, int dir, int type, int word)
{
	p->have_last = true;
	p->last.pq = pq;
	p->last.dir = dir;
	p->last.type = type;
	p->last.word = word;
}

/* A bare value (or operator) after and/or: the last qualifiers again. */
static uint32_t reuse(struct flt_parser *p)
{
	const struct flt_qual *q = &p->last;

	switch (q->type) {
	case TY_HOST: case TY_NET: return flt_addr_prim(p, q->dir, q->type, q->pq, p->i);
	case TY_PORT: return flt_port_prim(p, q->dir, q->pq, p->i);
	case TY_PROTO: return flt_proto_prim(p, q->pq, p->i);
	default: return flt_cast_pq(p, q->pq, flt_cmp_prim(p, q->dir, q->word, p->i));
	}
}

static uint32_t parse_prim(struct flt_parser *p)
{
	const struct flt_token *t = flt_peek(p, 0);
	char found[96];
	size_t kw;
	int pq = -1, dir = DIR_NONE, w;

	if (t->type == TK_WORD && !is_keyword(p, t) && p->have_last)
		return reuse(p);
	if (flt_cmp_of(p->expr, t) >= 0 && p->have_last && p->last.type == TY_CMP)
		return reuse(p);
	if (flt_word_is(p->expr, t, "ether")) {
		p->have_last = false;
		p->i++;
		return flt_ether_prim(p, DIR_NONE, p->i - 1);
	}
	if ((pq = flt_pq_lookup(p->expr, t)) >= 0) {
		static const char *const follow[] = { "src", "dst", "host", "net", "port", "proto",
						      "broadcast", "multicast", NULL };
		p->i++;
		t = flt_peek(p, 0);
		if (in_list(p->expr, t, follow) < 0) {
			p->have_last = false;
			return flt_pq_node(p, pq);
		}
	}
	if (flt_word_is(p->expr, t, "src") || flt_word_is(p->expr, t, "dst")) {
		bool src = flt_word_is(p->expr, t, "src");
		const struct flt_token *a = flt_peek(p, 1), *b = flt_peek(p, 2);
		dir = src ? DIR_SRC : DIR_DST;
		p->i++;
		if ((flt_word_is(p->expr, a, "or") || flt_word_is(p->expr, a, "and")) &&
		    flt_word_is(p->expr, b, src ? "dst" : "src")) {
			dir = flt_word_is(p->expr, a, "or") ? DIR_OR : DIR_AND;
			p->i += 2;
		}
		t = flt_peek(p, 0);
	}
	kw = p->i;
	if (flt_word_is(p->expr, t, "host") || flt_word_is(p->expr, t, "net")) {
		int type = flt_word_is(p->expr, t, "host") ? TY_HOST : TY_NET;
		p->i++;
		remember(p, pq, dir, type, 0);
		return flt_addr_prim(p, dir, type, pq, kw);
	}
	if (flt_word_is(p->expr, t, "port")) {
		p->i++;
		remember(p, pq, dir, TY_PORT, 0);
		return flt_port_prim(p, dir, pq, kw);
	}
	if (flt_word_is(p->expr, t, "proto")) {
		if (dir != DIR_NONE) {
			flt_err_at(p, t, "'proto' takes no 'src' or 'dst'");
			return FLT_BAD;
		}
		p->i++;
		remember(p, pq, dir, TY_PROTO, 0);
		return flt_proto_prim(p, pq, kw);
	}
	if (flt_word_is(p->expr, t, "broadcast") || flt_word_is(p->expr, t, "multicast")) {
		p->i++;
		p->have_last = false;
		return flt_mcast_prim(p, dir, pq, false, flt_word_is(p->expr, t, "broadcast"), kw);
	}
	if ((w = in_list(p->expr, t, tcp_words)) >= 0) {
		p->i++;
		p->have_last = false;
		return flt_cast_pq(p, pq, tcp_word(p, dir, w, kw));
	}
	if ((w = flt_cmp_word(p->expr, t)) >= 0) {
		p->i++;
		remember(p, pq, dir, TY_CMP, w);
		return flt_cast_pq(p, pq, flt_cmp_prim(p, dir, w, kw));
	}
	if (pq >= 0 || dir != DIR_NONE) {
		if (t->type == TK_WORD && !is_keyword(p, t)) {
			remember(p, pq, dir, TY_HOST, 0);	/* "src 10.1.2.3": host assumed */
			return flt_addr_prim(p, dir, TY_HOST, pq, kw);
		}
		flt_err_at(p, t, "expected host, net, port or a flow word after '%s', found %s",
			   dir != DIR_NONE ? "src/dst" : flt_pq_name(pq), flt_found(p, t, found, sizeof(found)));
		return FLT_BAD;
	}
	if ((w = in_list(p->expr, t, plain_words)) >= 0) {
		p->i++;
		p->have_last = false;
		return plain_word(p, w, kw);
	}
	if ((w = upper_state(p->expr, t)) >= 0) {
		p->i++;
		p->have_last = false;
		return leaf_state(p, w);
	}
	if (t->type == TK_WORD && !is_keyword(p, t)) {
		char text[64];
		if (flt_text(p->expr, t, text, sizeof(text)) &&
		    (strchr(text, ':') || (text[0] >= '0' && text[0] <= '9'))) {
			remember(p, -1, DIR_NONE, TY_HOST, 0);	/* a bare address: host */
			return flt_addr_prim(p, DIR_NONE, TY_HOST, -1, kw);
		}
		flt_err_at(p, t, "unknown word %s", flt_found(p, t, found, sizeof(found)));
		return FLT_BAD;
	}
	flt_err_at(p, t, "expected a primitive (host, net, port, tcp, syn, pkts gt N, ...), found %s",
		   flt_found(p, t, found, sizeof(found)));
	return FLT_BAD;
}

static uint32_t parse_unary(struct flt_parser *p)
{
	const struct flt_token *t = flt_peek(p, 0);
	uint32_t n;

	if (t->type == TK_NOT || flt_word_is(p->expr, t, "not") || t->type == TK_LPAREN) {
		if (++p->depth > FLT_MAX_DEPTH) {
			flt_err_at(p, t, "the expression is nested too deeply (more than %d levels)",
				   FLT_MAX_DEPTH);
			return FLT_BAD;
		}
		p->i++;
		if (t->type == TK_LPAREN) {
			const struct flt_token *close;
			char found[96];
			n = parse_expr(p);
			if (n == FLT_BAD)
				return FLT_BAD;
			close = flt_peek(p, 0);
			if (close->type != TK_RPAREN) {
				flt_err_at(p, close, "expected ')' to close the '(' at column %u, found %s",
					   t->pos + 1, flt_found(p, close, found, sizeof(found)));
				return FLT_BAD;
			}
			p->i++;
		} else {
			n = parse_unary(p);
			if (n == FLT_BAD)
				return FLT_BAD;
			n = flt_ast_not(p->tree, n);
		}
		p->depth--;
		return n;
	}
	return parse_prim(p);
}

static uint32_t parse_expr(struct flt_parser *p)
{
	uint32_t n = parse_unary(p);

	while (n != FLT_BAD) {
		const struct flt_token *t = flt_peek(p, 0);
		int kind;
		uint32_t m;

		if (t->type == TK_AND || flt_word_is(p->expr, t, "and"))
			kind = AST_AND;
		else if (t->type == TK_OR || flt_word_is(p->expr, t, "or"))
			kind = AST_OR;
		else
			break;
		p->i++;
		m = parse_unary(p);
		if (m == FLT_BAD)
			return FLT_BAD;
		n = flt_ast_bin(p->tree, kind, n, m);
		if (p->tree->n > 4096) {
			flt_err_at(p, t, "the expression has too many terms (more than 4096 tests)");
			return FLT_BAD;
		}
	}
	return n;
}

bool flt_parse(const char *expr, const struct flt_token *tok, size_t ntok,
	       struct flt_tree *tree, uint32_t *root, struct ra_err *err)
{
	struct flt_parser p = { .expr = expr, .tok = tok, .ntok = ntok, .tree = tree, .err = err };
	const struct flt_token *t;
	char found[96];

	*root = parse_expr(&p);
	if (*root == FLT_BAD)
		return false;
	t = flt_peek(&p, 0);
	if (t->type == TK_RPAREN) {
		flt_err_at(&p, t, "')' without a matching '('");
		return false;
	}
	if (t->type != TK_END) {
		flt_err_at(&p, t, "expected 'and' or 'or', found %s", flt_found(&p, t, found, sizeof(found)));
		return false;
	}
	if (tree->nomem) {
		ra_err_set(err, RA_ERR_NOMEM, "out of memory compiling the filter");
		return false;
	}
	return true;
}
