/*
 * print-dhcp.c - DHCP messages (RFC 2131, options RFC 2132, leasequery
 * RFC 4388): message type, transaction id, client MAC, host name, the
 * requested and the offered address.
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +---------------+---------------+---------------+---------------+
 *   |     op (1)    |   htype (1)   |   hlen (1)    |   hops (1)    |
 *   |                            xid (4)                            |
 *   |           secs (2)            |           flags (2)           |
 *   |          ciaddr (4), yiaddr (4), siaddr (4), giaddr (4)       |
 *   |                          chaddr (16)                          |
 *   |                          sname (64)                           |
 *   |                          file (128)                           |
 *   |          magic cookie 99.130.83.99, options (variable)        |
 *   +---------------------------------------------------------------+
 *   option: code(8) len(8) data; 0 pad, 255 end; 53 message type, 12 host
 *   name, 50 requested address
 *
 * "DHCPREQUEST xid 0x3903f326 mac 00:0b:82:01:fc:42 host pc1 requested 192.168.0.10"
 */
#include "config.h"

#include "radump.h"

#include <string.h>

static const char *const types[] = {
	NULL, "DHCPDISCOVER", "DHCPOFFER", "DHCPREQUEST", "DHCPDECLINE", "DHCPACK", "DHCPNAK",
	"DHCPRELEASE", "DHCPINFORM", "DHCPFORCERENEW", "DHCPLEASEQUERY", "DHCPLEASEUNASSIGNED",
	"DHCPLEASEUNKNOWN", "DHCPLEASEACTIVE",
};

static bool zero4(const uint8_t *a) { return (a[0] | a[1] | a[2] | a[3]) == 0; }

void rd_print_dhcp(struct cursor *c, struct rd_out *o, const struct rd_flow *x)
{
	uint8_t op, htype, hlen, ciaddr[4], yiaddr[4], chaddr[16], cookie[4];
	uint32_t xid;
	uint8_t mtype = 0, req[4];
	const uint8_t *host = NULL;
	size_t hostlen = 0;
	bool have_req = false, ended = false;

	(void)x;
	if (!cur_u8(c, &op) || !cur_u8(c, &htype) || !cur_u8(c, &hlen) || !cur_skip(c, 1) ||
	    !cur_be32(c, &xid)) {
		rd_lit(o, "DHCP");
		rd_trunc(o, "dhcp");
		return;
	}
	if (!cur_skip(c, 4) || !cur_bytes(c, ciaddr, 4) || !cur_bytes(c, yiaddr, 4) || !cur_skip(c, 8) ||
	    !cur_bytes(c, chaddr, 16) || !cur_skip(c, 64 + 128) || !cur_bytes(c, cookie, 4)) {
		rd_puts(o, op == 1 ? "BOOTREQUEST" : "BOOTREPLY");
		rd_lit(o, " xid ");
		rd_hex(o, xid, 8);
		rd_trunc(o, "dhcp");
		return;
	}
	if (memcmp(cookie, "\x63\x82\x53\x63", 4) != 0) {
		rd_puts(o, op == 1 ? "BOOTREQUEST" : "BOOTREPLY");
		rd_lit(o, " xid ");
		rd_hex(o, xid, 8);
		rd_bad(o, "dhcp", "no magic cookie");
		return;
	}
	while (cur_left(c) > 0) {
		uint8_t code, len;
		struct cursor v;
		cur_u8(c, &code);
		if (code == 0)
			continue;
		if (code == 255) {
			ended = true;
			break;
		}
		if (!cur_u8(c, &len) || !cur_sub(c, len, &v))
			break;
		if (code == 53 && len >= 1)
			cur_u8(&v, &mtype);
		else if (code == 12) {
			host = cur_ptr(&v);
			hostlen = len;
		} else if (code == 50 && len == 4) {
			cur_bytes(&v, req, 4);
			have_req = true;
		}
	}
	if (mtype && mtype < sizeof(types) / sizeof(*types))
		rd_puts(o, types[mtype]);
	else if (mtype) {
		rd_lit(o, "DHCP type ");
		rd_u(o, mtype);
	} else
		rd_puts(o, op == 1 ? "BOOTREQUEST" : "BOOTREPLY");
	rd_lit(o, " xid ");
	rd_hex(o, xid, 8);
	if (htype == 1 && hlen == 6) {
		rd_lit(o, " mac ");
		rd_mac(o, chaddr);
	}
	if (host) {
		rd_lit(o, " host ");
		rd_text(o, host, hostlen);
	}
	if (have_req) {
		rd_lit(o, " requested ");
		rd_ip4(o, req);
	}
	if (!zero4(ciaddr)) {
		rd_lit(o, " ciaddr ");
		rd_ip4(o, ciaddr);
	}
	if (!zero4(yiaddr)) {
		rd_lit(o, " yiaddr ");
		rd_ip4(o, yiaddr);
	}
	if (!ended)
		rd_trunc(o, "dhcp");
}
