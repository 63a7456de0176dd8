/*
 * filter_cmp.c - numeric comparisons: Argus's "[src|dst] pkts|bytes|
 * appbytes|rate|load|loss|ploss|ttl|tos|jit|intpkt|vid|mid OP N" (with no
 * direction: src or dst, as Argus does), totpkts|totbytes|totappbytes,
 * dur, trans, seq, and every numeric field of the field table by its -s name
 * ("sbytes gt 100", "dmeansz > 500").  Stored fields compile to a range
 * test at a fixed offset; derived ones (rate, load, ploss, ...) to one
 * call of fld_double().
 */
#include "config.h"

#include "filter_int.h"
#include "service.h"
#include "field.h"

#include <string.h>
#include <strings.h>

enum cw_kind {
	CW_EITHER,	/* no direction: src or dst */
	CW_DOUBLE,	/* derived: fld_double of the total, src or dst field */
	CW_SINGLE,	/* one field, no direction */
	CW_SUM,		/* src + dst, no direction (totpkts ...) */
};

/*
 * Argus's comparison words.  A word names its fields by row (the source's
 * and the destination's, or the total's); where they are stored and how
 * wide, and so the leaf's operation and the largest value, come from the
 * rows.  The rows' names (spkts, dttl ...) are the words with a direction.
 */
struct cmp_word {
	const char *name;
	uint8_t kind;
	uint8_t sfield, dfield;	/* the source's and destination's rows (the only one: sfield) */
	uint8_t tfield;		/* CW_DOUBLE: the total's row, 0 when there is none */
	double scale;		/* value given times scale = stored units */
	uint64_t max;		/* largest value; 0: what the stored width holds */
	const char *unit;
};

static const struct cmp_word words[] = {
	/* Argus: with no direction, "src or dst" (pkts gt 5: either side sent more than 5) */
	{ "pkts", CW_EITHER, F_SPKTS, F_DPKTS, 0, 1, 0, "" },
	{ "bytes", CW_EITHER, F_SBYTES, F_DBYTES, 0, 1, 0, "" },
	{ "appbytes", CW_EITHER, F_SAPPBYTES, F_DAPPBYTES, 0, 1, 0, "" },
	{ "loss", CW_EITHER, F_SLOSS, F_DLOSS, 0, 1, 0, "" },
	{ "retrans", CW_EITHER, F_SRETRANS, F_DRETRANS, 0, 1, 0, "" },
	{ "outoforder", CW_EITHER, F_SOOO, F_DOOO, 0, 1, 0, "" },
	{ "winshut", CW_EITHER, F_SWINSHUT, F_DWINSHUT, 0, 1, 0, "" },
	/* totals of both directions (the TotPkts, TotBytes, TotAppByte columns) */
	{ "totpkts", CW_SUM, F_SPKTS, F_DPKTS, 0, 1, 0, "" },
	{ "totbytes", CW_SUM, F_SBYTES, F_DBYTES, 0, 1, 0, "" },
	{ "totappbytes", CW_SUM, F_SAPPBYTES, F_DAPPBYTES, 0, 1, 0, "" },
	{ "ttl", CW_EITHER, F_STTL, F_DTTL, 0, 1, 0, "" },
	{ "tos", CW_EITHER, F_STOS, F_DTOS, 0, 1, 0, "" },
	{ "vid", CW_EITHER, F_SVLAN, F_DVLAN, 0, 1, 4095, "" },
	{ "mid", CW_EITHER, F_SMPLS, F_DMPLS, 0, 1, 0xfffff, "" },
	{ "jit", CW_EITHER, F_SJIT, F_DJIT, 0, 1000, 0, "ms" },
	{ "intpkt", CW_EITHER, F_SINTPKT, F_DINTPKT, 0, 1000, 0, "ms" },
	{ "rate", CW_DOUBLE, F_SRATE, F_DRATE, F_RATE, 1, 0, "" },
	{ "load", CW_DOUBLE, F_SLOAD, F_DLOAD, F_LOAD, 1, 0, "" },
	{ "ploss", CW_DOUBLE, F_PSLOSS, F_PDLOSS, F_PLOSS, 1, 0, "" },
	{ "meansz", CW_DOUBLE, F_SMEANSZ, F_DMEANSZ, 0, 1, 0, "" },
	{ "dur", CW_SINGLE, F_DUR, 0, 0, 1e6, 0, "s" },
	{ "trans", CW_SINGLE, F_TRANS, 0, 0, 1, 0, "" },
	{ "seq", CW_SINGLE, F_SEQ, 0, 0, 1, 0, "" },
	{ "synack", CW_SINGLE, F_SYNACK, 0, 0, 1e6, 0, "s" },
	{ "ackdat", CW_SINGLE, F_ACKDAT, 0, 0, 1e6, 0, "s" },
	{ "sport", CW_SINGLE, F_SPORT, 0, 0, 1, 0, "" },
	{ "dport", CW_SINGLE, F_DPORT, 0, 0, 1, 0, "" },
};
#define NWORDS ((int)(sizeof(words) / sizeof(words[0])))

