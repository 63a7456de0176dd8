/*
 * native.c - a batch of records as one block of ClickHouse's Native format
 * (layout in native.h), and the checks and cuts of a block read back from
 * the spool.  Values come from the field table's views of a flow
 * (fld_uint, fld_addr), so a column holds what ra prints for its field.
 */
#include "config.h"

#include "native.h"

#include <stdlib.h>
#include <string.h>

#define MAX_ROWS (1u << 24)

static size_t varint_len(uint64_t v)
{
	size_t n = 1;
	while (v > 0x7f) {
		v >>= 7;
		n++;
	}
	return n;
}

static uint8_t *put_varint(uint8_t *p, uint64_t v)
{
	do {
		*p++ = (uint8_t)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
		v >>= 7;
	} while (v);
	return p;
}

static uint8_t *put_str(uint8_t *p, const void *s, size_t n)
{
	p = put_varint(p, n);
	if (n)
		memcpy(p, s, n);
	return p + n;
}

/* A varint at *at of p (n bytes); false when cut short or too long. */
static bool get_varint(const uint8_t *p, size_t n, size_t *at, uint64_t *v)
{
	*v = 0;
	for (unsigned shift = 0; shift < 64; shift += 7) {
		if (*at >= n)
			return false;
		uint8_t b = p[(*at)++];
		*v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return true;
	}
	return false;
}

/* The header's bytes for every column: names and types. */
static size_t columns_head(const struct ch_schema *s)
{
	size_t n = 0;
	for (int i = 0; i < s->ncols; i++) {
		size_t nl = strlen(s->cols[i].name), tl = strlen(s->cols[i].type);
		n += varint_len(nl) + nl + varint_len(tl) + tl;
	}
	return n;
}

bool ch_builder_init(struct ch_builder *b, const struct ch_schema *s, uint32_t cap_rows)
{
	memset(b, 0, sizeof(*b));
	b->s = s;
	b->cap_rows = cap_rows;
	b->head = 20 + columns_head(s);	/* the two counts take at most 10 bytes each */
	b->bytes = b->head;
	for (int i = 0; i < s->ncols; i++)
		if (s->cols[i].size && !(b->fixed[i] = malloc((size_t)cap_rows * s->cols[i].size)))
			return false;
	return true;
}

void ch_builder_free(struct ch_builder *b)
{
	for (int i = 0; i < CH_MAX_COLUMNS; i++) {
		free(b->fixed[i]);
		free(b->str[i].p);
	}
	memset(b, 0, sizeof(*b));
}

