/*
 * print-sip.c - SIP messages (RFC 3261 section 7): the request or status
 * line, then the From, To, Call-ID and CSeq headers (compact forms f, t, i
 * too).
 *
 *   Request-Line = Method SP Request-URI SP SIP-Version CRLF
 *   Status-Line  = SIP-Version SP Status-Code SP Reason-Phrase CRLF
 *   *( message-header CRLF ) CRLF [ message-body ]
 *
 * "INVITE sip:bob@example.com SIP/2.0; From: <sip:alice@example.com>;tag=1; ..."
 */
#include "config.h"

#include "radump.h"

#include <string.h>
#include <strings.h>

static const struct { const char *name, *compact; } shown[] = {
	{ "From", "f" }, { "To", "t" }, { "Call-ID", "i" }, { "CSeq", NULL },
};

static bool sip_line(const uint8_t *l, size_t n)
{
	if (n >= 8 && memcmp(l, "SIP/2.0 ", 8) == 0)
		return true;
	return n >= 7 && memcmp(l + n - 7, "SIP/2.0", 7) == 0;
}

static bool is(const uint8_t *l, size_t n, const char *name)
{
	return name && strlen(name) == n && strncasecmp((const char *)l, name, n) == 0;
}

void rd_print_sip(struct cursor *c, struct rd_out *o, const struct rd_flow *x)
{
	const uint8_t *l;
	size_t n;
	bool whole = rd_line(c, &l, &n);

	(void)x;
	if (!whole && !sip_line(l, n) && n < 64) {
		rd_text(o, l, n);
		rd_trunc(o, "sip");
		return;
	}
	if (!sip_line(l, n)) {
		rd_text(o, l, n > 64 ? 64 : n);
		rd_bad(o, "sip", "no request or status line");
		return;
	}
	rd_text(o, l, n);
	while (whole) {
		size_t colon, v;
		whole = rd_line(c, &l, &n);
		if (whole && n == 0)
			return;
		if (!whole) {
			rd_trunc(o, "sip");
			return;
		}
		for (colon = 0; colon < n && l[colon] != ':'; colon++)
			;
		if (colon == n) {
			rd_bad(o, "sip", "header line without ':'");
			return;
		}
		v = colon;
		while (v > 0 && (l[v - 1] == ' ' || l[v - 1] == '\t'))
			v--;
		for (size_t i = 0; i < sizeof(shown) / sizeof(*shown); i++) {
			size_t at = colon + 1;
			if (!is(l, v, shown[i].name) && !is(l, v, shown[i].compact))
				continue;
			while (at < n && (l[at] == ' ' || l[at] == '\t'))
				at++;
			rd_lit(o, "; ");
			rd_puts(o, shown[i].name);
			rd_lit(o, ": ");
			rd_text(o, l + at, n - at);
		}
	}
}
