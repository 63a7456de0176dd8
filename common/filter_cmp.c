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

#define OFF(m) ((uint16_t)offsetof(struct ra_flow, m))

enum cw_kind {
	CW_EITHER,	/* no direction: src or dst */
	CW_DOUBLE,	/* derived: fld_double of the total, src or dst field */
	CW_SINGLE,	/* one field, no direction */
	CW_SUM,		/* src + dst, no direction (totpkts ...) */
};

struct cmp_word {
	const char *name;
	uint8_t kind, op;	/* op: leaf op of one direction (OP_RANGEn, OP_DUR) */
	uint16_t soff, doff;
	uint8_t tfield, sfield, dfield;	/* CW_DOUBLE */
	double scale;		/* value given times scale = stored units */
	uint64_t max;
	const char *unit;
};

static const struct cmp_word words[] = {
	/* Argus: with no direction, "src or dst" (pkts gt 5: either side sent more than 5) */
	{ "pkts", CW_EITHER, OP_RANGE64, OFF(spkts), OFF(dpkts), 0, 0, 0, 1, UINT64_MAX, "" },
	{ "bytes", CW_EITHER, OP_RANGE64, OFF(sbytes), OFF(dbytes), 0, 0, 0, 1, UINT64_MAX, "" },
	{ "appbytes", CW_EITHER, OP_RANGE64, OFF(sappbytes), OFF(dappbytes), 0, 0, 0, 1, UINT64_MAX, "" },
	{ "loss", CW_EITHER, OP_RANGE32, OFF(sretrans), OFF(dretrans), 0, 0, 0, 1, UINT32_MAX, "" },
	{ "retrans", CW_EITHER, OP_RANGE32, OFF(sretrans), OFF(dretrans), 0, 0, 0, 1, UINT32_MAX, "" },
	{ "outoforder", CW_EITHER, OP_RANGE32, OFF(sooo), OFF(dooo), 0, 0, 0, 1, UINT32_MAX, "" },
	{ "winshut", CW_EITHER, OP_RANGE32, OFF(swinshut), OFF(dwinshut), 0, 0, 0, 1, UINT32_MAX, "" },
	/* totals of both directions (the TotPkts, TotBytes, TotAppByte columns) */
	{ "totpkts", CW_SUM, OP_RANGE64, OFF(spkts), OFF(dpkts), 0, 0, 0, 1, UINT64_MAX, "" },
	{ "totbytes", CW_SUM, OP_RANGE64, OFF(sbytes), OFF(dbytes), 0, 0, 0, 1, UINT64_MAX, "" },
	{ "totappbytes", CW_SUM, OP_RANGE64, OFF(sappbytes), OFF(dappbytes), 0, 0, 0, 1, UINT64_MAX, "" },
	{ "ttl", CW_EITHER, OP_RANGE8, OFF(sttl), OFF(dttl), 0, 0, 0, 1, 255, "" },
	{ "tos", CW_EITHER, OP_RANGE8, OFF(stos), OFF(dtos), 0, 0, 0, 1, 255, "" },
	{ "vid", CW_EITHER, OP_RANGE16, OFF(svlan), OFF(dvlan), 0, 0, 0, 1, 4095, "" },
	{ "mid", CW_EITHER, OP_RANGE32, OFF(smpls), OFF(dmpls), 0, 0, 0, 1, 0xfffff, "" },
	{ "jit", CW_EITHER, OP_RANGE32, OFF(sjit), OFF(djit), 0, 0, 0, 1000, UINT32_MAX, "ms" },
	{ "intpkt", CW_EITHER, OP_RANGE32, OFF(sintpkt), OFF(dintpkt), 0, 0, 0, 1000, UINT32_MAX, "ms" },
	{ "rate", CW_DOUBLE, 0, 0, 0, F_RATE, F_SRATE, F_DRATE, 1, 0, "" },
	{ "load", CW_DOUBLE, 0, 0, 0, F_LOAD, F_SLOAD, F_DLOAD, 1, 0, "" },
	{ "ploss", CW_DOUBLE, 0, 0, 0, F_PLOSS, F_PSLOSS, F_PDLOSS, 1, 0, "" },
	{ "meansz", CW_DOUBLE, 0, 0, 0, 0, F_SMEANSZ, F_DMEANSZ, 1, 0, "" },
	{ "dur", CW_SINGLE, OP_DUR, 0, 0, 0, 0, 0, 1e6, UINT64_MAX, "s" },
	{ "trans", CW_SINGLE, OP_RANGE32, OFF(trans), 0, 0, 0, 0, 1, UINT32_MAX, "" },
	{ "seq", CW_SINGLE, OP_RANGE32, OFF(seq), 0, 0, 0, 0, 1, UINT32_MAX, "" },
	{ "synack", CW_SINGLE, OP_RANGE32, OFF(synack), 0, 0, 0, 0, 1e6, UINT32_MAX, "s" },
	{ "ackdat", CW_SINGLE, OP_RANGE32, OFF(ackdat), 0, 0, 0, 0, 1e6, UINT32_MAX, "s" },
	{ "sport", CW_SINGLE, OP_RANGE16, OFF(sport), 0, 0, 0, 0, 1, 65535, "" },
	{ "dport", CW_SINGLE, OP_RANGE16, OFF(dport), 0, 0, 0, 0, 1, 65535, "" },
};
#define NWORDS ((int)(sizeof(words) / sizeof(words[0])))

