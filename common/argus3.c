/*
 * argus3.c - Argus 3 records (Argus 3.0.x's files and streams) read into ours.
 *
 * Every Argus 3 record starts with a big-endian header
 *
 *     0  1  type (high nibble: 0x10 flow, 0x30 NetFlow, 0x40 event,
 *           0x80 management) | version (low nibble, 3)
 *     1  1  cause (0x10 start, 0x20 status, 0x30 stop, 0x40 timeout,
 *           0x60 shutdown, 0x80 error)
 *     2  2  length in 4-byte words, header included
 *
 * A flow record is a list of DSRs, each with its own header (type, subtype,
 * qualifier, length in words; a 16-bit length when the subtype's top bit
 * is set; one word when the type's top bit is set).  Each DSR we know is
 * mapped onto struct ra_flow: flow key (0x02), transport (0x01, srcid and
 * sequence), time (0x03), metrics (0x10), network (0x30: TCP status and
 * performance), IP attributes (0x48: TTL, TOS, fragments), encapsulation
 * (0x20), MACs (0x42), VLANs (0x40), MPLS (0x44), jitter (0x46), ICMP
 * mapping (0x34), aggregation (0x60) and user data (0x50).  State, Dir and
 * the flags are worked out as Argus's ra works them out when it prints.
 * argus3_derive.c works out State, Dir and the flags from what they said.
 * argus-record(5), "Reading Argus 3 data", lists what is not carried.
 */
#include "config.h"

#include "argus3.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "argus3_int.h"
#include "cursor.h"

/* The daemon's status keys (argus(8), STATUS RECORDS) a MAR fills. */
enum { K_PKTS = 1, K_BYTES = 2, K_DROPPED = 4, K_FLOWS_ACTIVE = 6, K_RECORDS = 10 };

enum {
	T_FAR = 0x10, T_NETFLOW = 0x30, T_EVENT = 0x40, T_AFLOW = 0x50, T_MAR = 0x80,
};

/* DSR types */
enum {
	D_TRANSPORT = 0x01, D_FLOW = 0x02, D_TIME = 0x03, D_METER = 0x10, D_ENCAPS = 0x20,
	D_NETWORK = 0x30, D_ICMP = 0x34, D_VLAN = 0x40, D_MAC = 0x42, D_MPLS = 0x44,
	D_JITTER = 0x46, D_IPATTR = 0x48, D_DATA = 0x50, D_AGR = 0x60,
};

struct a3_conv {
	struct ra_flow f;
	struct ra_status st;
	uint8_t out[RA_REC_MAX];
};

static inline uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static inline uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static inline uint64_t be64(const uint8_t *p) { return (uint64_t)be32(p) << 32 | be32(p + 4); }
static inline float bef(const uint8_t *p)
{
	uint32_t v = be32(p);
	float x;

	memcpy(&x, &v, sizeof(x));
	return x;
}

bool a3_sniff(const uint8_t *p, size_t n)
{
	return n >= A3_MIN_SNIFF && p[0] == (T_MAR | 3) && be16(p + 2) >= 3 && be32(p + 8) == A3_COOKIE;
}

size_t a3_frame(const uint8_t *p)
{
	unsigned t = p[0] & 0xf0, words = be16(p + 2);

	if ((p[0] & 0x0f) != 3 || words < 1)
		return 0;
	if (t != T_FAR && t != T_NETFLOW && t != T_EVENT && t != T_AFLOW && t != T_MAR &&
	    t != 0x20 && t != 0x60 && t != 0x70)
		return 0;
	return (size_t)words * 4;
}

struct a3_conv *a3_conv_new(void)
{
	return calloc(1, sizeof(struct a3_conv));
}

void a3_conv_free(struct a3_conv *c)
{
	free(c);
}

/* ---- management records ---- */

static void add_item(struct ra_status *st, uint32_t key, uint64_t value)
{
	st->items[st->nitems].key = key;
	st->items[st->nitems].aux = 0;
	st->items[st->nitems].value = value;
	st->nitems++;
}

