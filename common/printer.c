/*
 * printer.c - formats flows as aligned text, CSV or JSON lines into a big
 * buffer and writes it out in blocks.
 */
#include "config.h"

#include "printer.h"
#include "status.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define OUTBUF (1u << 18)
#define VALBUF (4 * RA_PAYLOAD_MAX + 64)

/* What the printer worked out once per column. */
struct plan {
	size_t max;			/* most bytes fld_format writes */
	size_t need;			/* room one cell takes at most in this mode */
	bool slow;			/* payload: formatted aside, room made per cell */
	bool csv_safe;			/* its characters can never need CSV quotes */
	bool json_safe;			/* nor JSON escapes */
	bool number;			/* a JSON number (fld_json_number) */
	bool digits;			/* only digits when not empty (FT_UINT) */
	uint8_t keylen;
	char key[40];			/* JSON: '{' or ',', the quoted name and ':' */
};

struct printer {
	struct printer_opts o;
	struct column cols[RA_MAX_COLS];
	struct plan plan[RA_MAX_COLS];
	size_t line_need;		/* room the fast cells of a line take at most */
	bool cell_room;			/* wide columns: make room cell by cell */
	int ncols;
	int fd;
	struct fmt_cache *cache;
	char *out;			/* OUTBUF + room for one long line */
	size_t len, cap;
	char *val;			/* one formatted value */
	uint64_t lines;
	uint64_t status_lines;		/* status rows printed (CSV labels) */
	bool special[256];		/* bytes that make a CSV value need quotes */
	bool escape[256];		/* bytes a JSON string escapes */
};

static void json_string(struct printer *p, const char *s, size_t n);

/* Work out once per column how it prints and how much room it takes. */
static void make_plan(struct printer *p)
{
	size_t total = 2;

	for (int i = 0; i < p->ncols; i++) {
		const struct column *c = &p->cols[i];
		struct plan *pl = &p->plan[i];
		bool set[256];
		bool known = fld_format_chars(c->fd, p->cache, set);
		size_t w = (size_t)c->width;

		pl->max = fld_format_max(c->fd, p->cache) + 8;	/* + "/len" of a prefix */
		pl->slow = c->fd->type == FT_USER;
		pl->number = fld_json_number(c->fd);
		pl->digits = c->fd->type == FT_UINT;
		pl->csv_safe = pl->json_safe = known;
		for (int ch = 0; ch < 256 && known; ch++) {
			if (set[ch] && p->special[ch])
				pl->csv_safe = false;
			if (set[ch] && p->escape[ch])
				pl->json_safe = false;
		}
		pl->key[0] = i ? ',' : '{';
		pl->keylen = 1;
		if (strlen(c->fd->name) + 4 <= sizeof(pl->key)) {
			size_t n = strlen(c->fd->name);
			pl->key[pl->keylen++] = '"';
			memcpy(pl->key + pl->keylen, c->fd->name, n);
			pl->keylen = (uint8_t)(pl->keylen + n);
			pl->key[pl->keylen++] = '"';
			pl->key[pl->keylen++] = ':';
		}
		/* JSON escapes a byte to 6 at most, CSV quotes double; a text cell
		 * widens to its value, so never past the larger of the two */
		pl->need = (p->o.mode == OUT_JSON ? 6 * pl->max : 2 * pl->max) + w + pl->keylen + 16;
		if (!pl->slow)
			total += pl->need;
	}
	p->line_need = total;
	p->cell_room = total > OUTBUF / 4;
}

struct printer *printer_new(const struct printer_opts *o, const struct column *cols, int ncols,
			    int fd, struct ra_err *err)
{
	struct printer *p = calloc(1, sizeof(*p));

	if (!p)
		goto nomem;
	p->o = *o;
	p->ncols = ncols > RA_MAX_COLS ? RA_MAX_COLS : ncols;
	memcpy(p->cols, cols, (size_t)p->ncols * sizeof(*cols));
	p->fd = fd;
	p->special[(unsigned char)o->delim] = p->special['"'] = p->special['\n'] = p->special['\r'] = true;
	for (int i = 0; i < 0x20; i++)
		p->escape[i] = true;
	p->escape['"'] = p->escape['\\'] = true;
	p->cap = OUTBUF + 2 * VALBUF * 2;
	p->out = malloc(p->cap);
	p->val = malloc(VALBUF);
	{
		struct fmt_opts fo = o->fmt;
		if (o->mode == OUT_JSON && fo.numeric < 1)
			fo.numeric = 1;	/* JSON ports are numbers */
		p->cache = fmt_cache_new(&fo);
	}
	if (!p->out || !p->val || !p->cache)
		goto nomem;
	make_plan(p);
	return p;
nomem:
	if (p)
		printer_free(p);
	ra_err_set(err, RA_ERR_NOMEM, "out of memory");
	return NULL;
}