/* The leaf operation that tests a stored unsigned value of this width. */
static uint8_t range_op(unsigned size)
{
	return size == 1 ? OP_RANGE8 : size == 2 ? OP_RANGE16 : size == 4 ? OP_RANGE32 : OP_RANGE64;
}

static uint64_t size_max(unsigned size)
{
	return size >= 8 ? UINT64_MAX : (1ull << (8 * size)) - 1;
}

/* The largest value a word compares: its own limit, or its field's width. */
static uint64_t word_max(const struct cmp_word *w)
{
	const struct ra_field *fd = &ra_fields[w->sfield];

	return w->max ? w->max : fd->size ? size_max(fd->size) : UINT64_MAX;
}

/* A row that is one direction of a word ("sbytes" is "src bytes"): the
 * word's index, and the direction in *dir; -1 for any other row. */
static int word_of_row(unsigned id, int *dir)
{
	for (int i = 0; i < NWORDS; i++) {
		if (words[i].kind != CW_EITHER && words[i].kind != CW_DOUBLE)
			continue;
		if (words[i].sfield == id || words[i].dfield == id) {
			*dir = words[i].sfield == id ? DIR_SRC : DIR_DST;
			return i;
		}
	}
	return -1;
}

/* Comparison word codes: 0..NWORDS-1 the table above, ALIAS_BASE + field
 * id for a row that is one direction of a word, FIELD_BASE + field id for
 * the other numeric fields of the field table. */
#define ALIAS_BASE 200
#define FIELD_BASE 1000

int flt_cmp_word(const char *expr, const struct flt_token *t)
{
	char text[32];
	const struct ra_field *fd;
	int dir;

	if (t->type != TK_WORD || t->len >= sizeof(text))
		return -1;
	memcpy(text, expr + t->pos, t->len);
	text[t->len] = 0;
	for (int i = 0; i < NWORDS; i++)
		if (strcmp(words[i].name, text) == 0)
			return i;
	fd = fld_lookup(text);
	if (!fd)
		return -1;
	if (word_of_row(fd->id, &dir) >= 0)
		return ALIAS_BASE + fd->id;
	switch (fd->type) {
	case FT_TIME: case FT_DUR: case FT_MSEC: case FT_UINT: case FT_HEX: case FT_FLOAT:
	case FT_PORT: case FT_PROTO: case FT_IFINDEX: case FT_SERVICE:
		return FIELD_BASE + fd->id;
	default:
		return -1;
	}
}

/* The leaf of one direction (or the only field) of a table word. */
static uint32_t one_leaf(struct flt_parser *p, const struct cmp_word *w, int side, int cmp,
			 double d, uint64_t lo, uint64_t hi, bool neg)
{
	struct flt_leaf l = { 0 };

	if (w->kind == CW_DOUBLE) {
		l.op = OP_FIELDD;
		l.field = side == DIR_SRC ? w->sfield : side == DIR_DST ? w->dfield : w->tfield;
		l.cmp = (uint8_t)cmp;
		l.d = d;
		l.what = ra_fields[l.field].name;
		return flt_leaf_node(p, &l, false);
	}
	l.lo = lo;
	l.hi = hi;
	if (w->sfield == F_DUR) {	/* computed, but common enough to have its own test */
		l.op = OP_DUR;
		l.what = w->name;
	} else if (w->kind == CW_SUM) {
		l.op = ra_fields[w->sfield].size == 8 ? OP_SUM64 : OP_SUM32;
		l.off = ra_fields[w->sfield].off;
		l.off2 = ra_fields[w->dfield].off;
		l.what = w->name;
	} else {
		const struct ra_field *fd = &ra_fields[side == DIR_DST ? w->dfield : w->sfield];
		l.op = range_op(fd->size);
		l.off = fd->off;
		l.what = w->kind == CW_SINGLE ? w->name : fd->name;
	}
	return flt_leaf_node(p, &l, neg);
}

/* "service NAME", "service != NAME": the name's key (svc_key) against fld_uint. */
static uint32_t service_prim(struct flt_parser *p, const struct ra_field *fd, int cmp,
			     const struct flt_token *kwt, const struct flt_token *t)
{
	struct flt_leaf l = { 0 };
	char text[SVC_NAMELEN], found[96];

	if (cmp != CMP_EQ && cmp != CMP_NE) {
		flt_err_at(p, kwt, "'%s' compares with = or != only", fd->name);
		return FLT_BAD;
	}
	if (t->type != TK_WORD || !flt_text(p->expr, t, text, sizeof(text))) {
		flt_err_at(p, t, "expected a service name after '%s', found %s", fd->name,
			   flt_found(p, t, found, sizeof(found)));
		return FLT_BAD;
	}
	p->i++;
	l.op = OP_FIELD;
	l.field = fd->id;
	l.what = fd->name;
	l.lo = l.hi = svc_key(text, strlen(text));
	return flt_leaf_node(p, &l, cmp == CMP_NE);
}