static enum a3_result decode_mar(const uint8_t *p, size_t len, struct ra_status *st, struct ra_err *err)
{
	uint32_t id;

	if (len < 128) {
		ra_err_set(err, RA_ERR_FORMAT, "Argus 3 management record of %zu bytes (128 expected)", len);
		return A3_BAD;
	}
	st->time = (uint64_t)be32(p + 32) * 1000000u + be32(p + 36) % 1000000u;
	st->kind = RA_STATUS_DAEMON;
	/* the first MAR carries the cookie where the others have the probe's id */
	id = be32(p + 8);
	if (id == A3_COOKIE)
		id = be32(p + 120);
	st->family = id ? RA_AF_INET : 0;
	memset(&st->source, 0, sizeof(st->source));
	st->source.v4 = id;
	st->nitems = 0;
	add_item(st, K_PKTS, be64(p + 48));
	add_item(st, K_BYTES, be64(p + 56));
	add_item(st, K_DROPPED, be32(p + 80));
	add_item(st, K_FLOWS_ACTIVE, be32(p + 76));
	add_item(st, K_RECORDS, be32(p + 72));
	return A3_OK;
}

/* ---- flow records ---- */

static bool flow_dsr(const uint8_t *b, size_t n, uint8_t sub, uint8_t qual, struct ra_flow *f,
		     struct a3_facts *x)
{
	unsigned type = qual & 0x1f;
	bool rev = (sub & FL_REVERSE) != 0;

	x->fsub = sub;
	switch (sub & 0x3f) {
	case FL_5TUPLE:
	case FL_L3MATRIX:
		break;
	case FL_ARP:
		if (n < 16)
			return false;
		x->ftype = (qual & 0x1f) == TY_RARP ? TY_RARP : TY_ARP;
		f->family = RA_AF_ARP;
		if ((qual & 0x1f) == TY_RARP) {
			f->daddr.v4 = b[5] == 4 ? be32(b + 8) : 0;
		} else {
			f->saddr.v4 = be32(b + 8);
			f->daddr.v4 = be32(b + 12);
		}
		return true;
	default:
		return true;	/* a key we do not map: the flow keeps no addresses */
	}
	x->ftype = (uint8_t)type;
	switch (type) {
	case TY_IPV4:
		if (n < 12)
			return false;
		f->family = RA_AF_INET;
		f->saddr.v4 = be32(b + (rev ? 4 : 0));
		f->daddr.v4 = be32(b + (rev ? 0 : 4));
		f->proto = b[8];
		if (qual & FL_FRAGMENT) {
			f->flgs |= RA_FL_FRAG;
		} else if ((sub & 0x3f) == FL_5TUPLE) {
			if (f->proto == 6 || f->proto == 17) {
				f->sport = be16(b + (rev ? 12 : 10));
				f->dport = be16(b + (rev ? 10 : 12));
			} else if (f->proto == 1) {
				/* type and code as Argus prints them, then the id */
				f->sport = (uint16_t)(b[10] | b[11] << 8);
				f->dport = be16(b + 12);
			}
		}
		return true;
	case TY_IPV6:
		if (n < 36)
			return false;
		f->family = RA_AF_INET6;
		memcpy(f->saddr.v6, b + (rev ? 16 : 0), 16);
		memcpy(f->daddr.v6, b + (rev ? 0 : 16), 16);
		f->proto = b[32];
		if ((sub & 0x3f) == FL_5TUPLE && n >= 40) {
			if (f->proto == 6 || f->proto == 17) {
				f->sport = be16(b + (rev ? 38 : 36));
				f->dport = be16(b + (rev ? 36 : 38));
			} else if (f->proto == 58) {
				f->sport = b[36];
				f->dport = b[37];
			}
		}
		return true;
	case TY_ETHER:
		if (n < 16)
			return false;
		f->family = RA_AF_ETHER;
		memcpy(f->daddr.mac, b, 6);
		memcpy(f->saddr.mac, b + 6, 6);
		f->etype = be16(b + 12);
		if (!f->etype) {
			f->sport = b[15];	/* ssap */
			f->dport = b[14];	/* dsap */
		}
		return true;
	case TY_ARP:
		if (n < 8)
			return false;
		f->family = RA_AF_ARP;
		f->saddr.v4 = be32(b);
		f->daddr.v4 = be32(b + 4);
		return true;
	case TY_RARP:
		if (n < 4)
			return false;
		f->family = RA_AF_ARP;
		f->daddr.v4 = be32(b);
		return true;
	default:
		return true;
	}
}