void printer_free(struct printer *p)
{
	if (!p)
		return;
	fmt_cache_free(p->cache);
	free(p->out);
	free(p->val);
	free(p);
}

bool printer_flush(struct printer *p, struct ra_err *err)
{
	const char *s = p->out;
	size_t n = p->len;

	while (n > 0) {
		ssize_t put = write(p->fd, s, n);
		if (put < 0 && errno == EINTR)
			continue;
		if (put < 0) {
			err->sys_errno = errno;
			ra_err_set(err, RA_ERR_IO, "write: %s", strerror(errno));
			return false;
		}
		s += put;
		n -= (size_t)put;
	}
	p->len = 0;
	return true;
}

/* Make sure n more bytes fit: flush, or grow for one long line. */
static bool room_slow(struct printer *p, size_t n, struct ra_err *err)
{
	if (!printer_flush(p, err))
		return false;
	if (n > p->cap) {
		char *big = realloc(p->out, n);
		if (!big) {
			ra_err_set(err, RA_ERR_NOMEM, "out of memory");
			return false;
		}
		p->out = big;
		p->cap = n;
	}
	return true;
}

static inline bool room(struct printer *p, size_t n, struct ra_err *err)
{
	return p->len + n <= p->cap || room_slow(p, n, err);
}

static void put(struct printer *p, const char *s, size_t n)
{
	memcpy(p->out + p->len, s, n);
	p->len += n;
}

static void pad(struct printer *p, size_t n)
{
	memset(p->out + p->len, ' ', n);
	p->len += n;
}

/* One text cell: right-aligned unless the field is left-aligned; widens. */
static void text_cell(struct printer *p, struct column *c, const char *s, size_t n, bool last)
{
	size_t w = (size_t)c->width;

	if (n > w) {
		c->width = (int)n;	/* widen from here on */
		w = n;
	}
	if (c->fd->flags & FF_LEFT) {
		put(p, s, n);
		if (!last)
			pad(p, w - n);
	} else {
		pad(p, w - n);
		put(p, s, n);
	}
}

static bool needs_quotes(const struct printer *p, const char *s, size_t n)
{
	if (n >= 32)	/* long cells (decoded payload): memchr scans many bytes at a time */
		return memchr(s, p->o.delim, n) || memchr(s, '"', n) || memchr(s, '\n', n) ||
		       memchr(s, '\r', n);
	for (size_t i = 0; i < n; i++)
		if (p->special[(unsigned char)s[i]])
			return true;
	return false;
}

static void csv_cell(struct printer *p, const char *s, size_t n)
{
	char q = p->o.quote ? p->o.quote : '"';

	if (!p->o.quote && !needs_quotes(p, s, n)) {
		put(p, s, n);
		return;
	}
	p->out[p->len++] = q;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == q)
			p->out[p->len++] = q;
		p->out[p->len++] = s[i];
	}
	p->out[p->len++] = q;
}

static void json_string(struct printer *p, const char *s, size_t n)
{
	static const char hx[] = "0123456789abcdef";

	p->out[p->len++] = '"';
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (!p->escape[ch]) {
			p->out[p->len++] = (char)ch;
		} else if (ch == '"' || ch == '\\') {
			p->out[p->len++] = '\\';
			p->out[p->len++] = (char)ch;
		} else {	/* a control character */
			put(p, "\\u00", 4);
			p->out[p->len++] = hx[ch >> 4];
			p->out[p->len++] = hx[ch & 15];
		}
	}
	p->out[p->len++] = '"';
}

static bool plain_number(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || s[i] == '.' || (s[i] == '-' && i == 0)))
			return false;
	return n > 0;
}

static bool labels(struct printer *p, struct ra_err *err)
{
	size_t need = 2;

	for (int i = 0; i < p->ncols; i++)	/* widths go to RA_MAX_WIDTH (suser:1024) */
		need += (size_t)p->cols[i].width + strlen(p->cols[i].fd->label) + 1;
	if (!room(p, need, err))
		return false;
	for (int i = 0; i < p->ncols; i++) {
		struct column *c = &p->cols[i];
		const char *l = c->fd->label;
		size_t n = strlen(l);
		if (p->o.mode == OUT_CSV) {
			if (i)
				p->out[p->len++] = p->o.delim;
			csv_cell(p, l, n);
		} else {
			if (i)
				p->out[p->len++] = ' ';
			text_cell(p, c, l, n, i == p->ncols - 1);
		}
	}
	p->out[p->len++] = '\n';
	return true;
}