uint32_t flt_cmp_prim(struct flt_parser *p, int dir, int word, size_t kw)
{
	const struct flt_token *t, *kwt = &p->tok[kw];
	const struct cmp_word *w = NULL;
	const struct ra_field *fd = NULL;
	char text[64], found[96];
	int cmp = CMP_EQ;
	uint64_t v = 0, lo, hi, max = UINT64_MAX;
	double d = 0, scale = 1;
	bool is_int, neg;

	if (word >= FIELD_BASE) {
		fd = &ra_fields[word - FIELD_BASE];
	} else if (word >= ALIAS_BASE) {
		int side;
		if (dir != DIR_NONE) {
			flt_err_at(p, kwt, "'%.*s' already has a direction; drop 'src'/'dst'", (int)kwt->len,
				   p->expr + kwt->pos);
			return FLT_BAD;
		}
		w = &words[word_of_row((unsigned)(word - ALIAS_BASE), &side)];
		dir = side;
	} else {
		w = &words[word];
	}
	if (w && (w->kind == CW_SINGLE || w->kind == CW_SUM) && dir != DIR_NONE) {
		flt_err_at(p, kwt, "'%s' takes no 'src' or 'dst'", w->name);
		return FLT_BAD;
	}
	if (fd && dir != DIR_NONE) {
		flt_err_at(p, kwt, "'%s' takes no 'src' or 'dst'", fd->name);
		return FLT_BAD;
	}
	if (w && w->kind == CW_DOUBLE && w->tfield == 0 && w->sfield != 0 && dir == DIR_NONE)
		dir = DIR_OR;	/* meansz: no total */
	t = flt_peek(p, 0);
	if ((cmp = flt_cmp_of(p->expr, t)) >= 0) {
		p->i++;
		t = flt_peek(p, 0);
	} else {
		cmp = CMP_EQ;
	}
	if (fd && fd->type == FT_SERVICE)
		return service_prim(p, fd, cmp, kwt, t);
	if (t->type != TK_WORD || !flt_text(p->expr, t, text, sizeof(text)) ||
	    !((is_int = flt_parse_uint(text, &v)) || flt_parse_double(text, &d))) {
		flt_err_at(p, t, "expected a number after '%.*s', found %s", (int)kwt->len, p->expr + kwt->pos,
			   flt_found(p, t, found, sizeof(found)));
		return FLT_BAD;
	}
	if (is_int)
		d = (double)v;
	p->i++;
	if (w) {
		scale = w->scale;
		max = word_max(w);
		if (w->kind != CW_DOUBLE && is_int && scale == 1 && v > max) {
			flt_err_at(p, t, "%s is out of range for '%s' (0-%llu)", text, w->name,
				   (unsigned long long)max);
			return FLT_BAD;
		}
		if (w->kind != CW_DOUBLE) {
			if (is_int && scale == 1)
				flt_range(cmp, v, max, &lo, &hi, &neg);
			else
				flt_range_real(cmp, d, scale, max, &lo, &hi, &neg);
		} else {
			lo = hi = 0;
			neg = false;
		}
		if (w->kind == CW_SINGLE || w->kind == CW_SUM || (w->kind == CW_DOUBLE && dir == DIR_NONE))
			return one_leaf(p, w, DIR_NONE, cmp, d, lo, hi, neg);
		return flt_by_dir(p, dir, DIR_OR, one_leaf(p, w, DIR_SRC, cmp, d, lo, hi, neg),
				  one_leaf(p, w, DIR_DST, cmp, d, lo, hi, neg));
	}
	/* any other numeric field of the table: stored ones where they are,
	 * computed ones through fld_uint/fld_double */
	{
		struct flt_leaf l = { 0 };
		l.field = fd->id;
		l.what = fd->name;
		if (fd->type == FT_FLOAT) {
			l.op = OP_FIELDD;
			l.cmp = (uint8_t)cmp;
			l.d = d;
			return flt_leaf_node(p, &l, false);
		}
		scale = fd->type == FT_TIME || fd->type == FT_DUR ? 1e6 : fd->type == FT_MSEC ? 1e3 : 1;
		l.op = OP_FIELD;
		if (fd->size) {	/* stored: read in place */
			l.op = range_op(fd->size);
			l.off = fd->off;
		}
		if (is_int && scale == 1)
			flt_range(cmp, v, UINT64_MAX, &l.lo, &l.hi, &neg);
		else
			flt_range_real(cmp, d, scale, UINT64_MAX, &l.lo, &l.hi, &neg);
		return flt_leaf_node(p, &l, neg);
	}
}