static uint64_t a3_time(const uint8_t *p, bool nsec)
{
	uint32_t frac = be32(p + 4);

	if (nsec)
		frac /= 1000;
	if (frac > 999999)
		frac = 999999;
	return (uint64_t)be32(p) * 1000000u + frac;
}

/* The earlier (or later) of two times, 0 meaning none. */
static uint64_t t_min(uint64_t a, uint64_t b) { return a && b ? (a < b ? a : b) : (a ? a : b); }
static uint64_t t_max(uint64_t a, uint64_t b) { return a > b ? a : b; }

/*
 * The time DSR: up to four times, source start and end, destination start
 * and end.  Start and last time are chosen as Argus's ra chooses them
 * (ArgusFetchStartuSecTime, ArgusFetchLastuSecTime): by the times the
 * subtype names, the earliest start and the latest end of those.
 */
static bool time_dsr(const uint8_t *b, size_t n, uint8_t sub, uint8_t qual, struct ra_flow *f)
{
	bool nsec = qual == 0x19;
	uint64_t t[4] = { 0, 0, 0, 0 };	/* src start, src end, dst start, dst end */
	unsigned named;			/* bits 0-3: which of t[] the record names */

	if (sub & (0x08 | 0x20)) {
		/* the 3.0 bidirectional form: the times named by subtype bits, the
		 * first one absolute, the others absolute too or 32-bit offsets */
		unsigned cnt = 0, k;
		size_t off = 0;
		bool absolute;
		uint64_t first = 0;

		named = (sub >> 3) & 0x0f;
		if (!(named & 1))
			named &= ~2u;
		if (!(named & 4))
			named &= ~8u;
		for (k = 0; k < 4; k++)
			cnt += (named >> k) & 1;
		absolute = n >= (size_t)cnt * 8;
		for (k = 0; k < 4; k++) {
			if (!((named >> k) & 1))
				continue;
			if (off == 0 || absolute) {
				if (n - off < 8)
					return false;
				t[k] = a3_time(b + off, nsec);
				if (off == 0)
					first = t[k];
				off += 8;
			} else {
				if (n - off < 4)
					return false;
				t[k] = first + (uint64_t)(int64_t)(int32_t)be32(b + off);
				off += 4;
			}
		}
		for (k = 0; k < 4; k += 2) {
			if (!t[k + 1]) {
				t[k + 1] = t[k];
			} else if (t[k] > t[k + 1]) {
				uint64_t x = t[k];
				t[k] = t[k + 1];
				t[k + 1] = x;
			}
		}
	} else {
		/* the classic form: source start and end, then perhaps the
		 * destination's; only the source's are named */
		if (n < 8)
			return true;	/* no times */
		t[0] = a3_time(b, nsec);
		if (n >= 16) {
			if ((sub & 0x07) == 0x03)	/* the end as an offset in microseconds */
				t[1] = t[0] + be32(b + 8);
			else
				t[1] = be32(b + 8) ? a3_time(b + 8, nsec) : 0;
		}
		if (n >= 24)
			t[2] = a3_time(b + 16, nsec);
		if (n >= 32)
			t[3] = a3_time(b + 24, nsec);
		named = (t[0] ? 1u : 0) | (t[1] ? 2u : 0);
		if ((sub & 0x07) >= 1 && (sub & 0x07) <= 3) {
			if (!t[0])
				t[0] = t[1];
			if (!t[1])
				t[1] = t[0];
		}
	}
	switch (named & 5) {
	case 1: f->stime = t[0]; break;
	case 4: f->stime = t[2]; break;
	default: f->stime = t_min(t[0], t[2]); break;
	}
	switch (named & 10) {
	case 2: f->ltime = t[1]; break;
	case 8: f->ltime = t[3]; break;
	default: f->ltime = t_max(t[1], t[3]); break;
	}
	return true;
}

