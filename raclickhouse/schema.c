/*
 * schema.c - the ClickHouse table of flow records, made from the field
 * table (common/field.c), and a record's RowBinary row.
 *
 * Every stored field of the field table is a column under its own name;
 * an address field is two columns (saddr UInt32 for IPv4, saddr6
 * FixedString(16) for IPv6), since ClickHouse 18.16 has no IPv6 type.
 * Fields the field table computes from others are either columns the
 * server computes (MATERIALIZED: dur, pkts, bytes, appbytes, retrans) or
 * left to SQL (rate, load, loss ...: raclickhouse(1) gives the formulas).
 */
#include "config.h"

#include "schema.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Fields the server computes from the inserted columns. */
static const struct {
	uint8_t field;
	const char *type, *expr;
} computed[] = {
	{ F_DUR, "UInt64", "if(ltime > stime, ltime - stime, 0)" },
	{ F_PKTS, "UInt64", "spkts + dpkts" },
	{ F_BYTES, "UInt64", "sbytes + dbytes" },
	{ F_APPBYTES, "UInt64", "sappbytes + dappbytes" },
	{ F_RETRANS, "UInt64", "sretrans + dretrans" },
};

static bool is_computed(unsigned id)
{
	for (size_t i = 0; i < sizeof(computed) / sizeof(*computed); i++)
		if (computed[i].field == id)
			return true;
	return false;
}

/* Views of another column that the table leaves to SQL (raclickhouse(1)). */
static bool is_view(unsigned id)
{
	switch (id) {
	case F_SOUI: case F_DOUI: case F_SDSB: case F_DDSB:
	case F_LOSS: case F_SLOSS: case F_DLOSS:
		return true;
	default:
		return false;
	}
}

/* The unsigned width of a field that is neither a counter nor typed by its kind. */
static enum ch_enc uint_enc(unsigned id)
{
	switch (id) {
	case F_STOS: case F_DTOS: case F_STTL: case F_DTTL: case F_FAMILY:
	case F_STCPFLAGS: case F_DTCPFLAGS:
		return CE_U8;
	case F_SVLAN: case F_DVLAN: case F_ETYPE:
		return CE_U16;
	default:
		return CE_U32;
	}
}

static const char *const enc_type[] = {
	[CE_U8] = "UInt8", [CE_U16] = "UInt16", [CE_U32] = "UInt32", [CE_U64] = "UInt64",
	[CE_ENUM8] = "", [CE_ADDR4] = "UInt32", [CE_ADDR6] = "FixedString(16)",
	[CE_MAC] = "FixedString(6)", [CE_STRING] = "String", [CE_BATCH] = "UInt64",
	[CE_BATCHROW] = "UInt32",
};
static const uint8_t enc_size[] = {
	[CE_U8] = 1, [CE_U16] = 2, [CE_U32] = 4, [CE_U64] = 8, [CE_ENUM8] = 1, [CE_ADDR4] = 4,
	[CE_ADDR6] = 16, [CE_MAC] = 6, [CE_STRING] = 0, [CE_BATCH] = 8, [CE_BATCHROW] = 4,
};

static void add(struct ch_schema *s, const char *name, const char *suffix, enum ch_enc enc, unsigned field)
{
	struct ch_column *c = &s->cols[s->ncols++];

	snprintf(c->name, sizeof(c->name), "%s%s", name, suffix);
	c->enc = (uint8_t)enc;
	c->field = (uint8_t)field;
	c->type = enc_type[enc];
	c->size = enc_size[enc];
	s->fixed += c->size;
	s->row_max += c->size ? c->size : 10 + RA_PAYLOAD_MAX;
}

static void enum_types(struct ch_schema *s);

void ch_schema_init(struct ch_schema *s)
{
	memset(s, 0, sizeof(*s));
	for (unsigned i = 0; i < F_COUNT; i++) {
		const struct ra_field *fd = &ra_fields[i];

		if ((fd->flags & FF_DERIVED) || is_computed(fd->id) || is_view(fd->id))
			continue;
		switch (fd->type) {
		case FT_ADDR:
			add(s, fd->name, "", CE_ADDR4, fd->id);
			add(s, fd->name, "6", CE_ADDR6, fd->id);
			continue;
		case FT_MAC: add(s, fd->name, "", CE_MAC, fd->id); continue;
		case FT_USER: add(s, fd->name, "", CE_STRING, fd->id); continue;
		case FT_STATE: case FT_DIR: case FT_CAUSE: add(s, fd->name, "", CE_ENUM8, fd->id); continue;
		case FT_PROTO: add(s, fd->name, "", CE_U8, fd->id); continue;
		case FT_PORT: add(s, fd->name, "", CE_U16, fd->id); continue;
		case FT_TIME: add(s, fd->name, "", CE_U64, fd->id); continue;
		case FT_DUR: case FT_MSEC: case FT_FLGS: case FT_IFINDEX:
			add(s, fd->name, "", CE_U32, fd->id);
			continue;
		default:
			add(s, fd->name, "", (fd->flags & FF_SUM) ? CE_U64 : uint_enc(fd->id), fd->id);
			continue;
		}
	}
	add(s, "batch", "", CE_BATCH, 0);
	add(s, "batchrow", "", CE_BATCHROW, 0);
	enum_types(s);
}

bool ch_column_list(const struct ch_schema *s, char *out, size_t cap)
{
	size_t at = 0;

	for (int i = 0; i < s->ncols; i++) {
		int n = snprintf(out + at, cap - at, "%s%s", i ? "," : "", s->cols[i].name);
		if (n < 0 || (size_t)n >= cap - at)
			return false;
		at += (size_t)n;
	}
	return true;
}

