/*
 * print-http.c - HTTP/1.x messages (RFC 9112): the request or status line
 * and the Host, User-Agent, Content-Type and Content-Length headers.
 *
 *   request-line = method SP request-target SP HTTP-version CRLF
 *   status-line  = HTTP-version SP status-code SP [ reason-phrase ] CRLF
 *   *( field-name ":" OWS field-value OWS CRLF )
 *   CRLF
 *   [ message-body ]
 *
 * "GET /index.html HTTP/1.1; Host: example.com; User-Agent: curl/7.88.1"
 * "HTTP/1.1 200 OK; Content-Type: text/html; Content-Length: 1256"
 */
#include "config.h"

#include "radump.h"

#include <string.h>
#include <strings.h>

static const char *const shown[] = { "Host", "User-Agent", "Content-Type", "Content-Length" };

static bool token_char(uint8_t c)
{
	return c > 0x20 && c < 0x7f && !strchr("()<>@,;:\\\"/[]?={}", c);
}

/* A request line starts with a token and a space; a status line with HTTP/. */
static bool start_line(const uint8_t *l, size_t n)
{
	size_t i = 0;

	if (n >= 5 && memcmp(l, "HTTP/", 5) == 0)
		return true;
	while (i < n && token_char(l[i]))
		i++;
	return i > 0 && i < n && l[i] == ' ';
}

void rd_print_http(struct cursor *c, struct rd_out *o, const struct rd_flow *x)
{
	const uint8_t *l;
	size_t n;
	bool whole = rd_line(c, &l, &n);

	(void)x;
	if (!start_line(l, n)) {
		rd_text(o, l, n > 64 ? 64 : n);
		rd_bad(o, "http", "no request or status line");
		return;
	}
	rd_text(o, l, n);
	if (!whole) {
		rd_trunc(o, "http");
		return;
	}
	for (;;) {
		size_t colon;
		whole = rd_line(c, &l, &n);
		if (whole && n == 0)
			return;			/* end of the header block */
		if (!whole) {
			rd_trunc(o, "http");
			return;
		}
		for (colon = 0; colon < n && l[colon] != ':'; colon++)
			;
		if (colon == n) {
			rd_bad(o, "http", "header line without ':'");
			return;
		}
		for (size_t i = 0; i < sizeof(shown) / sizeof(*shown); i++) {
			size_t k = strlen(shown[i]), v = colon + 1;
			if (k != colon || strncasecmp((const char *)l, shown[i], k) != 0)
				continue;
			while (v < n && (l[v] == ' ' || l[v] == '\t'))
				v++;
			rd_lit(o, "; ");
			rd_puts(o, shown[i]);
			rd_lit(o, ": ");
			rd_text(o, l + v, n - v);
		}
	}
}