/* Counters of w bytes each, big-endian. */
static uint64_t be_n(const uint8_t *p, unsigned w)
{
	switch (w) {
	case 1: return p[0];
	case 2: return be16(p);
	case 4: return be32(p);
	default: return be64(p);
	}
}

static bool meter_dsr(const uint8_t *b, size_t n, uint8_t sub, uint8_t qual, struct ra_flow *f)
{
	static const uint8_t width[4] = { 1, 2, 4, 8 };
	unsigned enc = qual & 0x0f, w, per, dirs, k;
	uint64_t v[6] = { 0, 0, 0, 0, 0, 0 };
	bool src, dst;

	if (enc < 1 || enc > 12)
		return true;	/* an encoding Argus does not write: no counters */
	if (!(sub & (0x01 | 0x04)))
		return true;
	w = width[(enc - 1) % 4];
	src = enc <= 8;
	dst = enc <= 4 || enc >= 9;
	per = (sub & 0x01) ? 2 : 3;
	dirs = (src && dst) ? 2 : 1;
	if (n < (size_t)w * per * dirs)
		return false;
	for (k = 0; k < per * dirs; k++)
		v[k] = be_n(b + (size_t)k * w, w);
	if (src) {
		f->spkts = v[0];
		f->sbytes = v[1];
		f->sappbytes = per == 3 ? v[2] : 0;
	}
	if (dst) {
		unsigned o = src ? per : 0;
		f->dpkts = v[o];
		f->dbytes = v[o + 1];
		f->dappbytes = per == 3 ? v[o + 2] : 0;
	}
	return true;
}

static bool network_dsr(const uint8_t *b, size_t n, uint8_t sub, struct ra_flow *f, struct a3_facts *x)
{
	switch (sub) {
	case 0x03:	/* TCP at its start: status, seq base, options, window, flags */
		if (n < 16)
			return false;
		x->net_tcp = true;
		x->tcp_status = be32(b);
		f->stcpflags = b[14];
		return true;
	case 0x04:	/* TCP status and the flags of each side */
		if (n < 6)
			return false;
		x->net_tcp = true;
		x->tcp_status = be32(b);
		f->stcpflags = b[4];
		f->dtcpflags = b[5];
		return true;
	case 0x05:	/* TCP performance: status, handshake times, per side metrics */
		if (n < 68)
			return false;
		x->net_tcp = true;
		x->tcp_status = be32(b);
		f->synack = be32(b + 12);
		f->ackdat = be32(b + 16);
		f->sretrans = be32(b + 52);
		f->stcpflags = b[66];
		if (n >= 116) {
			f->dretrans = be32(b + 100);
			f->dtcpflags = b[114];
		}
		RA_SET(f, RA_BLK_TCP);
		return true;
	case 0x0a:	/* RTP: state, each side's RTP header, packets each side lost */
		if (n < 32)
			return false;
		/* Argus's ra prints these as sloss and dloss; ours read the
		 * retransmission counters */
		f->sretrans = be16(b + 28);
		f->dretrans = be16(b + 30);
		if (f->sretrans | f->dretrans)
			RA_SET(f, RA_BLK_TCP);
		return true;
	default:
		return true;
	}
}

