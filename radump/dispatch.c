/*
 * dispatch.c - which printer decodes a flow's payload: the well-known
 * port of either end first, then the payload's first bytes (TLS on 8443,
 * HTTP on 8080, SSH anywhere), and the call into the chosen printer.
 */
#include "config.h"

#include "radump.h"

#include <string.h>
#include <strings.h>

const char *const rd_proto_names[RD_NPROTO] = {
	[RD_NONE] = "none", [RD_DNS] = "dns", [RD_HTTP] = "http", [RD_TLS] = "tls",
	[RD_SSH] = "ssh", [RD_SMTP] = "smtp", [RD_FTP] = "ftp", [RD_POP3] = "pop3",
	[RD_IMAP] = "imap", [RD_NTP] = "ntp", [RD_DHCP] = "dhcp", [RD_SIP] = "sip",
};

static rd_printer *const printers[RD_NPROTO] = {
	[RD_DNS] = rd_print_dns, [RD_HTTP] = rd_print_http, [RD_TLS] = rd_print_tls,
	[RD_SSH] = rd_print_ssh, [RD_SMTP] = rd_print_mail, [RD_FTP] = rd_print_mail,
	[RD_POP3] = rd_print_mail, [RD_IMAP] = rd_print_mail, [RD_NTP] = rd_print_ntp,
	[RD_DHCP] = rd_print_dhcp, [RD_SIP] = rd_print_sip,
};

/* Well-known ports (IANA) and the usual alternates. */
static enum rd_proto by_port(uint8_t proto, uint16_t port)
{
	switch (port) {
	case 53: case 5353: case 5355:
		return RD_DNS;				/* DNS, mDNS, LLMNR */
	case 123:
		return proto == 17 ? RD_NTP : RD_NONE;
	case 67: case 68:
		return proto == 17 ? RD_DHCP : RD_NONE;
	case 5060:
		return RD_SIP;
	}
	if (proto != 6)
		return RD_NONE;
	switch (port) {
	case 80: case 8080: case 8000: case 3128:
		return RD_HTTP;
	case 443: case 8443: case 853: case 993: case 995: case 465: case 5061:
		return RD_TLS;
	case 22: return RD_SSH;
	case 25: case 587: return RD_SMTP;
	case 21: return RD_FTP;
	case 110: return RD_POP3;
	case 143: return RD_IMAP;
	}
	return RD_NONE;
}

static bool has_word(const uint8_t *p, size_t n, const char *w)
{
	size_t k = strlen(w);
	return n >= k && memcmp(p, w, k) == 0;
}

static bool http_method(const uint8_t *p, size_t n)
{
	static const char *const m[] = { "GET ", "POST ", "HEAD ", "PUT ", "DELETE ", "OPTIONS ",
					 "CONNECT ", "PATCH ", "TRACE " };
	for (size_t i = 0; i < sizeof(m) / sizeof(*m); i++)
		if (has_word(p, n, m[i]))
			return true;
	return false;
}

/* Does a line of the first bytes (up to 200) hold word? */
static bool first_line_has(const uint8_t *p, size_t n, const char *w)
{
	size_t k = strlen(w);
	for (size_t i = 0; i + k <= n && i < 200 && p[i] != '\n'; i++)
		if (strncasecmp((const char *)p + i, w, k) == 0)
			return true;
	return false;
}

static enum rd_proto sniff(const struct rd_flow *x, const uint8_t *p, size_t n)
{
	if (!p || n == 0)
		return RD_NONE;
	if (n >= 3 && p[0] >= 0x14 && p[0] <= 0x17 && p[1] == 3 && p[2] <= 4)
		return RD_TLS;
	if (has_word(p, n, "SSH-"))
		return RD_SSH;
	if (has_word(p, n, "SIP/2.0 ") || (first_line_has(p, n, " sip:") && first_line_has(p, n, "SIP/2.0")))
		return RD_SIP;
	if (http_method(p, n) || has_word(p, n, "HTTP/1."))
		return RD_HTTP;
	if (has_word(p, n, "+OK") )
		return RD_POP3;
	if (has_word(p, n, "* OK"))
		return RD_IMAP;
	if (has_word(p, n, "220") && first_line_has(p, n, "FTP"))
		return RD_FTP;
	if (has_word(p, n, "220") && first_line_has(p, n, "SMTP"))
		return RD_SMTP;
	if (x->proto == 17 && n >= 240 && p[236] == 0x63 && p[237] == 0x82 && p[238] == 0x53 && p[239] == 0x63)
		return RD_DHCP;
	return RD_NONE;
}

enum rd_proto rd_choose(const struct rd_flow *x, const uint8_t *sp, size_t sn, const uint8_t *dp,
			size_t dn)
{
	enum rd_proto p = by_port(x->proto, x->dport);

	if (p == RD_NONE)
		p = by_port(x->proto, x->sport);
	if (p == RD_NONE)
		p = sniff(x, sp, sn);
	if (p == RD_NONE)
		p = sniff(x, dp, dn);
	return p;
}

size_t rd_print(enum rd_proto proto, const struct rd_flow *x, const uint8_t *p, size_t n,
		const struct rd_style *st, char *out, size_t cap)
{
	struct rd_out o = { out, 0, cap, st->esc, false };
	struct cursor c = cur_make(p, n);
	struct rd_flow fx = *x;

	if (proto <= RD_NONE || proto >= RD_NPROTO || !printers[proto] || cap < 64)
		return 0;
	fx.app = (uint8_t)proto;
	printers[proto](&c, &o, &fx);
	if (o.full) {
		o.full = false;
		o.cap += 32;
		rd_lit(&o, " [|radump]");	/* more text than the column holds */
	}
	return o.len;
}