/* Field-table names that are a word above with a direction. */
static const struct { const char *name; const char *word; int dir; } aliases[] = {
	{ "spkts", "pkts", DIR_SRC }, { "dpkts", "pkts", DIR_DST },
	{ "sbytes", "bytes", DIR_SRC }, { "dbytes", "bytes", DIR_DST },
	{ "sappbytes", "appbytes", DIR_SRC }, { "dappbytes", "appbytes", DIR_DST },
	{ "sloss", "loss", DIR_SRC }, { "dloss", "loss", DIR_DST },
	{ "sretrans", "retrans", DIR_SRC }, { "dretrans", "retrans", DIR_DST },
	{ "sooo", "outoforder", DIR_SRC }, { "dooo", "outoforder", DIR_DST },
	{ "swinshut", "winshut", DIR_SRC }, { "dwinshut", "winshut", DIR_DST },
	{ "sttl", "ttl", DIR_SRC }, { "dttl", "ttl", DIR_DST },
	{ "stos", "tos", DIR_SRC }, { "dtos", "tos", DIR_DST },
	{ "svlan", "vid", DIR_SRC }, { "dvlan", "vid", DIR_DST },
	{ "smpls", "mid", DIR_SRC }, { "dmpls", "mid", DIR_DST },
	{ "sjit", "jit", DIR_SRC }, { "djit", "jit", DIR_DST },
	{ "sintpkt", "intpkt", DIR_SRC }, { "dintpkt", "intpkt", DIR_DST },
	{ "srate", "rate", DIR_SRC }, { "drate", "rate", DIR_DST },
	{ "sload", "load", DIR_SRC }, { "dload", "load", DIR_DST },
	{ "psloss", "ploss", DIR_SRC }, { "pdloss", "ploss", DIR_DST },
	{ "smeansz", "meansz", DIR_SRC }, { "dmeansz", "meansz", DIR_DST },
};

/* Comparison word codes: 0..NWORDS-1 the table above, NWORDS + 4 * alias + dir
 * for aliases, 1000 + field id for other numeric fields of the field table. */
#define ALIAS_BASE NWORDS
#define FIELD_BASE 1000

static int word_index(const char *name)
{
	for (int i = 0; i < NWORDS; i++)
		if (strcmp(words[i].name, name) == 0)
			return i;
	return -1;
}

int flt_cmp_word(const char *expr, const struct flt_token *t)
{
	char text[32];
	const struct ra_field *fd;

	if (t->type != TK_WORD || t->len >= sizeof(text))
		return -1;
	memcpy(text, expr + t->pos, t->len);
	text[t->len] = 0;
	for (int i = 0; i < NWORDS; i++)
		if (strcmp(words[i].name, text) == 0)
			return i;
	for (int i = 0; i < (int)(sizeof(aliases) / sizeof(aliases[0])); i++)
		if (strcmp(aliases[i].name, text) == 0)
			return ALIAS_BASE + i;
	fd = fld_lookup(text);
	if (!fd)
		return -1;
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
	l.op = w->op;
	l.lo = lo;
	l.hi = hi;
	if (w->kind == CW_SUM) {
		l.op = w->op == OP_RANGE64 ? OP_SUM64 : OP_SUM32;
		l.off = w->soff;
		l.off2 = w->doff;
		l.what = w->name;
	} else {
		l.off = side == DIR_DST ? w->doff : w->soff;
		l.what = w->name;
		for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
			if (strcmp(aliases[i].word, w->name) == 0 && aliases[i].dir == side)
				l.what = aliases[i].name;
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
		if (dir != DIR_NONE) {
			flt_err_at(p, kwt, "'%.*s' already has a direction; drop 'src'/'dst'", (int)kwt->len,
				   p->expr + kwt->pos);
			return FLT_BAD;
		}
		dir = aliases[word - ALIAS_BASE].dir;
		w = &words[word_index(aliases[word - ALIAS_BASE].word)];
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
		max = w->max;
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
	/* any other numeric field of the table, through fld_uint/fld_double */
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
		if (is_int && scale == 1)
			flt_range(cmp, v, UINT64_MAX, &l.lo, &l.hi, &neg);
		else
			flt_range_real(cmp, d, scale, UINT64_MAX, &l.lo, &l.hi, &neg);
		return flt_leaf_node(p, &l, neg);
	}
}