static bool ipattr_dsr(const uint8_t *b, size_t n, uint8_t qual, struct ra_flow *f)
{
	size_t off = 0;

	if (qual & 0x01) {
		if (n < 4)
			return false;
		f->sttl = b[0];
		f->stos = b[1];
		off = 4;
	}
	if (qual & 0x04)
		off += 4;
	if (qual & 0x02) {
		if (n < off + 4)
			return false;
		f->dttl = b[off];
		f->dtos = b[off + 1];
	}
	if (qual & 0x30)
		f->flgs |= RA_FL_FRAG;
	return true;
}

/*
 * One side's jitter and mean inter-packet time (microseconds) from Argus's
 * active and idle statistics {n, min, mean, stdev, max}, combined the way
 * Argus's ra combines them when it prints: with both present, its sum of
 * squares is scaled by 1000 where the mean is scaled by 1000 squared, and
 * the result is kept as it prints it so that both tools agree.
 */
static void jitter_side(const float *a, const float *i, uint32_t *jit, uint32_t *intpkt)
{
	double an = a ? a[0] : 0, in = i ? i[0] : 0, n = an + in, mean, sd;

	if (n <= 0)
		return;
	mean = (float)(((a ? a[2] * an : 0) + (i ? i[2] * in : 0)) / n);
	if (an > 0 && in > 0) {
		double s1 = an * pow(a[3], 2.0) + pow(a[2] * an, 2.0) / an;
		double s2 = in * pow(i[3], 2.0) + pow(i[2] * in, 2.0) / in;
		double v = ((s1 + s2) / 1000.0) / n - pow(mean / 1000.0, 2.0);
		sd = v > 0 ? sqrt(v) * 1000.0 : 0;
	} else {
		sd = an > 0 ? a[3] : i[3];
	}
	*intpkt = mean > 0 && mean < 4e9 ? (uint32_t)(mean + 0.5) : 0;
	*jit = sd > 0 && sd < 4e9 ? (uint32_t)(sd + 0.5) : 0;
}

static bool jitter_dsr(const uint8_t *b, size_t n, uint8_t sub, uint8_t qual, struct ra_flow *f)
{
	float st[4][5];
	bool have[4] = { false, false, false, false };
	size_t off = 0, each = 20;

	if (sub & 0x02)
		return true;	/* linear histograms: not carried */
	if (sub & 0x01)
		each = 24;
	for (unsigned k = 0; k < 4; k++) {
		if (!(qual & (1u << k)))
			continue;
		if (off > n || n - off < each)
			return false;
		st[k][0] = (float)(int32_t)be32(b + off);
		for (unsigned j = 1; j < 5; j++)
			st[k][j] = bef(b + off + 4 * j);
		have[k] = true;
		off += each;
	}
	jitter_side(have[0] ? st[0] : NULL, have[1] ? st[1] : NULL, &f->sjit, &f->sintpkt);
	jitter_side(have[2] ? st[2] : NULL, have[3] ? st[3] : NULL, &f->djit, &f->dintpkt);
	RA_SET(f, RA_BLK_TIMING);
	return true;
}

static bool data_dsr(const uint8_t *b, size_t n, uint8_t sub, struct ra_flow *f)
{
	size_t count;

	if (n < 4)
		return false;
	count = be16(b + 2);
	if (count > n - 4)
		count = n - 4;
	if (count > RA_PAYLOAD_MAX)
		count = RA_PAYLOAD_MAX;
	if (sub & 0x10) {
		f->spayload = b + 4;
		f->spaylen = (uint16_t)count;
		RA_SET(f, RA_BLK_PAYLOAD_SRC);
	} else if (sub & 0x20) {
		f->dpayload = b + 4;
		f->dpaylen = (uint16_t)count;
		RA_SET(f, RA_BLK_PAYLOAD_DST);
	}
	return true;
}

static bool mpls_dsr(const uint8_t *b, size_t n, uint8_t qual, struct ra_flow *f)
{
	unsigned ns = qual >> 4, nd = qual & 0x0f;

	if (n < (size_t)(ns + nd) * 4)
		return false;
	if (ns)
		f->smpls = be32(b) >> 12;
	if (nd)
		f->dmpls = be32(b + (size_t)ns * 4) >> 12;
	f->flgs |= RA_FL_MPLS;
	RA_SET(f, RA_BLK_L2);
	return true;
}

