/*
 * out.c - radump's text writer: every byte a printer writes is escaped
 * here, so decoded payload stays on one line and inside one field.
 *
 * Escaped as \xHH: bytes below 0x20 and from 0x7f, the backslash, and,
 * when a field delimiter is set (-c, RA_FIELD_DELIMITER), the delimiter
 * and the double quote (which would make the printer quote the field).
 */
#include "config.h"

#include "radump.h"

#include <string.h>

static const char hexd[] = "0123456789abcdef";

/* Controls, 0x7f and up and the backslash; with a delimiter, it and the quote. */
void rd_style_init(struct rd_style *st, char delim)
{
	st->delim = delim;
	for (int c = 0; c < 256; c++)
		st->esc[c] = c < 0x20 || c >= 0x7f || c == '\\' ||
			     (delim && (c == (uint8_t)delim || c == '"'));
}

static void escape(struct rd_out *o, uint8_t ch)
{
	o->p[o->len++] = '\\';
	o->p[o->len++] = 'x';
	o->p[o->len++] = hexd[ch >> 4];
	o->p[o->len++] = hexd[ch & 15];
}

void rd_putc_slow(struct rd_out *o, uint8_t ch)
{
	if (o->full || o->len + 4 + 32 > o->cap) {
		o->full = true;
		return;
	}
	if (o->esc[ch])
		escape(o, ch);
	else
		o->p[o->len++] = (char)ch;
}

/* The hot path: room for the worst case is checked once per run of bytes,
 * and the bytes are written through a local pointer (a char store could
 * alias o->len otherwise). */
void rd_text_slow(struct rd_out *o, const uint8_t *s, size_t n)
{
	char *w, *start;
	const uint8_t *esc = o->esc;

	if (o->full || n > (o->cap - o->len) / 4 || o->len + 4 * n + 32 > o->cap) {
		for (size_t i = 0; i < n; i++)
			rd_putc_slow(o, s[i]);
		return;
	}
	w = start = o->p + o->len;
	for (size_t i = 0; i < n; i++) {
		uint8_t ch = s[i];
		if (!esc[ch]) {
			*w++ = (char)ch;
			continue;
		}
		w[0] = '\\';
		w[1] = 'x';
		w[2] = hexd[ch >> 4];
		w[3] = hexd[ch & 15];
		w += 4;
	}
	o->len += (size_t)(w - start);
}

void rd_u(struct rd_out *o, uint64_t v)
{
	uint8_t tmp[24];
	int n = 24;

	do
		tmp[--n] = (uint8_t)('0' + v % 10);
	while ((v /= 10) > 0);
	rd_text(o, tmp + n, (size_t)(24 - n));
}

void rd_hex(struct rd_out *o, uint64_t v, int digits)
{
	rd_puts(o, "0x");
	for (int i = digits - 1; i >= 0; i--)
		rd_putc(o, (uint8_t)hexd[(v >> (4 * i)) & 15]);
}

void rd_ip4(struct rd_out *o, const uint8_t *a)
{
	uint8_t text[16];
	size_t n = 0;

	for (int i = 0; i < 4; i++) {
		unsigned v = a[i];
		if (i)
			text[n++] = '.';
		if (v >= 100)
			text[n++] = (uint8_t)('0' + v / 100);
		if (v >= 10)
			text[n++] = (uint8_t)('0' + v / 10 % 10);
		text[n++] = (uint8_t)('0' + v % 10);
	}
	rd_text(o, text, n);	/* one room check; '.' may be the delimiter */
}

/* RFC 5952: lower case, leading zeros dropped, the longest run of two or
 * more zero groups (the first of equals) written "::". */
void rd_ip6(struct rd_out *o, const uint8_t *a)
{
	uint16_t g[8];
	int best = -1, bestlen = 0;

	for (int i = 0; i < 8; i++)
		g[i] = (uint16_t)(a[2 * i] << 8 | a[2 * i + 1]);
	for (int i = 0; i < 8;) {
		int j = i;
		while (j < 8 && g[j] == 0)
			j++;
		if (j - i > bestlen && j - i >= 2) {
			best = i;
			bestlen = j - i;
		}
		i = j > i ? j : i + 1;
	}
	for (int i = 0; i < 8; i++) {
		if (i == best) {
			rd_puts(o, "::");
			i += bestlen - 1;
			continue;
		}
		if (i && i != best + bestlen)
			rd_putc(o, ':');
		{
			bool lead = true;
			for (int k = 3; k >= 0; k--) {
				unsigned d = (g[i] >> (4 * k)) & 15;
				if (d || !lead || k == 0) {
					rd_putc(o, (uint8_t)hexd[d]);
					lead = false;
				}
			}
		}
	}
}

void rd_mac(struct rd_out *o, const uint8_t *a)
{
	for (int i = 0; i < 6; i++) {
		if (i)
			rd_putc(o, ':');
		rd_putc(o, (uint8_t)hexd[a[i] >> 4]);
		rd_putc(o, (uint8_t)hexd[a[i] & 15]);
	}
}

void rd_trunc(struct rd_out *o, const char *proto)
{
	rd_puts(o, " [|");
	rd_puts(o, proto);
	rd_putc(o, ']');
}

void rd_bad(struct rd_out *o, const char *proto, const char *why)
{
	rd_puts(o, " [bad ");
	rd_puts(o, proto);
	rd_puts(o, ": ");
	rd_puts(o, why);
	rd_putc(o, ']');
}

size_t rd_escape(const char *s, size_t n, const struct rd_style *st, char *out, size_t cap)
{
	struct rd_out o = { out, 0, cap, st->esc, false };

	rd_text(&o, (const uint8_t *)s, n);
	return o.len;
}

bool rd_line(struct cursor *c, const uint8_t **line, size_t *n)
{
	const uint8_t *p = cur_ptr(c), *nl;
	size_t left = cur_left(c);

	*line = p;
	if (left == 0) {
		*n = 0;
		return false;
	}
	nl = memchr(p, '\n', left);
	if (!nl) {
		*n = left;
		cur_skip(c, left);
		return false;
	}
	*n = (size_t)(nl - p);
	cur_skip(c, *n + 1);
	if (*n > 0 && p[*n - 1] == '\r')
		(*n)--;
	return true;
}
