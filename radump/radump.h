/*
 * radump.h - what radump's protocol printers share: the escaping text
 * writer they print into, the facts about the flow they may use, and one
 * entry point per printer.
 *
 * A printer reads one direction's captured payload through a cursor and
 * writes one line of text.  Where the payload ends before the protocol
 * does it writes " [|proto]" (tcpdump's truncation mark); where the bytes
 * break the protocol's rules it writes " [bad proto: reason]" after what
 * it could read.  Every byte written goes through rd_putc(), which escapes
 * (see radump(1), ESCAPING): output never holds a control byte, a newline
 * or, with a field delimiter set, the delimiter or a double quote.
 */
#ifndef RADUMP_RADUMP_H
#define RADUMP_RADUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <string.h>

#include "cursor.h"
#include "record.h"

/* Which bytes are escaped: made once per run by rd_style_init(). */
struct rd_style {
	char delim;		/* the field delimiter, 0 for none */
	uint8_t esc[256];	/* 1: written as \xHH */
};
void rd_style_init(struct rd_style *st, char delim);

struct rd_out {
	char *p;
	size_t len, cap;	/* writes stop 32 bytes short of cap; full says so */
	const uint8_t *esc;	/* struct rd_style's table */
	bool full;
};

/* Literal text of ours (a string constant). */
#define rd_lit(o, s) rd_text((o), (const uint8_t *)(s), sizeof(s) - 1)

void rd_putc_slow(struct rd_out *o, uint8_t ch);
/* One byte: the common case inline (room and no escape), the rest in out.c. */
static inline void rd_putc(struct rd_out *o, uint8_t ch)
{
	if (o->len + 36 <= o->cap && !o->esc[ch])
		o->p[o->len++] = (char)ch;
	else
		rd_putc_slow(o, ch);
}
void rd_text_slow(struct rd_out *o, const uint8_t *s, size_t n);
/* Untrusted bytes, escaped.  Inline: most runs are a few bytes (labels,
 * numbers, separators) and the call would cost more than the copy. */
static inline void rd_text(struct rd_out *o, const uint8_t *s, size_t n)
{
	char *w;

	if (n > 64 || o->len + 4 * 64 + 32 > o->cap) {
		rd_text_slow(o, s, n);
		return;
	}
	w = o->p + o->len;
	for (size_t i = 0; i < n; i++) {
		uint8_t ch = s[i];
		if (o->esc[ch]) {
			o->len = (size_t)(w - o->p);
			rd_text_slow(o, s + i, n - i);
			return;
		}
		*w++ = (char)ch;
	}
	o->len = (size_t)(w - o->p);
}

static inline void rd_puts(struct rd_out *o, const char *s)
{
	rd_text(o, (const uint8_t *)s, strlen(s));
}
void rd_u(struct rd_out *o, uint64_t v);
void rd_hex(struct rd_out *o, uint64_t v, int digits);		/* 0x... */
void rd_ip4(struct rd_out *o, const uint8_t *a);
void rd_ip6(struct rd_out *o, const uint8_t *a);
void rd_mac(struct rd_out *o, const uint8_t *a);
void rd_trunc(struct rd_out *o, const char *proto);		/* " [|proto]" */
void rd_bad(struct rd_out *o, const char *proto, const char *why);	/* " [bad proto: why]" */

/* Text made elsewhere (the user data encodings) escaped as above. */
size_t rd_escape(const char *s, size_t n, const struct rd_style *st, char *out, size_t cap);

/* A sub-cursor over the next n bytes, or over what is left when fewer are
 * captured (then *cut is set); the parent moves past them. */
static inline struct cursor rd_take(struct cursor *c, size_t n, bool *cut)
{
	struct cursor sub;

	if (!cur_sub(c, n, &sub)) {
		*cut = true;
		cur_sub(c, cur_left(c), &sub);
	}
	return sub;
}

/* One text line of an ASCII protocol: bytes up to CRLF or LF (not included).
 * Returns false when no line end is captured (the line is then the rest). */
bool rd_line(struct cursor *c, const uint8_t **line, size_t *n);

/* What a printer knows about the flow. */
struct rd_flow {
	uint8_t proto;		/* 6 TCP, 17 UDP */
	uint8_t dir;		/* 0 source to destination, 1 back */
	uint16_t sport, dport;
	uint8_t app;		/* enum rd_proto: the printer chosen (mail: which one) */
};

enum rd_proto {
	RD_NONE, RD_DNS, RD_HTTP, RD_TLS, RD_SSH, RD_SMTP, RD_FTP, RD_POP3, RD_IMAP,
	RD_NTP, RD_DHCP, RD_SIP, RD_NPROTO
};

typedef void rd_printer(struct cursor *c, struct rd_out *o, const struct rd_flow *x);

rd_printer rd_print_dns, rd_print_http, rd_print_tls, rd_print_ssh, rd_print_mail,
	rd_print_ntp, rd_print_dhcp, rd_print_sip;

/* The protocol names radump(1) and -M dump=<name> use. */
extern const char *const rd_proto_names[RD_NPROTO];

/* Which printer: by the flow's ports, else by sniffing the payload of
 * either direction (sp/sn the source's bytes, dp/dn the destination's). */
enum rd_proto rd_choose(const struct rd_flow *x, const uint8_t *sp, size_t sn, const uint8_t *dp,
			size_t dn);

/* Print one payload with the printer of proto; returns the text's length. */
size_t rd_print(enum rd_proto proto, const struct rd_flow *x, const uint8_t *p, size_t n,
		const struct rd_style *st, char *out, size_t cap);

#endif