/* A float of the aggregation DSR: Argus writes these in its host's order. */
static double agr_float(const uint8_t *p, bool le)
{
	uint32_t v = le ? ld_le32(p) : be32(p);
	float x;

	memcpy(&x, &v, sizeof(x));
	return (double)x;
}

static uint64_t agr_usec(double seconds)
{
	return seconds > 0 && seconds < 1.8e13 ? (uint64_t)(seconds * 1e6 + 0.5) : 0;
}

/*
 * Aggregation (racluster's records): the count, then the last start and
 * last times, then the statistics of the merged records' durations in
 * seconds {n, min, mean, stdev, max} as floats.  Argus does not turn those
 * into network order: n, at most the count, says which order they are in.
 */
static void agr_dsr(const uint8_t *b, size_t n, struct ra_flow *f)
{
	uint32_t count, an;
	bool le;
	double mean, sd;

	if (n < 4)
		return;
	count = be32(b);
	if (count > 1)
		f->trans = count;
	if (n < 40 || count < 1)
		return;
	le = ld_le32(b + 20) <= count;
	an = le ? ld_le32(b + 20) : be32(b + 20);
	if (an > count)
		return;
	mean = agr_float(b + 28, le);
	sd = agr_float(b + 32, le);
	f->trans = count;
	f->dur_min = agr_usec(agr_float(b + 24, le));
	f->dur_max = agr_usec(agr_float(b + 36, le));
	f->dur_sum = agr_usec(mean * an);
	/* the sum of squares that gives back Argus's deviation from the
	 * rounded sum, as field.c computes it (n: the count) */
	f->dur_sumsq = count * sd * sd + pow((double)f->dur_sum / 1e6, 2.0) / count;
	if (!(f->dur_sumsq >= 0 && f->dur_sumsq < 1e30))
		f->dur_sumsq = 0;
	RA_SET(f, RA_BLK_AGG);
}

static enum a3_result dsr_damaged(struct ra_err *err, unsigned type, size_t at)
{
	ra_err_set(err, RA_ERR_FORMAT, "Argus 3 flow record: DSR 0x%02x at byte %zu of the record is damaged",
		   type, at);
	return A3_BAD;
}

static enum a3_result decode_far(const uint8_t *rec, size_t len, struct ra_flow *f, struct ra_err *err)
{
	struct a3_facts x = { .cause = rec[1] };
	size_t at = 4;

