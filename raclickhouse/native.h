/*
 * native.h - records as a block of ClickHouse's Native format: the column
 * count and row count (varints), then per column its name, its type and
 * all its values (fixed-width little-endian, FixedString bytes, Strings as
 * varint length and bytes).  The server takes it with less work than
 * RowBinary, since it reads a column at a time.
 *
 * A builder collects rows column by column and emits the block; a block
 * can be checked (ch_native_rows) and cut down to some of its rows
 * (ch_native_subset), for a batch of which the table holds a part.
 */
#ifndef RACLICKHOUSE_NATIVE_H
#define RACLICKHOUSE_NATIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "schema.h"

struct ch_strbuf {
	uint8_t *p;
	size_t len, cap;
};

struct ch_builder {
	const struct ch_schema *s;
	uint32_t cap_rows, rows;
	uint8_t *fixed[CH_MAX_COLUMNS];		/* a column of cap_rows values */
	struct ch_strbuf str[CH_MAX_COLUMNS];	/* String columns */
	size_t bytes;				/* what ch_builder_emit will write */
	size_t head;				/* of that, the counts, names and types */
};

bool ch_builder_init(struct ch_builder *b, const struct ch_schema *s, uint32_t cap_rows);
void ch_builder_free(struct ch_builder *b);
/* Add flow f as the next row (b->rows < b->cap_rows); false when out of memory. */
bool ch_builder_add(struct ch_builder *b, const struct ra_flow *f, uint64_t batch);
/* Write the block of the rows added into out (b->bytes bytes) and start over. */
size_t ch_builder_emit(struct ch_builder *b, uint8_t *out);

/* The rows of the block at p (n bytes) when it is one well-formed block of
 * the schema's columns, names and types; -1 otherwise. */
long ch_native_rows(const struct ch_schema *s, const uint8_t *p, size_t n);
/* The block at p with only the rows whose present[] is 0 (missing from the
 * table) into out (at least n bytes), *rows_out of them; returns its length,
 * 0 when p is not a well-formed block of npresent rows. */
size_t ch_native_subset(const struct ch_schema *s, const uint8_t *p, size_t n, const uint8_t *present,
			uint32_t npresent, uint8_t *out, uint32_t *rows_out);

#endif
