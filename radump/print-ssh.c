/*
 * print-ssh.c - SSH protocol version exchange (RFC 4253 section 4.2): the
 * identification line each side sends first, and the packet after it.
 *
 *   SSH-protoversion-softwareversion SP comments CR LF
 *   then binary packets: uint32 packet_length, byte padding_length,
 *   byte[] payload (first byte the message number: 20 = KEXINIT), padding, mac
 *
 * "SSH-2.0-OpenSSH_7.4 KEXINIT"
 */
#include "config.h"

#include "radump.h"

#include <string.h>

void rd_print_ssh(struct cursor *c, struct rd_out *o, const struct rd_flow *x)
{
	const uint8_t *l;
	size_t n;
	bool whole;
	uint32_t plen;
	uint8_t pad, msg;

	(void)x;
	/* lines before the identification are allowed (RFC 4253 4.2); at most 8 here */
	for (int i = 0; i < 8; i++) {
		whole = rd_line(c, &l, &n);
		if (n >= 4 && memcmp(l, "SSH-", 4) == 0)
			break;
		if (!whole || i == 7) {
			rd_text(o, l, n > 64 ? 64 : n);
			if (whole)
				rd_bad(o, "ssh", "no identification line");
			else
				rd_trunc(o, "ssh");
			return;
		}
	}
	rd_text(o, l, n);
	if (!whole) {
		rd_trunc(o, "ssh");
		return;
	}
	if (cur_left(c) == 0)
		return;
	if (!cur_be32(c, &plen) || !cur_u8(c, &pad) || !cur_u8(c, &msg)) {
		rd_trunc(o, "ssh");
		return;
	}
	rd_putc(o, ' ');
	if (msg == 20)
		rd_lit(o, "KEXINIT");
	else {
		rd_lit(o, "msg ");
		rd_u(o, msg);
	}
}
