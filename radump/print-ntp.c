/*
 * print-ntp.c - NTP packets (RFC 5905): version, mode, stratum, poll and
 * reference id; control (mode 6, RFC 9327) and private (mode 7) messages
 * by their mode.
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |LI | VN  |Mode |    Stratum    |     Poll      |   Precision   |
 *   |                         Root Delay                            |
 *   |                         Root Dispersion                       |
 *   |                          Reference ID                         |
 *   |          Reference, Origin, Receive, Transmit Timestamps      |
 *   |                        (4 x 64 bits)                          |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * "NTPv4 client stratum 0 poll 6 refid 0.0.0.0"
 * "NTPv4 server stratum 1 poll 6 refid GPS"
 */
#include "config.h"

#include "radump.h"

static const char *const modes[8] = {
	"reserved", "symmetric-active", "symmetric-passive", "client", "server", "broadcast",
	"control", "private",
};

void rd_print_ntp(struct cursor *c, struct rd_out *o, const struct rd_flow *x)
{
	uint8_t b0, stratum, refid[4];
	int8_t poll;
	unsigned vn, mode;

	(void)x;
	if (!cur_u8(c, &b0)) {
		rd_lit(o, "NTP");
		rd_trunc(o, "ntp");
		return;
	}
	vn = (b0 >> 3) & 7;
	mode = b0 & 7;
	rd_lit(o, "NTPv");
	rd_u(o, vn);
	rd_putc(o, ' ');
	rd_puts(o, modes[mode]);
	if (vn == 0 || vn > 4) {
		rd_bad(o, "ntp", "unknown version");
		return;
	}
	if (mode >= 6)
		return;			/* control and private messages: the mode says it */
	if (!cur_u8(c, &stratum) || !cur_u8(c, (uint8_t *)&poll) || !cur_skip(c, 1 + 4 + 4) ||
	    !cur_bytes(c, refid, 4)) {
		rd_trunc(o, "ntp");
		return;
	}
	rd_lit(o, " stratum ");
	rd_u(o, stratum);
	rd_lit(o, " poll ");
	if (poll < 0) {
		rd_putc(o, '-');
		rd_u(o, (uint64_t)(-(int)poll));
	} else {
		rd_u(o, (uint64_t)poll);
	}
	if (stratum <= 1 && refid[0]) {	/* kiss code or reference clock: up to 4 ASCII bytes */
		int n = 0;
		while (n < 4 && refid[n])
			n++;
		rd_lit(o, " refid ");
		rd_text(o, refid, (size_t)n);
	} else if (stratum > 1) {
		rd_lit(o, " refid ");
		rd_ip4(o, refid);
	}
	if (!cur_skip(c, 32))
		rd_trunc(o, "ntp");
}
