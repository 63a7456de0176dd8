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
 * argus-record(5), "Reading Argus 3 data", lists what is not carried.
 */
#include "config.h"

#include "argus3.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cursor.h"

/* The daemon's status keys (argus(8), STATUS RECORDS) a MAR fills. */
enum { K_PKTS = 1, K_BYTES = 2, K_DROPPED = 4, K_FLOWS_ACTIVE = 6, K_RECORDS = 10 };

enum {
	T_FAR = 0x10, T_NETFLOW = 0x30, T_EVENT = 0x40, T_AFLOW = 0x50, T_MAR = 0x80,
	C_START = 0x10, C_STATUS = 0x20, C_STOP = 0x30, C_TIMEOUT = 0x40, C_SHUTDOWN = 0x60,
};

/* DSR types */
enum {
	D_TRANSPORT = 0x01, D_FLOW = 0x02, D_TIME = 0x03, D_METER = 0x10, D_ENCAPS = 0x20,
	D_NETWORK = 0x30, D_ICMP = 0x34, D_VLAN = 0x40, D_MAC = 0x42, D_MPLS = 0x44,
	D_JITTER = 0x46, D_IPATTR = 0x48, D_DATA = 0x50, D_AGR = 0x60,
};

/* flow DSR */
enum { FL_5TUPLE = 0x01, FL_L3MATRIX = 0x03, FL_ARP = 0x06, FL_REVERSE = 0x40, FL_FRAGMENT = 0x80 };
enum { TY_IPV4 = 0x01, TY_IPV6 = 0x02, TY_ETHER = 0x03, TY_ARP = 0x04, TY_RARP = 0x05,
       TY_INT = 0x20 };

/* TCP status bits (network DSR) */
enum {
	S_SAW_SYN = 0x01, S_SAW_SYN_SENT = 0x02, S_ESTABLISHED = 0x04, S_FIN = 0x08,
	S_FIN_ACK = 0x10, S_CLOSE = 0x20, S_SRC_RETRANS = 0x100, S_DST_RETRANS = 0x200,
	S_SRC_WINSHUT = 0x400, S_DST_WINSHUT = 0x800, S_RESET = 0x3000, S_ECN = 0xc000,
	S_SRC_OOO = 0x10000, S_DST_OOO = 0x20000,
};

