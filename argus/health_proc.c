/*
 * health_proc.c - the /proc parsers of the host health record
 * (health_proc.h).  Each walks the caller's buffer line by line with an
 * explicit end; numbers are decimal digits checked against 64 bits, so a
 * truncated file, a missing line or a huge number leaves that value unset.
 */
#include "config.h"

#include "health_proc.h"

#include <string.h>

const char *const hp_tcpext_names[HP_TCPEXT_COUNT] = {
	"SyncookiesSent", "SyncookiesRecv", "SyncookiesFailed", "ListenOverflows",
	"ListenDrops", "TCPReqQFullDrop", "TCPReqQFullDoCookies",
};

/* A cursor over [p, end). */
struct cur {
	const char *p, *end;
};

static void skip_blanks(struct cur *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
		c->p++;
}

/* Decimal digits into *v; false (nothing consumed past the digits) on none
 * or on a value past 64 bits. */
static bool number(struct cur *c, uint64_t *v)
{
	uint64_t n = 0;
	const char *s = c->p;
	bool wide = false;

	while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
		unsigned d = (unsigned)(*c->p - '0');
		if (n > (UINT64_MAX - d) / 10)
			wide = true;
		else
			n = n * 10 + d;
		c->p++;
	}
	if (c->p == s || wide)
		return false;
	*v = n;
	return true;
}

/* The line at c->p: [*ls, *le) without its newline; c moves past it.
 * False at the end of the buffer. */
static bool next_line(struct cur *c, const char **ls, const char **le)
{
	const char *nl;

	if (c->p >= c->end)
		return false;
	*ls = c->p;
	nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
	*le = nl ? nl : c->end;
	c->p = nl ? nl + 1 : c->end;
	return true;
}

static bool starts(const char *ls, const char *le, const char *word)
{
	size_t n = strlen(word);
	return (size_t)(le - ls) >= n && memcmp(ls, word, n) == 0;
}

void hp_parse_stat(const char *buf, size_t len, struct hp_cpu *out)
{
	struct cur c = { buf, buf + len };
	const char *ls, *le;

	memset(out, 0, sizeof(*out));
	while (next_line(&c, &ls, &le)) {
		if (!starts(ls, le, "cpu ") && !starts(ls, le, "cpu\t"))
			continue;
		struct cur l = { ls + 3, le };
		for (unsigned i = 0; i < HP_CPU_COLS; i++) {
			skip_blanks(&l);
			if (!number(&l, &out->t[i]))
				break;
			if (l.p < l.end && l.p[0] != ' ' && l.p[0] != '\t')
				break;	/* "12x": not a number */
			out->have |= 1u << i;
		}
		return;
	}
}

/* "Key:   1234 kB" -> bytes. */
static bool kb_value(const char *ls, const char *le, const char *key, uint64_t *bytes)
{
	struct cur l;
	uint64_t v;

	if (!starts(ls, le, key))
		return false;
	l.p = ls + strlen(key);
	l.end = le;
	skip_blanks(&l);
	if (!number(&l, &v))
		return false;
	skip_blanks(&l);
	if (l.end - l.p >= 2 && l.p[0] == 'k' && l.p[1] == 'B') {
		if (v > UINT64_MAX / 1024)
			return false;
		v *= 1024;
		l.p += 2;
	}
	skip_blanks(&l);
	if (l.p != l.end && *l.p != '\r')
		return false;
	*bytes = v;
	return true;
}

void hp_parse_meminfo(const char *buf, size_t len, struct hp_mem *out)
{
	struct cur c = { buf, buf + len };
	const char *ls, *le;

	memset(out, 0, sizeof(*out));
	while (next_line(&c, &ls, &le)) {
		if (kb_value(ls, le, "MemTotal:", &out->total))
			out->have |= 1;
		else if (kb_value(ls, le, "MemAvailable:", &out->avail))
			out->have |= 2;
	}
}

/* "0.52" -> 52 hundredths; more digits are cut, not rounded. */
static bool centi(struct cur *c, uint64_t *v)
{
	uint64_t whole, frac = 0;
	unsigned digits = 0;

	if (!number(c, &whole) || whole > UINT64_MAX / 100 - 1)
		return false;
	if (c->p < c->end && *c->p == '.') {
		c->p++;
		while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
			if (digits < 2) {
				frac = frac * 10 + (uint64_t)(*c->p - '0');
				digits++;
			}
			c->p++;
		}
	}
	if (c->p < c->end && *c->p != ' ' && *c->p != '\t' && *c->p != '\n')
		return false;
	while (digits < 2) {
		frac *= 10;
		digits++;
	}
	*v = whole * 100 + frac;
	return true;
}

void hp_parse_loadavg(const char *buf, size_t len, struct hp_load *out)
{
	struct cur c = { buf, buf + len };

	memset(out, 0, sizeof(*out));
	for (unsigned i = 0; i < 3; i++) {
		skip_blanks(&c);
		if (!centi(&c, &out->l[i]))
			return;
		out->have |= 1u << i;
	}
}

/* /proc/net/netstat: "TcpExt: Name Name ...\nTcpExt: 1 2 ...\n": names and
 * values walked side by side; a values line shorter than its names leaves
 * the rest unset. */
void hp_parse_netstat(const char *buf, size_t len, struct hp_netstat *out)
{
	struct cur c = { buf, buf + len };
	const char *ls, *le, *vs, *ve;

	memset(out, 0, sizeof(*out));
	while (next_line(&c, &ls, &le)) {
		if (!starts(ls, le, "TcpExt:"))
			continue;
		if (!next_line(&c, &vs, &ve) || !starts(vs, ve, "TcpExt:"))
			return;
		struct cur n = { ls + 7, le }, v = { vs + 7, ve };
		for (;;) {
			const char *name;
			size_t nlen;
			uint64_t value;
			bool ok;

			skip_blanks(&n);
			skip_blanks(&v);
			if (n.p >= n.end || v.p >= v.end)
				return;
			name = n.p;
			while (n.p < n.end && *n.p != ' ' && *n.p != '\t' && *n.p != '\r')
				n.p++;
			nlen = (size_t)(n.p - name);
			ok = number(&v, &value) && (v.p == v.end || *v.p == ' ' || *v.p == '\t' || *v.p == '\r');
			while (v.p < v.end && *v.p != ' ' && *v.p != '\t')
				v.p++;	/* a bad value: skipped, the columns stay aligned */
			if (!ok || !nlen)
				continue;
			for (unsigned i = 0; i < HP_TCPEXT_COUNT; i++)
				if (strlen(hp_tcpext_names[i]) == nlen && !memcmp(name, hp_tcpext_names[i], nlen)) {
					out->v[i] = value;
					out->have |= 1u << i;
				}
		}
	}
}