static inline void le(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static bool add_string(struct ch_strbuf *sb, const uint8_t *p, size_t n)
{
	size_t need = sb->len + 10 + n;

	if (need > sb->cap) {
		size_t cap = sb->cap ? sb->cap : 65536;
		while (cap < need)
			cap *= 2;
		uint8_t *np = realloc(sb->p, cap);
		if (!np)
			return false;
		sb->p = np;
		sb->cap = cap;
	}
	sb->len = (size_t)(put_str(sb->p + sb->len, p, n) - sb->p);
	return true;
}

bool ch_builder_add(struct ch_builder *b, const struct ra_flow *f, uint64_t batch)
{
	const struct ch_schema *s = b->s;
	uint32_t row = b->rows;

	for (int i = 0; i < s->ncols; i++) {
		const struct ch_column *c = &s->cols[i];
		uint8_t *p = c->size ? b->fixed[i] + (size_t)row * c->size : NULL;
		union ra_addr a;
		unsigned fam;

		switch (c->enc) {
		case CE_U8:
		case CE_ENUM8: *p = (uint8_t)fld_uint(c->field, f); break;
		case CE_U16: le(p, fld_uint(c->field, f), 2); break;
		case CE_U32: le(p, fld_uint(c->field, f), 4); break;
		case CE_U64: le(p, fld_uint(c->field, f), 8); break;
		case CE_ADDR4:
			fam = fld_addr(c->field, f, &a);
			le(p, fam == RA_AF_INET ? a.v4 : 0, 4);
			break;
		case CE_ADDR6:
			/* IPv6, or an Ethernet flow's MAC then zeros (fld_addr zeroes the rest) */
			fam = fld_addr(c->field, f, &a);
			if (fam == RA_AF_INET6 || fam == RA_AF_ETHER)
				memcpy(p, a.v6, 16);
			else
				memset(p, 0, 16);
			break;
		case CE_MAC: memcpy(p, c->field == F_SMAC ? f->smac : f->dmac, 6); break;
		case CE_STRING: {
			size_t before = b->str[i].len;
			bool ok = c->field == F_SUSER
				? add_string(&b->str[i], f->spayload, RA_HAS(f, RA_BLK_PAYLOAD_SRC) ? f->spaylen : 0)
				: add_string(&b->str[i], f->dpayload, RA_HAS(f, RA_BLK_PAYLOAD_DST) ? f->dpaylen : 0);
			if (!ok)
				return false;
			b->bytes += b->str[i].len - before;
			break;
		}
		case CE_BATCH: le(p, batch, 8); break;
		case CE_BATCHROW: le(p, row, 4); break;
		}
	}
	b->bytes += s->fixed;
	b->rows++;
	return true;
}

static uint8_t *put_head(const struct ch_schema *s, uint8_t *p, uint32_t rows)
{
	p = put_varint(p, (uint64_t)s->ncols);
	return put_varint(p, rows);
}

static uint8_t *put_column_head(const struct ch_column *c, uint8_t *p)
{
	p = put_str(p, c->name, strlen(c->name));
	return put_str(p, c->type, strlen(c->type));
}

size_t ch_builder_emit(struct ch_builder *b, uint8_t *out)
{
	const struct ch_schema *s = b->s;
	uint8_t *p = put_head(s, out, b->rows);

	for (int i = 0; i < s->ncols; i++) {
		const struct ch_column *c = &s->cols[i];
		p = put_column_head(c, p);
		if (c->size) {
			size_t n = (size_t)b->rows * c->size;
			memcpy(p, b->fixed[i], n);
			p += n;
		} else {
			memcpy(p, b->str[i].p, b->str[i].len);
			p += b->str[i].len;
			b->str[i].len = 0;
		}
	}
	b->rows = 0;
	b->bytes = b->head;
	return (size_t)(p - out);
}

/* A column header at *at matching c. */
static bool column_head_ok(const struct ch_column *c, const uint8_t *p, size_t n, size_t *at)
{
	const char *want[2] = { c->name, c->type };

	for (int k = 0; k < 2; k++) {
		uint64_t len;
		if (!get_varint(p, n, at, &len) || len != strlen(want[k]) || len > n - *at ||
		    memcmp(p + *at, want[k], (size_t)len) != 0)
			return false;
		*at += (size_t)len;
	}
	return true;
}

/*
 * Walk the block at p: its rows into *rows; with out, copy the rows whose
 * present[] is 0 (a block of *kept rows).  Returns the bytes written to
 * out (or 1 without out) when the block is well formed, 0 otherwise.
 */
static size_t walk(const struct ch_schema *s, const uint8_t *p, size_t n, const uint8_t *present,
		   uint32_t npresent, uint8_t *out, uint32_t *rows, uint32_t *kept)
{
	size_t at = 0;
	uint64_t ncols, nrows;
	uint8_t *o = out;

	if (!get_varint(p, n, &at, &ncols) || ncols != (uint64_t)s->ncols ||
	    !get_varint(p, n, &at, &nrows) || nrows > MAX_ROWS)
		return 0;
	*rows = (uint32_t)nrows;
	*kept = 0;
	if (out && nrows != npresent)
		return 0;
	if (out) {
		for (uint32_t r = 0; r < nrows; r++)
			*kept += present[r] == 0;
		o = put_head(s, o, *kept);
	}
	for (int i = 0; i < s->ncols; i++) {
		const struct ch_column *c = &s->cols[i];
		if (!column_head_ok(c, p, n, &at))
			return 0;
		if (out)
			o = put_column_head(c, o);
		if (c->size) {
			if (nrows * c->size > n - at)
				return 0;
			for (uint32_t r = 0; out && r < nrows; r++)
				if (!present[r]) {
					memcpy(o, p + at + (size_t)r * c->size, c->size);
					o += c->size;
				}
			at += (size_t)nrows * c->size;
			continue;
		}
		for (uint32_t r = 0; r < nrows; r++) {
			size_t start = at;
			uint64_t len;
			if (!get_varint(p, n, &at, &len) || len > n - at)
				return 0;
			at += (size_t)len;
			if (out && !present[r]) {
				memcpy(o, p + start, at - start);
				o += at - start;
			}
		}
	}
	if (at != n)
		return 0;
	return out ? (size_t)(o - out) : 1;
}

long ch_native_rows(const struct ch_schema *s, const uint8_t *p, size_t n)
{
	uint32_t rows, kept;

	return walk(s, p, n, NULL, 0, NULL, &rows, &kept) ? (long)rows : -1;
}

size_t ch_native_subset(const struct ch_schema *s, const uint8_t *p, size_t n, const uint8_t *present,
			uint32_t npresent, uint8_t *out, uint32_t *rows_out)
{
	uint32_t rows;

	return walk(s, p, n, present, npresent, out, &rows, rows_out);
}