/* encapsulations (encaps DSR) */
enum {
	E_MPLS = 0x01, E_ETHER = 0x02, E_8021Q = 0x04, E_LLC = 0x08, E_PPP = 0x10, E_GRE = 0x40,
	E_IP = 0x100, E_IPV6 = 0x200, E_SLL = 0x2000, E_TEREDO = 0x400000,
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

/* What the DSRs said that State, Dir and Flgs are worked out from. */
struct facts {
	uint32_t tcp_status;
	uint32_t encaps;
	uint8_t cause;
	uint8_t ftype;			/* flow DSR qualifier type, 0 = no flow DSR */
	uint8_t fsub;			/* flow DSR subtype */
	bool net_tcp;			/* a TCP network DSR was there */
	bool metric;
	bool icmp_dsr;
	uint8_t icmp_type, icmp_code;
};

static bool flow_dsr(const uint8_t *b, size_t n, uint8_t sub, uint8_t qual, struct ra_flow *f,
		     struct facts *x)
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
		x->ftype = TY_ARP;
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

static bool time_dsr(const uint8_t *b, size_t n, uint8_t sub, uint8_t qual, struct ra_flow *f)
{
	bool nsec = qual == 0x19;
	uint64_t t[4] = { 0, 0, 0, 0 };	/* src start, src end, dst start, dst end */

	if (sub & (0x08 | 0x20)) {
		/* the 3.0 bidirectional form: the times named by subtype bits, the
		 * first one absolute, the others absolute too or 32-bit offsets */
		unsigned bits = (sub >> 3) & 0x0f, cnt = 0, k;
		size_t off = 0;
		bool absolute;
		uint64_t first = 0;

		if (!(bits & 1))
			bits &= ~2u;
		if (!(bits & 4))
			bits &= ~8u;
		for (k = 0; k < 4; k++)
			cnt += (bits >> k) & 1;
		absolute = n >= (size_t)cnt * 8;
		for (k = 0; k < 4; k++) {
			if (!((bits >> k) & 1))
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
	} else {
		if (n < 8)
			return false;
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
		if (!t[0])
			t[0] = t[1];
	}
	if (!t[1])
		t[1] = t[0];
	if (t[2] && !t[3])
		t[3] = t[2];
	if (t[0] > t[1]) {
		uint64_t s = t[0];
		t[0] = t[1];
		t[1] = s;
	}
	f->stime = t[0];
	f->ltime = t[1];
	if (t[2] && (!f->stime || t[2] < f->stime))
		f->stime = t[2];
	if (t[3] > f->ltime)
		f->ltime = t[3];
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

static bool network_dsr(const uint8_t *b, size_t n, uint8_t sub, struct ra_flow *f, struct facts *x)
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

/* ICMP states: the words our daemon gives the same types and codes
 * (argus(8)); argus-record(5) lists where Argus's ra says another word. */
static uint8_t icmp_state(unsigned type, unsigned code)
{
	static const uint8_t unreach[8] = { RA_ST_URN, RA_ST_URH, RA_ST_URPR, RA_ST_URP, RA_ST_URF,
					    RA_ST_URS, RA_ST_URNU, RA_ST_URHU };
	static const uint8_t by_type[19] = {
		[0] = RA_ST_ECR, [4] = RA_ST_SRC, [5] = RA_ST_RED, [8] = RA_ST_ECO, [9] = RA_ST_RTA,
		[10] = RA_ST_RTS, [11] = RA_ST_TXD, [12] = RA_ST_PAR, [13] = RA_ST_TST, [14] = RA_ST_TSR,
		[15] = RA_ST_IRQ, [16] = RA_ST_IRR, [17] = RA_ST_MAS, [18] = RA_ST_MSR,
	};

	if (type == 3) {
		if (code < 8)
			return unreach[code];
		return (code == 9 || code == 10 || code == 13) ? RA_ST_URAD : RA_ST_UR;
	}
	return type < 19 ? by_type[type] : RA_ST_NONE;
}

static uint8_t icmp6_state(unsigned type, unsigned code)
{
	switch (type) {
	case 1: return code == 4 ? RA_ST_URP : code == 3 ? RA_ST_URH : RA_ST_UR;
	case 2: return RA_ST_PTB;
	case 3: return RA_ST_TXD;
	case 4: return RA_ST_PAR;
	case 128: return RA_ST_ECO;
	case 129: return RA_ST_ECR;
	case 130: return RA_ST_MLQ;
	case 131: case 132: case 143: return RA_ST_MLR;
	case 133: return RA_ST_RTS;
	case 134: return RA_ST_RTA;
	case 135: return RA_ST_NBS;
	case 136: return RA_ST_NBA;
	case 137: return RA_ST_RDR;
	default: return RA_ST_NONE;
	}
}

/* State as Argus's ra prints it (ArgusPrintState and the status helpers). */
static uint8_t work_out_state(const struct ra_flow *f, const struct facts *x)
{
	bool both = f->spkts && f->dpkts;

	if ((f->family == RA_AF_INET || f->family == RA_AF_INET6) && f->proto == 6) {
		uint32_t s = x->tcp_status;
		if (!s)
			return both ? RA_ST_CON : RA_ST_INT;
		if (s & S_RESET) return RA_ST_RST;
		if (s & (S_FIN | S_FIN_ACK)) return RA_ST_FIN;
		if (s & S_CLOSE) return RA_ST_CLO;
		if (x->cause & C_TIMEOUT) return RA_ST_TIM;
		if (s & S_ESTABLISHED) return RA_ST_CON;
		if (s & S_SAW_SYN_SENT) return RA_ST_ACC;
		if (s & S_SAW_SYN) return RA_ST_REQ;
		return RA_ST_CON;
	}
	if (f->family == RA_AF_INET && f->proto == 1)
		return x->icmp_dsr ? icmp_state(x->icmp_type, x->icmp_code)
				   : icmp_state(f->sport & 0xff, f->sport >> 8);
	if (f->family == RA_AF_INET6 && f->proto == 58)
		return icmp6_state(f->sport, f->dport);
	if (!x->metric)
		return RA_ST_INT;
	if (both)
		return RA_ST_CON;
	if (f->spkts)
		return (x->cause & C_START) ? RA_ST_INT : RA_ST_REQ;
	return RA_ST_NONE;	/* Argus's "RSP": no word of ours */
}

static uint8_t work_out_dir(const struct ra_flow *f, const struct facts *x)
{
	char d[3] = { '<', '-', '>' };

	if (x->ftype == TY_ARP && (x->fsub & 0x3f) != FL_ARP)
		return RA_DIR_WHO;
	if ((x->fsub & 0x3f) == FL_ARP)
		return (x->ftype == TY_ARP) ? RA_DIR_WHO : RA_DIR_NONE;
	if (x->ftype == TY_RARP || !x->metric)
		return RA_DIR_NONE;
	if (!f->dpkts)
		d[0] = ' ';
	if (!f->spkts)
		d[2] = ' ';
	if (!f->spkts && !f->dpkts)
		d[1] = ' ';
	if ((x->ftype == TY_IPV4 || x->ftype == TY_IPV6) && f->proto == 6 && x->net_tcp) {
		/* Argus's ra has swapped a reversed flow's key by now: the
		 * record reads from its originator */
		if (x->tcp_status & (S_SAW_SYN | S_SAW_SYN_SENT)) {
			d[0] = ' ';
			d[2] = '>';
		} else {
			d[1] = '?';
		}
	}
	if (d[1] == '-')
		return d[0] == '<' ? (d[2] == '>' ? RA_DIR_BOTH : RA_DIR_REV) : (d[2] == '>' ? RA_DIR_FWD : RA_DIR_NONE);
	if (d[1] == '?')
		return d[0] == '<' ? (d[2] == '>' ? RA_DIR_BOTH_UNK : RA_DIR_REV_UNK)
				   : (d[2] == '>' ? RA_DIR_FWD_UNK : RA_DIR_NONE);
	return RA_DIR_NONE;
}

static void work_out_flags(struct ra_flow *f, const struct facts *x)
{
	uint32_t e = x->encaps, s = x->tcp_status;

	if (e & (E_ETHER | E_LLC))
		f->flgs |= RA_FL_ETHER;
	if (e & E_8021Q)
		f->flgs |= RA_FL_8021Q;
	if (e & E_MPLS)
		f->flgs |= RA_FL_MPLS;
	if (e & E_PPP)
		f->flgs |= RA_FL_PPP;
	if (e & E_SLL)
		f->flgs |= RA_FL_SLL;
	if (e & (E_GRE | E_IP | E_IPV6 | E_TEREDO))
		f->flgs |= RA_FL_TUNNEL;
	if (x->net_tcp && f->proto == 6) {
		if (s & S_ECN)
			f->flgs |= RA_FL_ECN;
		/* Argus keeps these as status bits only: one event each */
		if (s & (S_SRC_OOO | S_DST_OOO | S_SRC_WINSHUT | S_DST_WINSHUT)) {
			f->sooo = (s & S_SRC_OOO) ? 1 : 0;
			f->dooo = (s & S_DST_OOO) ? 1 : 0;
			f->swinshut = (s & S_SRC_WINSHUT) ? 1 : 0;
			f->dwinshut = (s & S_DST_WINSHUT) ? 1 : 0;
			RA_SET(f, RA_BLK_TCP);
		}
		if (f->sretrans | f->dretrans)
			RA_SET(f, RA_BLK_TCP);
	}
	/* Argus drops the TCP flags of a side that sent nothing */
	if (!f->spkts)
		f->stcpflags = 0;
	if (!f->dpkts)
		f->dtcpflags = 0;
}

static enum a3_result dsr_damaged(struct ra_err *err, unsigned type, size_t at)
{
	ra_err_set(err, RA_ERR_FORMAT, "Argus 3 flow record: DSR 0x%02x at byte %zu of the record is damaged",
		   type, at);
	return A3_BAD;
}

static enum a3_result decode_far(const uint8_t *rec, size_t len, struct ra_flow *f, struct ra_err *err)
{
	struct facts x = { .cause = rec[1] };
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
			if (n >= 4 && be32(b) > 1)
				f->trans = be32(b);
			break;
		default:
			break;	/* a DSR we do not carry (packet sizes, labels, ...) */
		}
		if (!ok)
			return dsr_damaged(err, type, at);
		at += cnt;
	}
	f->state = work_out_state(f, &x);
	f->dir = work_out_dir(f, &x);
	work_out_flags(f, &x);
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
