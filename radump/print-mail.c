/*
 * print-mail.c - the line protocols of mail and file transfer: SMTP
 * (RFC 5321), FTP (RFC 959), POP3 (RFC 1939) and IMAP (RFC 9051).  Each
 * side's first lines (greeting, replies, commands) are shown, up to
 * MAIL_LINES of them, joined by " | ".
 *
 *   SMTP/FTP reply:  3DIGIT ( SP / "-" ) text CRLF      ("220 mx.example.com ESMTP")
 *   POP3 reply:      ( "+OK" / "-ERR" ) [ SP text ] CRLF
 *   IMAP response:   ( "*" / tag ) SP ( "OK" / "NO" / "BAD" / ... ) text CRLF
 *   commands:        keyword [ SP arguments ] CRLF      ("EHLO client", "USER anonymous")
 *
 * With RA_USERDATA_ENCODE=Obfuscate the passwords of PASS, LOGIN and AUTH
 * PLAIN lines are overwritten with 'x' before they reach this printer.
 */
#include "config.h"

#include "radump.h"

#define MAIL_LINES 6

static const char *const names[RD_NPROTO] = {
	[RD_SMTP] = "smtp", [RD_FTP] = "ftp", [RD_POP3] = "pop3", [RD_IMAP] = "imap",
};

/* A text protocol's line: printable ASCII and tabs only. */
static bool text_line(const uint8_t *l, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((l[i] < 0x20 && l[i] != '\t') || l[i] >= 0x7f)
			return false;
	return true;
}

void rd_print_mail(struct cursor *c, struct rd_out *o, const struct rd_flow *x)
{
	const char *proto = x->app < RD_NPROTO && names[x->app] ? names[x->app] : "mail";

	for (int i = 0; cur_left(c) > 0; i++) {
		const uint8_t *l;
		size_t n;
		bool whole;
		if (i == MAIL_LINES) {
			rd_lit(o, " | ...");
			return;
		}
		whole = rd_line(c, &l, &n);
		if (i)
			rd_lit(o, " | ");
		if (!text_line(l, n)) {
			rd_bad(o, proto, "binary bytes in a text line");
			return;
		}
		rd_text(o, l, n);
		if (!whole) {
			rd_trunc(o, proto);
			return;
		}
	}
}