/* Is field id set in a two-word bitmask? */
static bool mask_has(const uint64_t m[2], unsigned id)
{
	return m && id < 128 && (m[id >> 6] >> (id & 63)) & 1u;
}

/* Append "/len" to a formatted address when a prefix length is given. */
static size_t with_prefix(char *val, size_t n, const uint8_t prefix[2], unsigned id)
{
	uint8_t len = 255;

	if (prefix && id == F_SADDR)
		len = prefix[0];
	else if (prefix && id == F_DADDR)
		len = prefix[1];
	if (len == 255 || n == 0)
		return n;
	val[n++] = '/';
	return n + fmt_u64(val + n, len);
}

static bool flow_line(struct printer *p, const struct ra_flow *f, const uint64_t blank[2],
		      const uint8_t prefix[2], struct ra_err *err);

bool printer_flow(struct printer *p, const struct ra_flow *f, struct ra_err *err)
{
	/* a merged record says which fields differed and how long a common prefix is */
	if (RA_HAS(f, RA_BLK_AGG) && (f->blank[0] | f->blank[1] | f->prefix_set)) {
		uint8_t prefix[2] = { (f->prefix_set & 1) ? f->sprefix : 255,
				      (f->prefix_set & 2) ? f->dprefix : 255 };
		return flow_line(p, f, f->blank, prefix, err);
	}
	return flow_line(p, f, NULL, NULL, err);
}

bool printer_flow_masked(struct printer *p, const struct ra_flow *f, const uint64_t blank[2],
			 const uint8_t prefix[2], struct ra_err *err)
{
	return flow_line(p, f, blank, prefix, err);
}

/* A payload cell (or any cell when columns are wide): formatted aside,
 * room made for what it came to.  Returns its length, or -1 on error. */
static ssize_t cell_aside(struct printer *p, int i, const struct ra_flow *f, bool blank,
			  const uint8_t prefix[2], struct ra_err *err)
{
	const struct column *c = &p->cols[i];
	size_t n = 0;

	if (!blank) {
		if (c->limit > 0 && c->fd->type == FT_USER)
			n = fld_format_user(c->fd, f, p->cache, (size_t)c->limit, p->val, VALBUF);
		else
			n = fld_format(c->fd, f, p->cache, p->val, VALBUF);
		if (prefix)
			n = with_prefix(p->val, n, prefix, c->fd->id);
	}
	/* worst case: JSON escapes of every byte, or a widened text cell; and
	 * the room the line's fast cells were promised */
	if (!room(p, 6 * n + (size_t)c->width + p->plan[i].keylen + 64 + (p->cell_room ? 0 : p->line_need), err))
		return -1;
	return (ssize_t)n;
}

/* A value formatted where it goes: at dst, in the output buffer. */
static size_t cell_here(struct printer *p, int i, const struct ra_flow *f, bool blank,
			const uint8_t prefix[2], char *dst)
{
	const struct column *c = &p->cols[i];
	size_t n;

	if (blank)
		return 0;
	n = fld_format(c->fd, f, p->cache, dst, p->plan[i].max);
	if (prefix)
		n = with_prefix(dst, n, prefix, c->fd->id);
	return n;
}

static bool csv_line(struct printer *p, const struct ra_flow *f, const uint64_t blank[2],
		     const uint8_t prefix[2], struct ra_err *err)
{
	char *w = p->out + p->len;	/* a local cursor: stores through char * could alias p->len */

	for (int i = 0; i < p->ncols; i++) {
		const struct plan *pl = &p->plan[i];
		bool b = mask_has(blank, p->cols[i].fd->id);
		size_t n;

		if (pl->slow || p->cell_room) {
			ssize_t k;
			p->len = (size_t)(w - p->out);
			k = cell_aside(p, i, f, b, prefix, err);
			if (k < 0)
				return false;
			if (i)
				p->out[p->len++] = p->o.delim;
			csv_cell(p, p->val, (size_t)k);
			w = p->out + p->len;
			continue;
		}
		if (i)
			*w++ = p->o.delim;
		n = cell_here(p, i, f, b, prefix, w);
		if (!p->o.quote && (pl->csv_safe || !needs_quotes(p, w, n))) {
			w += n;
			continue;
		}
		p->len = (size_t)(w - p->out);
		memcpy(p->val, w, n);
		csv_cell(p, p->val, n);
		w = p->out + p->len;
	}
	p->len = (size_t)(w - p->out);
	return true;
}