	memset(f, 0, sizeof(*f));
	f->trans = 1;
	switch (rec[1] & 0xf0) {
	case C_START: f->cause = RA_CAUSE_START; break;
	case C_STATUS: f->cause = RA_CAUSE_STATUS; break;
	case C_SHUTDOWN: f->cause = RA_CAUSE_SHUTDOWN; break;
	default: f->cause = RA_CAUSE_STOP; break;
	}
	while (at < len) {
		const uint8_t *d = rec + at, *b;
		unsigned type, sub, qual;
		size_t cnt, n;
		bool ok = true;

		if (len - at < 4)
			return dsr_damaged(err, d[0], at);
		type = d[0];
		sub = d[1];
		qual = d[2];
		if (type & 0x80)
			cnt = 4;
		else if (sub & 0x80)
			cnt = (size_t)be16(d + 2) * 4;
		else
			cnt = (size_t)d[3] * 4;
		if (cnt == 0 || cnt > len - at)
			return dsr_damaged(err, type, at);
		b = d + 4;
		n = cnt - 4;
		switch (type & 0x7f) {
		case D_TRANSPORT:
			if (cnt >= 12)
				sub |= 0x03;
			if ((sub & 0x01) && n >= 4) {
				f->srcid_family = RA_AF_INET;
				f->srcid.v4 = (qual == 0x21) ? ld_le32(b) : be32(b);
				RA_SET(f, RA_BLK_ID);
			}
			if ((sub & 0x02) && n >= 8)
				f->seq = be32(b + 4);
			break;
		case D_FLOW: ok = flow_dsr(b, n, (uint8_t)sub, (uint8_t)qual, f, &x); break;
		case D_TIME: ok = time_dsr(b, n, (uint8_t)sub, (uint8_t)qual, f); break;
		case D_METER:
			x.metric = true;
			ok = meter_dsr(b, n, (uint8_t)sub, (uint8_t)qual, f);
			break;
		case D_ENCAPS:
			if (n >= 8)
				x.encaps = be32(b) | be32(b + 4);
			break;
		case D_NETWORK: ok = network_dsr(b, n, (uint8_t)sub, f, &x); break;
		case D_IPATTR: ok = ipattr_dsr(b, n, (uint8_t)qual, f); break;
		case D_MAC:
			if (n < 12)
				return dsr_damaged(err, type, at);
			memcpy(f->dmac, b, 6);
			memcpy(f->smac, b + 6, 6);
			if (qual & 0x03)
				f->flgs |= RA_FL_MULTIMAC;
			RA_SET(f, RA_BLK_L2);
			break;
		case D_VLAN:
			if (n < 4)
				return dsr_damaged(err, type, at);
			f->svlan = be16(b) & 0x0fff;
			f->dvlan = be16(b + 2) & 0x0fff;
			f->flgs |= RA_FL_8021Q;
			RA_SET(f, RA_BLK_L2);
			break;
		case D_MPLS: ok = mpls_dsr(b, n, (uint8_t)qual, f); break;
		case D_JITTER: ok = jitter_dsr(b, n, (uint8_t)sub, (uint8_t)qual, f); break;
		case D_DATA: ok = data_dsr(b, n, (uint8_t)sub, f); break;
		case D_ICMP:
			if (n < 12)
				return dsr_damaged(err, type, at);
			x.icmp_dsr = true;
			x.icmp_type = b[0];
			x.icmp_code = b[1];
			f->icmp_type = b[0];
			f->icmp_code = b[1];
			f->inode_family = RA_AF_INET;
			f->inode.v4 = be32(b + 4);
			f->flgs |= RA_FL_ICMP_MAP;
			RA_SET(f, RA_BLK_ICMP);
			break;
		case D_AGR:
			agr_dsr(b, n, f);
			break;
		default:
			break;	/* a DSR we do not carry (packet sizes, labels, ...) */
		}
		if (!ok)
			return dsr_damaged(err, type, at);
		at += cnt;
	}
	a3_derive(f, &x);
	return A3_OK;
}

enum a3_result a3_decode(const uint8_t *rec, size_t len, struct ra_flow *f, struct ra_status *st,
			 bool *is_flow, struct ra_err *err)
{
	unsigned t;

	if (len < 4 || a3_frame(rec) != len) {
		ra_err_set(err, RA_ERR_FORMAT, "not an Argus 3 record");
		return A3_BAD;
	}
	t = rec[0] & 0xf0;
	*is_flow = t == T_FAR || t == T_NETFLOW || t == T_AFLOW;
	if (*is_flow)
		return decode_far(rec, len, f, err);
	if (t == T_MAR)
		return decode_mar(rec, len, st, err);
	return A3_SKIP;
}

enum a3_result a3_convert(struct a3_conv *c, const uint8_t *rec, size_t len, const uint8_t **out,
			  size_t *outlen, struct ra_err *err)
{
	bool is_flow;
	enum a3_result res = a3_decode(rec, len, &c->f, &c->st, &is_flow, err);

	if (res != A3_OK)
		return res;
	*outlen = is_flow ? ra_encode_flow(&c->f, c->out) : ra_encode_status(&c->st, c->out);
	*out = c->out;
	if (!*outlen) {
		ra_err_set(err, RA_ERR_FORMAT, "Argus 3 record cannot be carried");
		return A3_BAD;
	}
	return A3_OK;
}