/* A growing text in a fixed buffer: the first overflow sticks. */
struct sql {
	char *p;
	size_t at, cap;
	bool full;
};

static void put(struct sql *q, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct sql *q, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (q->full)
		return;
	va_start(ap, fmt);
	n = vsnprintf(q->p + q->at, q->cap - q->at, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= q->cap - q->at) {
		q->full = true;
		return;
	}
	q->at += (size_t)n;
}

static void end_statement(struct sql *q)
{
	if (q->full || q->at + 1 >= q->cap) {
		q->full = true;
		return;
	}
	q->p[q->at++] = '\0';
}

/* Enum8('' = 0, 'REQ' = 1, ...) of a state, dir or cause column. */
static void put_enum(struct sql *q, unsigned field)
{
	unsigned n = field == F_STATE ? RA_ST_COUNT : field == F_DIR ? RA_DIR_COUNT : 4;

	put(q, "Enum8(");
	for (unsigned v = 0; v < n; v++) {
		const char *name = field == F_STATE ? ra_state_name(v) : field == F_DIR ? ra_dir_symbol(v)
											 : ra_cause_name(v);
		put(q, "%s'%s' = %u", v ? ", " : "", name, v);
	}
	put(q, ")");
}

/* The rollups' measures, summed by SummingMergeTree. */
static const char rollup_sums[] =
	"records UInt64, trans UInt64, spkts UInt64, dpkts UInt64, sbytes UInt64, dbytes UInt64, "
	"sappbytes UInt64, dappbytes UInt64";
static const char rollup_select[] =
	"count() AS records, sum(trans) AS trans, sum(spkts) AS spkts, sum(dpkts) AS dpkts, "
	"sum(sbytes) AS sbytes, sum(dbytes) AS dbytes, sum(sappbytes) AS sappbytes, "
	"sum(dappbytes) AS dappbytes";
#define MINUTE "toStartOfMinute(toDateTime(intDiv(stime, 1000000)))"

size_t ch_create_sql(const struct ch_schema *s, const char *db, const char *table, char *out, size_t cap)
{
	struct sql q = { out, 0, cap, false };

	put(&q, "CREATE DATABASE IF NOT EXISTS %s", db);
	end_statement(&q);

	put(&q, "CREATE TABLE IF NOT EXISTS %s.%s (", db, table);
	for (int i = 0; i < s->ncols; i++)
		put(&q, "%s%s %s", i ? ", " : "", s->cols[i].name, s->cols[i].type);
	for (size_t i = 0; i < sizeof(computed) / sizeof(*computed); i++)
		put(&q, ", %s %s MATERIALIZED %s", ra_fields[computed[i].field].name, computed[i].type,
		    computed[i].expr);
	put(&q, ", date Date MATERIALIZED toDate(toDateTime(intDiv(stime, 1000000)))");
	put(&q, ") ENGINE = MergeTree PARTITION BY date "
		"ORDER BY (intDiv(stime, 60000000), family, saddr, saddr6, daddr, daddr6, stime)");
	end_statement(&q);

	/* per minute, per host pair: top talkers, who talked to whom */
	put(&q, "CREATE TABLE IF NOT EXISTS %s.%s_hosts (minute DateTime, family UInt8, "
		"saddr UInt32, saddr6 FixedString(16), daddr UInt32, daddr6 FixedString(16), %s) "
		"ENGINE = SummingMergeTree PARTITION BY toDate(minute) "
		"ORDER BY (minute, family, saddr, saddr6, daddr, daddr6)", db, table, rollup_sums);
	end_statement(&q);
	put(&q, "CREATE MATERIALIZED VIEW IF NOT EXISTS %s.%s_hosts_mv TO %s.%s_hosts AS SELECT "
		MINUTE " AS minute, family, saddr, saddr6, daddr, daddr6, %s FROM %s.%s "
		"GROUP BY minute, family, saddr, saddr6, daddr, daddr6", db, table, db, table, rollup_select, db, table);
	end_statement(&q);

	/* per minute, per service: top ports */
	put(&q, "CREATE TABLE IF NOT EXISTS %s.%s_ports (minute DateTime, proto UInt8, dport UInt16, %s) "
		"ENGINE = SummingMergeTree PARTITION BY toDate(minute) ORDER BY (minute, proto, dport)",
	    db, table, rollup_sums);
	end_statement(&q);
	put(&q, "CREATE MATERIALIZED VIEW IF NOT EXISTS %s.%s_ports_mv TO %s.%s_ports AS SELECT "
		MINUTE " AS minute, proto, dport, %s FROM %s.%s GROUP BY minute, proto, dport",
	    db, table, db, table, rollup_select, db, table);
	end_statement(&q);
	end_statement(&q);
	return q.full ? 0 : q.at;
}


/* The Enum8 types of the state, dir and cause columns, kept in s->typebuf. */
static void enum_types(struct ch_schema *s)
{
	struct sql q = { s->typebuf, 0, sizeof(s->typebuf), false };

	for (int i = 0; i < s->ncols; i++) {
		if (s->cols[i].enc != CE_ENUM8)
			continue;
		size_t at = q.at;
		put_enum(&q, s->cols[i].field);
		end_statement(&q);
		s->cols[i].type = q.full ? "Int8" : s->typebuf + at;
	}
}