static bool text_line(struct printer *p, const struct ra_flow *f, const uint64_t blank[2],
		      const uint8_t prefix[2], struct ra_err *err)
{
	for (int i = 0; i < p->ncols; i++) {
		struct column *c = &p->cols[i];
		bool b = mask_has(blank, c->fd->id);
		bool last = i == p->ncols - 1;
		size_t n, w;
		char *dst;

		if (p->plan[i].slow || p->cell_room) {
			ssize_t k = cell_aside(p, i, f, b, prefix, err);
			if (k < 0)
				return false;
			if (i)
				p->out[p->len++] = ' ';
			text_cell(p, c, p->val, (size_t)k, last);
			continue;
		}
		if (i)
			p->out[p->len++] = ' ';
		dst = p->out + p->len;
		n = cell_here(p, i, f, b, prefix, dst);
		w = (size_t)c->width;
		if (n >= w) {
			c->width = (int)n;	/* widen from here on */
			p->len += n;
		} else if (c->fd->flags & FF_LEFT) {
			p->len += n;
			if (last)
				continue;
			if (w <= 32)	/* fixed moves: the line's room covers 32 past the cell */
				memset(dst + n, ' ', 32);
			else
				memset(dst + n, ' ', w - n);
			p->len += w - n;
		} else if (w <= 32) {
			char v[32];
			memcpy(v, dst, 32);
			memset(dst, ' ', 32);
			memcpy(dst + (w - n), v, 32);
			p->len += w;
		} else {
			memmove(dst + (w - n), dst, n);
			memset(dst, ' ', w - n);
			p->len += w;
		}
	}
	return true;
}

static bool json_line(struct printer *p, const struct ra_flow *f, const uint64_t blank[2],
		      const uint8_t prefix[2], struct ra_err *err)
{
	for (int i = 0; i < p->ncols; i++) {
		const struct column *c = &p->cols[i];
		const struct plan *pl = &p->plan[i];
		bool b = mask_has(blank, c->fd->id);
		bool number = pl->number;
		size_t n;
		char *dst;

		if (pl->slow || p->cell_room) {
			ssize_t k = cell_aside(p, i, f, b, prefix, err);
			if (k < 0)
				return false;
			n = (size_t)k;
			put(p, pl->key, pl->keylen);
			if (pl->keylen == 1) {
				json_string(p, c->fd->name, strlen(c->fd->name));
				p->out[p->len++] = ':';
			}
			if (n == 0 && number)
				put(p, "null", 4);
			else if (number && plain_number(p->val, n))
				put(p, p->val, n);
			else
				json_string(p, p->val, n);
			continue;
		}
		if (pl->keylen > 1) {
			memcpy(p->out + p->len, pl->key, sizeof(pl->key));	/* one fixed move: the line's room covers it */
			p->len += pl->keylen;
		} else {
			put(p, pl->key, pl->keylen);
			json_string(p, c->fd->name, strlen(c->fd->name));
			p->out[p->len++] = ':';
		}
		dst = p->out + p->len;
		if (number) {
			n = cell_here(p, i, f, b, prefix, dst);
			if (n == 0) {
				put(p, "null", 4);
			} else if (pl->digits || plain_number(dst, n)) {
				p->len += n;
			} else {
				memcpy(p->val, dst, n);
				json_string(p, p->val, n);
			}
			continue;
		}
		n = cell_here(p, i, f, b, prefix, dst + 1);
		if (!pl->json_safe) {
			for (size_t k = 0; k < n; k++) {
				if (p->escape[(unsigned char)dst[1 + k]]) {
					memcpy(p->val, dst + 1, n);
					json_string(p, p->val, n);
					goto next;
				}
			}
		}
		dst[0] = '"';
		dst[n + 1] = '"';
		p->len += n + 2;
next:		;
	}
	return true;
}

static bool flow_line(struct printer *p, const struct ra_flow *f, const uint64_t blank[2],
		      const uint8_t prefix[2], struct ra_err *err)
{
	bool ok;

	if (p->o.mode != OUT_JSON && p->o.labels >= 0 &&
	    (p->lines == 0 || (p->o.labels > 0 && p->lines % (uint64_t)p->o.labels == 0)) &&
	    !labels(p, err))
		return false;
	p->lines++;
	if (!p->cell_room && !room(p, p->line_need, err))
		return false;
	if (p->o.mode == OUT_CSV)
		ok = csv_line(p, f, blank, prefix, err);
	else if (p->o.mode == OUT_TEXT)
		ok = text_line(p, f, blank, prefix, err);
	else
		ok = json_line(p, f, blank, prefix, err);
	if (!ok || !room(p, 2, err))
		return false;
	if (p->o.mode == OUT_JSON)
		p->out[p->len++] = p->ncols ? '}' : '{';
	if (p->o.mode == OUT_JSON && !p->ncols)
		p->out[p->len++] = '}';
	p->out[p->len++] = '\n';
	if (p->len >= OUTBUF)
		return printer_flush(p, err);
	return true;
}

