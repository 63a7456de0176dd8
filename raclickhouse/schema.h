/*
 * schema.h - the ClickHouse table of flow records, generated from the
 * field table: which fields become columns, in what type, the SQL that
 * creates the table, its rollups and their materialized views, and the
 * names and types of its columns (native.h encodes records for it).
 */
#ifndef RACLICKHOUSE_SCHEMA_H
#define RACLICKHOUSE_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "field.h"

/* How a column's value is written (Native format, see native.h). */
enum ch_enc {
	CE_U8, CE_U16, CE_U32, CE_U64,	/* little-endian unsigned */
	CE_ENUM8,			/* Int8 code of an Enum8 */
	CE_ADDR4,			/* the IPv4 (or ARP) address as UInt32, else 0 */
	CE_ADDR6,			/* FixedString(16): IPv6 address, an Ethernet flow's MAC */
	CE_MAC,				/* FixedString(6) */
	CE_STRING,			/* varint length, bytes (captured payload) */
	CE_BATCH,			/* the batch identity (UInt64) */
	CE_BATCHROW,			/* the row's number in its batch (UInt32) */
};

struct ch_column {
	char name[24];
	const char *type;	/* ClickHouse type, e.g. "UInt64", "Enum8('' = 0, 'REQ' = 1, ...)" */
	uint8_t enc;		/* enum ch_enc */
	uint8_t field;		/* enum fld_id */
	uint8_t size;		/* bytes a value takes; 0 for CE_STRING */
};

#define CH_MAX_COLUMNS 96

struct ch_schema {
	struct ch_column cols[CH_MAX_COLUMNS];
	int ncols;
	size_t fixed;		/* bytes of a row without its strings */
	size_t row_max;		/* the longest row */
	char typebuf[2048];	/* the enums' types */
};

/* Build the inserted columns from the field table. */
void ch_schema_init(struct ch_schema *s);

/* "stime,ltime,..." (the INSERT column list) into out; false if cap is short. */
bool ch_column_list(const struct ch_schema *s, char *out, size_t cap);

/*
 * The statements that create the database, the table db.table, its two
 * rollups (db.table_hosts, db.table_ports) and their materialized views,
 * each NUL-terminated, one after the other in out, ending with an empty
 * string.  Returns the bytes used, 0 if cap is short.
 */
size_t ch_create_sql(const struct ch_schema *s, const char *db, const char *table, char *out, size_t cap);

#endif
