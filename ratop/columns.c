/*
 * columns.c - ratop's columns: -s words (the field table's names, and
 * ratop's own rank, pps and bps), and a group as a line of text.
 */
#include "config.h"

#include "ratop.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const default_cols[] = {
	"rank", "stime", "dur", "proto", "saddr", "sport", "dir", "daddr", "dport", "pkts", "bytes", "pps", "bps", "state",
};

static const struct { const char *name, *label; uint8_t kind; int width; } own[] = {
	{ "rank", "Rank", COL_RANK, 6 },
	{ "pps", "Pps", COL_PPS, 10 },
	{ "bps", "Bps", COL_BPS, 12 },
};

/* One word (name or name:width) as a column. */
static bool one_col(const char *w, struct col *c, struct ra_err *err)
{
	char name[64];
	const char *colon = strchr(w, ':');
	size_t n = colon ? (size_t)(colon - w) : strlen(w);

	if (n == 0 || n >= sizeof(name)) {
		ra_err_set(err, RA_ERR_USAGE, "-s: bad field '%s'", w);
		return false;
	}
	memcpy(name, w, n);
	name[n] = 0;
	c->width = 0;
	if (colon) {
		char *end;
		long v = strtol(colon + 1, &end, 10);
		if (*end || v < 1 || v > 200) {
			ra_err_set(err, RA_ERR_USAGE, "-s: bad width in '%s'", w);
			return false;
		}
		c->width = (int)v;
	}
	for (size_t i = 0; i < sizeof(own) / sizeof(*own); i++)
		if (strcasecmp(name, own[i].name) == 0) {
			c->kind = own[i].kind;
			c->fd = NULL;
			if (!c->width)
				c->width = own[i].width;
			return true;
		}
	c->fd = fld_lookup(name);
	if (!c->fd) {
		ra_err_set(err, RA_ERR_USAGE, "-s: unknown field '%s' (ratop -h lists them)", name);
		return false;
	}
	c->kind = COL_FIELD;
	if (!c->width) {
		int lw = (int)strlen(c->fd->label);
		c->width = c->fd->width > lw ? c->fd->width : lw;
	}
	return true;
}

static bool same_col(const struct col *a, const struct col *b) { return a->kind == b->kind && a->fd == b->fd; }

int cols_parse(const char *const *words, int nw, struct col *cols, struct ra_err *err)
{
	int n = 0;
	bool replaced = false;

	for (int i = 0; i < nw; i++)
		if (words[i][0] != '+' && words[i][0] != '-')
			replaced = true;
	for (size_t i = 0; !replaced && i < sizeof(default_cols) / sizeof(*default_cols); i++)
		if (!one_col(default_cols[i], &cols[n++], err))
			return -1;
	for (int i = 0; i < nw; i++) {
		const char *w = words[i];
		char mode = (w[0] == '+' || w[0] == '-') ? w[0] : '=';
		struct col c;
		if (!one_col(mode == '=' ? w : w + 1, &c, err))
			return -1;
		if (mode == '-') {
			int k = 0;
			for (int j = 0; j < n; j++)
				if (!same_col(&cols[j], &c))
					cols[k++] = cols[j];
			n = k;
		} else if (n < RA_MAX_COLS) {
			cols[n++] = c;
		}
	}
	return n;
}

static bool is_blank(const uint64_t m[2], unsigned id) { return id < 128 && (m[id >> 6] >> (id & 63)) & 1u; }

/* A value into its cell: right-aligned unless the field is left-aligned,
 * cut to the width (the screen has no room to widen). */
static size_t cell(char *out, size_t cap, size_t at, const char *v, size_t n, int width, bool left, bool last,
		   bool cut)
{
	size_t w = (size_t)width;

	if (at && at < cap)
		out[at++] = ' ';
	if (n > w && !cut)
		w = n;
	if (n > w)
		n = w;
	if (at + w >= cap)
		return at;
	if (left) {
		memcpy(out + at, v, n);
		if (last)
			return at + n;
		memset(out + at + n, ' ', w - n);
	} else {
		memset(out + at, ' ', w - n);
		memcpy(out + at + w - n, v, n);
	}
	return at + w;
}

size_t cols_labels(const struct col *cols, int n, char *out, size_t cap)
{
	size_t at = 0;

	for (int i = 0; i < n; i++) {
		const char *l = cols[i].kind == COL_RANK ? "Rank" : cols[i].kind == COL_PPS ? "Pps" :
				cols[i].kind == COL_BPS ? "Bps" : cols[i].fd->label;
		bool left = cols[i].kind == COL_FIELD && (cols[i].fd->flags & FF_LEFT);
		at = cell(out, cap, at, l, strlen(l), cols[i].width, left, i == n - 1, true);
	}
	return at;
}

/* A rate with 2 decimals, as the printer's floats. */
static size_t rate_text(char *v, size_t cap, double x)
{
	int n = snprintf(v, cap, "%.2f", x);
	return n < 0 ? 0 : (size_t)n >= cap ? cap - 1 : (size_t)n;
}

/* One cell's text into v (cap bytes); returns its length. */
static size_t cell_text(const struct col *c, const struct row *r, struct fmt_cache *fc, char *v, size_t cap)
{
	size_t len = 0;

	switch (c->kind) {
	case COL_RANK:
		return fmt_u64(v, r->rank);
	case COL_PPS:
		return rate_text(v, cap, r->pps);
	case COL_BPS:
		return rate_text(v, cap, r->bps);
	default:
		if (is_blank(r->g.blank, c->fd->id))
			return 0;
		len = fld_format(c->fd, &r->g.f, fc, v, cap - 8);
		if ((c->fd->id == F_SADDR || c->fd->id == F_DADDR) && len) {
			uint8_t p = r->g.prefix[c->fd->id == F_DADDR];
			if (p != CL_NO_PREFIX) {
				v[len++] = '/';
				len += fmt_u64(v + len, p);
			}
		}
		return len;
	}
}

void cols_fit(struct col *cols, int n, const struct row *rows, size_t nrows, struct fmt_cache *fc)
{
	char v[512];

	for (size_t i = 0; i < nrows; i++)
		for (int j = 0; j < n; j++) {
			size_t len = cell_text(&cols[j], &rows[i], fc, v, sizeof(v));
			if (len > (size_t)cols[j].width && len < 200)
				cols[j].width = (int)len;
		}
}

size_t cols_row(const struct col *cols, int n, const struct row *r, struct fmt_cache *fc, bool cut, char *out,
		size_t cap)
{
	char v[512];
	size_t at = 0;

	for (int i = 0; i < n; i++) {
		const struct col *c = &cols[i];
		size_t len = cell_text(c, r, fc, v, sizeof(v));
		bool left = c->kind == COL_FIELD && (c->fd->flags & FF_LEFT);
		at = cell(out, cap, at, v, len, c->width, left, i == n - 1, cut);
	}
	while (at && out[at - 1] == ' ')
		at--;
	return at;
}