bool printer_line(struct printer *p, const char *text, size_t len, struct ra_err *err)
{
	if (!room(p, len + 1, err))
		return false;
	put(p, text, len);
	if (!len || text[len - 1] != '\n')
		p->out[p->len++] = '\n';
	return true;
}

/* ---- status records ---- */

static void status_cell(struct printer *p, int i, const char *s, size_t n)
{
	if (p->o.mode == OUT_CSV) {
		if (i)
			p->out[p->len++] = p->o.delim;
		csv_cell(p, s, n);
	} else {
		if (i)
			p->out[p->len++] = ' ';
		put(p, s, n);
	}
}

bool printer_status(struct printer *p, const struct ra_status *st, struct ra_err *err)
{
	const struct ra_status_kind_info *k = ra_status_kind_find(st->kind);
	char tm[128], src[64], kind[16], name[64], val[64];
	size_t tn = fmt_time(p->cache, st->time, tm, sizeof(tm)), sn = 1, kn;
	struct ra_status_iter it;

	if (st->family)
		sn = fmt_addr(src, st->family, &st->source);
	else
		src[0] = '-';
	if (k)
		kn = (size_t)snprintf(kind, sizeof(kind), "%s", k->name);
	else
		kn = (size_t)snprintf(kind, sizeof(kind), "kind%u", st->kind);
	ra_status_iter_init(&it, st);
	if (p->o.mode == OUT_CSV) {
		static const char *const lab[] = { "StartTime", "Proto", "Kind", "Source", "Item", "Value" };
		if (p->o.labels >= 0 && p->status_lines++ == 0) {
			if (!room(p, 128, err))
				return false;
			for (int i = 0; i < 6; i++)
				status_cell(p, i, lab[i], strlen(lab[i]));
			p->out[p->len++] = '\n';
		}
		while (ra_status_iter_next(&it, st, name, sizeof(name), val, sizeof(val))) {
			const char *cells[] = { tm, "man", kind, src, name, val };
			size_t lens[] = { tn, 3, kn, sn, strlen(name), strlen(val) };
			if (!room(p, 2 * (tn + sn + kn + sizeof(name) + sizeof(val)) + 32, err))
				return false;
			for (int i = 0; i < 6; i++)
				status_cell(p, i, cells[i], lens[i]);
			p->out[p->len++] = '\n';
		}
	} else if (p->o.mode == OUT_JSON) {
		if (!room(p, 2 * tn + sn + kn + 64, err))
			return false;
		put(p, "{\"stime\":", 9);
		json_string(p, tm, tn);
		put(p, ",\"proto\":\"man\",\"kind\":", 22);
		json_string(p, kind, kn);
		put(p, ",\"source\":", 10);
		if (st->family)
			json_string(p, src, sn);
		else
			put(p, "null", 4);
		while (ra_status_iter_next(&it, st, name, sizeof(name), val, sizeof(val))) {
			size_t nn = strlen(name), vn = strlen(val);
			if (!room(p, nn + vn + 8, err))
				return false;
			p->out[p->len++] = ',';
			json_string(p, name, nn);
			p->out[p->len++] = ':';
			if (vn == 1 && val[0] == '-')	/* a value the source could not read */
				put(p, "null", 4);
			else
				put(p, val, vn);
		}
		if (!room(p, 2, err))
			return false;
		p->out[p->len++] = '}';
		p->out[p->len++] = '\n';
	} else {
		if (!room(p, tn + sn + kn + 16, err))
			return false;
		status_cell(p, 0, tm, tn);
		status_cell(p, 1, "man", 3);
		status_cell(p, 2, kind, kn);
		status_cell(p, 3, src, sn);
		while (ra_status_iter_next(&it, st, name, sizeof(name), val, sizeof(val))) {
			size_t nn = strlen(name), vn = strlen(val);
			if (!room(p, nn + vn + 4, err))
				return false;
			p->out[p->len++] = ' ';
			put(p, name, nn);
			p->out[p->len++] = '=';
			put(p, val, vn);
		}
		if (!room(p, 1, err))
			return false;
		p->out[p->len++] = '\n';
	}
	if (p->len >= OUTBUF)
		return printer_flush(p, err);
	return true;
}
